//! `cargo xtask python-test`: builds the Python package's native module and checks the
//! package: ruff (over the benchmark's Python too), the pytest suite against the in-process
//! sandbox, `mypy --strict` on the example and the tests, and `mypy.stubtest` of the stubs
//! against the built module. CI runs it as one of its checks. Last, it builds a wheel with
//! maturin, installs it into a fresh virtual environment and uses it from outside the source
//! tree, so that what users install (the module, the Python files, `py.typed`) is checked,
//! not only the source folder.
//!
//! The tools live in a virtual environment under `target/python/`, pinned, made on first
//! use. The module is built by cargo with the rest of the workspace, so it shares the
//! workspace's build of the core, and is copied next to the package's Python files.

use std::path::Path;
use std::process::Command;

use anyhow::Context;

use crate::process::{cargo, spawn, target_dir, venv};

/// The tools the checks use, pinned so that a new release cannot fail CI.
const TOOLS: [&str; 5] = [
    "maturin==1.16.0",
    "pytest==9.2.0",
    "pytest-asyncio==1.5.0",
    "mypy==2.4.1",
    "ruff==0.17.5",
];

/// Every check of the Python package.
pub(crate) fn run(root: &Path) -> anyhow::Result<()> {
    let bin = venv(&root.join("target/python/venv"), &TOOLS)?;
    let package = root.join("bindings/python");

    cargo(root, &["build", "--workspace", "--locked"])?;
    let target = target_dir(root);
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
    // The benchmark's Python is held to the same rules (`bench/ruff.toml`).
    for args in [&["check"][..], &["format", "--check"]] {
        spawn(
            Command::new(bin.join("ruff"))
                .args(args)
                .current_dir(root.join("bench")),
        )?;
    }
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
    )?;

    installed_wheel(root, &bin, &target)
}

/// What the installed wheel must do: load from site-packages (the script runs in an empty
/// folder), ship its marker for type checkers, and answer a real call from the sandbox.
const INSTALLED_CHECK: &str = r#"
import pathlib, highlevel
here = pathlib.Path(highlevel.__file__).parent
assert "site-packages" in str(here), here
assert (here / "py.typed").is_file(), "py.typed is missing from the wheel"
with highlevel.Sandbox() as sandbox:
    page = sandbox.client().contacts.list(location_id="demo-location-1", limit=3)
    assert len(page["contacts"]) == 3, page
print("installed wheel works:", here)
"#;

/// Builds the wheel as users would (maturin; the dev profile so that the workspace's debug
/// build is reused), installs it into a new virtual environment and runs
/// [`INSTALLED_CHECK`] with it.
fn installed_wheel(root: &Path, tools: &Path, target: &Path) -> anyhow::Result<()> {
    let wheels = target.join("python/wheels");
    let _ = std::fs::remove_dir_all(&wheels);
    spawn(
        Command::new(tools.join("maturin"))
            .args(["build", "--profile", "dev", "--locked", "--quiet", "--out"])
            .arg(&wheels)
            .current_dir(root.join("bindings/python")),
    )?;
    let wheel = std::fs::read_dir(&wheels)?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .find(|path| path.extension().is_some_and(|ext| ext == "whl"))
        .with_context(|| format!("maturin wrote no wheel into {}", wheels.display()))?;

    let venv = target.join("python/installed");
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    spawn(
        Command::new(&python)
            .args(["-m", "venv", "--clear"])
            .arg(&venv),
    )?;
    let bin = venv.join("bin");
    spawn(
        Command::new(bin.join("pip"))
            .args([
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
            ])
            .arg(&wheel),
    )?;

    let empty = target.join("python/elsewhere");
    std::fs::create_dir_all(&empty)?;
    spawn(
        Command::new(bin.join("python"))
            .args(["-c", INSTALLED_CHECK])
            .env_remove("PYTHONPATH")
            .current_dir(&empty),
    )
}
