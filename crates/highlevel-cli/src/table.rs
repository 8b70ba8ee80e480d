//! The shapes of the generated command table (`generated/commands.rs`): what the CLI knows
//! about each operation's command, its flags and their help, as the description gives them.

/// The commands of one resource group, such as `contacts`.
#[derive(Debug)]
pub(crate) struct Group {
    /// The subcommand name: the description's tag.
    pub name: &'static str,
    /// One line about the group.
    pub about: &'static str,
    /// The group's commands, sorted by name.
    pub commands: &'static [Command],
}

/// One operation as a command, such as `contacts list`.
#[derive(Debug)]
pub(crate) struct Command {
    /// The command name within its group (`list`, `add-tags`).
    pub name: &'static str,
    /// The operation's name in the core's table (`list_contacts`).
    pub operation: &'static str,
    /// The operation's summary.
    pub about: &'static str,
    /// The summary, the description's text and notes on paging, confirmation and bodies.
    pub long_about: &'static str,
    /// The path and query parameters, then the top-level fields of the body.
    pub args: &'static [Arg],
    /// `Some(required)` when the operation takes a JSON body.
    pub body: Option<bool>,
}

/// A parameter or body field, as a flag.
#[derive(Debug)]
pub(crate) struct Arg {
    /// The name in the description (`locationId`).
    pub name: &'static str,
    /// The flag, without its dashes (`location-id`).
    pub flag: &'static str,
    /// Where the value travels.
    pub place: Place,
    /// Whether the description requires it.
    pub required: bool,
    /// One line of help.
    pub help: &'static str,
    /// How the flag's text becomes JSON.
    pub kind: Kind,
    /// The values the description lists, if it lists any.
    pub values: &'static [&'static str],
    /// The value the service assumes when the flag is absent.
    pub default: Option<&'static str>,
}

/// Where an [`Arg`] travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    Path,
    Query,
    Body,
}

/// How an [`Arg`]'s text becomes JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    String,
    Integer,
    Number,
    Boolean,
    /// A list of scalars: comma-separated, or the flag repeated.
    List,
    /// Anything else, written as JSON.
    Json,
}
