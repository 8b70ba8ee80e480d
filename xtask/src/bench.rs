//! `cargo xtask bench [--smoke] [--runs N] [--jobs A,B] [--clients NAME]`: the benchmark
//! of every client of the project against the clients users would pick instead, on the same
//! jobs and the same server.
//!
//! This file gets everything ready: nginx and wrk (from Debian's packages when missing),
//! the project's clients built in release (the dev profile with `--smoke`), the Python and
//! Node packages laid out as users install them, and the peers at pinned versions (a
//! virtual environment under `target/bench/`, `npm ci` in `bench/clients/node`). Then
//! `bench/run.py` runs the jobs and writes the report into `target/bench/report/`.
//! `--smoke` runs every client on tiny jobs once, so that CI keeps the benchmark working;
//! its timings mean nothing.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};

use crate::process::{cargo, npm_ci, spawn, target_dir, venv};

/// The Python peers and the chart's library, pinned so that a release changes no figure
/// unseen.
const PYTHON_PEERS: [&str; 4] = [
    "requests==2.34.2",
    "httpx==0.29.0",
    "aiohttp==3.14.5",
    "matplotlib==3.11.2",
];

/// The Rust packages the benchmark runs: the sandbox and nginx's data, the command, the
/// Rust client, and the native halves of the Python and Node packages.
const PACKAGES: [&str; 5] = [
    "highlevel-sandbox",
    "highlevel-cli",
    "highlevel-bench",
    "highlevel-python",
    "highlevel-node",
];

/// The Python package's files that users get, besides its native module.
const PYTHON_FILES: [&str; 10] = [
    "__init__.py",
    "_base.py",
    "_client.py",
    "_errors.py",
    "_native.pyi",
    "_resources.py",
    "_resources.pyi",
    "_sandbox.py",
    "py.typed",
    "types.py",
];

/// The Node package's files that users get, besides its addon (its `files` list).
const NODE_FILES: [&str; 7] = [
    "index.js",
    "index.mjs",
    "index.d.ts",
    "client.d.ts",
    "generated.js",
    "native.js",
    "package.json",
];

/// `cargo xtask bench` with its flags.
pub(crate) fn run(root: &Path, args: &[&str]) -> anyhow::Result<()> {
    let mut smoke = false;
    let mut passed = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--smoke" => smoke = true,
            flag @ ("--runs" | "--jobs" | "--clients") => {
                let value = rest
                    .next()
                    .with_context(|| format!("{flag} needs a value"))?;
                if flag == "--runs" && value.parse::<u32>().is_err() {
                    bail!("--runs takes a number, not {value:?}");
                }
                passed.extend([flag.to_string(), value.to_string()]);
            }
            other => bail!(
                "cargo xtask bench does not take {other:?}; it takes --smoke, --runs N, \
                 --jobs A,B,C,D and --clients NAME"
            ),
        }
    }
    bench(root, smoke, &passed)
}

/// The benchmark's smoke run, as CI runs it.
pub(crate) fn smoke(root: &Path) -> anyhow::Result<()> {
    bench(root, true, &[])
}

/// Gets everything ready and runs `bench/run.py` with `passed`, flags it takes as they are.
fn bench(root: &Path, smoke: bool, passed: &[String]) -> anyhow::Result<()> {
    server_tools()?;

    let target = target_dir(root);
    let profile = if smoke { "debug" } else { "release" };
    let mut build = vec!["build", "--locked"];
    if smoke {
        // The whole workspace, as the other checks build it, so that CI builds nothing
        // again: features unify differently when only some packages are asked for.
        build.push("--workspace");
    } else {
        build.push("--release");
        for package in PACKAGES {
            build.extend(["-p", package]);
        }
    }
    cargo(root, &build)?;
    let binaries = target.join(profile);

    let work = target.join("bench");
    let python_package = work.join("python");
    lay_out_python(root, &binaries, &python_package.join("highlevel"))?;
    let node_package = work.join("node/highlevel");
    lay_out_node(root, &binaries, &node_package)?;
    let python = venv(&work.join("venv"), &PYTHON_PEERS)?.join("python");
    npm_ci(&root.join("bench/clients/node"))?;

    let name = if smoke { "report-smoke" } else { "report" };
    let mut command = Command::new(python);
    command
        .arg(root.join("bench/run.py"))
        .arg("--bin")
        .arg(&binaries)
        .arg("--python-package")
        .arg(&python_package)
        .arg("--node-package")
        .arg(&node_package)
        .arg("--work")
        .arg(work.join("work"))
        .arg("--out")
        .arg(work.join(name));
    if smoke {
        command.arg("--smoke");
    }
    spawn(command.args(passed).current_dir(root))
}

/// nginx serves the jobs and wrk measures its ceiling; both come from Debian's packages,
/// installed here when missing (the machines this runs on are Debian, as root).
fn server_tools() -> anyhow::Result<()> {
    let missing = |tool: &str| {
        Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .map(|out| !out.status.success())
            .unwrap_or(true)
    };
    if !missing("nginx") && !missing("wrk") {
        return Ok(());
    }
    eprintln!("bench: installing nginx and wrk from Debian's packages");
    spawn(Command::new("apt-get").args(["update", "-qq"]))
        .context("nginx and wrk are missing, and apt-get could not fetch them")?;
    spawn(
        Command::new("apt-get")
            .args([
                "install",
                "-y",
                "-qq",
                "--no-install-recommends",
                "nginx",
                "wrk",
            ])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// The Python package as a wheel would install it: its Python files and its native module
/// from `binaries`, in a folder of its own so that the source tree's copy is left alone.
fn lay_out_python(root: &Path, binaries: &Path, into: &Path) -> anyhow::Result<()> {
    let source = root.join("bindings/python/python/highlevel");
    let _ = std::fs::remove_dir_all(into);
    std::fs::create_dir_all(into)?;
    for file in PYTHON_FILES {
        copy(&source.join(file), &into.join(file))?;
    }
    copy(
        &binaries.join("lib_native.so"),
        &into.join("_native.abi3.so"),
    )
}

/// The Node package as its tarball would install it, with the addon from `binaries`.
fn lay_out_node(root: &Path, binaries: &Path, into: &Path) -> anyhow::Result<()> {
    let source = root.join("bindings/node");
    let _ = std::fs::remove_dir_all(into);
    std::fs::create_dir_all(into)?;
    for file in NODE_FILES {
        copy(&source.join(file), &into.join(file))?;
    }
    copy(
        &binaries.join("libhighlevel_node.so"),
        &into.join("highlevel.linux-x64-gnu.node"),
    )
}

fn copy(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::copy(from, to)
        .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))?;
    Ok(())
}
