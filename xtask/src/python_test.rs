//! `cargo xtask python-test`: builds the Python package's native module and checks the
//! package: ruff, the pytest suite against the in-process sandbox, `mypy --strict` on the
//! example and the tests, and `mypy.stubtest` of the stubs against the built module. CI
//! runs it as one of its checks.
//!
//! The tools live in a virtual environment under `target/python/`, pinned, made on first
//! use. The module is built by cargo with the rest of the workspace, so it shares the
//! workspace's build of the core, and is copied next to the package's Python files.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;

/// The tools the checks use, pinned so that a new release cannot fail CI.
const TOOLS: [&str; 4] = [
    "pytest==9.2.0",
    "pytest-asyncio==1.5.0",
    "mypy==2.4.1",
    "ruff==0.17.5",
];

/// Every check of the Python package.
pub(crate) fn run(root: &Path) -> anyhow::Result<()> {
    let bin = tools(root)?;
    let package = root.join("bindings/python");

    cargo(root, &["build", "--workspace", "--locked"])?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let built = target.join("debug/lib_native.so");
    let module = package.join("python/highlevel/_native.abi3.so");
    std::fs::copy(&built, &module)
        .with_context(|| format!("cannot copy {} next to the package", built.display()))?;

    let python = bin.join("python");
    spawn(
        Command::new(bin.join("ruff"))
            .arg("check")
            .current_dir(&package),
    )?;
    spawn(
        Command::new(bin.join("ruff"))
            .args(["format", "--check"])
            .current_dir(&package),
    )?;
    spawn(
        Command::new(&python)
            .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
            .env("PYTHONPATH", package.join("python"))
            .current_dir(&package),
    )?;
    spawn(
        Command::new(&python)
            .args(["-m", "mypy", "--strict", "--no-incremental"])
            .args(["examples", "tests"])
            .env("MYPYPATH", package.join("python"))
            .current_dir(&package),
    )?;
    spawn(
        Command::new(&python)
            .args(["-m", "mypy.stubtest", "highlevel"])
            .env("PYTHONPATH", package.join("python"))
            .env("MYPYPATH", package.join("python"))
            .current_dir(&package),
    )
}

/// The `bin` folder of the virtual environment holding [`TOOLS`], made the first time.
fn tools(root: &Path) -> anyhow::Result<PathBuf> {
    let venv = root.join("target/python/venv");
    let bin = venv.join("bin");
    let stamp = venv.join(TOOLS.join(" ").replace(['=', ' '], "_"));
    if stamp.exists() {
        return Ok(bin);
    }

    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    spawn(
        Command::new(&python)
            .args(["-m", "venv", "--clear"])
            .arg(&venv),
    )
    .with_context(|| format!("cannot make a virtual environment with `{python}`"))?;
    spawn(
        Command::new(bin.join("pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .args(TOOLS),
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
    anyhow::ensure!(status.success(), "{shown} exited with {status}");
    Ok(())
}
