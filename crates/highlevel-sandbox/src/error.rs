//! Error answers in the shapes HighLevel and Maton send them: `{statusCode, message}`,
//! `{statusCode, message: [..], error}` for validation, and every one with a `traceId`.

use hyper::StatusCode;
use serde_json::{Value, json};

/// An error answer: a status and a JSON body.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) body: Value,
}

impl ApiError {
    fn new(status: StatusCode, message: Value, error: Option<&str>) -> Self {
        let mut body = json!({"statusCode": status.as_u16(), "message": message});
        if let Some(error) = error {
            body["error"] = error.into();
        }
        Self { status, body }
    }

    /// 400, with one message.
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message.into().into(), None)
    }

    /// 400 in the `{status, message, name}` shape some HighLevel services use.
    pub(crate) fn http_exception(message: impl Into<String>) -> Self {
        let body = json!({"status": 400, "message": message.into(), "name": "HttpException"});
        Self {
            status: StatusCode::BAD_REQUEST,
            body,
        }
    }

    /// 401.
    pub(crate) fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            message.into().into(),
            Some("Unauthorized"),
        )
    }

    /// 403.
    pub(crate) fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message.into().into(), None)
    }

    /// 404.
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message.into().into(), None)
    }

    /// 422 with a list of messages, as HighLevel's validation answers.
    pub(crate) fn unprocessable(messages: Vec<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            messages.into(),
            Some("Unprocessable Entity"),
        )
    }

    /// 422 with one message, as some of HighLevel's rules answer (`LocationId can't be
    /// undefined`).
    pub(crate) fn unprocessable_one(message: impl Into<String>) -> Self {
        let message = message.into().into();
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            message,
            Some("Unprocessable Entity"),
        )
    }

    /// Any status, with one message.
    pub(crate) fn status(status: StatusCode, message: impl Into<String>) -> Self {
        Self::new(status, message.into().into(), None)
    }
}

/// The error for an id that names nothing.
pub(crate) fn missing(what: &str, id: &str) -> ApiError {
    ApiError::not_found(format!("{what} with id {id} not found"))
}
