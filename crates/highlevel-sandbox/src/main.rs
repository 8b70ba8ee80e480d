//! `highlevel-sandbox`: serves the sandbox until interrupted, printing where it listens and
//! the ids a first request needs.

#![allow(clippy::print_stdout, reason = "a command whose banner is its output")]

use std::time::Duration;

use clap::Parser;
use highlevel_sandbox::{
    AGENCY_CONNECTION, COMPANY_ID, LOCATION_CONNECTIONS, LOCATION_IDS, RateLimits, Sandbox,
    SandboxConfig,
};

/// An offline emulation of Maton's proxy and the HighLevel API, with demo data.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The port to listen on (on 127.0.0.1); 0 lets the OS pick one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// The seed of the demo data; the same seed gives the same ids.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Contacts per location (up to 100000).
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u64).range(0..=100_000))]
    contacts: u64,
    /// The API key requests must carry.
    #[arg(long, default_value = highlevel_sandbox::API_KEY)]
    api_key: String,
    /// Requests allowed per burst window, per connection and location.
    #[arg(long, default_value_t = 100)]
    burst: u32,
    /// The burst window, in milliseconds.
    #[arg(long, default_value_t = 10_000)]
    interval_ms: u64,
    /// Requests allowed per day, per connection and location.
    #[arg(long, default_value_t = 200_000)]
    daily: u32,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let config = SandboxConfig {
        seed: args.seed,
        contacts_per_location: args.contacts as usize,
        api_key: args.api_key,
        rate_limits: RateLimits {
            burst: args.burst,
            interval: Duration::from_millis(args.interval_ms),
            daily: args.daily,
        },
        port: args.port,
    };
    let sandbox = Sandbox::start(config).await?;

    println!("highlevel-sandbox listening on {}", sandbox.url());
    println!("  HighLevel API:  {}", sandbox.proxy_url());
    println!("  Maton API:      {}/connections", sandbox.url());
    println!("  API key:        {}", sandbox.api_key());
    println!("  company:        {COMPANY_ID}");
    println!("  locations:      {}, {}", LOCATION_IDS[0], LOCATION_IDS[1]);
    let [first, second] = LOCATION_CONNECTIONS;
    println!("  connections:    {AGENCY_CONNECTION} (agency), {first} and {second} (sub-accounts)");
    println!("  default:        {first}, when a request names no Maton-Connection");
    println!(
        "try: curl -H 'Authorization: Bearer {}' '{}/contacts/?locationId={}&limit=3'",
        sandbox.api_key(),
        sandbox.proxy_url(),
        LOCATION_IDS[0]
    );

    tokio::signal::ctrl_c().await?;
    sandbox.stop().await;
    Ok(())
}
