//! The core's errors as the exception classes of `highlevel._errors`: one class per
//! error kind, each carrying the status, the messages, the trace id and the operation.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

/// What the Python exception is made from.
pub(crate) struct Failure {
    code: &'static str,
    text: String,
    status: Option<u16>,
    messages: Vec<String>,
    trace_id: Option<String>,
    operation: Option<&'static str>,
}

impl From<highlevel::Error> for Failure {
    fn from(error: highlevel::Error) -> Self {
        Self {
            code: error.kind().code(),
            text: error.to_string(),
            status: error.status(),
            messages: error.messages().to_vec(),
            trace_id: error.trace_id().map(str::to_owned),
            operation: error.operation(),
        }
    }
}

impl From<highlevel::ConfigError> for Failure {
    fn from(error: highlevel::ConfigError) -> Self {
        Failure::invalid(error.to_string())
    }
}

impl Failure {
    /// A call refused before sending, with `text` saying why.
    pub(crate) fn invalid(text: String) -> Self {
        Self {
            code: "invalid_argument",
            messages: vec![text.clone()],
            text,
            status: None,
            trace_id: None,
            operation: None,
        }
    }
}

impl From<Failure> for PyErr {
    fn from(failure: Failure) -> Self {
        Python::attach(|py| {
            let made = py
                .import("highlevel._errors")
                .and_then(|module| module.getattr("_from_native"))
                .and_then(|make| {
                    make.call1((
                        failure.code,
                        &failure.text,
                        failure.status,
                        &failure.messages,
                        &failure.trace_id,
                        failure.operation,
                    ))
                });
            match made {
                Ok(exception) => PyErr::from_value(exception),
                // Only a broken installation gets here; the message still says what failed.
                Err(err) => PyRuntimeError::new_err(format!(
                    "{} (and highlevel._errors could not be loaded: {err})",
                    failure.text
                )),
            }
        })
    }
}

/// Converts the core's result into a Python one.
pub(crate) fn check<T>(result: Result<T, impl Into<Failure>>) -> PyResult<T> {
    result.map_err(|e| PyErr::from(e.into()))
}
