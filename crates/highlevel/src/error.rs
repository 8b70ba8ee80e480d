//! The error of every call made through [`Client::call`](crate::Client::call) and the
//! paginators: one type that answers questions (what kind of failure, which status, what
//! the service said, its trace id, which operation) instead of a variant per cause.
//!
//! The service's error bodies are read leniently: `{statusCode, message}`,
//! `{statusCode, message: [..], error}`, `{status, message, name, traceId}`, and the HTML
//! pages gateways send. Nothing here ever holds the API key.

use std::fmt;

use serde_json::Value;

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 400: the service found the request malformed.
    BadRequest,
    /// 401: the API key or token was refused.
    Unauthorized,
    /// 401: the connection's token is of the wrong type for the operation (agency for
    /// sub-account or the reverse).
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
    /// 502, 503 or 504, or an HTML page: a proxy or gateway in front of HighLevel.
    Gateway,
    /// The request took longer than the configured timeout.
    Timeout,
    /// The connection could not be made or broke.
    Connection,
    /// A successful answer that is not the JSON the description promises.
    Decode,
    /// The write guard refused the write; nothing was sent.
    Refused,
    /// The call was refused before sending: a missing parameter or connection.
    InvalidArgument,
}

impl ErrorKind {
    /// A stable snake_case name (`not_found`), the same in every language's binding.
    pub fn code(self) -> &'static str {
        match self {
            Self::BadRequest => "bad_request",
            Self::Unauthorized => "unauthorized",
            Self::WrongTokenType => "wrong_token_type",
            Self::ForbiddenLocation => "forbidden_location",
            Self::NotFound => "not_found",
            Self::Validation => "validation",
            Self::RateLimited => "rate_limited",
            Self::Server => "server",
            Self::Gateway => "gateway",
            Self::Timeout => "timeout",
            Self::Connection => "connection",
            Self::Decode => "decode",
            Self::Refused => "refused",
            Self::InvalidArgument => "invalid_argument",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Self::BadRequest => "bad request",
            Self::Unauthorized => "unauthorized",
            Self::WrongTokenType => "wrong token type",
            Self::ForbiddenLocation => "forbidden location",
            Self::NotFound => "not found",
            Self::Validation => "validation failed",
            Self::RateLimited => "rate limited",
            Self::Server => "server error",
            Self::Gateway => "gateway error",
            Self::Timeout => "timed out",
            Self::Connection => "connection failed",
            Self::Decode => "undecodable answer",
            Self::Refused => "refused by the write guard",
            Self::InvalidArgument => "invalid argument",
        }
    }
}

/// A failed call.
pub struct Error {
    kind: ErrorKind,
    status: Option<u16>,
    messages: Vec<String>,
    trace_id: Option<String>,
    operation: Option<&'static str>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The HTTP status, when the service answered.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The service's messages (or the client's, for failures before sending).
    pub fn messages(&self) -> &[String] {
        &self.messages
    }

    /// HighLevel's trace id, to quote when asking its support.
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
    }

    /// The operationId of the call.
    pub fn operation(&self) -> Option<&'static str> {
        self.operation
    }

    pub(crate) fn new(kind: ErrorKind, operation: Option<&'static str>, message: String) -> Self {
        Self {
            kind,
            status: None,
            messages: vec![message],
            trace_id: None,
            operation,
            source: None,
        }
    }

    pub(crate) fn with_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// A failure to get an answer at all.
    pub(crate) fn transport(operation: &'static str, error: reqwest::Error) -> Self {
        let kind = if error.is_timeout() {
            ErrorKind::Timeout
        } else {
            ErrorKind::Connection
        };
        let message = if error.is_timeout() {
            "no answer within the timeout".to_owned()
        } else {
            "could not reach the service".to_owned()
        };
        // The URL may name ids the caller would rather not log twice; the source has it.
        Self::new(kind, Some(operation), message).with_source(error.without_url())
    }

    /// An error answer, read leniently whatever its shape.
    pub(crate) fn answer(operation: &'static str, status: u16, body: &[u8]) -> Self {
        let parsed: Option<Value> = serde_json::from_slice(body).ok();
        let (messages, trace_id) = match &parsed {
            Some(json) => (messages(json), json["traceId"].as_str().map(str::to_owned)),
            None => (vec![page_text(body)], None),
        };
        let page = parsed.as_ref().is_none_or(|json| json["error"] == NOT_JSON);
        let kind = classify(status, &messages, page);
        Self {
            kind,
            status: Some(status),
            messages,
            trace_id,
            operation: Some(operation),
            source: None,
        }
    }
}

/// Turns the outcome of a generated builder's `send` into the SDK's error.
pub(crate) async fn from_generated<T, E: serde::Serialize>(
    operation: &'static str,
    result: Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>,
) -> Result<progenitor_client::ResponseValue<T>, Error> {
    use progenitor_client::Error as Generated;

    let error = match result {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    Err(match error {
        Generated::ErrorResponse(answer) => {
            let status = answer.status().as_u16();
            // The typed body keeps every field in `extra`, so writing it back loses nothing.
            let body = serde_json::to_vec(&*answer).unwrap_or_default();
            Error::answer(operation, status, &body)
        }
        Generated::UnexpectedResponse(response) => {
            let status = response.status().as_u16();
            let body = response.bytes().await.unwrap_or_default();
            Error::answer(operation, status, &body)
        }
        // Error pages were made JSON by the hooks, so this is a success answer that does not
        // fit its schema.
        Generated::InvalidResponsePayload(_, source) => {
            let message = "the answer is not the JSON the description promises".to_owned();
            Error::new(ErrorKind::Decode, Some(operation), message).with_source(source)
        }
        Generated::CommunicationError(source)
        | Generated::ResponseBodyError(source)
        | Generated::InvalidUpgrade(source) => Error::transport(operation, source),
        Generated::InvalidRequest(message) => {
            Error::new(ErrorKind::InvalidArgument, Some(operation), message)
        }
        // The write guard is the only hook that answers with a custom error.
        Generated::Custom(message) => Error::new(ErrorKind::Refused, Some(operation), message),
    })
}

/// The kind of an error answer.
fn classify(status: u16, messages: &[String], not_json: bool) -> ErrorKind {
    let said = |text: &str| messages.iter().any(|m| m.to_lowercase().contains(text));
    match status {
        400 => ErrorKind::BadRequest,
        401 if said("user type mismatch") || said("not authorized for this scope") => {
            ErrorKind::WrongTokenType
        }
        401 => ErrorKind::Unauthorized,
        403 => ErrorKind::ForbiddenLocation,
        404 => ErrorKind::NotFound,
        422 => ErrorKind::Validation,
        429 => ErrorKind::RateLimited,
        502..=504 => ErrorKind::Gateway,
        500..=599 if not_json => ErrorKind::Gateway,
        500..=599 => ErrorKind::Server,
        _ => ErrorKind::BadRequest,
    }
}

/// `message` as one string or a list, falling back to `error`.
fn messages(json: &Value) -> Vec<String> {
    let list = match &json["message"] {
        Value::String(text) => vec![text.clone()],
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    if !list.is_empty() {
        return list;
    }
    json["error"]
        .as_str()
        .map(|e| vec![e.to_owned()])
        .unwrap_or_default()
}

/// The error body a non-JSON error answer stands for, in HighLevel's shape, marked so that
/// [`Error::answer`] still knows it came from a page.
pub(crate) fn json_error(status: u16, body: &[u8]) -> Vec<u8> {
    let value = serde_json::json!({
        "statusCode": status,
        "message": page_text(body),
        "error": NOT_JSON,
    });
    serde_json::to_vec(&value).unwrap_or_default()
}

/// The `error` of an error body made from a non-JSON answer.
const NOT_JSON: &str = "the answer was not JSON";

/// A short description of a non-JSON body, such as a gateway's HTML page: its title, or
/// its first line.
fn page_text(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let title = text
        .split_once("<title>")
        .and_then(|(_, rest)| rest.split_once("</title>"))
        .map(|(title, _)| title.trim().to_owned());
    let line = text
        .lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(120)
        .collect::<String>();
    title.unwrap_or(line)
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(operation) = self.operation {
            write!(f, "{operation}: ")?;
        }
        f.write_str(self.kind.describe())?;
        if let Some(status) = self.status {
            write!(f, " ({status})")?;
        }
        if !self.messages.is_empty() {
            write!(f, ": {}", self.messages.join("; "))?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("status", &self.status)
            .field("messages", &self.messages)
            .field("trace_id", &self.trace_id)
            .field("operation", &self.operation)
            .finish_non_exhaustive()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_shape_is_read() {
        let validation = Error::answer(
            "createContactTask",
            422,
            br#"{"statusCode":422,"message":["completed must be a boolean"],
                 "error":"Unprocessable Entity"}"#,
        );
        assert_eq!(validation.kind(), ErrorKind::Validation);
        assert_eq!(validation.messages(), ["completed must be a boolean"]);

        let mongo = Error::answer(
            "x",
            400,
            br#"{"status":400,"message":"MongoError","traceId":"t-9"}"#,
        );
        assert_eq!(
            (mongo.kind(), mongo.trace_id()),
            (ErrorKind::BadRequest, Some("t-9"))
        );

        let page = Error::answer("x", 502, b"<html><title>502 Bad Gateway</title></html>");
        assert_eq!(page.kind(), ErrorKind::Gateway);
        assert_eq!(page.messages(), ["502 Bad Gateway"]);
    }

    #[test]
    fn token_errors_are_told_apart() {
        let scope =
            br#"{"statusCode":401,"message":"The token is not authorized for this scope."}"#;
        let key = br#"{"statusCode":401,"message":"Invalid API key"}"#;
        assert_eq!(
            Error::answer("x", 401, scope).kind(),
            ErrorKind::WrongTokenType
        );
        assert_eq!(Error::answer("x", 401, key).kind(), ErrorKind::Unauthorized);
        let location =
            br#"{"statusCode":403,"message":"The token does not have access to this location"}"#;
        assert_eq!(
            Error::answer("x", 403, location).kind(),
            ErrorKind::ForbiddenLocation
        );
    }

    #[test]
    fn display_is_one_line_with_what_matters() {
        let err = Error::answer(
            "getContact",
            404,
            br#"{"statusCode":404,"message":"Contact not found"}"#,
        );
        assert_eq!(
            err.to_string(),
            "getContact: not found (404): Contact not found"
        );
        assert!(!err.to_string().contains('\n'));
    }
}
