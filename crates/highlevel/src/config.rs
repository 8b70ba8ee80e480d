//! Building a [`Client`]: the Maton API key, the base URLs, the connection to use and the
//! `Version` override, from explicit settings or the environment. Explicit settings win.
//!
//! The API key is a secret. It lives only inside the HTTP client's default headers, marked
//! sensitive, and no `Debug` output or error message of this module contains it.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};

use crate::guard::{WriteGuard, WriteRequest};
use crate::limiter::{Limiter, RateLimitPolicy};
use crate::retry::RetryPolicy;
use crate::routing::{Connections, parse_location_connections};
use crate::{api, maton};

/// Where the proxied HighLevel API lives.
pub const DEFAULT_BASE_URL: &str = "https://api.maton.ai/highlevel-pit";
/// Where Maton's connection management lives.
pub const DEFAULT_MATON_URL: &str = "https://api.maton.ai";
/// Where HighLevel itself lives, for direct mode.
pub const DIRECT_BASE_URL: &str = "https://services.leadconnectorhq.com";

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const USER_AGENT: &str = concat!("highlevel-rust/", env!("CARGO_PKG_VERSION"));

/// The environment variables [`ClientBuilder::from_env`] reads.
const ENV_API_KEY: &str = "MATON_API_KEY";
const ENV_DIRECT_TOKEN: &str = "HIGHLEVEL_TOKEN";
const ENV_CONNECTION: &str = "MATON_CONNECTION";
const ENV_AGENCY_CONNECTION: &str = "MATON_AGENCY_CONNECTION";
const ENV_LOCATION_CONNECTIONS: &str = "MATON_LOCATION_CONNECTIONS";
const ENV_BASE_URL: &str = "HIGHLEVEL_BASE_URL";
const ENV_MATON_URL: &str = "MATON_BASE_URL";

/// A configured client for HighLevel through Maton.
///
/// [`Client::api`] calls HighLevel operations, [`Client::maton`] manages connections. Both
/// share one connection pool. Cloning is cheap, and so is [`Client::with_connection`].
#[derive(Clone)]
pub struct Client {
    api: api::Client,
    maton: maton::Client,
}

impl Client {
    /// A builder, starting from nothing (the environment is not read).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment alone; see [`ClientBuilder::from_env`].
    pub fn from_env() -> Result<Self, ConfigError> {
        ClientBuilder::from_env().build()
    }

    /// A copy of this client whose requests may each take at most `timeout`. It shares this
    /// client's connection pool and rate limiter.
    pub fn with_timeout(&self, timeout: Duration) -> Self {
        let state = ClientState {
            timeout: Some(timeout),
            ..self.api.inner.clone()
        };
        self.with_state(state)
    }

    fn with_state(&self, state: ClientState) -> Self {
        Self {
            api: api::Client::new_with_client(
                &self.api.baseurl,
                self.api.client.clone(),
                state.clone(),
            ),
            maton: maton::Client::new_with_client(
                &self.maton.baseurl,
                self.maton.client.clone(),
                state,
            ),
        }
    }

    pub(crate) fn api_client(&self) -> &api::Client {
        &self.api
    }

    pub(crate) fn maton_client(&self) -> &maton::Client {
        &self.maton
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.api.client
    }

    /// The HighLevel operations.
    pub fn api(&self) -> &api::Client {
        &self.api
    }

    /// Maton's connection management.
    pub fn maton(&self) -> &maton::Client {
        &self.maton
    }

    /// A copy of this client that sends `connection` as `Maton-Connection` on every HighLevel
    /// request, whatever token the operation needs. It shares this client's connection pool
    /// and rate limiter.
    pub fn with_connection(&self, connection: &str) -> Result<Self, ConfigError> {
        let connections = Connections {
            pinned: Some(header_value(connection, Setting::Connection)?),
            ..(*self.api.inner.connections).clone()
        };
        let state = ClientState {
            connections: Arc::new(connections),
            ..self.api.inner.clone()
        };
        Ok(self.with_state(state))
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.api.baseurl)
            .field("maton_url", &self.maton.baseurl)
            .field("state", &self.api.inner)
            .finish_non_exhaustive()
    }
}

/// Per-client settings that the request hooks apply to each request.
///
/// It is part of the generated clients' constructors; build clients with [`ClientBuilder`]
/// rather than by hand.
#[derive(Clone)]
pub struct ClientState {
    pub(crate) connections: Arc<Connections>,
    pub(crate) api_version: Option<HeaderValue>,
    pub(crate) retry: RetryPolicy,
    pub(crate) limiter: Arc<Limiter>,
    pub(crate) guard: WriteGuard,
    /// A whole-request timeout that replaces the HTTP client's own.
    pub(crate) timeout: Option<Duration>,
}

impl fmt::Debug for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientState")
            .field("connections", &self.connections)
            .field("api_version", &self.api_version)
            .field("retry", &self.retry)
            .field("guard", &self.guard)
            .finish_non_exhaustive()
    }
}

/// Settings for a [`Client`].
#[derive(Clone, Default)]
pub struct ClientBuilder {
    api_key: Option<String>,
    base_url: Option<String>,
    maton_url: Option<String>,
    connection: Option<String>,
    agency_connection: Option<String>,
    location_connections: Vec<(String, String)>,
    location_connections_env: Option<String>,
    api_version: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry: RetryPolicy,
    rate_limit: RateLimitPolicy,
    guard: WriteGuard,
    direct: bool,
    user_agent: Option<String>,
}

impl ClientBuilder {
    /// A builder seeded from the environment: `MATON_API_KEY`, `MATON_CONNECTION` (the
    /// default sub-account connection), `MATON_AGENCY_CONNECTION`,
    /// `MATON_LOCATION_CONNECTIONS` (`location=connection` pairs, comma-separated),
    /// `HIGHLEVEL_BASE_URL` and `MATON_BASE_URL`. Settings made on the builder afterwards
    /// replace what the environment gave.
    pub fn from_env() -> Self {
        Self::default().env()
    }

    /// This builder with every setting the environment gives (see
    /// [`ClientBuilder::from_env`]) replacing its own; settings the environment lacks are
    /// kept. A tool reads its configuration file into a builder, then calls this, so the
    /// environment wins over the file.
    pub fn env(self) -> Self {
        self.lookup(|name| std::env::var(name).ok())
    }

    fn lookup(mut self, lookup: impl Fn(&str) -> Option<String>) -> Self {
        let get = |name| lookup(name).filter(|v: &String| !v.is_empty());
        if let Some(key) = get(ENV_API_KEY) {
            self.api_key = Some(key);
            self.direct = false;
        } else if self.api_key.is_none()
            && let Some(token) = get(ENV_DIRECT_TOKEN)
        {
            self = self.direct(token);
        }
        if let Some(url) = get(ENV_BASE_URL) {
            self.base_url = Some(url);
        }
        if self.direct {
            return self;
        }
        if let Some(url) = get(ENV_MATON_URL) {
            self.maton_url = Some(url);
        }
        if let Some(id) = get(ENV_CONNECTION) {
            self.connection = Some(id);
        }
        if let Some(id) = get(ENV_AGENCY_CONNECTION) {
            self.agency_connection = Some(id);
        }
        if let Some(pairs) = get(ENV_LOCATION_CONNECTIONS) {
            self.location_connections_env = Some(pairs);
        }
        self
    }

    /// Direct mode: calls HighLevel itself (`services.leadconnectorhq.com`, unless
    /// [`ClientBuilder::base_url`] says otherwise) with the user's own token, with no proxy
    /// and no connections. `from_env` chooses it when `HIGHLEVEL_TOKEN` is set and
    /// `MATON_API_KEY` is not.
    pub fn direct(mut self, token: impl Into<String>) -> Self {
        self.api_key = Some(token.into());
        self.direct = true;
        self
    }

    /// The `User-Agent` header, `highlevel-rust/<version>` unless set.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// The Maton API key, sent as `Authorization: Bearer <key>`.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The base URL of the HighLevel operations, `https://api.maton.ai/highlevel-pit` unless
    /// set (a sandbox's URL, or another Maton gateway).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The base URL of Maton's connection management, `https://api.maton.ai` unless set.
    pub fn maton_base_url(mut self, url: impl Into<String>) -> Self {
        self.maton_url = Some(url.into());
        self
    }

    /// The default sub-account connection: the `Maton-Connection` of operations that need
    /// a sub-account token, for locations without a connection of their own.
    pub fn connection(mut self, id: impl Into<String>) -> Self {
        self.connection = Some(id.into());
        self
    }

    /// The connection holding the agency token, for location management and snapshots.
    pub fn agency_connection(mut self, id: impl Into<String>) -> Self {
        self.agency_connection = Some(id.into());
        self
    }

    /// The sub-account connection of one location, used instead of the default one for
    /// requests acting on that location.
    pub fn location_connection(
        mut self,
        location: impl Into<String>,
        id: impl Into<String>,
    ) -> Self {
        self.location_connections.push((location.into(), id.into()));
        self
    }

    /// How failed attempts are retried ([`RetryPolicy::default`] unless set).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Refuses every create, update and delete before it is sent.
    pub fn read_only(mut self, read_only: bool) -> Self {
        self.guard.read_only = read_only;
        self
    }

    /// Asks `approve` about every create, update and delete before it is sent; an `Err`
    /// refuses the write with that reason, and nothing is sent.
    pub fn approve_writes<F, Fut>(mut self, approve: F) -> Self
    where
        F: Fn(WriteRequest) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), String>> + Send + 'static,
    {
        self.guard.approve = Some(WriteGuard::hook(approve));
        self
    }

    /// The rate the client holds itself to before the service reports its own limits
    /// ([`RateLimitPolicy::default`] unless set).
    pub fn rate_limit(mut self, policy: RateLimitPolicy) -> Self {
        self.rate_limit = policy;
        self
    }

    /// A `Version` header to send on every HighLevel request instead of the value the
    /// description gives each operation.
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// The longest a whole request may take, 30 seconds unless set.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The longest connecting may take, 10 seconds unless set.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, ConfigError> {
        let key = self.api_key.as_deref().ok_or(ConfigError::MissingApiKey)?;
        let mut auth = header_value(&format!("Bearer {key}"), Setting::ApiKey)?;
        auth.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, auth);

        let http = reqwest::Client::builder()
            .default_headers(headers)
            .user_agent(self.user_agent.as_deref().unwrap_or(USER_AGENT))
            .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
            .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
            // HighLevel and Maton answer without redirects; following one could carry the
            // API key to a host nobody configured.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(ConfigError::Http)?;

        let default_base = if self.direct {
            DIRECT_BASE_URL
        } else {
            DEFAULT_BASE_URL
        };
        let api_url = checked_url(self.base_url.as_deref(), default_base, Setting::BaseUrl)?;
        let maton_url = checked_url(
            self.maton_url.as_deref(),
            DEFAULT_MATON_URL,
            Setting::MatonUrl,
        )?;
        let state = ClientState {
            connections: Arc::new(self.connections()?),
            api_version: optional_header(self.api_version.as_deref(), Setting::ApiVersion)?,
            retry: self.retry,
            limiter: Arc::new(Limiter::new(self.rate_limit)),
            guard: self.guard.clone(),
            timeout: None,
        };

        Ok(Client {
            api: api::Client::new_with_client(&api_url, http.clone(), state.clone()),
            maton: maton::Client::new_with_client(&maton_url, http, state),
        })
    }
}

impl ClientBuilder {
    /// The configured connections, checked. Pairs given on the builder win over the
    /// environment's for the same location.
    fn connections(&self) -> Result<Connections, ConfigError> {
        let mut by_location = std::collections::HashMap::new();
        if let Some(text) = &self.location_connections_env {
            let pairs =
                parse_location_connections(text).map_err(|reason| ConfigError::InvalidValue {
                    setting: Setting::LocationConnections,
                    reason,
                })?;
            for (location, id) in pairs {
                by_location.insert(location, header_value(&id, Setting::LocationConnections)?);
            }
        }
        for (location, id) in &self.location_connections {
            by_location.insert(
                location.clone(),
                header_value(id, Setting::LocationConnections)?,
            );
        }

        Ok(Connections {
            agency: optional_header(self.agency_connection.as_deref(), Setting::AgencyConnection)?,
            sub_account: optional_header(self.connection.as_deref(), Setting::Connection)?,
            by_location,
            pinned: None,
            direct: self.direct,
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("base_url", &self.base_url)
            .field("maton_url", &self.maton_url)
            .field("connection", &self.connection)
            .field("agency_connection", &self.agency_connection)
            .field("location_connections", &self.location_connections)
            .field("api_version", &self.api_version)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .field("guard", &self.guard)
            .field("direct", &self.direct)
            .field("user_agent", &self.user_agent)
            .finish_non_exhaustive()
    }
}

/// A setting that [`ClientBuilder::build`] refused. Messages never contain the API key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No API key was given.
    #[error(
        "no Maton API key: set MATON_API_KEY (from https://maton.ai/settings) or call \
         ClientBuilder::api_key"
    )]
    MissingApiKey,
    /// A base URL is not an absolute http(s) URL without query or fragment.
    #[error("{setting} is not a usable base URL: {reason}")]
    InvalidUrl {
        /// The setting, such as `the base URL (base_url, HIGHLEVEL_BASE_URL)`.
        setting: Setting,
        /// What is wrong with it.
        reason: String,
    },
    /// A setting's value does not have the form it needs.
    #[error("{setting} is not usable: {reason}")]
    InvalidValue {
        /// The setting.
        setting: Setting,
        /// What is wrong with it.
        reason: String,
    },
    /// A value that goes into a header holds characters a header cannot carry.
    #[error("{0} contains control or non-visible characters, which a header cannot carry")]
    InvalidHeader(Setting),
    /// The HTTP client could not be built (its TLS setup failed, for instance).
    #[error("cannot build the HTTP client")]
    Http(#[source] reqwest::Error),
}

/// A setting named in a [`ConfigError`], with the builder method and variable that set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Setting {
    /// `api_key`, `MATON_API_KEY`.
    ApiKey,
    /// `base_url`, `HIGHLEVEL_BASE_URL`.
    BaseUrl,
    /// `maton_base_url`, `MATON_BASE_URL`.
    MatonUrl,
    /// `connection`, `MATON_CONNECTION`.
    Connection,
    /// `agency_connection`, `MATON_AGENCY_CONNECTION`.
    AgencyConnection,
    /// `location_connection`, `MATON_LOCATION_CONNECTIONS`.
    LocationConnections,
    /// `api_version`.
    ApiVersion,
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Setting::ApiKey => "the API key (api_key, MATON_API_KEY)",
            Setting::BaseUrl => "the base URL (base_url, HIGHLEVEL_BASE_URL)",
            Setting::MatonUrl => "the Maton base URL (maton_base_url, MATON_BASE_URL)",
            Setting::Connection => "the connection id (connection, MATON_CONNECTION)",
            Setting::AgencyConnection => {
                "the agency connection (agency_connection, MATON_AGENCY_CONNECTION)"
            }
            Setting::LocationConnections => {
                "the location connections (location_connection, MATON_LOCATION_CONNECTIONS)"
            }
            Setting::ApiVersion => "the Version override (api_version)",
        })
    }
}

fn optional_header(
    value: Option<&str>,
    setting: Setting,
) -> Result<Option<HeaderValue>, ConfigError> {
    value.map(|v| header_value(v, setting)).transpose()
}

/// A header value, refusing every control character (`HeaderValue` alone lets a tab through).
fn header_value(value: &str, setting: Setting) -> Result<HeaderValue, ConfigError> {
    if value.chars().any(char::is_control) {
        return Err(ConfigError::InvalidHeader(setting));
    }
    HeaderValue::from_str(value).map_err(|_| ConfigError::InvalidHeader(setting))
}

/// Checks a base URL and drops its trailing slash: operation paths start with one.
fn checked_url(
    value: Option<&str>,
    default: &str,
    setting: Setting,
) -> Result<String, ConfigError> {
    let text = value.unwrap_or(default);
    let invalid = |reason: &str| ConfigError::InvalidUrl {
        setting,
        reason: reason.to_owned(),
    };

    let url = Url::parse(text).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("it must not have a query or a fragment"));
    }
    Ok(text.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk-secret-9d1e";

    fn env(vars: &[(&str, &str)]) -> ClientBuilder {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ClientBuilder::default()
            .lookup(move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
    }

    #[test]
    fn without_a_key_the_error_says_how_to_set_one() {
        let err = env(&[]).build().unwrap_err();

        assert!(matches!(err, ConfigError::MissingApiKey));
        assert!(err.to_string().contains("MATON_API_KEY"), "{err}");
    }

    #[test]
    fn the_environment_configures_a_client() {
        let client = env(&[
            (ENV_API_KEY, KEY),
            (ENV_CONNECTION, "conn-1"),
            (ENV_BASE_URL, "http://127.0.0.1:9/highlevel-pit/"),
        ])
        .build()
        .unwrap();

        assert_eq!(client.api.baseurl, "http://127.0.0.1:9/highlevel-pit");
        assert_eq!(client.maton.baseurl, DEFAULT_MATON_URL);
        assert_eq!(
            client.api.inner.connections.sub_account.as_ref().unwrap(),
            "conn-1"
        );
    }

    #[test]
    fn the_environment_replaces_earlier_settings_and_keeps_the_rest() {
        let vars = [(ENV_API_KEY, KEY), (ENV_CONNECTION, "from-env")];
        let client = ClientBuilder::default()
            .api_key("from-a-file")
            .connection("from-a-file")
            .agency_connection("agency-from-a-file")
            .lookup(|name| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            })
            .build()
            .unwrap();

        let connections = &client.api.inner.connections;
        assert_eq!(connections.sub_account.as_ref().unwrap(), "from-env");
        assert_eq!(connections.agency.as_ref().unwrap(), "agency-from-a-file");
    }

    #[test]
    fn explicit_settings_beat_the_environment() {
        let client = env(&[(ENV_API_KEY, KEY), (ENV_CONNECTION, "from-env")])
            .connection("explicit")
            .base_url("https://gateway.example.com/highlevel-pit")
            .build()
            .unwrap();

        assert_eq!(
            client.api.inner.connections.sub_account.as_ref().unwrap(),
            "explicit"
        );
        assert_eq!(
            client.api.baseurl,
            "https://gateway.example.com/highlevel-pit"
        );
    }

    #[test]
    fn connections_per_token_and_location_come_from_the_environment() {
        let client = env(&[
            (ENV_API_KEY, KEY),
            (ENV_AGENCY_CONNECTION, "conn-agency"),
            (ENV_LOCATION_CONNECTIONS, "loc-1=conn-a, loc-2=conn-b"),
        ])
        .location_connection("loc-2", "conn-explicit")
        .build()
        .unwrap();

        let connections = &client.api.inner.connections;
        assert_eq!(connections.agency.as_ref().unwrap(), "conn-agency");
        assert_eq!(connections.by_location["loc-1"], "conn-a");
        assert_eq!(connections.by_location["loc-2"], "conn-explicit");

        let err = env(&[(ENV_API_KEY, KEY), (ENV_LOCATION_CONNECTIONS, "loc-1")]).build();
        let err = err.unwrap_err().to_string();
        assert!(
            err.contains("MATON_LOCATION_CONNECTIONS") && err.contains("`loc-1`"),
            "{err}"
        );
    }

    #[test]
    fn a_highlevel_token_without_a_maton_key_means_direct_mode() {
        let direct = env(&[(ENV_DIRECT_TOKEN, "pit-token")]).build().unwrap();
        assert_eq!(direct.api.baseurl, DIRECT_BASE_URL);
        assert!(direct.api.inner.connections.direct);

        let both = env(&[(ENV_API_KEY, KEY), (ENV_DIRECT_TOKEN, "pit-token")])
            .build()
            .unwrap();
        assert_eq!(both.api.baseurl, DEFAULT_BASE_URL);
        assert!(!format!("{direct:?}").contains("pit-token"));
    }

    #[test]
    fn empty_variables_count_as_unset() {
        let err = env(&[(ENV_API_KEY, "")]).build().unwrap_err();
        assert!(matches!(err, ConfigError::MissingApiKey));
    }

    #[test]
    fn debug_output_never_shows_the_key() {
        let builder = Client::builder().api_key(KEY);
        let client = builder.clone().build().unwrap();

        for shown in [
            format!("{builder:?}"),
            format!("{client:?}"),
            format!("{client:#?}"),
        ] {
            assert!(!shown.contains(KEY), "{shown}");
        }
        assert!(format!("{builder:?}").contains("<redacted>"));
    }

    #[test]
    fn header_values_with_control_characters_are_refused_without_echoing_them() {
        for bad in ["qz7\r\nX-Injected: 1", "qz7\tid", "qz7\0"] {
            let err = Client::builder()
                .api_key(KEY)
                .connection(bad)
                .build()
                .unwrap_err();

            assert!(
                matches!(err, ConfigError::InvalidHeader(Setting::Connection)),
                "{err}"
            );
            assert!(err.to_string().contains("MATON_CONNECTION"), "{err}");
            assert!(!err.to_string().contains("qz7"), "{err}");
        }

        let err = Client::builder()
            .api_key("key\nwith newline")
            .build()
            .unwrap_err();
        assert!(
            matches!(err, ConfigError::InvalidHeader(Setting::ApiKey)),
            "{err}"
        );
        assert!(!err.to_string().contains("newline"), "{err}");
    }

    #[test]
    fn base_urls_must_be_plain_http_urls() {
        let cases = [
            ("not a url", "relative URL"),
            ("ftp://example.com", "scheme"),
            ("https://example.com/?a=1", "query"),
        ];
        for (url, reason) in cases {
            let err = Client::builder()
                .api_key(KEY)
                .base_url(url)
                .build()
                .unwrap_err();

            assert!(matches!(
                err,
                ConfigError::InvalidUrl {
                    setting: Setting::BaseUrl,
                    ..
                }
            ));
            assert!(err.to_string().contains(reason), "{url}: {err}");
        }
    }

    #[test]
    fn a_client_with_another_connection_keeps_the_rest() {
        let client = Client::builder()
            .api_key(KEY)
            .api_version("v3")
            .build()
            .unwrap();
        let pinned = client.with_connection("conn-2").unwrap();

        assert_eq!(
            pinned.api.inner.connections.pinned.as_ref().unwrap(),
            "conn-2"
        );
        assert_eq!(pinned.api.inner.api_version.as_ref().unwrap(), "v3");
        assert!(client.api.inner.connections.pinned.is_none());
        assert!(Arc::ptr_eq(
            &pinned.api.inner.limiter,
            &client.api.inner.limiter
        ));
        assert!(client.with_connection("bad\nid").is_err());
    }
}
