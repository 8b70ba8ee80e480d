//! `cargo xtask ci`: every check the project has, in the order that fails fastest, with
//! whatever each check needs installed first. This is the README's test command and what
//! `.ci/run` runs, so it must work from a fresh clone with nothing else set up.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, bail};

use crate::codegen;

/// The Python tools the checks use, pinned so that a new release cannot fail CI: the
/// description's validator, and the property-based tester run against the sandbox.
const PYTHON_TOOLS: [&str; 2] = ["openapi-spec-validator==0.9.0", "schemathesis==4.32.5"];

type Check = fn(&Path) -> anyhow::Result<()>;

const CHECKS: [(&str, Check); 9] = [
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
    ("the sandbox under schemathesis", schemathesis),
    (
        "the Python package (ruff, pytest, mypy, stubtest)",
        crate::python_test::run,
    ),
    ("the Node package (node --test)", crate::node::test),
    (
        "Kotlin and Swift bindings (cargo xtask uniffi-test)",
        crate::uniffi_test::run,
    ),
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

/// Validates the bundled description with openapi-spec-validator.
fn validate_description(root: &Path) -> anyhow::Result<()> {
    let bin = python_tools(root)?;
    spawn(
        Command::new(bin.join("openapi-spec-validator"))
            .arg(root.join("openapi/bundled/highlevel.json")),
    )
}

/// Runs schemathesis against a sandbox server: no request may get a 5xx, and every answer
/// must fit the description's schemas. One worker: schemathesis's generator is not safe to
/// run in several threads on this Python (it fails inside `ast.parse`).
fn schemathesis(root: &Path) -> anyhow::Result<()> {
    let bin = python_tools(root)?;
    cargo(
        root,
        &[
            "build",
            "--locked",
            "-p",
            "highlevel-sandbox",
            "--bin",
            "highlevel-sandbox",
        ],
    )?;

    let sandbox = Sandbox::start(&root.join("target/debug/highlevel-sandbox"))?;
    let description = root.join("openapi/bundled/highlevel.json");
    let auth = "Authorization: Bearer sandbox-key";
    let config = root.join("crates/highlevel-sandbox/schemathesis.toml");
    // HighLevel's operations live under the proxy prefix; Maton's connection API at the
    // root, which its paths' own `servers` entries say and schemathesis does not follow.
    let runs = [
        (format!("{}/highlevel-pit", sandbox.url), "--exclude-tag"),
        (sandbox.url.clone(), "--include-tag"),
    ];
    for (url, filter) in runs {
        spawn(
            Command::new(bin.join("st"))
                .arg("--config-file")
                .arg(&config)
                .args(["run", "--url", &url, filter, "connections", "-H", auth])
                .args(["--checks", "not_a_server_error,response_schema_conformance"])
                .args([
                    "--max-examples",
                    "25",
                    "--seed",
                    "1",
                    "--workers",
                    "1",
                    "--no-color",
                ])
                .args(["--generation-database", "none", "--report-dir"])
                .arg(root.join("target/ci/schemathesis"))
                .arg(&description)
                .current_dir(root),
        )?;
    }
    Ok(())
}

/// A sandbox server process, stopped on drop.
struct Sandbox {
    child: std::process::Child,
    url: String,
    // Held open: the sandbox prints more after its first line, and a closed pipe would
    // make those prints fail.
    _stdout: BufReader<std::process::ChildStdout>,
}

impl Sandbox {
    /// Starts the binary with limits no fuzzer reaches, and reads its URL from its banner.
    fn start(binary: &Path) -> anyhow::Result<Self> {
        let mut child = Command::new(binary)
            .args([
                "--port",
                "0",
                "--burst",
                "4000000000",
                "--daily",
                "4000000000",
            ])
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot start {}", binary.display()))?;
        let stdout = child.stdout.take().context("the sandbox has no stdout")?;
        let mut stdout = BufReader::new(stdout);
        let mut banner = String::new();
        stdout.read_line(&mut banner)?;
        let url = banner
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .with_context(|| format!("unexpected sandbox banner: {banner:?}"))?
            .to_owned();
        Ok(Self {
            child,
            url,
            _stdout: stdout,
        })
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `bin` folder of a virtual environment under `target/` holding [`PYTHON_TOOLS`],
/// made and filled the first time.
fn python_tools(root: &Path) -> anyhow::Result<std::path::PathBuf> {
    let venv = root.join("target/ci/venv");
    let bin = venv.join("bin");
    let stamp = venv.join(PYTHON_TOOLS.join(" ").replace(['=', ' '], "_"));
    if stamp.exists() {
        return Ok(bin);
    }

    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    spawn(Command::new(&python).args(["-m", "venv"]).arg(&venv))
        .with_context(|| format!("cannot make a virtual environment with `{python}`"))?;
    spawn(
        Command::new(bin.join("pip"))
            .args(["install", "--quiet"])
            .args(PYTHON_TOOLS),
    )?;
    std::fs::write(&stamp, "")?;
    Ok(bin)
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
