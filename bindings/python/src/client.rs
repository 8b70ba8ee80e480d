//! `NativeClient`: a core client built from the settings the Python `Client` was given,
//! with a call path for threads (the GIL released while waiting) and one for asyncio.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use highlevel::{ClientBuilder, RetryPolicy, WriteRequest};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use serde_json::Value;

use crate::bridge::{self, Completions, Outcome, Task};
use crate::convert::{to_json, to_map, to_python};
use crate::errors::{Failure, check};
use crate::paging::{AsyncPages, ItemPages, PageIterator};
use crate::runtime::{self, Shared};

/// Everything a client is built from. Kept so that a client made before `os.fork()` can be
/// built again in the child.
#[derive(Clone, Default)]
struct Settings {
    from_env: bool,
    api_key: Option<String>,
    direct_token: Option<String>,
    base_url: Option<String>,
    maton_base_url: Option<String>,
    connection: Option<String>,
    agency_connection: Option<String>,
    location_connections: Vec<(String, String)>,
    pinned_connection: Option<String>,
    api_version: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    max_attempts: Option<u32>,
    read_only: bool,
    approve: Option<Arc<Py<PyAny>>>,
    user_agent: Option<String>,
}

impl Settings {
    fn build(&self) -> Result<highlevel::Client, Failure> {
        let mut builder = if self.from_env {
            ClientBuilder::from_env()
        } else {
            highlevel::Client::builder()
        };
        if let Some(token) = &self.direct_token {
            builder = builder.direct(token);
        }
        let strings = [
            (&self.api_key, ClientBuilder::api_key as fn(_, String) -> _),
            (&self.base_url, ClientBuilder::base_url),
            (&self.maton_base_url, ClientBuilder::maton_base_url),
            (&self.connection, ClientBuilder::connection),
            (&self.agency_connection, ClientBuilder::agency_connection),
            (&self.api_version, ClientBuilder::api_version),
            (&self.user_agent, ClientBuilder::user_agent),
        ];
        for (value, set) in strings {
            if let Some(value) = value {
                builder = set(builder, value.clone());
            }
        }
        for (location, connection) in &self.location_connections {
            builder = builder.location_connection(location, connection);
        }
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(timeout) = self.connect_timeout {
            builder = builder.connect_timeout(timeout);
        }
        if let Some(attempts) = self.max_attempts {
            builder = builder.retry(RetryPolicy {
                max_attempts: attempts.max(1),
                ..RetryPolicy::default()
            });
        }
        builder = builder.read_only(self.read_only);
        if let Some(approve) = &self.approve {
            let approve = approve.clone();
            builder = builder.approve_writes(move |write| ask(approve.clone(), write));
        }

        let client = builder.build()?;
        match &self.pinned_connection {
            Some(connection) => Ok(client.with_connection(connection)?),
            None => Ok(client),
        }
    }
}

/// The core client of one Python client; see the module docs.
#[pyclass(frozen, module = "highlevel._native")]
pub(crate) struct NativeClient {
    settings: Settings,
    built: Mutex<(u32, highlevel::Client)>,
}

fn seconds(value: Option<f64>, name: &str) -> PyResult<Option<Duration>> {
    value
        .map(|s| {
            Duration::try_from_secs_f64(s).map_err(|_| {
                PyErr::from(Failure::invalid(format!(
                    "{name} must be a positive number of seconds, not {s}"
                )))
            })
        })
        .transpose()
}

#[pymethods]
impl NativeClient {
    #[new]
    #[pyo3(signature = (
        *, from_env, api_key, direct_token, base_url, maton_base_url, connection,
        agency_connection, location_connections, pinned_connection, api_version, timeout,
        connect_timeout, max_attempts, read_only, approve, user_agent
    ))]
    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per setting of the client"
    )]
    fn new(
        from_env: bool,
        api_key: Option<String>,
        direct_token: Option<String>,
        base_url: Option<String>,
        maton_base_url: Option<String>,
        connection: Option<String>,
        agency_connection: Option<String>,
        location_connections: Option<Vec<(String, String)>>,
        pinned_connection: Option<String>,
        api_version: Option<String>,
        timeout: Option<f64>,
        connect_timeout: Option<f64>,
        max_attempts: Option<u32>,
        read_only: bool,
        approve: Option<Py<PyAny>>,
        user_agent: Option<String>,
    ) -> PyResult<Self> {
        let settings = Settings {
            from_env,
            api_key,
            direct_token,
            base_url,
            maton_base_url,
            connection,
            agency_connection,
            location_connections: location_connections.unwrap_or_default(),
            pinned_connection,
            api_version,
            timeout: seconds(timeout, "timeout")?,
            connect_timeout: seconds(connect_timeout, "connect_timeout")?,
            max_attempts,
            read_only,
            approve: approve.map(Arc::new),
            user_agent,
        };
        let client = check(settings.build())?;
        Ok(Self {
            settings,
            built: Mutex::new((std::process::id(), client)),
        })
    }

    /// Calls `operation` and waits for its answer with the GIL released.
    #[pyo3(signature = (operation, params, body=None))]
    fn call<'py>(
        &self,
        py: Python<'py>,
        operation: &str,
        params: Option<&Bound<'py, PyAny>>,
        body: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (client, params, body) = self.prepare(params, body)?;
        let answer = runtime::block_on(py, client.call(operation, &params, body.as_ref()))?;
        to_python(py, &check(answer)?.body)
    }

    /// Calls `operation` for asyncio: the answer goes to `completions` under `id`.
    #[pyo3(signature = (operation, params, body, completions, id))]
    fn call_into(
        &self,
        py: Python<'_>,
        operation: String,
        params: Option<&Bound<'_, PyAny>>,
        body: Option<&Bound<'_, PyAny>>,
        completions: &Completions,
        id: u64,
    ) -> PyResult<Task> {
        let (client, params, body) = self.prepare(params, body)?;
        bridge::submit(py, completions, id, async move {
            let answer = client.call(&operation, &params, body.as_ref()).await;
            bridge::outcome(answer, |answer| Outcome::Json(answer.body))
        })
    }

    /// The items of a paginated operation, a list per page, for `for`.
    fn items(&self, operation: &str, params: Option<&Bound<'_, PyAny>>) -> PyResult<ItemPages> {
        let (client, params, _) = self.prepare(params, None)?;
        let runtime = runtime::runtime()?;
        let _entered = runtime.enter();
        Ok(ItemPages::new(check(client.pages(operation, params))?))
    }

    /// The pages of a paginated operation, for `for`.
    fn pages(&self, operation: &str, params: Option<&Bound<'_, PyAny>>) -> PyResult<PageIterator> {
        let (client, params, _) = self.prepare(params, None)?;
        let runtime = runtime::runtime()?;
        let _entered = runtime.enter();
        Ok(PageIterator::new(check(client.pages(operation, params))?))
    }

    /// The pages of a paginated operation, for asyncio.
    fn pages_async(
        &self,
        operation: &str,
        params: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<AsyncPages> {
        let (client, params, _) = self.prepare(params, None)?;
        let runtime = runtime::runtime()?;
        let _entered = runtime.enter();
        Ok(AsyncPages::new(check(client.pages(operation, params))?))
    }
}

impl NativeClient {
    /// The core client for this process, and the call's parameters and body as JSON.
    fn prepare(
        &self,
        params: Option<&Bound<'_, PyAny>>,
        body: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<(
        highlevel::Client,
        serde_json::Map<String, Value>,
        Option<Value>,
    )> {
        let params = to_map(params, "params")?;
        let body = match body {
            Some(body) if !body.is_none() => Some(to_json(body, "body")?),
            _ => None,
        };
        Ok((self.client()?, params, body))
    }

    /// The core client, built again when this process is a fork of the one that built it:
    /// the parent's connections belong to a runtime the child does not run.
    fn client(&self) -> PyResult<highlevel::Client> {
        let pid = std::process::id();
        let mut built = self.built.lock().unwrap_or_else(|e| e.into_inner());
        if built.0 != pid {
            *built = (pid, check(self.settings.build())?);
        }
        Ok(built.1.clone())
    }
}

/// Asks the Python approval callback about `write`. Only `True` lets it through; `False`
/// or a string (the reason) refuses it, and so does anything else, an exception included,
/// so that a callback that forgot to answer never approves by accident. A coroutine is
/// awaited: on the caller's event loop when the call came from asyncio, else on its own.
async fn ask(approve: Arc<Py<PyAny>>, write: WriteRequest) -> Result<(), String> {
    let locals = <Shared as pyo3_async_runtimes::generic::ContextExt>::get_task_locals();
    let asked = Python::attach(|py| -> PyResult<Result<Py<PyAny>, _>> {
        let request = PyDict::new(py);
        request.set_item("operation", write.operation)?;
        request.set_item("method", write.method.as_str())?;
        let targets = PyDict::new(py);
        for (name, value) in &write.targets {
            targets.set_item(*name, value)?;
        }
        request.set_item("targets", targets)?;
        let body = match &write.body {
            Some(body) => to_python(py, body)?,
            None => py.None().into_bound(py),
        };
        request.set_item("body", body)?;

        let answer = approve.bind(py).call1((request,))?;
        if !answer.hasattr("__await__")? {
            return Ok(Ok(answer.unbind()));
        }
        match &locals {
            Some(locals) => Ok(Err(pyo3_async_runtimes::into_future_with_locals(
                locals, answer,
            )?)),
            None => {
                let asyncio = py.import("asyncio")?;
                Ok(Ok(asyncio.call_method1("run", (answer,))?.unbind()))
            }
        }
    });
    let answer = match asked {
        Ok(Ok(answer)) => Ok(answer),
        Ok(Err(pending)) => pending.await,
        Err(err) => Err(err),
    };

    Python::attach(|py| match answer {
        Ok(answer) => {
            let answer = answer.bind(py);
            if answer.is_instance_of::<pyo3::types::PyBool>() && answer.is_truthy()? {
                Ok(Ok(()))
            } else if let Ok(reason) = answer.cast::<PyString>() {
                Ok(Err(reason.to_cow()?.into_owned()))
            } else if answer.is_instance_of::<pyo3::types::PyBool>() {
                Ok(Err("the approval callback said no".to_owned()))
            } else {
                let shown = answer.repr()?;
                Ok(Err(format!(
                    "the approval callback answered {shown}; it must answer True to approve"
                )))
            }
        }
        Err(err) => Ok(Err(format!("the approval callback raised {err}"))),
    })
    .unwrap_or_else(|err: PyErr| {
        Err(format!(
            "the approval callback's answer is unreadable: {err}"
        ))
    })
}
