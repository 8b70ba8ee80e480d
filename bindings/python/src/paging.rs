//! Python iterators over the core's paginators: `for` (waiting with the GIL released) and
//! `async for`. The core fetches the next page while the caller works on this one.
//!
//! A page crosses as the JSON text the service sent, which Python's own `json.loads` turns
//! into objects: in C, and far faster than building them one by one from Rust values. The
//! core's walk reads only what it needs for the next page, so it runs ahead on its own
//! thread while Python parses this one. Items cross a page at a time, as a list: one wait
//! per page instead of one per item; the Python half (`_base.py`) hands them out one by one.

use std::sync::Arc;

use highlevel::{Pages, RawPage};
use pyo3::exceptions::PyStopIteration;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use tokio::sync::Mutex;

use crate::bridge::{self, Completions, Outcome, Task};
use crate::errors::check;
use crate::runtime;

/// One page: its items, and the whole answer with every field the service sent.
#[pyclass(frozen, module = "highlevel._native")]
pub(crate) struct Page {
    /// The page's items.
    #[pyo3(get)]
    items: Py<PyAny>,
    /// The whole answer.
    #[pyo3(get)]
    body: Py<PyAny>,
}

#[pymethods]
impl Page {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let count = self.items.bind(py).len().unwrap_or(0);
        Ok(format!("Page(items=<{count} items>, body=<dict>)"))
    }
}

/// The page's answer and its items (the list within that answer).
fn parsed<'py>(
    py: Python<'py>,
    raw: &RawPage,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyList>)> {
    let text = PyBytes::new(py, &raw.text);
    let body = py.import("json")?.call_method1("loads", (text,))?;
    let mut at = Some(body.clone());
    for key in raw.items_at.split('.') {
        at = match at.as_ref().map(|v| v.cast::<PyDict>()) {
            Some(Ok(object)) => object.get_item(key)?,
            _ => None,
        };
    }
    let items = match at.map(|v| v.cast_into::<PyList>()) {
        Some(Ok(list)) => list,
        _ => PyList::empty(py),
    };
    Ok((body, items))
}

pub(crate) fn page(py: Python<'_>, raw: &RawPage) -> PyResult<Page> {
    let (body, items) = parsed(py, raw)?;
    Ok(Page {
        items: items.into_any().unbind(),
        body: body.unbind(),
    })
}

/// A page's items as a Python list.
pub(crate) fn items(py: Python<'_>, raw: &RawPage) -> PyResult<Py<PyAny>> {
    Ok(parsed(py, raw)?.1.into_any().unbind())
}

/// The items of a paginated call, a list per page, for `for`.
#[pyclass(module = "highlevel._native")]
pub(crate) struct ItemPages {
    pages: Arc<Mutex<Pages>>,
}

impl ItemPages {
    pub(crate) fn new(pages: Pages) -> Self {
        Self {
            pages: Arc::new(Mutex::new(pages)),
        }
    }
}

#[pymethods]
impl ItemPages {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let pages = self.pages.clone();
        let next = runtime::block_on(py, async move { pages.lock().await.next_raw().await })?;
        match next {
            Some(next) => items(py, &check(next)?),
            None => Err(PyStopIteration::new_err(())),
        }
    }
}

/// The pages of a paginated call, for `for`.
#[pyclass(module = "highlevel._native")]
pub(crate) struct PageIterator {
    pages: Arc<Mutex<Pages>>,
}

impl PageIterator {
    pub(crate) fn new(pages: Pages) -> Self {
        Self {
            pages: Arc::new(Mutex::new(pages)),
        }
    }
}

#[pymethods]
impl PageIterator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Page> {
        let pages = self.pages.clone();
        let next = runtime::block_on(py, async move { pages.lock().await.next_raw().await })?;
        match next {
            Some(next) => page(py, &check(next)?),
            None => Err(PyStopIteration::new_err(())),
        }
    }
}

/// The pages of a paginated call for asyncio: each `next_*_into` fetches the next page,
/// or its items, into the caller's `Completions` (see `bridge.rs`); `None` after the last.
#[pyclass(frozen, module = "highlevel._native")]
pub(crate) struct AsyncPages {
    pages: Arc<Mutex<Pages>>,
}

impl AsyncPages {
    pub(crate) fn new(pages: Pages) -> Self {
        Self {
            pages: Arc::new(Mutex::new(pages)),
        }
    }

    fn next_into(
        &self,
        py: Python<'_>,
        completions: &Completions,
        id: u64,
        shape: fn(RawPage) -> Outcome,
    ) -> PyResult<Task> {
        let pages = self.pages.clone();
        bridge::submit(py, completions, id, async move {
            match pages.lock().await.next_raw().await {
                Some(next) => bridge::outcome(next, shape),
                None => Outcome::End,
            }
        })
    }
}

#[pymethods]
impl AsyncPages {
    /// The next page's items, as a list.
    fn next_items_into(
        &self,
        py: Python<'_>,
        completions: &Completions,
        id: u64,
    ) -> PyResult<Task> {
        self.next_into(py, completions, id, Outcome::Items)
    }

    /// The next page, as a `Page`.
    fn next_page_into(&self, py: Python<'_>, completions: &Completions, id: u64) -> PyResult<Task> {
        self.next_into(py, completions, id, Outcome::Page)
    }
}
