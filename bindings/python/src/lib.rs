//! The native half of the `highlevel` Python package (`highlevel._native`): a thin layer
//! that converts between Python and the core crate. Calls, retries, pagination, routing
//! and errors are the core's; the Python half (`python/highlevel/`) names the operations.

mod bridge;
mod client;
mod convert;
mod errors;
mod paging;
mod runtime;
mod sandbox;

use std::sync::OnceLock;

use pyo3::prelude::*;

/// Lets a change of Python's logging levels reach the cached levels of the log bridge.
static LOG_RESET: OnceLock<pyo3_log::ResetHandle> = OnceLock::new();

/// Makes pyo3-log read the `highlevel` loggers' levels again.
#[pyfunction]
fn reset_logging() {
    if let Some(handle) = LOG_RESET.get() {
        handle.reset();
    }
}

/// Stops the SDK's threads; `atexit` calls it as the interpreter exits.
#[pyfunction]
fn shutdown(py: Python<'_>) {
    runtime::shutdown(py);
}

/// The description's operations as (operationId, snake_case name) pairs.
#[pyfunction]
fn operations() -> Vec<(&'static str, &'static str)> {
    highlevel::operations()
        .iter()
        .map(|op| (op.id, op.name))
        .collect()
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // Only the SDK's own records go to Python; the HTTP stack's would be noise there.
    let logger = pyo3_log::Logger::new(m.py(), pyo3_log::Caching::LoggersAndLevels)?
        .filter(log::LevelFilter::Off)
        .filter_target("highlevel".to_owned(), log::LevelFilter::Trace);
    // Another extension may have installed a `log` logger first; then ours is not needed.
    if let Ok(handle) = logger.install() {
        let _ = LOG_RESET.set(handle);
    }

    m.add_class::<client::NativeClient>()?;
    m.add_class::<paging::Page>()?;
    m.add_class::<paging::ItemPages>()?;
    m.add_class::<paging::PageIterator>()?;
    m.add_class::<paging::AsyncPages>()?;
    m.add_class::<bridge::Completions>()?;
    m.add_class::<bridge::Task>()?;
    m.add_class::<sandbox::NativeSandbox>()?;
    m.add_function(wrap_pyfunction!(reset_logging, m)?)?;
    m.add_function(wrap_pyfunction!(operations, m)?)?;
    let shutdown = wrap_pyfunction!(shutdown, m)?;
    m.py()
        .import("atexit")?
        .call_method1("register", (shutdown.clone(),))?;
    m.add_function(shutdown)?;
    Ok(())
}
