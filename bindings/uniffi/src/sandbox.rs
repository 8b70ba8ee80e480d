//! The offline sandbox, started inside the app's own process, so that Kotlin and Swift code
//! can be tested against a stateful HighLevel without a network or a Maton account.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use highlevel_sandbox::{
    AGENCY_CONNECTION, LOCATION_CONNECTIONS, LOCATION_IDS, RateLimits, SandboxConfig,
};

use crate::client::ClientConfig;
use crate::error::HighLevelError;
use crate::runtime;

/// How to start a sandbox.
#[derive(Debug, Clone, uniffi::Record)]
pub struct SandboxOptions {
    /// The seed of the demo data: the same seed gives the same ids and values.
    #[uniffi(default = 1)]
    pub seed: u64,
    /// How many contacts each of the two demo locations gets.
    #[uniffi(default = 300)]
    pub contacts_per_location: u32,
    /// Whether to enforce HighLevel's rate limits (off lets tests run at full speed).
    #[uniffi(default = false)]
    pub rate_limited: bool,
}

/// A running sandbox; it serves until [`Sandbox::stop`] or until it is freed.
#[derive(uniffi::Object)]
pub struct Sandbox {
    url: String,
    proxy_url: String,
    api_key: String,
    running: Mutex<Option<highlevel_sandbox::Sandbox>>,
}

/// Starts a sandbox on `127.0.0.1`, on a port the system picks, seeded with an agency and
/// two locations with contacts, pipelines, calendars and the rest.
#[uniffi::export(default(options = None))]
pub async fn start_sandbox(
    options: Option<SandboxOptions>,
) -> Result<Arc<Sandbox>, HighLevelError> {
    let options = options.unwrap_or(SandboxOptions {
        seed: 1,
        contacts_per_location: 300,
        rate_limited: false,
    });
    let config = SandboxConfig {
        seed: options.seed,
        contacts_per_location: options.contacts_per_location as usize,
        rate_limits: if options.rate_limited {
            RateLimits::default()
        } else {
            RateLimits::unlimited()
        },
        ..Default::default()
    };
    runtime::run(async move {
        let sandbox = highlevel_sandbox::Sandbox::start(config)
            .await
            .map_err(|e| HighLevelError::internal(format!("cannot start the sandbox: {e}")))?;
        Ok(Arc::new(Sandbox {
            url: sandbox.url().to_owned(),
            proxy_url: sandbox.proxy_url(),
            api_key: sandbox.api_key().to_owned(),
            running: Mutex::new(Some(sandbox)),
        }))
    })
    .await
}

#[uniffi::export]
impl Sandbox {
    /// `http://127.0.0.1:<port>`: where Maton's connection API lives.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The base URL of the HighLevel operations, for [`ClientConfig::base_url`].
    pub fn proxy_url(&self) -> String {
        self.proxy_url.clone()
    }

    /// The API key the sandbox accepts.
    pub fn api_key(&self) -> String {
        self.api_key.clone()
    }

    /// The demo locations' ids.
    pub fn location_ids(&self) -> Vec<String> {
        LOCATION_IDS.iter().map(|id| (*id).to_owned()).collect()
    }

    /// A client configuration for this sandbox with every demo connection: the agency's,
    /// and one per location (the first location's is the default).
    pub fn client_config(&self) -> ClientConfig {
        let by_location: HashMap<String, String> = LOCATION_IDS
            .iter()
            .zip(LOCATION_CONNECTIONS)
            .map(|(location, id)| ((*location).to_owned(), id.to_owned()))
            .collect();
        ClientConfig {
            api_key: Some(self.api_key.clone()),
            base_url: Some(self.proxy_url.clone()),
            maton_base_url: Some(self.url.clone()),
            connection: Some(LOCATION_CONNECTIONS[0].to_owned()),
            agency_connection: Some(AGENCY_CONNECTION.to_owned()),
            location_connections: by_location,
            ..ClientConfig::default()
        }
    }

    /// How many requests of `operation` (an operationId) took effect, that is reached the
    /// operation's handler.
    pub fn processed(&self, operation: String) -> u64 {
        let running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        running
            .as_ref()
            .map_or(0, |sandbox| sandbox.processed(&operation) as u64)
    }

    /// Stops serving; later requests fail to connect.
    pub async fn stop(&self) -> Result<(), HighLevelError> {
        let sandbox = self
            .running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        runtime::run(async move {
            if let Some(sandbox) = sandbox {
                sandbox.stop().await;
            }
            Ok(())
        })
        .await
    }
}
