//! `cargo xtask ci`: every check the project has, in the order that fails fastest, with
//! whatever each check needs installed first. This is the README's test command and what
//! `.ci/run` runs, so it must work from a fresh clone with nothing else set up.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, bail};

use crate::codegen;
use crate::process::{cargo, spawn, venv};

/// The Python tools the checks use, pinned so that a new release cannot fail CI: the
/// description's validator, and the property-based tester run against the sandbox.
const PYTHON_TOOLS: [&str; 2] = ["openapi-spec-validator==0.9.0", "schemathesis==4.32.5"];

type Check = fn(&Path) -> anyhow::Result<()>;

const CHECKS: [(&str, Check); 10] = [
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
    (
        "the benchmark, on tiny jobs (cargo xtask bench --smoke)",
        crate::bench::smoke,
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
    let bin = venv(&root.join("target/ci/venv"), &PYTHON_TOOLS)?;
    spawn(
        Command::new(bin.join("openapi-spec-validator"))
            .arg(root.join("openapi/bundled/highlevel.json")),
    )
}

/// Runs schemathesis against a sandbox server: no request may get a 5xx, and every answer
/// must fit the description's schemas. One worker: schemathesis's generator is not safe to
/// run in several threads on this Python (it fails inside `ast.parse`).
fn schemathesis(root: &Path) -> anyhow::Result<()> {
    let bin = venv(&root.join("target/ci/venv"), &PYTHON_TOOLS)?;
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
