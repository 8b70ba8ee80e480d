//! The sandbox's control API under `/_sandbox/`, for tests written in any language: read
//! the request log, inject faults, change the rate limits, activate a connection, start
//! over from the seed. It is not part of the emulated service and needs no API key.

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Response, StatusCode};
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::faults::Fault;
use crate::handlers::connections::ACCOUNT;
use crate::limits::RateLimits;
use crate::seed;
use crate::server::{Shared, empty_ok, error, json_response};
use crate::store::Kind;

pub(crate) fn handle(
    shared: &Shared,
    method: &str,
    path: &str,
    body: &Bytes,
) -> Response<Full<Bytes>> {
    match run(shared, method, path, body) {
        Ok(Some(value)) => json_response(StatusCode::OK, value.to_string().into_bytes()),
        Ok(None) => empty_ok(),
        Err(err) => error(&err),
    }
}

fn run(shared: &Shared, method: &str, path: &str, body: &Bytes) -> Result<Option<Value>, ApiError> {
    let parts: Vec<&str> = path
        .trim_start_matches("/_sandbox")
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let json = || -> Result<Value, ApiError> {
        serde_json::from_slice(body)
            .map_err(|e| ApiError::bad_request(format!("the body is not JSON: {e}")))
    };

    match (method, parts.as_slice()) {
        ("GET", ["info"]) => Ok(Some(crate::info_json())),
        ("GET", ["requests"]) => {
            let records: Vec<Value> = shared.log.all().iter().map(|r| r.to_json()).collect();
            Ok(Some(json!({ "requests": records })))
        }
        ("DELETE", ["requests"]) => {
            shared.log.clear();
            Ok(None)
        }
        ("POST", ["faults"]) => {
            let fault = Fault::from_json(&json()?).map_err(ApiError::bad_request)?;
            shared.faults.add(fault);
            Ok(None)
        }
        ("DELETE", ["faults"]) => {
            shared.faults.clear();
            Ok(None)
        }
        ("PUT", ["rate-limits"]) => {
            let value = json()?;
            let number = |key: &str| {
                value[key]
                    .as_u64()
                    .ok_or_else(|| ApiError::bad_request(format!("{key} must be a count")))
            };
            let limits = RateLimits {
                burst: u32::try_from(number("burst")?).unwrap_or(u32::MAX),
                interval: std::time::Duration::from_millis(number("intervalMs")?),
                daily: u32::try_from(number("daily")?).unwrap_or(u32::MAX),
            };
            shared.limiter.set(limits);
            Ok(None)
        }
        ("POST", ["reset"]) => {
            *shared.store.lock() = seed::build(shared.seed, shared.contacts_per_location);
            Ok(None)
        }
        ("POST", ["connections", id, "activate"]) => activate(shared, id, &json()?).map(Some),
        _ => Err(ApiError::not_found(format!(
            "no control endpoint {method} {path}"
        ))),
    }
}

/// Gives a pending connection its token: `{"tokenType": "sub-account", "locationId": ..}`
/// or `{"tokenType": "agency", "companyId": ..}`.
fn activate(shared: &Shared, id: &str, token: &Value) -> Result<Value, ApiError> {
    let metadata = match token["tokenType"].as_str() {
        Some("agency") => json!({ "tokenType": "agency", "companyId": token["companyId"] }),
        Some("sub-account") => {
            json!({ "tokenType": "sub-account", "locationId": token["locationId"] })
        }
        _ => {
            return Err(ApiError::bad_request(
                "tokenType must be agency or sub-account",
            ));
        }
    };
    let mut store = shared.store.lock();
    if store.scope_of(Kind::Connection, id) != Some(ACCOUNT) {
        return Err(ApiError::not_found(format!(
            "connection {id} does not exist"
        )));
    }
    let connection = store.get_mut(Kind::Connection, id).expect("checked above");
    connection["status"] = "ACTIVE".into();
    connection["metadata"] = metadata;
    Ok(json!({ "connection": connection }))
}
