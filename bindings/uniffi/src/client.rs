//! The client object: built from a [`ClientConfig`] record or the environment, it hands
//! out the resource groups (generated) and offers the untyped `call` and `pages` that take
//! any operation by name with JSON parameters.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value};

use crate::error::HighLevelError;
use crate::guard::{self, WriteApprover};
use crate::pages::Pages;
use crate::runtime::run;

/// How to build a [`Client`]. Every field is optional; unset ones keep the core's defaults
/// (Maton's production URLs, a 30 s timeout, 4 attempts), or, with [`Client::from_env`],
/// what the environment says.
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct ClientConfig {
    /// The Maton API key (`MATON_API_KEY`). Never logged nor shown in errors.
    #[uniffi(default = None)]
    pub api_key: Option<String>,
    /// The base URL of the HighLevel operations (`HIGHLEVEL_BASE_URL`), such as a
    /// sandbox's `proxyUrl`.
    #[uniffi(default = None)]
    pub base_url: Option<String>,
    /// The base URL of Maton's connection management (`MATON_BASE_URL`).
    #[uniffi(default = None)]
    pub maton_base_url: Option<String>,
    /// The default sub-account connection (`MATON_CONNECTION`).
    #[uniffi(default = None)]
    pub connection: Option<String>,
    /// The connection holding the agency token (`MATON_AGENCY_CONNECTION`).
    #[uniffi(default = None)]
    pub agency_connection: Option<String>,
    /// A sub-account connection per location id (`MATON_LOCATION_CONNECTIONS`).
    #[uniffi(default)]
    pub location_connections: HashMap<String, String>,
    /// A `Version` header to send instead of each operation's own.
    #[uniffi(default = None)]
    pub api_version: Option<String>,
    /// The longest a whole request may take, in milliseconds.
    #[uniffi(default = None)]
    pub timeout_ms: Option<u64>,
    /// The longest connecting may take, in milliseconds.
    #[uniffi(default = None)]
    pub connect_timeout_ms: Option<u64>,
    /// Attempts per call, the first one included; 1 turns retries off.
    #[uniffi(default = None)]
    pub max_attempts: Option<u32>,
    /// Refuse every create, update and delete before it is sent.
    #[uniffi(default = false)]
    pub read_only: bool,
    /// Call HighLevel directly with this token instead of going through Maton.
    #[uniffi(default = None)]
    pub direct_token: Option<String>,
    /// The `User-Agent` header.
    #[uniffi(default = None)]
    pub user_agent: Option<String>,
}

/// An answer of [`Client::call`]: the status and the whole JSON body as text.
#[derive(Debug, Clone, uniffi::Record)]
pub struct RawAnswer {
    /// The HTTP status (200 or 201).
    pub status: u16,
    /// The JSON body with every field the service sent (`null` for an empty body).
    pub body_json: String,
}

/// A client of HighLevel through Maton. Cheap to share between threads and coroutines.
#[derive(uniffi::Object)]
pub struct Client {
    pub(crate) inner: highlevel::Client,
}

#[uniffi::export]
impl Client {
    /// A client from `config` alone; the environment is not read. `approver`, when given,
    /// is asked about every create, update and delete before it is sent.
    #[uniffi::constructor(default(approver = None))]
    pub fn new(
        config: ClientConfig,
        approver: Option<Arc<dyn WriteApprover>>,
    ) -> Result<Arc<Self>, HighLevelError> {
        build(highlevel::Client::builder(), config, approver)
    }

    /// A client from the environment (`MATON_API_KEY`, `MATON_CONNECTION`, ...), with the
    /// settings of `config` over it.
    #[uniffi::constructor(default(config = None, approver = None))]
    pub fn from_env(
        config: Option<ClientConfig>,
        approver: Option<Arc<dyn WriteApprover>>,
    ) -> Result<Arc<Self>, HighLevelError> {
        let builder = highlevel::ClientBuilder::from_env();
        build(builder, config.unwrap_or_default(), approver)
    }

    /// A copy that sends `connection` on every HighLevel request, whatever token the
    /// operation needs. It shares this client's connections and rate limiter.
    pub fn with_connection(&self, connection: String) -> Result<Arc<Self>, HighLevelError> {
        let inner = self.inner.with_connection(&connection)?;
        Ok(Arc::new(Self { inner }))
    }

    /// Calls any operation by operationId (`listContacts`) with its path and query
    /// parameters as a JSON object (`{"locationId": "..."}`) and an optional JSON body.
    pub async fn call(
        &self,
        operation: String,
        params_json: String,
        body_json: Option<String>,
    ) -> Result<RawAnswer, HighLevelError> {
        let params = params_object(&operation, &params_json)?;
        let body = body_json
            .map(|text| parse(&operation, "the body", &text))
            .transpose()?;
        let answer = call(&self.inner, &operation, params, body).await?;
        Ok(RawAnswer {
            status: answer.0,
            body_json: answer.1.to_string(),
        })
    }

    /// The pages of a paginated operation, by operationId, from JSON parameters.
    pub fn pages(
        &self,
        operation: String,
        params_json: String,
    ) -> Result<Arc<Pages>, HighLevelError> {
        let params = params_object(&operation, &params_json)?;
        Pages::start(&self.inner, &operation, params)
    }
}

fn build(
    mut builder: highlevel::ClientBuilder,
    config: ClientConfig,
    approver: Option<Arc<dyn WriteApprover>>,
) -> Result<Arc<Client>, HighLevelError> {
    if let Some(token) = config.direct_token {
        builder = builder.direct(token);
    }
    if let Some(key) = config.api_key {
        builder = builder.api_key(key);
    }
    if let Some(url) = config.base_url {
        builder = builder.base_url(url);
    }
    if let Some(url) = config.maton_base_url {
        builder = builder.maton_base_url(url);
    }
    if let Some(id) = config.connection {
        builder = builder.connection(id);
    }
    if let Some(id) = config.agency_connection {
        builder = builder.agency_connection(id);
    }
    // Sorted, so that a location named twice in different maps behaves the same every run.
    let mut pairs: Vec<_> = config.location_connections.into_iter().collect();
    pairs.sort();
    for (location, id) in pairs {
        builder = builder.location_connection(location, id);
    }
    if let Some(version) = config.api_version {
        builder = builder.api_version(version);
    }
    if let Some(ms) = config.timeout_ms {
        builder = builder.timeout(Duration::from_millis(ms));
    }
    if let Some(ms) = config.connect_timeout_ms {
        builder = builder.connect_timeout(Duration::from_millis(ms));
    }
    if let Some(attempts) = config.max_attempts {
        if attempts == 0 {
            let message = "max_attempts must be at least 1 (1 turns retries off)".to_owned();
            return Err(HighLevelError::invalid(None, message));
        }
        builder = builder.retry(highlevel::RetryPolicy {
            max_attempts: attempts,
            ..Default::default()
        });
    }
    if let Some(agent) = config.user_agent {
        builder = builder.user_agent(agent);
    }
    builder = builder.read_only(config.read_only);
    if let Some(approver) = approver {
        builder = builder.approve_writes(guard::hook(approver));
    }
    Ok(Arc::new(Client {
        inner: builder.build()?,
    }))
}

/// Calls `operation` on the shared runtime: the path every generated method takes.
pub(crate) async fn call(
    client: &highlevel::Client,
    operation: &str,
    params: Map<String, Value>,
    body: Option<Value>,
) -> Result<(u16, Value), HighLevelError> {
    let client = client.clone();
    let operation = operation.to_owned();
    run(async move {
        let answer = client.call(&operation, &params, body.as_ref()).await?;
        Ok((answer.status, answer.body))
    })
    .await
}

/// `text` as JSON, or an error naming `what` and the operation.
pub(crate) fn parse(operation: &str, what: &str, text: &str) -> Result<Value, HighLevelError> {
    serde_json::from_str(text)
        .map_err(|e| HighLevelError::invalid(Some(operation), format!("{what} is not JSON: {e}")))
}

fn params_object(operation: &str, text: &str) -> Result<Map<String, Value>, HighLevelError> {
    if text.trim().is_empty() {
        return Ok(Map::new());
    }
    match parse(operation, "the parameters", text)? {
        Value::Object(map) => Ok(map),
        _ => Err(HighLevelError::invalid(
            Some(operation),
            "the parameters must be a JSON object".to_owned(),
        )),
    }
}
