//! The write guard as a callback interface: Kotlin or Swift code that approves or refuses
//! each create, update and delete before the core sends it. Read-only mode is a
//! [`ClientConfig`](crate::ClientConfig) field.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

/// A create, update or delete about to be sent.
#[derive(Debug, Clone, uniffi::Record)]
pub struct WriteRequest {
    /// The operationId, such as `createContact`.
    pub operation: String,
    /// The HTTP method.
    pub method: String,
    /// The path parameters, which name what the write acts on (`contactId`, ...).
    pub targets: HashMap<String, String>,
    /// The JSON body, when there is one.
    pub body_json: Option<String>,
}

/// What an approver decides about a write.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum WriteDecision {
    /// Send it.
    Approve,
    /// Do not send it; the call fails with the kind `refused` and this reason.
    Refuse {
        /// Why, for the caller's error.
        reason: String,
    },
}

/// Decides about each write before it is sent. It runs on one of the SDK's threads, not the
/// caller's, and may block (to ask a person, say); the write waits for it.
#[uniffi::export(with_foreign)]
pub trait WriteApprover: Send + Sync {
    /// Approves or refuses `write`. An exception refuses it too: a write nobody approved
    /// is not sent.
    fn approve(&self, write: WriteRequest) -> Result<WriteDecision, ApproverError>;
}

/// An approver that failed instead of deciding. Kotlin and Swift approvers may throw it, or
/// anything else, which arrives here as this error too.
#[derive(Debug, Clone, thiserror::Error, uniffi::Error)]
pub enum ApproverError {
    /// The approver could not decide.
    #[error("the write approver failed: {reason}")]
    Failed {
        /// What went wrong, as the approver's language described it.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for ApproverError {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        // The reason holds the foreign stack trace; its first line says what happened.
        let reason = error.reason.lines().next().unwrap_or_default().to_owned();
        Self::Failed { reason }
    }
}

/// The core's approval hook, asking `approver` on a blocking thread so that an approver
/// that takes its time holds up only the write it decides about.
pub(crate) fn hook(
    approver: Arc<dyn WriteApprover>,
) -> impl Fn(highlevel::WriteRequest) -> ApprovalFuture + Send + Sync + 'static {
    move |write| {
        let approver = approver.clone();
        let write = WriteRequest {
            operation: write.operation.to_owned(),
            method: write.method.to_string(),
            targets: write
                .targets
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value))
                .collect(),
            body_json: write.body.map(|body| body.to_string()),
        };
        Box::pin(async move {
            match tokio::task::spawn_blocking(move || approver.approve(write)).await {
                Ok(Ok(WriteDecision::Approve)) => Ok(()),
                Ok(Ok(WriteDecision::Refuse { reason })) => Err(reason),
                Ok(Err(error)) => Err(error.to_string()),
                Err(_) => Err("the write approver failed".to_owned()),
            }
        })
    }
}

type ApprovalFuture = std::pin::Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;
