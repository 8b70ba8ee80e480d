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
use pyo3::exceptions::{PyStopAsyncIteration, PyStopIteration};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use tokio::sync::Mutex;

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

fn page(py: Python<'_>, raw: &RawPage) -> PyResult<Page> {
    let (body, items) = parsed(py, raw)?;
    Ok(Page {
        items: items.into_any().unbind(),
        body: body.unbind(),
    })
}

/// A page's items as a Python list.
fn items(py: Python<'_>, raw: &RawPage) -> PyResult<Py<PyAny>> {
    Ok(parsed(py, raw)?.1.into_any().unbind())
}

/// A page's items as they are handed to Python: made while an awaitable's result is set,
/// so that the runtime's thread takes the GIL once per page.
struct ItemsOf(RawPage);

impl<'py> IntoPyObject<'py> for ItemsOf {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(items(py, &self.0)?.into_bound(py))
    }
}

/// A page as it is handed to Python; see [`ItemsOf`].
struct PageOf(RawPage);

impl<'py> IntoPyObject<'py> for PageOf {
    type Target = Page;
    type Output = Bound<'py, Page>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, Page>> {
        Bound::new(py, page(py, &self.0)?)
    }
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

/// The items of a paginated call, a list per page, for `async for`.
#[pyclass(module = "highlevel._native")]
pub(crate) struct AsyncItemPages {
    pages: Arc<Mutex<Pages>>,
}

impl AsyncItemPages {
    pub(crate) fn new(pages: Pages) -> Self {
        Self {
            pages: Arc::new(Mutex::new(pages)),
        }
    }
}

#[pymethods]
impl AsyncItemPages {
    fn __aiter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let pages = self.pages.clone();
        runtime::awaitable(py, async move {
            let next = pages.lock().await.next_raw().await;
            match next {
                Some(next) => Ok(ItemsOf(check(next)?)),
                None => Err(PyStopAsyncIteration::new_err(())),
            }
        })
    }
}

/// The pages of a paginated call, for `async for`.
#[pyclass(module = "highlevel._native")]
pub(crate) struct AsyncPageIterator {
    pages: Arc<Mutex<Pages>>,
}

impl AsyncPageIterator {
    pub(crate) fn new(pages: Pages) -> Self {
        Self {
            pages: Arc::new(Mutex::new(pages)),
        }
    }
}

#[pymethods]
impl AsyncPageIterator {
    fn __aiter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let pages = self.pages.clone();
        runtime::awaitable(py, async move {
            let next = pages.lock().await.next_raw().await;
            match next {
                Some(next) => Ok(PageOf(check(next)?)),
                None => Err(PyStopAsyncIteration::new_err(())),
            }
        })
    }
}
