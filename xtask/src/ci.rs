//! `cargo xtask ci`: every check the project has, in the order that fails fastest, with
//! whatever each check needs installed first. This is the README's test command and what
//! `.ci/run` runs, so it must work from a fresh clone with nothing else set up.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};

use crate::codegen;

/// The PyPI validator of the description, pinned so that a new release cannot fail CI.
const OPENAPI_VALIDATOR: &str = "openapi-spec-validator==0.9.0";

type Check = fn(&Path) -> anyhow::Result<()>;

const CHECKS: [(&str, Check); 5] = [
    ("formatting (cargo fmt --check)", fmt),
    (
        "generated code is current (cargo xtask codegen --check)",
        codegen_check,
    ),
    (
        "OpenAPI description is valid (openapi-spec-validator)",
        validate_description,
    ),
    ("lints (cargo clippy -D warnings)", clippy),
    ("tests (cargo test)", test),
];

/// Runs every check, even after one fails, so one run shows every problem.
pub(crate) fn run(root: &Path) -> anyhow::Result<()> {
    let start = Instant::now();
    let mut failed = Vec::new();

    for (name, check) in CHECKS {
        eprintln!("\n==> {name}");
        let step = Instant::now();
        match check(root) {
            Ok(()) => eprintln!("==> ok: {name} ({:.0?})", step.elapsed()),
            Err(err) => {
                eprintln!("==> FAILED: {name}: {err:#}");
                failed.push(name);
            }
        }
    }

    let passed = CHECKS.len() - failed.len();
    eprintln!("\nci finished in {:.0?}", start.elapsed());
    // A plain summary line, so a reader of the log sees the outcome at its end.
    println!("checks: {passed} passed, {} failed", failed.len());
    if !failed.is_empty() {
        bail!("failed: {}", failed.join("; "));
    }
    Ok(())
}

fn fmt(root: &Path) -> anyhow::Result<()> {
    cargo(root, &["fmt", "--all", "--", "--check"])
}

fn codegen_check(root: &Path) -> anyhow::Result<()> {
    codegen::run(root, true)
}

fn clippy(root: &Path) -> anyhow::Result<()> {
    cargo(
        root,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
    )
}

fn test(root: &Path) -> anyhow::Result<()> {
    cargo(root, &["test", "--workspace", "--locked"])
}

/// Validates the bundled description with openapi-spec-validator, installed into a virtual
/// environment under `target/` the first time.
fn validate_description(root: &Path) -> anyhow::Result<()> {
    let venv = root.join("target/ci/venv");
    let bin = venv.join("bin");

    if !bin.join("openapi-spec-validator").exists() {
        let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
        spawn(Command::new(&python).args(["-m", "venv"]).arg(&venv))
            .with_context(|| format!("cannot make a virtual environment with `{python}`"))?;
        spawn(Command::new(bin.join("pip")).args(["install", "--quiet", OPENAPI_VALIDATOR]))?;
    }

    spawn(
        Command::new(bin.join("openapi-spec-validator"))
            .arg(root.join("openapi/bundled/highlevel.json")),
    )
}

fn cargo(root: &Path, args: &[&str]) -> anyhow::Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    spawn(Command::new(cargo).args(args).current_dir(root))
}

fn spawn(command: &mut Command) -> anyhow::Result<()> {
    let shown = format!("{command:?}");
    let status = command
        .status()
        .with_context(|| format!("cannot start {shown}"))?;
    if !status.success() {
        bail!("{shown} exited with {status}");
    }
    Ok(())
}
