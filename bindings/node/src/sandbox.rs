//! The sandbox, started inside the addon so that users can test their own code offline with
//! nothing else installed. Its control API (faults, request log, reset) is served over HTTP
//! and driven from `index.js`.

use std::sync::Arc;
use std::time::Duration;

use highlevel_sandbox::{RateLimits, Sandbox, SandboxConfig};
use napi::bindgen_prelude::{Either, PromiseRaw};
use napi::{Env, Status};
use napi_derive::napi;

/// How to start a sandbox; every field is optional.
#[napi(object)]
#[derive(Default)]
pub struct SandboxOptions {
    /// The API key requests must carry (`sandbox-key` unless set).
    pub api_key: Option<String>,
    /// The seed of the demo data: the same seed gives the same ids.
    pub seed: Option<u32>,
    /// How many contacts each location gets (300 unless set).
    pub contacts_per_location: Option<u32>,
    /// The limits the sandbox enforces; `false` for limits no test reaches.
    pub rate_limits: Option<Either<bool, SandboxRateLimits>>,
    /// The port on 127.0.0.1; 0 (the default) lets the system pick a free one.
    pub port: Option<u32>,
}

/// The rate limits the sandbox enforces per connection and location.
#[napi(object)]
pub struct SandboxRateLimits {
    /// Requests allowed per window.
    pub burst: Option<u32>,
    /// The window, in milliseconds.
    pub interval: Option<u32>,
    /// Requests allowed per day.
    pub daily: Option<u32>,
}

/// A running sandbox.
#[napi]
pub struct NativeSandbox {
    sandbox: Arc<tokio::sync::Mutex<Option<Sandbox>>>,
    url: String,
    proxy_url: String,
    api_key: String,
}

/// Starts a sandbox on 127.0.0.1.
#[napi]
pub async fn start_sandbox(options: Option<SandboxOptions>) -> napi::Result<NativeSandbox> {
    let config = config(options.unwrap_or_default())?;
    let sandbox = Sandbox::start(config).await.map_err(|e| {
        napi::Error::new(
            Status::GenericFailure,
            format!("cannot start the sandbox: {e}"),
        )
    })?;
    Ok(NativeSandbox {
        url: sandbox.url().to_owned(),
        proxy_url: sandbox.proxy_url(),
        api_key: sandbox.api_key().to_owned(),
        sandbox: Arc::new(tokio::sync::Mutex::new(Some(sandbox))),
    })
}

#[napi]
impl NativeSandbox {
    /// The sandbox's root URL: Maton's connection API and the control API live here.
    #[napi(getter)]
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The base URL of the HighLevel operations, the client's `baseUrl`.
    #[napi(getter)]
    pub fn proxy_url(&self) -> String {
        self.proxy_url.clone()
    }

    /// The API key the sandbox expects.
    #[napi(getter)]
    pub fn api_key(&self) -> String {
        self.api_key.clone()
    }

    /// Stops the sandbox; stopping it twice does nothing.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn stop<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, ()>> {
        let sandbox = Arc::clone(&self.sandbox);
        env.spawn_future(async move {
            let running = sandbox.lock().await.take();
            if let Some(running) = running {
                running.stop().await;
            }
            Ok(())
        })
    }
}

fn config(options: SandboxOptions) -> napi::Result<SandboxConfig> {
    let invalid = |message: String| napi::Error::new(Status::InvalidArg, message);
    let mut config = SandboxConfig::default();
    if let Some(key) = options.api_key {
        config.api_key = key;
    }
    if let Some(seed) = options.seed {
        config.seed = u64::from(seed);
    }
    if let Some(count) = options.contacts_per_location {
        if count > 100_000 {
            return Err(invalid(format!(
                "contactsPerLocation may be at most 100000, not {count}"
            )));
        }
        config.contacts_per_location = count as usize;
    }
    match options.rate_limits {
        None | Some(Either::A(true)) => {}
        Some(Either::A(false)) => config.rate_limits = RateLimits::unlimited(),
        Some(Either::B(limits)) => {
            if let Some(burst) = limits.burst {
                config.rate_limits.burst = burst;
            }
            if let Some(ms) = limits.interval {
                config.rate_limits.interval = Duration::from_millis(u64::from(ms));
            }
            if let Some(daily) = limits.daily {
                config.rate_limits.daily = daily;
            }
        }
    }
    if let Some(port) = options.port {
        config.port = u16::try_from(port)
            .map_err(|_| invalid(format!("port must be between 0 and 65535, not {port}")))?;
    }
    Ok(config)
}

/// The ids of the sandbox's demo data, for tests that name them.
#[napi(ts_return_type = "unknown")]
pub fn sandbox_facts() -> serde_json::Value {
    serde_json::json!({
        "companyId": highlevel_sandbox::COMPANY_ID,
        "locationIds": highlevel_sandbox::LOCATION_IDS,
        "agencyConnection": highlevel_sandbox::AGENCY_CONNECTION,
        "locationConnections": highlevel_sandbox::LOCATION_CONNECTIONS,
    })
}
