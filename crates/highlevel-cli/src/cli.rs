//! The command tree: the generated table turned into clap commands, the flags every
//! command shares, and the commands that are not operations (`sandbox`, `completions`).

use std::ffi::OsStr;
use std::io::IsTerminal;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Arg as Flag, ArgAction, Args as _, Command as Clap, value_parser};
use highlevel_sandbox::ServeOptions;

use crate::generated::commands::GROUPS;
use crate::table::{Command, Group, Kind, Place};
use crate::{exit, input};

const ABOUT: &str = "Every HighLevel CRM operation from the shell, through Maton's proxy.";

const LONG_ABOUT: &str = "\
Every HighLevel CRM operation from the shell, through Maton's proxy.

Commands are grouped by resource: `highlevel contacts list`, `highlevel opportunities \
update`. Each flag is a parameter or body field the operation documents; `--help` on a command \
shows them. Try it offline first with the built-in sandbox:

    highlevel --sandbox contacts list --limit 3 --output table

Configuration comes from flags, then the environment (MATON_API_KEY, MATON_CONNECTION, \
MATON_AGENCY_CONNECTION, MATON_LOCATION_CONNECTIONS, HIGHLEVEL_LOCATION_ID, \
HIGHLEVEL_COMPANY_ID, HIGHLEVEL_BASE_URL, MATON_BASE_URL), then the config file (--config, \
HIGHLEVEL_CONFIG, or ~/.config/highlevel/config.toml) with the keys api_key, connection, \
agency_connection, location, company, location_connections, base_url, maton_base_url and \
output.";

/// The whole command tree.
pub(crate) fn command() -> Clap {
    let mut root = Clap::new("highlevel")
        .version(env!("CARGO_PKG_VERSION"))
        .about(ABOUT)
        .long_about(LONG_ABOUT)
        .after_long_help(exit_codes())
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args(global_flags());
    if !std::io::stdout().is_terminal() {
        // Help piped to a file or a test reads the same whatever the terminal.
        root = root.term_width(100);
    } else {
        root = root.max_term_width(100);
    }

    for group in GROUPS {
        root = root.subcommand(group_command(group));
    }
    root.subcommand(sandbox()).subcommand(completions())
}

/// The command of `group name`, if there is one.
pub(crate) fn find(group: &str, name: &str) -> Option<&'static Command> {
    let group = GROUPS.iter().find(|g| g.name == group)?;
    group.commands.iter().find(|c| c.name == name)
}

fn exit_codes() -> String {
    let mut text = String::from("Exit codes:\n");
    for (code, meaning) in exit::CODES {
        text.push_str(&format!("  {code:>2}  {meaning}\n"));
    }
    text
}

fn global_flags() -> Vec<Flag> {
    let flags = [
        Flag::new("output")
            .long("output")
            .short('o')
            .value_name("FORMAT")
            .value_parser(["json", "jsonl", "table", "csv"])
            .help("json (pretty on a terminal, compact in a pipe), jsonl, table or csv"),
        Flag::new("columns")
            .long("columns")
            .value_name("NAMES")
            .value_delimiter(',')
            .help("The fields to show in table and csv output (dotted paths reach inside)"),
        Flag::new("yes")
            .long("yes")
            .short('y')
            .action(ArgAction::SetTrue)
            .help("Make changes without asking for confirmation"),
        Flag::new("read-only")
            .long("read-only")
            .action(ArgAction::SetTrue)
            .help("Refuse every create, update and delete before it is sent"),
        Flag::new("sandbox")
            .long("sandbox")
            .action(ArgAction::SetTrue)
            .help("Run against a built-in sandbox with demo data instead of Maton"),
        Flag::new("connection")
            .long("connection")
            .value_name("ID")
            .help("The sub-account connection to use (overrides MATON_CONNECTION)"),
        Flag::new("agency-connection")
            .long("agency-connection")
            .value_name("ID")
            .help("The agency connection to use (overrides MATON_AGENCY_CONNECTION)"),
        Flag::new("location")
            .long("location")
            .value_name("ID")
            .help("The location id operations use when not given one (HIGHLEVEL_LOCATION_ID)"),
        Flag::new("company").long("company").value_name("ID").help(
            "The agency's company id operations use when not given one (HIGHLEVEL_COMPANY_ID)",
        ),
        Flag::new("config")
            .long("config")
            .value_name("FILE")
            .help("The config file (HIGHLEVEL_CONFIG, or ~/.config/highlevel/config.toml)"),
        Flag::new("verbose")
            .long("verbose")
            .short('v')
            .action(ArgAction::Count)
            .help("Log each request on standard error; twice to add bodies"),
    ];
    flags
        .into_iter()
        .map(|f| f.global(true).help_heading("Global options"))
        .collect()
}

fn group_command(group: &'static Group) -> Clap {
    let mut clap = Clap::new(group.name)
        .about(group.about)
        .subcommand_required(true)
        .arg_required_else_help(true);
    for command in group.commands {
        clap = clap.subcommand(operation_command(command));
    }
    clap
}

fn operation_command(command: &'static Command) -> Clap {
    let paginated = highlevel::Operation::find(command.operation)
        .and_then(|op| op.pagination.as_ref())
        .is_some();
    let location = highlevel::Operation::find(command.operation)
        .and_then(|op| op.location.as_ref())
        .map(|l| l.name);

    let mut clap = Clap::new(command.name)
        .about(command.about)
        .long_about(command.long_about);
    for arg in command.args {
        let default = if location == Some(arg.name) {
            Some("--location")
        } else if arg.name == input::COMPANY_FIELD {
            Some("--company")
        } else {
            None
        };
        clap = clap.arg(flag(arg, default));
    }
    if command.body.is_some() {
        clap = clap.arg(
            Flag::new("body")
                .long("body")
                .value_name("JSON|@FILE|-")
                .help_heading("Body fields")
                .help("The request body as JSON, @file to read a file, - to read standard input"),
        );
    }
    if paginated {
        clap = clap
            .arg(
                Flag::new("all")
                    .long("all")
                    .action(ArgAction::SetTrue)
                    .help_heading("Paging")
                    .help("Walk every page, printing items as they come"),
            )
            .arg(
                Flag::new("max-items")
                    .long("max-items")
                    .value_name("N")
                    .requires("all")
                    .help_heading("Paging")
                    .value_parser(value_parser!(usize))
                    .help("With --all, stop after this many items"),
            );
    }
    clap
}

/// The flag of one parameter or body field. One that a global flag can fill (`default`,
/// such as `--location`) is never required on the command line.
fn flag(arg: &'static crate::table::Arg, default: Option<&str>) -> Flag {
    let mut help = arg.help.to_owned();
    if !arg.values.is_empty() && arg.kind != Kind::String {
        help.push_str(&format!(" [values: {}]", arg.values.join(", ")));
    }
    if let Some(default) = arg.default {
        help.push_str(&format!(" [service default: {default}]"));
    }
    if arg.place == Place::Body && arg.required {
        help.push_str(" [required in the body]");
    }
    if let Some(flag) = default {
        help.push_str(&format!(" [default: {flag}]"));
    }

    let heading = match arg.place {
        Place::Path | Place::Query => "Parameters",
        Place::Body => "Body fields",
    };
    let mut flag = Flag::new(arg.flag)
        .long(arg.flag)
        .help(help)
        .help_heading(heading);
    flag = match arg.kind {
        Kind::Boolean => flag
            .value_name("BOOL")
            .num_args(0..=1)
            .default_missing_value("true")
            .value_parser(value_parser!(bool)),
        Kind::Integer => flag.value_name("INT").value_parser(value_parser!(i64)),
        Kind::Number => flag.value_name("NUMBER").value_parser(value_parser!(f64)),
        Kind::List => flag
            .value_name("ITEMS")
            .action(ArgAction::Append)
            .value_delimiter(','),
        Kind::Json => flag.value_name("JSON"),
        Kind::String if arg.values.is_empty() => flag.value_name("TEXT"),
        Kind::String => flag.value_name("TEXT").value_parser(Lenient(arg.values)),
    };
    let required = arg.required && arg.place != Place::Body && default.is_none();
    flag.required(required)
}

/// Text that may be any of the values the description lists, or another: the service may
/// accept values the description does not know yet. The listed ones show in help and
/// completions.
#[derive(Clone)]
struct Lenient(&'static [&'static str]);

impl TypedValueParser for Lenient {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &Clap,
        _arg: Option<&Flag>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        let text = value
            .to_str()
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidUtf8).with_cmd(cmd))?;
        Ok(text.to_owned())
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.0.iter().map(|v| PossibleValue::new(*v))))
    }
}

fn sandbox() -> Clap {
    // The options' own doc comment would become the about text; ours replaces it after.
    ServeOptions::augment_args(Clap::new("sandbox"))
        .about("Serve the sandbox (an offline emulation of Maton and HighLevel) until stopped")
        .long_about(
            "Serve the sandbox, an offline emulation of Maton's proxy and the HighLevel API \
             with demo data, on 127.0.0.1 until interrupted. It prints its URL, API key and \
             demo ids.",
        )
}

fn completions() -> Clap {
    Clap::new("completions")
        .about("Print a shell completion script (bash, zsh or fish)")
        .long_about(
            "Print a shell completion script. For bash: \
             `highlevel completions bash > ~/.local/share/bash-completion/completions/highlevel`; \
             zsh: write it to a folder on $fpath as `_highlevel`; fish: \
             `highlevel completions fish > ~/.config/fish/completions/highlevel.fish`.",
        )
        .arg(
            Flag::new("shell")
                .required(true)
                .value_parser(value_parser!(clap_complete::Shell)),
        )
}
