//! The request hooks of the generated clients: the one place where every request gets the
//! headers its operation needs, waits for the rate limiter, and is retried when that is
//! safe, whichever client method sent it.

use std::time::Instant;

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderName, HeaderValue};
use tracing::Instrument;

use crate::config::ClientState;
use crate::operation::Operation;
use crate::retry::{self, Verdict};
use crate::{api, maton, routing};

/// The header that picks which stored token Maton injects.
pub(crate) const MATON_CONNECTION: HeaderName = HeaderName::from_static("maton-connection");
/// The header in which HighLevel expects the API version.
pub(crate) const VERSION: HeaderName = HeaderName::from_static("version");
/// progenitor sends the description's own version under this name; HighLevel ignores it, and
/// sending it would only be confused with `Version`.
const GENERATED_VERSION: HeaderName = HeaderName::from_static("api-version");

impl ClientHooks<ClientState> for api::Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        prepare(self.inner(), request, info.operation_id).map_err(Error::InvalidRequest)?;
        guard(self.inner(), request, info.operation_id).await
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        send(self.inner(), self.client(), request, info.operation_id).await
    }
}

impl ClientHooks<ClientState> for maton::Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        prepare(self.inner(), request, info.operation_id).map_err(Error::InvalidRequest)?;
        guard(self.inner(), request, info.operation_id).await
    }
}

/// Runs the write guard on a prepared request.
async fn guard<E>(
    state: &ClientState,
    request: &reqwest::Request,
    name: &str,
) -> Result<(), Error<E>> {
    let op = operation(name).map_err(Error::InvalidRequest)?;
    state.guard.check(op, request).await.map_err(Error::Custom)
}

fn operation(name: &str) -> Result<&'static Operation, String> {
    Operation::find(name).ok_or_else(|| {
        format!("`{name}` is missing from the operation table; run `cargo xtask codegen`")
    })
}

/// Sets the `Version` and `Maton-Connection` headers that operation `name` needs, or
/// refuses the request when the connection it needs is not configured.
pub(crate) fn prepare(
    state: &ClientState,
    request: &mut reqwest::Request,
    name: &str,
) -> Result<(), String> {
    let op = operation(name)?;
    let location = routing::location(op, request);
    let connection = state.connections.pick(op, location.as_deref())?;

    let headers = request.headers_mut();
    headers.remove(GENERATED_VERSION);
    if let Some(version) = op.version {
        let value = state
            .api_version
            .clone()
            .unwrap_or(HeaderValue::from_static(version));
        headers.insert(VERSION, value);
    }
    if let Some(connection) = connection {
        headers.insert(MATON_CONNECTION, connection);
    }
    if let Some(timeout) = state.timeout {
        *request.timeout_mut() = Some(timeout);
    }
    Ok(())
}

/// Sends `request`, within the rate limit of its connection and location, retrying as the
/// retry policy and the operation's method allow.
pub(crate) async fn send(
    state: &ClientState,
    http: &reqwest::Client,
    request: reqwest::Request,
    name: &str,
) -> reqwest::Result<reqwest::Response> {
    // An unknown operation was refused by `prepare` already; treat it as a write to be safe.
    let write = operation(name).map_or(true, Operation::is_write);
    let key = limiter_key(name, &request);

    let mut request = request;
    let mut attempt = 1;
    loop {
        // A body that cannot be copied (a stream) cannot be sent twice.
        let spare = request.try_clone();
        state.limiter.acquire(&key).await;

        let span = tracing::debug_span!(
            "highlevel.request",
            operation = name,
            http.request.method = %request.method(),
            attempt,
            http.response.status_code = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
            trace_id = tracing::field::Empty,
        );
        let outcome = attempt_once(http, request).instrument(span).await;
        if let Ok(response) = &outcome {
            state.limiter.observe(&key, response.headers());
        }

        let interval = state.limiter.interval(&key);
        match (
            retry::decide(&state.retry, attempt, write, &outcome, interval),
            spare,
        ) {
            (Verdict::RetryAfter(wait), Some(next)) => {
                tokio::time::sleep(wait).await;
                request = next;
                attempt += 1;
            }
            _ => return outcome,
        }
    }
}

/// Sends one attempt inside its span, recording the status and duration. Headers are
/// never logged (they carry the API key); the body only at trace level, cut short.
async fn attempt_once(
    http: &reqwest::Client,
    request: reqwest::Request,
) -> reqwest::Result<reqwest::Response> {
    if tracing::enabled!(tracing::Level::TRACE)
        && let Some(body) = request.body().and_then(|b| b.as_bytes())
    {
        let shown = String::from_utf8_lossy(&body[..body.len().min(MAX_LOGGED_BODY)]);
        tracing::trace!(body = %shown, "request body");
    }

    let started = Instant::now();
    let outcome = http.execute(request).await;

    let span = tracing::Span::current();
    span.record("duration_ms", started.elapsed().as_millis() as u64);
    let response = match outcome {
        Ok(response) => response,
        Err(error) => {
            tracing::debug!(error = %error, "failed");
            return Err(error);
        }
    };
    let status = response.status();
    span.record("http.response.status_code", status.as_u16());
    if status.is_success() {
        tracing::debug!(status = status.as_u16(), "answered");
        return Ok(response);
    }

    // HighLevel puts its trace id in error bodies only, so an error answer is read here and
    // handed on rebuilt: the id belongs in the span of the attempt that got it.
    let version = response.version();
    let mut headers = response.headers().clone();
    let mut body = response.bytes().await?;
    let json = serde_json::from_slice::<serde_json::Value>(&body).ok();
    let trace_id = json
        .as_ref()
        .and_then(|j| j["traceId"].as_str().map(str::to_owned));
    if let Some(trace_id) = &trace_id {
        span.record("trace_id", trace_id.as_str());
    }
    tracing::debug!(status = status.as_u16(), trace_id, "answered with an error");

    // A gateway's HTML page becomes the error shape every caller reads, so typed calls see
    // its title as the message instead of failing to decode it.
    if json.is_none() {
        body = crate::error::json_error(status.as_u16(), &body).into();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.remove(CONTENT_LENGTH);
    }

    let mut rebuilt = http::Response::new(body);
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    Ok(reqwest::Response::from(rebuilt))
}

/// How much of a request body trace-level logs show.
const MAX_LOGGED_BODY: usize = 1024;

/// The rate-limit window a request counts against: its connection and the location it
/// acts on, as HighLevel counts.
fn limiter_key(name: &str, request: &reqwest::Request) -> String {
    let connection = request
        .headers()
        .get(MATON_CONNECTION)
        .and_then(|v| v.to_str().ok());
    let location = operation(name)
        .ok()
        .and_then(|op| routing::location(op, request));
    format!(
        "{}|{}",
        connection.unwrap_or_default(),
        location.unwrap_or_default()
    )
}
