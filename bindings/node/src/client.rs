//! The client: options from JavaScript (camelCase, falling back to the environment as the
//! core does), calls by operation name, and walks over paginated operations.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use highlevel::{Client, ClientBuilder, RateLimitPolicy, RetryPolicy, WriteRequest};
use napi::bindgen_prelude::{Either, Promise, PromiseRaw, within_runtime_if_available};
use napi::threadsafe_function::ThreadsafeFunction;
use napi::{Env, Status};
use napi_derive::napi;
use serde_json::{Map, Value, json};

use crate::cancel::{CancelToken, guarded};
use crate::outcome;

/// How the client is set up; every field is optional and falls back to the environment
/// (`MATON_API_KEY`, `MATON_CONNECTION`, ...) and then to the core's defaults.
#[napi(object)]
#[derive(Default)]
pub struct ClientOptions {
    /// The Maton API key (`MATON_API_KEY`).
    pub api_key: Option<String>,
    /// The base URL of the HighLevel operations (`HIGHLEVEL_BASE_URL`).
    pub base_url: Option<String>,
    /// The base URL of Maton's connection management (`MATON_BASE_URL`).
    pub maton_base_url: Option<String>,
    /// The default sub-account connection (`MATON_CONNECTION`).
    pub connection: Option<String>,
    /// The agency connection (`MATON_AGENCY_CONNECTION`).
    pub agency_connection: Option<String>,
    /// A sub-account connection per location id (`MATON_LOCATION_CONNECTIONS`).
    pub location_connections: Option<HashMap<String, String>>,
    /// Direct mode: call HighLevel with this token of the user's, without Maton.
    pub direct_token: Option<String>,
    /// A `Version` header for every request instead of each operation's own.
    pub api_version: Option<String>,
    /// The longest a whole call may take, in milliseconds.
    pub timeout: Option<f64>,
    /// The longest connecting may take, in milliseconds.
    pub connect_timeout: Option<f64>,
    /// How failed attempts are retried; `false` turns retries off.
    pub retry: Option<Either<bool, RetryOptions>>,
    /// The client-side rate limit; `false` turns it off.
    pub rate_limit: Option<Either<bool, RateLimitOptions>>,
    /// Refuse every create, update and delete before it is sent.
    pub read_only: Option<bool>,
    /// The `User-Agent` header.
    pub user_agent: Option<String>,
}

/// How failed attempts are retried.
#[napi(object)]
pub struct RetryOptions {
    /// Attempts in all, the first one included.
    pub max_attempts: Option<u32>,
    /// The wait before the first retry, in milliseconds; each later one doubles it.
    pub initial_backoff: Option<f64>,
    /// The longest wait between two attempts, in milliseconds.
    pub max_backoff: Option<f64>,
}

/// The rate the client holds itself to before the service reports its own limits.
#[napi(object)]
pub struct RateLimitOptions {
    /// Requests allowed in one window.
    pub burst: Option<u32>,
    /// The window, in milliseconds.
    pub interval: Option<f64>,
}

/// What a single call may change: the connection it is pinned to, and its timeout.
#[napi(object)]
pub struct CallOptions {
    /// The `Maton-Connection` to send, whatever the operation's token type.
    pub connection: Option<String>,
    /// The longest this call may take, in milliseconds.
    pub timeout: Option<f64>,
}

/// The approval callback: called with the write, resolves to `null` to send it or to the
/// reason for refusing it. Weak, so that a client does not keep the process alive.
type Approve = ThreadsafeFunction<Value, Promise<Option<String>>, Value, Status, false, true>;

/// A configured client.
#[napi]
pub struct NativeClient {
    client: Client,
}

#[napi]
impl NativeClient {
    /// Builds a client from `options`, the environment and the core's defaults; throws
    /// when a setting is missing or malformed.
    #[napi(constructor, catch_unwind)]
    pub fn new(options: Option<ClientOptions>, approve: Option<Approve>) -> napi::Result<Self> {
        let builder = builder(options.unwrap_or_default(), approve).map_err(invalid)?;
        let client = builder.build().map_err(|e| invalid(e.to_string()))?;
        Ok(Self { client })
    }

    /// Calls `operation` with path and query `params` and a JSON `body`; resolves to the
    /// JSON text of `{ok: {status, headers, body}}`, `{error: {...}}` or `{aborted: true}`.
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn call<'env>(
        &self,
        env: &'env Env,
        operation: String,
        params: Option<Value>,
        body: Option<Value>,
        options: Option<CallOptions>,
        cancel: Option<&CancelToken>,
    ) -> napi::Result<PromiseRaw<'env, String>> {
        let prepared = self.scoped(options).and_then(|c| Ok((c, object(params)?)));
        let cancel = cancel.cloned();
        env.spawn_future(async move {
            let (client, params) = match prepared {
                Ok(prepared) => prepared,
                Err(failed) => return Ok(outcome::text(&failed)),
            };
            let body = body.filter(|b| !b.is_null());
            let work = client.call(&operation, &params, body.as_ref());
            Ok(outcome::text(&match guarded(cancel, work).await {
                None => outcome::aborted(),
                Some(Ok(answer)) => outcome::answer(answer),
                Some(Err(err)) => outcome::error(&err),
            }))
        })
    }

    /// Walks the pages of a paginated `operation`.
    #[napi(catch_unwind)]
    pub fn pages(
        &self,
        operation: String,
        params: Option<Value>,
        options: Option<CallOptions>,
        cancel: Option<&CancelToken>,
    ) -> NativePages {
        let walk = self
            .scoped(options)
            .and_then(|c| Ok((c, object(params)?)))
            .and_then(|(client, params)| {
                // The core starts the walk as a task on the runtime napi runs futures on.
                within_runtime_if_available(|| client.pages(&operation, params).map(Walk::Pages))
                    .map_err(|e| outcome::error(&e))
            })
            .unwrap_or_else(Walk::Failed);
        NativePages {
            walk: Arc::new(tokio::sync::Mutex::new(Some(walk))),
            cancel: cancel.cloned().unwrap_or_default(),
        }
    }
}

impl NativeClient {
    /// The client this call should use: pinned to a connection, with its own timeout.
    fn scoped(&self, options: Option<CallOptions>) -> Result<Client, Value> {
        let Some(options) = options else {
            return Ok(self.client.clone());
        };
        let mut client = match options.connection {
            Some(id) => self
                .client
                .with_connection(&id)
                .map_err(|e| outcome::invalid(e.to_string()))?,
            None => self.client.clone(),
        };
        if let Some(ms) = options.timeout {
            client = client.with_timeout(millis(ms, "timeout").map_err(outcome::invalid)?);
        }
        Ok(client)
    }
}

/// A walk in progress.
enum Walk {
    Pages(highlevel::Pages),
    /// The walk could not start; the error is its only outcome.
    Failed(Value),
}

/// The pages or items of a paginated call, fetched one page ahead of the caller.
#[napi]
pub struct NativePages {
    walk: Arc<tokio::sync::Mutex<Option<Walk>>>,
    cancel: CancelToken,
}

#[napi]
impl NativePages {
    /// The JSON text of the next page as `{ok: {body, itemsAt}}`, `{ok: null}` after the
    /// last one, or `{error: {...}}` / `{aborted: true}`, after which the walk is over.
    /// The page's body is the text the service sent, passed on untouched: `JSON.parse`
    /// builds JavaScript objects far faster than the addon can one property at a time, and
    /// the core's walk has read of it only what it needed for the next page.
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn next<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, String>> {
        let walk = Arc::clone(&self.walk);
        let cancel = self.cancel.clone();
        env.spawn_future(async move {
            let mut slot = walk.lock_owned().await;
            let next = match slot.as_mut() {
                None => return Ok(outcome::text(&outcome::ok(Value::Null))),
                Some(Walk::Failed(error)) => Err(error.take()),
                Some(Walk::Pages(pages)) => match guarded(Some(cancel), pages.next_raw()).await {
                    None => Err(outcome::aborted()),
                    Some(None) => Ok(None),
                    Some(Some(Ok(page))) => Ok(Some(outcome::page(&page))),
                    Some(Some(Err(err))) => Err(outcome::error(&err)),
                },
            };
            // A failed, cancelled or finished walk is dropped, which stops its task.
            Ok(match next {
                Ok(Some(page)) => page,
                Ok(None) => {
                    *slot = None;
                    outcome::text(&outcome::ok(Value::Null))
                }
                Err(failed) => {
                    *slot = None;
                    outcome::text(&failed)
                }
            })
        })
    }

    /// Stops the walk: a pending `next` resolves as aborted, and no page is fetched again.
    #[napi]
    pub fn close(&self) {
        self.cancel.cancel();
        if let Ok(mut slot) = self.walk.try_lock() {
            *slot = None;
        }
    }
}

/// The core's builder, from the environment and then `options`.
fn builder(options: ClientOptions, approve: Option<Approve>) -> Result<ClientBuilder, String> {
    let mut builder = ClientBuilder::from_env();
    if let Some(token) = options.direct_token {
        builder = builder.direct(token);
    }
    if let Some(key) = options.api_key {
        builder = builder.api_key(key);
    }
    if let Some(url) = options.base_url {
        builder = builder.base_url(url);
    }
    if let Some(url) = options.maton_base_url {
        builder = builder.maton_base_url(url);
    }
    if let Some(id) = options.connection {
        builder = builder.connection(id);
    }
    if let Some(id) = options.agency_connection {
        builder = builder.agency_connection(id);
    }
    // Sorted, so that the same options always make the same client.
    let mut pairs: Vec<_> = options.location_connections.into_iter().flatten().collect();
    pairs.sort();
    for (location, id) in pairs {
        builder = builder.location_connection(location, id);
    }
    if let Some(version) = options.api_version {
        builder = builder.api_version(version);
    }
    if let Some(ms) = options.timeout {
        builder = builder.timeout(millis(ms, "timeout")?);
    }
    if let Some(ms) = options.connect_timeout {
        builder = builder.connect_timeout(millis(ms, "connectTimeout")?);
    }
    match options.retry {
        None | Some(Either::A(true)) => {}
        Some(Either::A(false)) => builder = builder.retry(RetryPolicy::none()),
        Some(Either::B(retry)) => builder = builder.retry(retry_policy(retry)?),
    }
    match options.rate_limit {
        None | Some(Either::A(true)) => {}
        Some(Either::A(false)) => builder = builder.rate_limit(RateLimitPolicy::disabled()),
        Some(Either::B(limit)) => builder = builder.rate_limit(rate_limit_policy(limit)?),
    }
    if let Some(read_only) = options.read_only {
        builder = builder.read_only(read_only);
    }
    if let Some(agent) = options.user_agent {
        builder = builder.user_agent(agent);
    }
    if let Some(approve) = approve {
        let approve = Arc::new(approve);
        builder = builder.approve_writes(move |write| ask(Arc::clone(&approve), write));
    }
    Ok(builder)
}

/// Asks the JavaScript callback about `write`; a callback that fails refuses the write.
async fn ask(approve: Arc<Approve>, write: WriteRequest) -> Result<(), String> {
    let targets: Map<String, Value> = write
        .targets
        .iter()
        .map(|(name, value)| ((*name).to_owned(), Value::from(value.as_str())))
        .collect();
    let request = json!({
        "operation": write.operation,
        "method": write.method.as_str(),
        "targets": targets,
        "body": write.body,
    });
    let failed = |e: napi::Error| format!("the approval callback failed: {}", e.reason);
    let verdict = approve.call_async_catch(request).await.map_err(failed)?;
    match verdict.await.map_err(failed)? {
        None => Ok(()),
        Some(reason) => Err(reason),
    }
}

fn retry_policy(options: RetryOptions) -> Result<RetryPolicy, String> {
    let mut policy = RetryPolicy::default();
    if let Some(attempts) = options.max_attempts {
        if attempts == 0 {
            return Err("retry.maxAttempts must be at least 1 (the first attempt)".into());
        }
        policy.max_attempts = attempts;
    }
    if let Some(ms) = options.initial_backoff {
        policy.initial_backoff = millis(ms, "retry.initialBackoff")?;
    }
    if let Some(ms) = options.max_backoff {
        policy.max_backoff = millis(ms, "retry.maxBackoff")?;
    }
    Ok(policy)
}

fn rate_limit_policy(options: RateLimitOptions) -> Result<RateLimitPolicy, String> {
    let mut policy = RateLimitPolicy::default();
    if let Some(burst) = options.burst {
        if burst == 0 {
            return Err("rateLimit.burst must be at least 1".into());
        }
        policy.burst = burst;
    }
    if let Some(ms) = options.interval {
        policy.interval = millis(ms, "rateLimit.interval")?;
    }
    Ok(policy)
}

/// A duration given in milliseconds, refused when it is negative or not a number.
fn millis(ms: f64, name: &str) -> Result<Duration, String> {
    Duration::try_from_secs_f64(ms / 1000.0)
        .map_err(|_| format!("{name} must be a number of milliseconds, 0 or more; got {ms}"))
}

/// The parameters of a call, which must be an object when given.
fn object(params: Option<Value>) -> Result<Map<String, Value>, Value> {
    match params {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(map)) => Ok(map),
        Some(other) => Err(outcome::invalid(format!(
            "the parameters must be an object of names and values, not {other}"
        ))),
    }
}

/// A JavaScript error for a setting that cannot be used.
fn invalid(message: String) -> napi::Error {
    napi::Error::new(Status::InvalidArg, message)
}
