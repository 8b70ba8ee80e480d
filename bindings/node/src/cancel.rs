//! Cancellation of calls and walks from JavaScript: an `AbortSignal` on the JavaScript side
//! flips a [`CancelToken`], and the future it guards is dropped, which closes its request.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use napi_derive::napi;
use tokio::sync::Notify;

/// A flag that a JavaScript `AbortSignal` sets, shared with the futures it cancels.
#[napi]
#[derive(Clone, Default)]
pub struct CancelToken {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    cancelled: AtomicBool,
    notify: Notify,
}

#[napi]
impl CancelToken {
    /// A token that is not cancelled yet.
    #[napi(constructor)]
    pub fn new() -> Self {
        Self::default()
    }

    /// Cancels every call and walk this token guards; later ones end at once.
    #[napi]
    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::SeqCst);
        self.inner.notify.notify_waiters();
    }
}

impl CancelToken {
    /// Resolves once the token is cancelled (at once when it already is).
    pub(crate) async fn cancelled(&self) {
        loop {
            // Registered before the flag is read, so a cancel between the two is not missed.
            let notified = self.inner.notify.notified();
            if self.inner.cancelled.load(Ordering::SeqCst) {
                return;
            }
            notified.await;
        }
    }
}

/// Runs `work` unless `token` is cancelled first; `None` means it was cancelled.
pub(crate) async fn guarded<T>(
    token: Option<CancelToken>,
    work: impl Future<Output = T>,
) -> Option<T> {
    match token {
        None => Some(work.await),
        Some(token) => tokio::select! {
            biased;
            () = token.cancelled() => None,
            value = work => Some(value),
        },
    }
}
