//! How results cross into JavaScript: a call resolves to `{ok: ...}`, `{error: ...}` or
//! `{aborted: true}`, and `index.js` turns an error into the class of its kind.

use serde_json::{Map, Value, json};

/// The fields of a JavaScript `HighLevelError`, from the core's error.
pub(crate) fn error(err: &highlevel::Error) -> Value {
    json!({
        "error": {
            "code": err.kind().code(),
            "message": err.to_string(),
            "status": err.status(),
            "messages": err.messages(),
            "traceId": err.trace_id(),
            "operation": err.operation(),
        }
    })
}

/// An error raised before anything is sent, of kind `invalid_argument`.
pub(crate) fn invalid(message: String) -> Value {
    json!({
        "error": {
            "code": "invalid_argument",
            "message": message,
            "status": null,
            "messages": [],
            "traceId": null,
            "operation": null,
        }
    })
}

/// A successful answer: its status, its headers (names in lower case) and its body.
pub(crate) fn answer(answer: highlevel::Answer) -> Value {
    let mut headers = Map::new();
    for (name, value) in &answer.headers {
        if let Ok(text) = value.to_str() {
            headers.insert(name.as_str().to_owned(), Value::from(text));
        }
    }
    json!({
        "ok": {
            "status": answer.status,
            "headers": headers,
            "body": answer.body,
        }
    })
}

/// The answer to a cancelled call.
pub(crate) fn aborted() -> Value {
    json!({ "aborted": true })
}

/// Wraps a value that succeeded.
pub(crate) fn ok(value: Value) -> Value {
    json!({ "ok": value })
}
