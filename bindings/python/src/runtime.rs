//! The tokio runtime every client of the process shares.
//!
//! The runtime is remade when the process id changes: a child made by `os.fork()` inherits
//! the parent's runtime without its threads, so the parent's would never run anything
//! there. The old one is leaked on purpose, as dropping it would wait for threads that do
//! not exist in the child.
//!
//! Only [`CURRENT`] owns the runtime; everything else holds a [`Handle`], so that the
//! runtime is never dropped on one of its own threads and can be shut down at exit.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Duration;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3_async_runtimes::TaskLocals;
use pyo3_async_runtimes::generic::{ContextExt, JoinError, Runtime as GenericRuntime};
use tokio::runtime::{Handle, Runtime};
use tokio::task::JoinHandle;

struct Current {
    pid: u32,
    runtime: Runtime,
}

static CURRENT: Mutex<Option<Current>> = Mutex::new(None);

/// The runtime of this process, made on first use (and again after a fork).
pub(crate) fn runtime() -> PyResult<Handle> {
    let pid = std::process::id();
    let mut current = CURRENT.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(current) = current.as_ref().filter(|c| c.pid == pid) {
        return Ok(current.runtime.handle().clone());
    }
    if let Some(stale) = current.take() {
        std::mem::forget(stale.runtime);
    }

    // One thread does all the SDK's I/O: Python code runs one thread at a time anyway, and
    // a second worker mostly adds wake-ups handed between threads and waits for the GIL.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("highlevel")
        .enable_all()
        .build()
        .map_err(|e| PyRuntimeError::new_err(format!("cannot start the SDK's threads: {e}")))?;
    let handle = runtime.handle().clone();
    *current = Some(Current { pid, runtime });
    Ok(handle)
}

/// Stops the runtime's threads, waiting up to a second for what they are doing, with the GIL
/// released so that a thread finishing its hand-over to asyncio can take it. Registered
/// with `atexit`: a runtime thread that still held or wanted the GIL once Python had begun
/// to finalize would crash the process as it exits.
pub(crate) fn shutdown(py: Python<'_>) {
    let current = CURRENT.lock().unwrap_or_else(|e| e.into_inner()).take();
    let Some(current) = current.filter(|c| c.pid == std::process::id()) else {
        return;
    };
    py.detach(|| current.runtime.shutdown_timeout(Duration::from_secs(1)));
}

/// The runtime a task of [`Shared`] runs on, made before the task was. Only a fork between
/// that and this call, on the same thread, could leave none, which cannot happen.
fn made() -> Handle {
    runtime().unwrap_or_else(|e| unreachable!("the runtime was made just before: {e}"))
}

/// Runs `future` to its end on the shared runtime, with the GIL released meanwhile so that
/// other Python threads run.
pub(crate) fn block_on<F>(py: Python<'_>, future: F) -> PyResult<F::Output>
where
    F: Future + Send,
    F::Output: Send,
{
    let runtime = runtime()?;
    Ok(py.detach(|| runtime.block_on(future)))
}

/// The runtime as pyo3-async-runtimes sees it. A task started for asyncio runs in its scope
/// (`bridge.rs`), which keeps the caller's event loop and context, so that an approval
/// callback that is a coroutine can be awaited on that loop.
pub(crate) struct Shared;

/// A task's failure to finish, as pyo3-async-runtimes wants to see it.
pub(crate) struct TaskFailed(tokio::task::JoinError);

impl JoinError for TaskFailed {
    fn is_panic(&self) -> bool {
        self.0.is_panic()
    }

    fn into_panic(self) -> Box<dyn std::any::Any + Send + 'static> {
        self.0.into_panic()
    }
}

/// A spawned task's handle.
pub(crate) struct Task(JoinHandle<()>);

impl Future for Task {
    type Output = Result<(), TaskFailed>;

    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        Pin::new(&mut self.0).poll(cx).map_err(TaskFailed)
    }
}

tokio::task_local! {
    static LOCALS: TaskLocals;
}

impl GenericRuntime for Shared {
    type JoinError = TaskFailed;
    type JoinHandle = Task;

    fn spawn<F>(fut: F) -> Self::JoinHandle
    where
        F: Future<Output = ()> + Send + 'static,
    {
        Task(made().spawn(fut))
    }

    fn spawn_blocking<F>(f: F) -> Self::JoinHandle
    where
        F: FnOnce() + Send + 'static,
    {
        Task(made().spawn_blocking(f))
    }
}

impl ContextExt for Shared {
    fn scope<F, R>(locals: TaskLocals, fut: F) -> Pin<Box<dyn Future<Output = R> + Send>>
    where
        F: Future<Output = R> + Send + 'static,
    {
        Box::pin(LOCALS.scope(locals, fut))
    }

    fn get_task_locals() -> Option<TaskLocals> {
        LOCALS.try_with(Clone::clone).ok()
    }
}
