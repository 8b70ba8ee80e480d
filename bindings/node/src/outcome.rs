//! How results cross into JavaScript: a call resolves to the JSON text of `{ok: ...}`,
//! `{error: ...}` or `{aborted: true}`, which `index.js` parses, turning an error into the
//! class of its kind.

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

/// An outcome as the JSON text `index.js` parses.
pub(crate) fn text(outcome: &Value) -> String {
    // A `Value` always serializes: its keys are strings and its numbers finite.
    serde_json::to_string(outcome).unwrap_or_else(|_| String::from("null"))
}

/// A page as the JSON text of `{ok: {body, itemsAt}}`, with the body as the service sent it.
pub(crate) fn page(page: &highlevel::RawPage) -> String {
    let body = String::from_utf8_lossy(&page.text);
    // The core has read the text as JSON before handing it on; an empty answer is `null`.
    let body = if body.trim().is_empty() {
        "null"
    } else {
        body.trim()
    };
    let at = Value::from(page.items_at);
    format!(r#"{{"ok":{{"body":{body},"itemsAt":{at}}}}}"#)
}
