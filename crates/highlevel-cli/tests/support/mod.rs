//! Running the built `highlevel` binary against a sandbox started in the test process, with
//! a clean environment: no config file of the machine's user, no Maton settings but ours.

#![allow(dead_code, reason = "each test file uses its own part of this module")]

use std::path::{Path, PathBuf};
use std::process::Stdio;

use highlevel_sandbox::{LOCATION_IDS, Sandbox, SandboxConfig};
use tokio::io::AsyncWriteExt;

/// The API key the test sandboxes accept; distinctive, so a leak of it is easy to find.
pub const KEY: &str = "sk-cli-test-7f3a9c0e51";

/// What a run of the command gave.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The standard output as JSON, or a failure that shows the run.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:?}"))
    }

    /// Fails the test unless the command succeeded.
    pub fn ok(self) -> Self {
        assert_eq!(self.code, 0, "the command failed: {self:?}");
        self
    }
}

/// A sandbox and a home folder for one test.
pub struct Cli {
    pub sandbox: Sandbox,
    home: tempfile::TempDir,
}

impl Cli {
    pub async fn start() -> Self {
        let config = SandboxConfig {
            api_key: KEY.to_owned(),
            ..SandboxConfig::default()
        };
        Self {
            sandbox: Sandbox::start(config).await.expect("the sandbox starts"),
            home: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    /// The temporary home folder, for config and body files.
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// Runs `highlevel args` against the sandbox, with standard input closed.
    pub async fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[], None).await
    }

    /// Runs `highlevel args` with extra environment variables and, if given, `stdin`.
    pub async fn run_with(&self, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Run {
        let mut command = tokio::process::Command::from(self.command(args));
        for (name, value) in env {
            command.env(name, value);
        }
        command
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());

        let mut child = command.spawn().expect("the command starts");
        if let Some(text) = stdin {
            let mut pipe = child.stdin.take().expect("a stdin pipe");
            pipe.write_all(text.as_bytes())
                .await
                .expect("stdin is written");
        }
        let output = child.wait_with_output().await.expect("the command ends");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// The command line `highlevel args`, configured for the sandbox through the
    /// environment as a user would configure it for Maton.
    pub fn command(&self, args: &[&str]) -> std::process::Command {
        let mut command = std::process::Command::new(binary());
        command
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("XDG_CONFIG_HOME", self.home().join("config"))
            .env("MATON_API_KEY", KEY)
            .env("HIGHLEVEL_BASE_URL", self.sandbox.proxy_url())
            .env("MATON_BASE_URL", self.sandbox.url())
            .env("MATON_CONNECTION", "conn-location-1")
            .env("MATON_AGENCY_CONNECTION", "conn-agency")
            .env("HIGHLEVEL_LOCATION_ID", LOCATION_IDS[0]);
        command
    }
}

/// The binary cargo built for these tests.
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_highlevel"))
}
