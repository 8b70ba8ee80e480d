//! `NativeSandbox`: the offline sandbox served from this process, for tests of code that
//! uses the SDK.

use std::sync::Mutex;
use std::time::Duration;

use highlevel_sandbox::{Fault, FaultKind, RateLimits, Sandbox, SandboxConfig};
use pyo3::prelude::*;

use crate::errors::{Failure, check};
use crate::runtime;

/// A running sandbox; stopped by `stop` or when collected.
#[pyclass(frozen, module = "highlevel._native")]
pub(crate) struct NativeSandbox {
    sandbox: Mutex<Option<Sandbox>>,
    /// The base URL of Maton's connection API.
    #[pyo3(get)]
    url: String,
    /// The base URL of the HighLevel operations.
    #[pyo3(get)]
    proxy_url: String,
    /// The API key the sandbox accepts.
    #[pyo3(get)]
    api_key: String,
}

#[pymethods]
impl NativeSandbox {
    #[new]
    #[pyo3(signature = (*, seed, contacts_per_location, rate_limits))]
    fn new(
        py: Python<'_>,
        seed: u64,
        contacts_per_location: usize,
        rate_limits: bool,
    ) -> PyResult<Self> {
        let config = SandboxConfig {
            seed,
            contacts_per_location,
            rate_limits: if rate_limits {
                RateLimits::default()
            } else {
                RateLimits::unlimited()
            },
            ..SandboxConfig::default()
        };
        let started = runtime::block_on(py, Sandbox::start(config))?;
        let sandbox = check(started.map_err(|e| Failure::invalid(format!("{e}"))))?;
        Ok(Self {
            url: sandbox.url().to_owned(),
            proxy_url: sandbox.proxy_url(),
            api_key: sandbox.api_key().to_owned(),
            sandbox: Mutex::new(Some(sandbox)),
        })
    }

    /// Delays requests of `operation` (an operationId; every operation when `None`) by
    /// `seconds`, for the next `times` of them or for good.
    #[pyo3(signature = (seconds, operation=None, times=None))]
    fn add_latency(
        &self,
        seconds: f64,
        operation: Option<&str>,
        times: Option<u32>,
    ) -> PyResult<()> {
        let delay = Duration::try_from_secs_f64(seconds)
            .map_err(|_| Failure::invalid(format!("the latency must be >= 0, not {seconds}")));
        self.add(FaultKind::Latency(check(delay)?), operation, times)
    }

    /// Answers requests of `operation` with `status` without handling them.
    #[pyo3(signature = (status, operation=None, times=None))]
    fn add_status(&self, status: u16, operation: Option<&str>, times: Option<u32>) -> PyResult<()> {
        self.add(FaultKind::Status(status), operation, times)
    }

    /// Makes requests of `operation` misbehave: `kind` is `reset_before` (the connection
    /// drops before handling), `reset_after` (it drops after), `truncated_json`,
    /// `invalid_json` or `html_bad_gateway`.
    #[pyo3(signature = (kind, operation=None, times=None))]
    fn add_fault(&self, kind: &str, operation: Option<&str>, times: Option<u32>) -> PyResult<()> {
        let kind = match kind {
            "reset_before" => FaultKind::ResetBeforeProcessing,
            "reset_after" => FaultKind::ResetAfterProcessing,
            "truncated_json" => FaultKind::TruncatedJson,
            "invalid_json" => FaultKind::InvalidJson,
            "html_bad_gateway" => FaultKind::HtmlBadGateway,
            other => {
                return check(Err(Failure::invalid(format!(
                    "there is no fault `{other}`; there are reset_before, reset_after, \
                     truncated_json, invalid_json and html_bad_gateway"
                ))));
            }
        };
        self.add(kind, operation, times)
    }

    /// Removes every fault.
    fn clear_faults(&self) -> PyResult<()> {
        self.with(|s| s.clear_faults())
    }

    /// How many requests of `operation` (an operationId) the sandbox handled.
    fn processed(&self, operation: &str) -> PyResult<usize> {
        self.with(|s| s.processed(operation))
    }

    /// How many requests reached the sandbox.
    fn request_count(&self) -> PyResult<usize> {
        self.with(|s| s.requests().len())
    }

    /// Stops serving; later calls to the sandbox fail to connect.
    fn stop(&self, py: Python<'_>) -> PyResult<()> {
        let taken = self
            .sandbox
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(sandbox) = taken {
            runtime::block_on(py, sandbox.stop())?;
        }
        Ok(())
    }
}

impl NativeSandbox {
    fn add(&self, kind: FaultKind, operation: Option<&str>, times: Option<u32>) -> PyResult<()> {
        let mut fault = match operation {
            Some(operation) => Fault::on(operation, kind),
            None => Fault::everywhere(kind),
        };
        if let Some(times) = times {
            fault = fault.times(times);
        }
        self.with(|s| s.add_fault(fault))
    }

    fn with<T>(&self, act: impl FnOnce(&Sandbox) -> T) -> PyResult<T> {
        let sandbox = self.sandbox.lock().unwrap_or_else(|e| e.into_inner());
        match sandbox.as_ref() {
            Some(sandbox) => Ok(act(sandbox)),
            None => check(Err(Failure::invalid("the sandbox was stopped".to_owned()))),
        }
    }
}
