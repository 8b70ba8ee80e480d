//! `highlevel-sandbox`: serves the sandbox until interrupted, printing where it listens and
//! the ids a first request needs.

#![allow(clippy::print_stdout, reason = "a command whose banner is its output")]

use clap::Parser;
use highlevel_sandbox::{Sandbox, ServeOptions};

/// An offline emulation of Maton's proxy and the HighLevel API, with demo data.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    options: ServeOptions,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let sandbox = Sandbox::start(args.options.config()).await?;

    println!("{}", sandbox.banner());

    tokio::signal::ctrl_c().await?;
    sandbox.stop().await;
    Ok(())
}
