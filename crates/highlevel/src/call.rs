//! Calling any operation by name with JSON parameters and body, and getting the JSON the
//! service sent, every field included. This is the path the bindings, the command-line tool
//! and the paginators use; the typed builders of [`crate::api`] reach the same hooks.

use bytes::Bytes;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use reqwest::header::HeaderMap;
use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind};
use crate::hooks;
use crate::operation::{Operation, ParamPlace, Server};
use crate::{Client, operations};

/// Everything but unreserved characters is escaped in a path segment, so an id such as
/// `../x`, `a/b`, `a?b` or `a#b` stays inside its own segment.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'.')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']')
    .add(b'&')
    .add(b'=')
    .add(b'+')
    .add(b';');

/// A successful answer.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Answer {
    /// The HTTP status (200 or 201).
    pub status: u16,
    /// The response headers (HighLevel's `X-RateLimit-*` among them).
    pub headers: HeaderMap,
    /// The JSON body, with every field the service sent (`null` for an empty body).
    pub body: Value,
}

impl Client {
    /// Calls `operation` (its operationId, `listContacts`, or its Rust name,
    /// `list_contacts`) with `params` (path and query parameters by their wire names) and
    /// an optional JSON `body`. Parameters the operation requires, and the required fields
    /// of its body, are checked before anything is sent.
    pub async fn call(
        &self,
        operation: &str,
        params: &Map<String, Value>,
        body: Option<&Value>,
    ) -> Result<Answer, Error> {
        let op = find(operation)?;
        let (status, headers, bytes) = self.exchange(op, params, body).await?;
        let body = parse(op, status, &bytes)?;
        Ok(Answer {
            status,
            headers,
            body,
        })
    }

    /// Sends `op` through the hooks and answers a successful answer's status, headers and
    /// JSON text as it arrived; an unsuccessful answer is the error it stands for.
    pub(crate) async fn exchange(
        &self,
        op: &'static Operation,
        params: &Map<String, Value>,
        body: Option<&Value>,
    ) -> Result<(u16, HeaderMap, Bytes), Error> {
        let mut request = self.request(op, params, body)?;
        let state = &self.api_client().inner;

        hooks::prepare(state, &mut request, op.name)
            .map_err(|m| Error::new(ErrorKind::InvalidArgument, Some(op.id), m))?;
        state
            .guard
            .check(op, &request)
            .await
            .map_err(|m| Error::new(ErrorKind::Refused, Some(op.id), m))?;

        let response = hooks::send(state, self.http(), request, op.name)
            .await
            .map_err(|e| Error::transport(op.id, e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| Error::transport(op.id, e))?;

        if !(200..300).contains(&status) {
            return Err(Error::answer(op.id, status, &bytes));
        }
        Ok((status, headers, bytes))
    }

    /// Builds the request for `op`, refusing missing or unknown parameters by name.
    fn request(
        &self,
        op: &'static Operation,
        params: &Map<String, Value>,
        body: Option<&Value>,
    ) -> Result<reqwest::Request, Error> {
        let invalid =
            |message: String| Error::new(ErrorKind::InvalidArgument, Some(op.id), message);

        for name in params.keys() {
            if !op.params.iter().any(|p| p.name == name) {
                let known: Vec<&str> = op.params.iter().map(|p| p.name).collect();
                return Err(invalid(format!(
                    "{} takes no parameter `{name}`; it takes: {}",
                    op.id,
                    known.join(", ")
                )));
            }
        }
        for param in op.params.iter().filter(|p| p.required) {
            if params.get(param.name).is_none_or(Value::is_null) {
                return Err(invalid(format!(
                    "{} needs the parameter `{}`",
                    op.id, param.name
                )));
            }
        }
        check_body(op, body).map_err(invalid)?;

        let mut path = op.path.to_owned();
        let mut query = Vec::new();
        for param in op.params {
            let Some(value) = params.get(param.name).filter(|v| !v.is_null()) else {
                continue;
            };
            match param.place {
                ParamPlace::Path => {
                    let text = scalar(value).ok_or_else(|| {
                        invalid(format!(
                            "the parameter `{}` must be a string or number",
                            param.name
                        ))
                    })?;
                    let encoded = utf8_percent_encode(&text, SEGMENT).to_string();
                    path = path.replace(&format!("{{{}}}", param.name), &encoded);
                }
                ParamPlace::Query | ParamPlace::Body => match value {
                    Value::Array(items) => {
                        for item in items {
                            query.push((param.name, scalar(item).unwrap_or_default()));
                        }
                    }
                    other => query.push((param.name, scalar(other).unwrap_or_default())),
                },
            }
        }

        let base = match op.server {
            Server::Proxy => &self.api_client().baseurl,
            Server::Maton => &self.maton_client().baseurl,
        };
        let mut builder = self
            .http()
            .request(op.method.clone(), format!("{base}{path}"));
        if !query.is_empty() {
            builder = builder.query(&query);
        }
        if let Some(body) = body {
            builder = builder.json(body);
        }
        builder
            .build()
            .map_err(|e| invalid("the request could not be built".to_owned()).with_source(e))
    }
}

/// The operation named by its operationId or its Rust name.
pub(crate) fn find(name: &str) -> Result<&'static Operation, Error> {
    Operation::find(name)
        .or_else(|| operations().iter().find(|op| op.id == name))
        .ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidArgument,
                None,
                format!("there is no operation `{name}`"),
            )
        })
}

/// Checks that an operation taking a body gets one, as an object with its required fields.
fn check_body(op: &Operation, body: Option<&Value>) -> Result<(), String> {
    let Some(required) = op.body_required else {
        return match body {
            Some(_) => Err(format!("{} takes no body", op.id)),
            None => Ok(()),
        };
    };
    let Some(body) = body else {
        return Err(format!("{} needs a JSON body", op.id));
    };
    let Some(object) = body.as_object() else {
        return Err(format!("the body of {} must be a JSON object", op.id));
    };
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|f| object.get(*f).is_none_or(Value::is_null))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the body of {} needs the field(s) {}",
            op.id,
            missing.join(", ")
        ))
    }
}

/// A successful answer's JSON text as a value; `null` for an empty body.
pub(crate) fn parse(op: &Operation, status: u16, bytes: &[u8]) -> Result<Value, Error> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(bytes).map_err(|e| {
        let message = format!("the {status} answer is not JSON");
        Error::new(ErrorKind::Decode, Some(op.id), message).with_source(e)
    })
}

/// A parameter value as text: strings as they are, numbers and booleans as JSON writes them.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
