//! `highlevel`: every operation of the HighLevel CRM API from the shell, through Maton's
//! proxy or an in-process sandbox.
//!
//! The command tree comes from the generated table in `generated/commands.rs`; everything
//! a request needs beyond turning flags into JSON (routing, paging, retries, rate limits,
//! the write guard) is the core crate's work. This file wires the pieces together and turns
//! every failure into one line on standard error and an exit code.

#![allow(
    clippy::print_stdout,
    reason = "a command-line tool: its results are its output"
)]

mod cli;
mod config;
mod confirm;
mod exit;
mod input;
mod output;
mod table;

/// Code written by `cargo xtask codegen`; see the file's header.
mod generated {
    pub(crate) mod commands;
}

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::ArgMatches;
use highlevel::Operation;
use highlevel_sandbox::{
    AGENCY_CONNECTION, LOCATION_CONNECTIONS, LOCATION_IDS, Sandbox, SandboxConfig, ServeOptions,
};

use crate::config::Settings;
use crate::exit::Failure;
use crate::output::Format;

fn main() -> ExitCode {
    let matches = cli::command().get_matches();
    init_logging(matches.get_count("verbose"));

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => return exit::report(&Failure::Io(err)),
    };

    match runtime.block_on(run(&matches)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => exit::report(&failure),
    }
}

/// Runs the chosen command.
async fn run(matches: &ArgMatches) -> Result<(), Failure> {
    let Some((name, sub)) = matches.subcommand() else {
        return Err(Failure::Usage(
            "no command given; see `highlevel --help`".to_owned(),
        ));
    };
    match name {
        "sandbox" => serve(sub).await,
        "completions" => completions(sub),
        group => {
            let Some((command, leaf)) = sub.subcommand() else {
                let message = format!("no command given; see `highlevel {group} --help`");
                return Err(Failure::Usage(message));
            };
            operation(group, command, leaf).await
        }
    }
}

/// Runs one operation and prints its answer, or with `--all` every item of every page.
async fn operation(group: &str, name: &str, matches: &ArgMatches) -> Result<(), Failure> {
    let command = cli::find(group, name)
        .ok_or_else(|| Failure::Usage(format!("`{group} {name}` is not a command")))?;
    let op = Operation::find(command.operation).ok_or_else(|| {
        Failure::Usage(format!(
            "the core knows no operation `{}`",
            command.operation
        ))
    })?;

    let settings = Settings::load(matches)?;
    // The sandbox lives until the command ends; dropping it stops it.
    let sandbox = match settings.sandbox {
        true => Some(Sandbox::start(SandboxConfig::default()).await?),
        false => None,
    };
    let defaults = settings.defaults(sandbox.is_some());
    let request = input::request(command, op, matches, &defaults)?;
    let format = Format::choose(matches, &settings)?;

    let builder = settings.builder(sandbox.as_ref());
    let context = confirm::Context::new(command, request.location(op));
    let client = settings.guard(builder, context).build()?;

    let columns = output::columns_flag(matches);
    let mut out = std::io::stdout().lock();
    if matches.get_flag_if_present("all") {
        let max = matches
            .try_get_one::<usize>("max-items")
            .ok()
            .flatten()
            .copied();
        let pages = client.pages(op.name, request.params)?;
        return output::print_all(pages, op, format, columns, max, &mut out).await;
    }

    let answer = client
        .call(op.name, &request.params, request.body.as_ref())
        .await?;
    output::print(&answer.body, op, format, columns, &mut out)?;
    Ok(())
}

/// `highlevel sandbox`: serves the sandbox until interrupted.
async fn serve(matches: &ArgMatches) -> Result<(), Failure> {
    let options = <ServeOptions as clap::FromArgMatches>::from_arg_matches(matches)
        .map_err(|e| Failure::Usage(e.to_string()))?;
    let sandbox = Sandbox::start(options.config()).await?;

    println!("{}", sandbox.banner());
    println!("point the highlevel command (or any SDK) at it with:");
    println!(
        "  export MATON_API_KEY={} MATON_BASE_URL={} HIGHLEVEL_BASE_URL={} \
         MATON_CONNECTION={} MATON_AGENCY_CONNECTION={} HIGHLEVEL_LOCATION_ID={}",
        sandbox.api_key(),
        sandbox.url(),
        sandbox.proxy_url(),
        LOCATION_CONNECTIONS[0],
        AGENCY_CONNECTION,
        LOCATION_IDS[0],
    );
    std::io::stdout().flush()?;

    tokio::signal::ctrl_c().await?;
    sandbox.stop().await;
    Ok(())
}

/// `highlevel completions <shell>`: prints a completion script.
fn completions(matches: &ArgMatches) -> Result<(), Failure> {
    let shell = matches
        .get_one::<clap_complete::Shell>("shell")
        .copied()
        .ok_or_else(|| Failure::Usage("name a shell: bash, zsh or fish".to_owned()))?;
    let mut command = cli::command();
    clap_complete::generate(shell, &mut command, "highlevel", &mut std::io::stdout());
    Ok(())
}

/// `-v` logs each attempt at debug level on standard error, `-vv` adds bodies (trace).
/// `RUST_LOG`, when set, wins. The core never logs the API key.
fn init_logging(verbosity: u8) {
    let level = match verbosity {
        0 => return,
        1 => "highlevel=debug",
        _ => "highlevel=trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}

/// `ArgMatches::get_flag` panics for a flag the command does not define; `--all` exists
/// only on paginated commands.
trait FlagIfPresent {
    fn get_flag_if_present(&self, id: &str) -> bool;
}

impl FlagIfPresent for ArgMatches {
    fn get_flag_if_present(&self, id: &str) -> bool {
        self.try_get_one::<bool>(id)
            .ok()
            .flatten()
            .copied()
            .unwrap_or(false)
    }
}
