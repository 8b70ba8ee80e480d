//! Running the tools the tasks drive: a command to its end, cargo, and the Python virtual
//! environments that hold pinned tools. Every task starts its processes through here, so a
//! failure always names the whole command and how it ended.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

/// Runs `command` to its end; an error if it could not start or did not succeed.
pub(crate) fn spawn(command: &mut Command) -> anyhow::Result<()> {
    let shown = format!("{command:?}");
    let status = command
        .status()
        .with_context(|| format!("cannot start {shown}"))?;
    if !status.success() {
        bail!("{shown} exited with {status}");
    }
    Ok(())
}

/// Runs the cargo that runs this task (`CARGO`), in `root`, with `args`.
pub(crate) fn cargo(root: &Path, args: &[&str]) -> anyhow::Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    spawn(Command::new(cargo).args(args).current_dir(root))
}

/// Where cargo puts its output: `CARGO_TARGET_DIR`, or `target/`.
pub(crate) fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(|dir| root.join(dir))
        .unwrap_or_else(|| root.join("target"))
}

/// The `bin` folder of a virtual environment at `venv` holding `packages` (pinned
/// requirements), made and filled the first time. A stamp file named after the packages
/// marks a finished install, so a changed pin or an install cut short starts it over.
pub(crate) fn venv(venv: &Path, packages: &[&str]) -> anyhow::Result<PathBuf> {
    let bin = venv.join("bin");
    let stamp = venv.join(packages.join(" ").replace(['=', ' '], "_"));
    if stamp.exists() {
        return Ok(bin);
    }

    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    spawn(
        Command::new(&python)
            .args(["-m", "venv", "--clear"])
            .arg(venv),
    )
    .with_context(|| format!("cannot make a virtual environment with `{python}`"))?;
    spawn(
        Command::new(bin.join("pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .args(packages),
    )?;

    std::fs::write(&stamp, "")?;
    Ok(bin)
}

/// `npm ci` in `dir` from its committed lock file, unless `node_modules` already holds
/// what that lock file names (a copy of it is kept there once an install finishes).
pub(crate) fn npm_ci(dir: &Path) -> anyhow::Result<()> {
    let lock = std::fs::read(dir.join("package-lock.json"))?;
    let stamp = dir.join("node_modules/.highlevel-lock");
    if std::fs::read(&stamp).is_ok_and(|installed| installed == lock) {
        return Ok(());
    }

    spawn(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir),
    )?;
    std::fs::write(&stamp, lock)?;
    Ok(())
}
