//! An offline, stateful emulation of Maton's proxy and the HighLevel API, for testing code
//! that uses HighLevel without touching a live CRM.
//!
//! [`Sandbox::start`] serves it on `127.0.0.1` with a port the OS picks, seeded with demo
//! data: an agency ([`COMPANY_ID`]) with two locations ([`LOCATION_IDS`]), each with
//! contacts, pipelines, calendars, conversations and the rest. Requests need the API key
//! [`API_KEY`]; `Maton-Connection` picks one of the seeded connections
//! ([`AGENCY_CONNECTION`], [`LOCATION_CONNECTIONS`]), and the first location's connection is
//! used when the header is absent. HighLevel's paths live under `/highlevel-pit`, Maton's
//! connection API under `/connections`, as on `api.maton.ai`.
//!
//! The sandbox enforces the service's rules (token types, required parameters, Maton's
//! documented server rules, rate limits) and can be told to misbehave ([`Fault`]); its
//! request log shows what reached it. `/_sandbox/` offers the same controls over HTTP.

mod control;
mod ctx;
pub mod description;
mod error;
mod faults;
mod handlers;
mod limits;
mod paging;
mod routes;
mod seed;
mod server;
mod store;
mod validate;

use std::io;
use std::sync::Arc;

use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use faults::{Fault, FaultKind, RequestRecord};
pub use limits::RateLimits;

/// The API key the sandbox accepts unless configured otherwise.
pub const API_KEY: &str = "sandbox-key";
/// The demo agency's company id.
pub const COMPANY_ID: &str = "demo-company";
/// The demo locations (sub-accounts).
pub const LOCATION_IDS: [&str; 2] = ["demo-location-1", "demo-location-2"];
/// The connection holding the agency token.
pub const AGENCY_CONNECTION: &str = "conn-agency";
/// The connections holding each demo location's sub-account token, in the order of
/// [`LOCATION_IDS`]. The first is the default connection.
pub const LOCATION_CONNECTIONS: [&str; 2] = ["conn-location-1", "conn-location-2"];

/// How to start a sandbox.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// The seed of the demo data: the same seed gives the same ids and values.
    pub seed: u64,
    /// How many contacts each location gets (up to 100,000 for benchmarks).
    pub contacts_per_location: usize,
    /// The API key requests must carry.
    pub api_key: String,
    /// The rate limits enforced per connection and location.
    pub rate_limits: RateLimits,
    /// The port to listen on; 0 lets the OS pick one.
    pub port: u16,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            seed: 1,
            contacts_per_location: 300,
            api_key: API_KEY.to_owned(),
            rate_limits: RateLimits::default(),
            port: 0,
        }
    }
}

/// The command-line flags of a served sandbox, shared by the `highlevel-sandbox` binary
/// and `highlevel sandbox`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeOptions {
    /// The port to listen on (on 127.0.0.1); 0 lets the OS pick one.
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// The seed of the demo data; the same seed gives the same ids.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Contacts per location (up to 100000).
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u64).range(0..=100_000))]
    pub contacts: u64,
    /// The API key requests must carry.
    #[arg(long, default_value = API_KEY)]
    pub api_key: String,
    /// Requests allowed per burst window, per connection and location.
    #[arg(long, default_value_t = 100)]
    pub burst: u32,
    /// The burst window, in milliseconds.
    #[arg(long, default_value_t = 10_000)]
    pub interval_ms: u64,
    /// Requests allowed per day, per connection and location.
    #[arg(long, default_value_t = 200_000)]
    pub daily: u32,
}

impl ServeOptions {
    /// The sandbox these flags describe.
    pub fn config(&self) -> SandboxConfig {
        SandboxConfig {
            seed: self.seed,
            // The parser caps the count at 100,000, which fits every usize.
            contacts_per_location: usize::try_from(self.contacts).unwrap_or(usize::MAX),
            api_key: self.api_key.clone(),
            rate_limits: RateLimits {
                burst: self.burst,
                interval: std::time::Duration::from_millis(self.interval_ms),
                daily: self.daily,
            },
            port: self.port,
        }
    }
}

/// A running sandbox. Dropping it stops it.
pub struct Sandbox {
    url: String,
    shared: Arc<server::Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Seeds the demo data and starts serving on `127.0.0.1`, on the current tokio runtime.
    pub async fn start(config: SandboxConfig) -> io::Result<Self> {
        let store = seed::build(config.seed, config.contacts_per_location);
        let shared = server::Shared::new(
            store,
            config.api_key,
            config.rate_limits,
            config.seed,
            config.contacts_per_location,
        )
        .map_err(io::Error::other)?;
        let shared = Arc::new(shared);

        let listener = TcpListener::bind(("127.0.0.1", config.port)).await?;
        let url = format!("http://{}", listener.local_addr()?);
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(server::serve(listener, shared.clone(), stopped));
        Ok(Self {
            url,
            shared,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The base URL, `http://127.0.0.1:<port>`: where Maton's connection API lives.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The base URL of the HighLevel operations: [`Sandbox::url`] plus `/highlevel-pit`.
    pub fn proxy_url(&self) -> String {
        format!("{}{}", self.url, routes::PROXY_PREFIX)
    }

    /// What a person needs to start using the sandbox: where it listens, the API key and
    /// the demo ids, and a first request to try. The first line is always
    /// `highlevel-sandbox listening on <url>`, which scripts read the URL from.
    pub fn banner(&self) -> String {
        let [first, second] = LOCATION_CONNECTIONS;
        let lines = [
            format!("highlevel-sandbox listening on {}", self.url),
            format!("  HighLevel API:  {}", self.proxy_url()),
            format!("  Maton API:      {}/connections", self.url),
            format!("  API key:        {}", self.api_key()),
            format!("  company:        {COMPANY_ID}"),
            format!("  locations:      {}, {}", LOCATION_IDS[0], LOCATION_IDS[1]),
            format!(
                "  connections:    {AGENCY_CONNECTION} (agency), {first} and {second} \
                 (sub-accounts)"
            ),
            format!("  default:        {first}, when a request names no Maton-Connection"),
            format!(
                "try: curl -H 'Authorization: Bearer {}' '{}/contacts/?locationId={}&limit=3'",
                self.api_key(),
                self.proxy_url(),
                LOCATION_IDS[0]
            ),
        ];
        lines.join("\n")
    }

    /// The API key requests must carry.
    pub fn api_key(&self) -> &str {
        &self.shared.api_key
    }

    /// Adds a fault; it stays until it has hit its count of requests or is cleared.
    pub fn add_fault(&self, fault: Fault) {
        self.shared.faults.add(fault);
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.shared.faults.clear();
    }

    /// Replaces the rate limits and forgets every count so far.
    pub fn set_rate_limits(&self, limits: RateLimits) {
        self.shared.limiter.set(limits);
    }

    /// The requests received so far (the most recent 50,000).
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.log.all()
    }

    /// How many requests of `operation` (an operationId) reached its handler, that is how
    /// many times its effect took place.
    pub fn processed(&self, operation: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.processed && r.operation.as_deref() == Some(operation))
            .count()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        self.shared.log.clear();
    }

    /// Stops serving and waits for the server task to end.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// The well-known ids as JSON, for `/_sandbox/info` and the binary's banner.
pub(crate) fn info_json() -> Value {
    json!({
        "apiKey": API_KEY,
        "companyId": COMPANY_ID,
        "locationIds": LOCATION_IDS,
        "agencyConnection": AGENCY_CONNECTION,
        "locationConnections": LOCATION_CONNECTIONS,
        "defaultConnection": LOCATION_CONNECTIONS[0],
        "proxyPrefix": routes::PROXY_PREFIX,
    })
}
