//! Where the command's settings come from: flags first, then the environment, then the
//! config file. The core reads the environment itself ([`ClientBuilder::env`]); this module
//! reads the file under it and lays the flags over it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::ArgMatches;
use highlevel::ClientBuilder;
use highlevel_sandbox::{
    AGENCY_CONNECTION, COMPANY_ID, LOCATION_CONNECTIONS, LOCATION_IDS, Sandbox,
};
use serde::Deserialize;

use crate::confirm;
use crate::exit::Failure;
use crate::input::Defaults;

/// The environment variable naming the config file.
const ENV_CONFIG: &str = "HIGHLEVEL_CONFIG";
/// The environment variable holding the default location id.
const ENV_LOCATION: &str = "HIGHLEVEL_LOCATION_ID";
/// The environment variable holding the default company id.
const ENV_COMPANY: &str = "HIGHLEVEL_COMPANY_ID";

/// The config file's keys. Unknown keys are refused, so a typo does not pass silently.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    api_key: Option<String>,
    connection: Option<String>,
    agency_connection: Option<String>,
    location: Option<String>,
    company: Option<String>,
    #[serde(default)]
    location_connections: BTreeMap<String, String>,
    base_url: Option<String>,
    maton_base_url: Option<String>,
    output: Option<String>,
}

/// The settings of one run.
pub(crate) struct Settings {
    file: File,
    /// Run against an in-process sandbox instead of the configured service.
    pub(crate) sandbox: bool,
    connection: Option<String>,
    agency_connection: Option<String>,
    location: Option<String>,
    company: Option<String>,
    read_only: bool,
    yes: bool,
}

impl Settings {
    /// Reads the config file and the flags of `matches`.
    pub(crate) fn load(matches: &ArgMatches) -> Result<Self, Failure> {
        let explicit = matches
            .get_one::<String>("config")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os(ENV_CONFIG).map(PathBuf::from));
        let file = match explicit {
            Some(path) => read(&path)?,
            None => match default_path() {
                Some(path) if path.exists() => read(&path)?,
                _ => File::default(),
            },
        };

        let flag = |id: &str| matches.get_one::<String>(id).cloned();
        Ok(Self {
            file,
            sandbox: matches.get_flag("sandbox"),
            connection: flag("connection"),
            agency_connection: flag("agency-connection"),
            location: flag("location"),
            company: flag("company"),
            read_only: matches.get_flag("read-only"),
            yes: matches.get_flag("yes"),
        })
    }

    /// The output format the config file asks for, if any.
    pub(crate) fn output(&self) -> Option<&str> {
        self.file.output.as_deref()
    }

    /// The ids that fill an operation's location and company when its flags leave them
    /// out: the flag, the environment, the file, or the sandbox's demo ids.
    pub(crate) fn defaults(&self, sandbox: bool) -> Defaults {
        let env = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
        let (location, company) = match sandbox {
            true => (
                Some(LOCATION_IDS[0].to_owned()),
                Some(COMPANY_ID.to_owned()),
            ),
            false => (
                env(ENV_LOCATION).or_else(|| self.file.location.clone()),
                env(ENV_COMPANY).or_else(|| self.file.company.clone()),
            ),
        };
        Defaults {
            location: self.location.clone().or(location),
            company: self.company.clone().or(company),
        }
    }

    /// A client builder with every setting but the write guard. With a sandbox, its URLs,
    /// key and demo connections replace the configured service.
    pub(crate) fn builder(&self, sandbox: Option<&Sandbox>) -> ClientBuilder {
        let mut builder = match sandbox {
            Some(sandbox) => sandbox_builder(sandbox),
            None => self.file_builder().env(),
        };
        if let Some(id) = &self.connection {
            builder = builder.connection(id);
        }
        if let Some(id) = &self.agency_connection {
            builder = builder.agency_connection(id);
        }
        builder.user_agent(concat!("highlevel-cli/", env!("CARGO_PKG_VERSION")))
    }

    /// Adds the write guard: `--read-only`, or a confirmation prompt unless `--yes`.
    pub(crate) fn guard(&self, builder: ClientBuilder, context: confirm::Context) -> ClientBuilder {
        if self.read_only {
            return builder.read_only(true);
        }
        if self.yes {
            return builder;
        }
        builder.approve_writes(move |write| confirm::ask(write, context.clone()))
    }

    fn file_builder(&self) -> ClientBuilder {
        let file = &self.file;
        let mut builder = ClientBuilder::default();
        if let Some(key) = &file.api_key {
            builder = builder.api_key(key);
        }
        if let Some(url) = &file.base_url {
            builder = builder.base_url(url);
        }
        if let Some(url) = &file.maton_base_url {
            builder = builder.maton_base_url(url);
        }
        if let Some(id) = &file.connection {
            builder = builder.connection(id);
        }
        if let Some(id) = &file.agency_connection {
            builder = builder.agency_connection(id);
        }
        for (location, id) in &file.location_connections {
            builder = builder.location_connection(location, id);
        }
        builder
    }
}

fn sandbox_builder(sandbox: &Sandbox) -> ClientBuilder {
    ClientBuilder::default()
        .api_key(sandbox.api_key())
        .base_url(sandbox.proxy_url())
        .maton_base_url(sandbox.url())
        .connection(LOCATION_CONNECTIONS[0])
        .agency_connection(AGENCY_CONNECTION)
        .location_connection(LOCATION_IDS[1], LOCATION_CONNECTIONS[1])
}

/// `$XDG_CONFIG_HOME/highlevel/config.toml`, or `~/.config/highlevel/config.toml`.
fn default_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".config")))?;
    Some(base.join("highlevel").join("config.toml"))
}

fn read(path: &Path) -> Result<File, Failure> {
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::Config(format!("cannot read the config file {shown}: {e}")))?;
    // toml's message quotes the offending line, which could hold the API key; the line and
    // column are enough to find the mistake.
    toml::from_str(&text).map_err(|e| {
        let at = e
            .span()
            .map(|span| {
                let line = text[..span.start].lines().count().max(1);
                format!(" at line {line}")
            })
            .unwrap_or_default();
        Failure::Config(format!(
            "the config file {shown} is not valid{at}: {}",
            e.message()
        ))
    })
}
