//! Python iterators over the core's paginators: `for` (waiting with the GIL released) and
//! `async for`. The core fetches the next page while the caller works on this one.

use std::sync::Arc;

use highlevel::{Items, Pages};
use pyo3::exceptions::{PyStopAsyncIteration, PyStopIteration};
use pyo3::prelude::*;
use tokio::sync::Mutex;

use crate::convert::to_python;
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

fn page(py: Python<'_>, page: highlevel::Page) -> PyResult<Page> {
    Ok(Page {
        items: to_python(py, &serde_json::Value::Array(page.items))?.unbind(),
        body: to_python(py, &page.body)?.unbind(),
    })
}

/// The items of a paginated call, for `for`.
#[pyclass(module = "highlevel._native")]
pub(crate) struct ItemIterator {
    items: Arc<Mutex<Items>>,
}

impl ItemIterator {
    pub(crate) fn new(items: Items) -> Self {
        Self {
            items: Arc::new(Mutex::new(items)),
        }
    }
}

#[pymethods]
impl ItemIterator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let items = self.items.clone();
        let next = runtime::block_on(py, async move { items.lock().await.next().await })?;
        match next {
            Some(item) => to_python(py, &check(item)?),
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
        let next = runtime::block_on(py, async move { pages.lock().await.next().await })?;
        match next {
            Some(next) => page(py, check(next)?),
            None => Err(PyStopIteration::new_err(())),
        }
    }
}

/// The items of a paginated call, for `async for`.
#[pyclass(module = "highlevel._native")]
pub(crate) struct AsyncItemIterator {
    items: Arc<Mutex<Items>>,
}

impl AsyncItemIterator {
    pub(crate) fn new(items: Items) -> Self {
        Self {
            items: Arc::new(Mutex::new(items)),
        }
    }
}

#[pymethods]
impl AsyncItemIterator {
    fn __aiter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let items = self.items.clone();
        runtime::awaitable(py, async move {
            let next = items.lock().await.next().await;
            match next {
                Some(item) => {
                    let item = check(item)?;
                    Python::attach(|py| to_python(py, &item).map(Bound::unbind))
                }
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
            let next = pages.lock().await.next().await;
            match next {
                Some(next) => {
                    let next = check(next)?;
                    Python::attach(|py| page(py, next))
                }
                None => Err(PyStopAsyncIteration::new_err(())),
            }
        })
    }
}
