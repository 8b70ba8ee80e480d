//! The tokio runtime every call runs on.
//!
//! Kotlin and Swift poll the futures this crate exports from their own executors, which know
//! nothing of tokio, while reqwest and the sandbox need a tokio reactor. So each exported
//! async function hands its work to one shared multi-threaded runtime and awaits the task's
//! handle, which any executor can poll.

use std::future::Future;
use std::sync::OnceLock;

use tokio::runtime::Runtime;

use crate::error::HighLevelError;

static RUNTIME: OnceLock<Result<Runtime, String>> = OnceLock::new();

/// The shared runtime, started on first use.
fn runtime() -> Result<&'static Runtime, HighLevelError> {
    let runtime = RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .thread_name("highlevel-uniffi")
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the SDK's tokio runtime: {e}"))
    });
    runtime
        .as_ref()
        .map_err(|e| HighLevelError::internal(e.clone()))
}

/// Runs `work` on the runtime and waits for it. A panic inside becomes an error instead of
/// crossing into the foreign language.
pub(crate) async fn run<T, F>(work: F) -> Result<T, HighLevelError>
where
    F: Future<Output = Result<T, HighLevelError>> + Send + 'static,
    T: Send + 'static,
{
    match runtime()?.spawn(work).await {
        Ok(result) => result,
        Err(join) => Err(HighLevelError::internal(format!(
            "the call failed inside the SDK: {join}"
        ))),
    }
}

/// Runs `work` inside the runtime's context, for code that spawns tasks onto it.
pub(crate) fn enter<T>(work: impl FnOnce() -> T) -> Result<T, HighLevelError> {
    let _entered = runtime()?.enter();
    Ok(work())
}
