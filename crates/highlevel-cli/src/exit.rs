//! How a failure reaches the shell: one line on standard error that names the kind, the
//! status and what the service said, and an exit code per kind that scripts can test.
//!
//! The codes are part of the command's interface; `highlevel --help` lists them.

use std::io::ErrorKind as IoKind;
use std::process::ExitCode;

use highlevel::{ConfigError, Error, ErrorKind};

/// Every exit code, with what it means; printed by `--help` and kept in step with
/// [`code`].
pub(crate) const CODES: &[(u8, &str)] = &[
    (0, "success"),
    (
        1,
        "an unexpected failure (standard output closed, an I/O error)",
    ),
    (
        2,
        "usage: an unknown flag, a bad value, a missing parameter",
    ),
    (
        3,
        "configuration: no API key, an unreadable config file, a bad setting",
    ),
    (
        4,
        "refused: a write declined, or not confirmed (--yes), or --read-only",
    ),
    (10, "bad_request (400)"),
    (11, "unauthorized (401): the API key or token was refused"),
    (
        12,
        "wrong_token_type (401): agency token for a sub-account operation, or the reverse",
    ),
    (13, "forbidden_location (403)"),
    (14, "not_found (404)"),
    (15, "validation (422)"),
    (16, "rate_limited (429), after retries"),
    (17, "server (5xx)"),
    (18, "gateway (502, 503, 504 or an HTML error page)"),
    (19, "timeout"),
    (20, "connection: the service could not be reached"),
    (
        21,
        "decode: an answer that is not the JSON the description promises",
    ),
];

/// Why a command failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// A call failed; the core says how.
    Api(Error),
    /// The client could not be configured.
    Config(String),
    /// The command line or its input is wrong.
    Usage(String),
    /// Reading input or writing output failed.
    Io(std::io::Error),
}

impl From<Error> for Failure {
    fn from(err: Error) -> Self {
        Self::Api(err)
    }
}

impl From<ConfigError> for Failure {
    fn from(err: ConfigError) -> Self {
        let text = match err {
            ConfigError::MissingApiKey => "no Maton API key: set MATON_API_KEY (from \
                 https://maton.ai/settings) or `api_key` in the config file; or try the \
                 built-in sandbox with --sandbox"
                .to_owned(),
            other => other.to_string(),
        };
        Self::Config(text)
    }
}

impl From<std::io::Error> for Failure {
    fn from(err: std::io::Error) -> Self {
        Self::Io(err)
    }
}

/// The exit code of `failure`.
pub(crate) fn code(failure: &Failure) -> u8 {
    match failure {
        Failure::Io(_) => 1,
        Failure::Usage(_) => 2,
        Failure::Config(_) => 3,
        Failure::Api(err) => match err.kind() {
            ErrorKind::InvalidArgument => 2,
            ErrorKind::Refused => 4,
            ErrorKind::BadRequest => 10,
            ErrorKind::Unauthorized => 11,
            ErrorKind::WrongTokenType => 12,
            ErrorKind::ForbiddenLocation => 13,
            ErrorKind::NotFound => 14,
            ErrorKind::Validation => 15,
            ErrorKind::RateLimited => 16,
            ErrorKind::Server => 17,
            ErrorKind::Gateway => 18,
            ErrorKind::Timeout => 19,
            ErrorKind::Connection => 20,
            ErrorKind::Decode => 21,
            _ => 1,
        },
    }
}

/// Prints `failure` as one line on standard error and answers its exit code. A closed
/// standard output (`highlevel ... | head`) is how pipes end, not a failure.
pub(crate) fn report(failure: &Failure) -> ExitCode {
    if let Failure::Io(err) = failure
        && err.kind() == IoKind::BrokenPipe
    {
        return ExitCode::SUCCESS;
    }
    eprintln!("{}", line(failure));
    ExitCode::from(code(failure))
}

/// The one line: `highlevel: error[not_found 404] getContact: Contact not found (trace id ...)`.
pub(crate) fn line(failure: &Failure) -> String {
    let text = match failure {
        Failure::Api(err) => {
            let mut head = format!("error[{}", err.kind().code());
            if let Some(status) = err.status() {
                head.push_str(&format!(" {status}"));
            }
            head.push(']');
            if let Some(op) = err.operation() {
                head.push_str(&format!(" {op}"));
            }
            let mut messages = err.messages().join("; ");
            if messages.is_empty() {
                messages = "no message".to_owned();
            }
            let mut text = format!("{head}: {messages}");
            if let Some(trace) = err.trace_id() {
                text.push_str(&format!(" (trace id {trace})"));
            }
            text
        }
        Failure::Config(text) => format!("error[config]: {text}"),
        Failure::Usage(text) => format!("error[usage]: {text}"),
        Failure::Io(err) => format!("error[io]: {err}"),
    };

    // One line, whatever the service put in its messages.
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    format!("highlevel: {flat}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_documented_once() {
        let mut seen = std::collections::HashSet::new();
        for (code, text) in CODES {
            assert!(seen.insert(code), "{code} is listed twice");
            assert!(!text.is_empty());
        }
        let failures = [
            Failure::Usage(String::new()),
            Failure::Config(String::new()),
            Failure::Io(std::io::Error::other("x")),
        ];
        for failure in &failures {
            assert!(seen.contains(&code(failure)), "{failure:?}");
        }
    }

    #[test]
    fn the_readme_lists_every_code() {
        let readme = include_str!("../../../README.md");
        for (code, _) in CODES {
            assert!(
                readme.contains(&format!("\n  | {code} | ")),
                "{code} is not in the README"
            );
        }
    }

    #[test]
    fn the_line_keeps_to_one_line() {
        let failure = Failure::Usage("first\nsecond\r\nthird".to_owned());
        assert!(!line(&failure).contains('\n'));
        assert!(line(&failure).contains("first second"));
    }
}
