//! Project automation, in the cargo-xtask style: `cargo xtask <command>` runs the commands
//! below from anywhere in the workspace (the alias lives in `.cargo/config.toml`).
//!
//! - `codegen [--check]`: regenerate everything made from the description in `openapi/`, or
//!   fail with a diff when something generated is stale.
//! - `ci`: every check and test of the project; the README's test command.
//! - `python-test`: the Python package's checks alone (one of `ci`'s).
//! - `node-test`: builds the Node addon and runs the Node package's tests.
//! - `uniffi-test`: build the Kotlin and Swift bindings, run the Kotlin tests, check the Swift.
//! - `bench [--smoke] [--runs N] [--jobs A,B] [--clients NAME]`: every client against its
//!   peers on the same jobs and server; `--smoke` runs tiny jobs once, as CI does.

#![allow(
    clippy::print_stdout,
    reason = "a command-line tool; its report is its output"
)]

mod bench;
mod bundle;
mod ci;
mod cli;
mod codegen;
mod node;
mod operations;
mod process;
mod python;
mod python_test;
mod uniffi;
mod uniffi_test;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <codegen [--check] | ci | python-test | node-test | \
                     uniffi-test | bench [--smoke] [--runs N]>";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let root = project_root();

    match args.as_slice() {
        ["codegen"] => codegen::run(&root, false),
        ["codegen", "--check"] => codegen::run(&root, true),
        ["ci"] => ci::run(&root),
        ["python-test"] => python_test::run(&root),
        ["node-test"] => node::test(&root),
        ["uniffi-test"] => uniffi_test::run(&root),
        ["bench", rest @ ..] => bench::run(&root, rest),
        _ => anyhow::bail!("{USAGE}"),
    }
}

/// The workspace root: the folder above this crate's manifest.
fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}
