//! How asyncio gets the results of the SDK's work without the SDK's thread taking the GIL.
//!
//! A call from asyncio becomes a task on the runtime and an asyncio future, matched by a
//! number. The finished task leaves its outcome in a queue of [`Completions`], one per
//! event loop, and wakes the loop through a socket pair the loop watches (`add_reader`);
//! the loop then takes every finished outcome at once, turns each into Python objects and
//! settles the futures (`_base.py`). So the runtime's thread never waits for the GIL, which
//! the event loop holds while it runs callbacks, and many answers cost one wake-up.

use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Mutex};

use highlevel::RawPage;
use pyo3::prelude::*;
use pyo3_async_runtimes::TaskLocals;
use pyo3_async_runtimes::generic::ContextExt;
use serde_json::Value;
use tokio::task::AbortHandle;

use crate::convert::to_python;
use crate::errors::{Failure, check};
use crate::paging::{items, page};
use crate::runtime::{self, Shared};

/// What a finished task hands to Python.
pub(crate) enum Outcome {
    /// A call's answer.
    Json(Value),
    /// The next page's items, as a list.
    Items(RawPage),
    /// The next page, as a `Page`.
    Page(RawPage),
    /// A walk's end: `None`.
    End,
    Failed(Failure),
}

impl Outcome {
    /// The outcome as `(value, exception)`, one of them `None`.
    fn into_python(self, py: Python<'_>) -> (Py<PyAny>, Py<PyAny>) {
        let value = match self {
            Outcome::Json(value) => to_python(py, &value).map(Bound::unbind),
            Outcome::Items(raw) => items(py, &raw),
            Outcome::Page(raw) => page(py, &raw).and_then(|p| Ok(Py::new(py, p)?.into_any())),
            Outcome::End => Ok(py.None()),
            Outcome::Failed(failure) => check::<Py<PyAny>>(Err(failure)),
        };
        match value {
            Ok(value) => (value, py.None()),
            Err(err) => (py.None(), err.into_value(py).into_any()),
        }
    }
}

/// The finished outcomes of one event loop's tasks, and the socket that wakes the loop.
#[pyclass(frozen, module = "highlevel._native")]
pub(crate) struct Completions {
    queue: Arc<Queue>,
    readable: UnixStream,
}

struct Queue {
    done: Mutex<Vec<(u64, Outcome)>>,
    wake: UnixStream,
}

impl Queue {
    fn push(&self, id: u64, outcome: Outcome) {
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        let was_empty = done.is_empty();
        done.push((id, outcome));
        drop(done);

        // One byte per batch: the loop takes the whole queue when it wakes. A full socket
        // already holds a wake-up, so a write that would block is not needed.
        if was_empty {
            let _ = (&self.wake).write(&[1]);
        }
    }
}

#[pymethods]
impl Completions {
    #[new]
    fn new() -> PyResult<Self> {
        let (readable, wake) = UnixStream::pair()?;
        readable.set_nonblocking(true)?;
        wake.set_nonblocking(true)?;
        Ok(Self {
            queue: Arc::new(Queue {
                done: Mutex::new(Vec::new()),
                wake,
            }),
            readable,
        })
    }

    /// The descriptor the event loop watches.
    fn fileno(&self) -> i32 {
        self.readable.as_raw_fd()
    }

    /// Every outcome finished since the last call, as `(number, value, exception)`.
    fn drain(&self, py: Python<'_>) -> Vec<(u64, Py<PyAny>, Py<PyAny>)> {
        // The wake-ups first: an outcome queued after this read writes a new one.
        let mut bytes = [0u8; 64];
        while let Ok(read) = (&self.readable).read(&mut bytes) {
            if read == 0 {
                break;
            }
        }
        let done = std::mem::take(&mut *self.queue.done.lock().unwrap_or_else(|e| e.into_inner()));

        done.into_iter()
            .map(|(id, outcome)| {
                let (value, error) = outcome.into_python(py);
                (id, value, error)
            })
            .collect()
    }
}

/// A task started for asyncio; `cancel` stops it, dropping its request.
#[pyclass(frozen, module = "highlevel._native")]
pub(crate) struct Task {
    abort: AbortHandle,
}

#[pymethods]
impl Task {
    fn cancel(&self) {
        self.abort.abort();
    }
}

/// Runs `work` on the runtime; its outcome goes to `completions` under `id`. The task
/// keeps the caller's event loop and context, for an approval callback that is a coroutine.
pub(crate) fn submit<F>(
    py: Python<'_>,
    completions: &Completions,
    id: u64,
    work: F,
) -> PyResult<Task>
where
    F: Future<Output = Outcome> + Send + 'static,
{
    let locals = TaskLocals::with_running_loop(py)?.copy_context(py)?;
    let queue = Arc::clone(&completions.queue);
    let handle = runtime::runtime()?.spawn(Shared::scope(locals, async move {
        queue.push(id, work.await);
    }));
    Ok(Task {
        abort: handle.abort_handle(),
    })
}

/// A core result as an outcome.
pub(crate) fn outcome<T>(
    result: Result<T, highlevel::Error>,
    ok: impl FnOnce(T) -> Outcome,
) -> Outcome {
    match result {
        Ok(value) => ok(value),
        Err(error) => Outcome::Failed(error.into()),
    }
}
