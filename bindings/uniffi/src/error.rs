//! The one error type of the bindings: Kotlin's `HighLevelException.Failed`, Swift's
//! `HighLevelError.failed`. It carries what the core's `highlevel::Error` answers (kind,
//! status, the service's messages, its trace id, the operation) as plain fields.
//!
//! No field is called `message`: in Kotlin it would clash with `Throwable.message`, so the
//! one-line description is `detail`.

/// What kind of failure a [`HighLevelError`] is; the core's kinds, one for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ErrorKind {
    /// 400: the service found the request malformed.
    BadRequest,
    /// 401: the API key or token was refused.
    Unauthorized,
    /// 401: the connection's token is of the wrong type for the operation.
    WrongTokenType,
    /// 403: the token may not act on this location.
    ForbiddenLocation,
    /// 404: nothing has that id.
    NotFound,
    /// 422: the service's validation refused the request.
    Validation,
    /// 429: the rate limit was exceeded, and retries did not outlast it.
    RateLimited,
    /// 5xx from HighLevel.
    Server,
    /// 502, 503 or 504, or an HTML page: a gateway in front of HighLevel.
    Gateway,
    /// The request took longer than the configured timeout.
    Timeout,
    /// The connection could not be made or broke.
    Connection,
    /// A successful answer that is not the JSON the description promises.
    Decode,
    /// The write guard refused the write; nothing was sent.
    Refused,
    /// Refused before sending: a bad setting, parameter, body or connection.
    InvalidArgument,
}

/// A failed call, configuration or conversion.
#[derive(Debug, Clone, thiserror::Error, uniffi::Error)]
pub enum HighLevelError {
    /// The only variant: every failure has the same fields.
    #[error("{detail}")]
    Failed {
        /// What kind of failure this is.
        kind: ErrorKind,
        /// The kind as a stable snake_case name (`not_found`), the same in every binding.
        code: String,
        /// The HTTP status, when the service answered.
        status: Option<u16>,
        /// The service's messages, or the SDK's for failures before sending.
        messages: Vec<String>,
        /// HighLevel's trace id, to quote when asking its support.
        trace_id: Option<String>,
        /// The operationId of the call, when there was one.
        operation: Option<String>,
        /// Everything above as one line.
        detail: String,
    },
}

impl HighLevelError {
    /// A bad argument found by the bindings themselves, such as a body that is not JSON.
    pub(crate) fn invalid(operation: Option<&str>, message: String) -> Self {
        let detail = match operation {
            Some(op) => format!("{op}: invalid argument: {message}"),
            None => format!("invalid argument: {message}"),
        };
        Self::Failed {
            kind: ErrorKind::InvalidArgument,
            code: "invalid_argument".to_owned(),
            status: None,
            messages: vec![message],
            trace_id: None,
            operation: operation.map(str::to_owned),
            detail,
        }
    }

    /// A successful answer that does not have the documented shape.
    pub(crate) fn decode(operation: &str, message: String) -> Self {
        Self::Failed {
            kind: ErrorKind::Decode,
            code: "decode".to_owned(),
            status: None,
            detail: format!("{operation}: undecodable answer: {message}"),
            messages: vec![message],
            trace_id: None,
            operation: Some(operation.to_owned()),
        }
    }

    /// A failure of the SDK itself (a panic caught before it crossed into the caller's
    /// language), reported as a connection failure since no answer was had.
    pub(crate) fn internal(message: String) -> Self {
        Self::Failed {
            kind: ErrorKind::Connection,
            code: "connection".to_owned(),
            status: None,
            detail: message.clone(),
            messages: vec![message],
            trace_id: None,
            operation: None,
        }
    }
}

impl From<highlevel::Error> for HighLevelError {
    fn from(error: highlevel::Error) -> Self {
        use highlevel::ErrorKind as Core;

        let kind = match error.kind() {
            Core::BadRequest => ErrorKind::BadRequest,
            Core::Unauthorized => ErrorKind::Unauthorized,
            Core::WrongTokenType => ErrorKind::WrongTokenType,
            Core::ForbiddenLocation => ErrorKind::ForbiddenLocation,
            Core::NotFound => ErrorKind::NotFound,
            Core::Validation => ErrorKind::Validation,
            Core::RateLimited => ErrorKind::RateLimited,
            Core::Server => ErrorKind::Server,
            Core::Gateway => ErrorKind::Gateway,
            Core::Timeout => ErrorKind::Timeout,
            Core::Connection => ErrorKind::Connection,
            Core::Decode => ErrorKind::Decode,
            Core::Refused => ErrorKind::Refused,
            Core::InvalidArgument => ErrorKind::InvalidArgument,
            // Kinds the core may add later are reported as bad arguments until mapped here.
            _ => ErrorKind::InvalidArgument,
        };
        Self::Failed {
            kind,
            code: error.kind().code().to_owned(),
            status: error.status(),
            messages: error.messages().to_vec(),
            trace_id: error.trace_id().map(str::to_owned),
            operation: error.operation().map(str::to_owned),
            detail: error.to_string(),
        }
    }
}

impl From<highlevel::ConfigError> for HighLevelError {
    fn from(error: highlevel::ConfigError) -> Self {
        Self::invalid(None, error.to_string())
    }
}
