//! The write guard: a read-only mode, and an approval hook that sees every create, update
//! and delete before it is sent and may refuse it. Agents acting for a person use it to
//! have each change confirmed first, as Maton asks.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use reqwest::Method;
use serde_json::Value;

use crate::operation::Operation;
use crate::routing;

/// A create, update or delete about to be sent.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct WriteRequest {
    /// The operationId, such as `createContact`.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path parameters, which name what the write acts on (`contactId`, ...).
    pub targets: Vec<(&'static str, String)>,
    /// The JSON body, when there is one.
    pub body: Option<Value>,
}

/// What an approval hook returns: `Ok` to send the write, `Err` with a reason to refuse it.
pub type Approval = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;

type Hook = Arc<dyn Fn(WriteRequest) -> Approval + Send + Sync>;

/// The guard's settings.
#[derive(Clone, Default)]
pub(crate) struct WriteGuard {
    pub(crate) read_only: bool,
    pub(crate) approve: Option<Hook>,
}

impl fmt::Debug for WriteGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WriteGuard")
            .field("read_only", &self.read_only)
            .field("approve", &self.approve.as_ref().map(|_| "<hook>"))
            .finish()
    }
}

impl WriteGuard {
    /// Wraps an async approval function.
    pub(crate) fn hook<F, Fut>(approve: F) -> Hook
    where
        F: Fn(WriteRequest) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), String>> + Send + 'static,
    {
        Arc::new(move |write| Box::pin(approve(write)))
    }

    /// Lets `request` through, or says why not. Reads always pass.
    pub(crate) async fn check(
        &self,
        op: &Operation,
        request: &reqwest::Request,
    ) -> Result<(), String> {
        if !op.is_write() {
            return Ok(());
        }
        if self.read_only {
            let target = format!("{} {} {}", op.id, op.method, request.url().path());
            let why = "the client is read-only";
            return Err(format!(
                "refused by the write guard: {why}, and {target} would change data"
            ));
        }
        let Some(approve) = &self.approve else {
            return Ok(());
        };

        let write = WriteRequest {
            operation: op.id,
            method: op.method.clone(),
            targets: targets(op, request),
            body: request
                .body()
                .and_then(|b| b.as_bytes())
                .and_then(|bytes| serde_json::from_slice(bytes).ok()),
        };
        approve(write)
            .await
            .map_err(|reason| format!("refused by the write guard: {reason}"))
    }
}

/// The path parameters of `request`, by name.
fn targets(op: &Operation, request: &reqwest::Request) -> Vec<(&'static str, String)> {
    op.path
        .split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .filter_map(|name| {
            Some((
                name,
                routing::path_param(op.path, request.url().path(), name)?,
            ))
        })
        .collect()
}
