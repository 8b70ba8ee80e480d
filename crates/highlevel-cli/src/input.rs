//! From flags to a request: path and query parameters as a JSON map, and the body from
//! `--body` (JSON, `@file` or `-` for standard input) with the body flags laid over it.

use std::io::Read;

use clap::ArgMatches;
use highlevel::{Operation, ParamPlace};
use serde_json::{Map, Number, Value};

use crate::exit::Failure;
use crate::table::{Arg, Command, Kind, Place};

/// The parameter or body field that names the agency, which `--company` fills.
pub(crate) const COMPANY_FIELD: &str = "companyId";

/// The ids that fill an operation's parameters when the flags leave them out.
#[derive(Debug, Default)]
pub(crate) struct Defaults {
    pub(crate) location: Option<String>,
    pub(crate) company: Option<String>,
}

/// The parameters and body of one call.
#[derive(Debug)]
pub(crate) struct Request {
    pub(crate) params: Map<String, Value>,
    pub(crate) body: Option<Value>,
}

impl Request {
    /// The location id the request carries, where its operation has one.
    pub(crate) fn location(&self, op: &Operation) -> Option<&str> {
        let place = op.location.as_ref()?;
        let value = match place.place {
            ParamPlace::Path | ParamPlace::Query => self.params.get(place.name),
            ParamPlace::Body => self.body.as_ref().and_then(|b| b.get(place.name)),
        };
        value.and_then(Value::as_str)
    }
}

/// Reads the request of `command` from `matches`, filling the operation's location and
/// company from `defaults` when the flags leave them out.
pub(crate) fn request(
    command: &Command,
    op: &Operation,
    matches: &ArgMatches,
    defaults: &Defaults,
) -> Result<Request, Failure> {
    let mut params = Map::new();
    let mut fields = Map::new();
    for arg in command.args {
        let Some(value) = value(arg, matches)? else {
            continue;
        };
        match arg.place {
            Place::Path | Place::Query => params.insert(arg.name.to_owned(), value),
            Place::Body => fields.insert(arg.name.to_owned(), value),
        };
    }

    let mut body = match matches.try_get_one::<String>("body").ok().flatten() {
        Some(source) => Some(read_body(source)?),
        None => None,
    };
    if !fields.is_empty() {
        match body.get_or_insert_with(|| Value::Object(Map::new())) {
            Value::Object(object) => object.extend(fields),
            _ => {
                return Err(Failure::Usage(
                    "--body must be a JSON object when body flags are given too".to_owned(),
                ));
            }
        }
    }

    if let Some(company) = &defaults.company {
        let arg = command.args.iter().find(|a| a.name == COMPANY_FIELD);
        match arg.map(|a| a.place) {
            Some(Place::Path | Place::Query) => {
                params
                    .entry(COMPANY_FIELD)
                    .or_insert_with(|| Value::String(company.clone()));
            }
            Some(Place::Body) => {
                if let Some(Value::Object(object)) = body.as_mut() {
                    object
                        .entry(COMPANY_FIELD)
                        .or_insert_with(|| Value::String(company.clone()));
                } else if body.is_none() {
                    let mut object = Map::new();
                    object.insert(COMPANY_FIELD.to_owned(), Value::String(company.clone()));
                    body = Some(Value::Object(object));
                }
            }
            None => {}
        }
    }

    let location = defaults.location.as_deref();
    if let (Some(place), Some(location)) = (op.location.as_ref(), location) {
        match place.place {
            ParamPlace::Path | ParamPlace::Query => {
                params
                    .entry(place.name)
                    .or_insert_with(|| Value::String(location.to_owned()));
            }
            ParamPlace::Body => {
                let object = body.get_or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(object) = object {
                    object
                        .entry(place.name)
                        .or_insert_with(|| Value::String(location.to_owned()));
                }
            }
        }
    }

    if command.body == Some(true) && body.is_none() {
        body = Some(Value::Object(Map::new()));
    }
    if let (Some(required), Some(Value::Object(object))) = (op.body_required, &body) {
        let missing: Vec<String> = required
            .iter()
            .filter(|name| !object.contains_key(**name))
            .map(|name| flag_of(command, name))
            .collect();
        if !missing.is_empty() {
            return Err(Failure::Usage(format!(
                "`{}` needs {} (as flags, or fields of --body)",
                command.name,
                missing.join(", ")
            )));
        }
    }
    Ok(Request { params, body })
}

/// The JSON value of `arg`'s flag, if it was given.
fn value(arg: &Arg, matches: &ArgMatches) -> Result<Option<Value>, Failure> {
    let id = arg.flag;
    let value = match arg.kind {
        Kind::Boolean => matches.get_one::<bool>(id).map(|b| Value::Bool(*b)),
        Kind::Integer => matches.get_one::<i64>(id).map(|n| Value::from(*n)),
        Kind::Number => match matches.get_one::<f64>(id) {
            None => None,
            Some(n) => Some(
                number(*n)
                    .ok_or_else(|| Failure::Usage(format!("--{id} must be a finite number")))?,
            ),
        },
        Kind::List => matches
            .get_many::<String>(id)
            .map(|items| Value::Array(items.map(|s| Value::String(s.clone())).collect())),
        Kind::Json => match matches.get_one::<String>(id) {
            None => None,
            Some(text) => Some(
                serde_json::from_str(text)
                    .map_err(|e| Failure::Usage(format!("--{id} must be JSON: {e}")))?,
            ),
        },
        Kind::String => matches
            .get_one::<String>(id)
            .map(|s| Value::String(s.clone())),
    };
    Ok(value)
}

/// A whole number stays whole (`--limit 5` sends `5`, not `5.0`).
fn number(n: f64) -> Option<Value> {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        // Checked above: whole and well inside i64's exact range.
        #[allow(
            clippy::cast_possible_truncation,
            reason = "the value is whole and in range"
        )]
        return Some(Value::from(n as i64));
    }
    Number::from_f64(n).map(Value::Number)
}

/// The body named by `--body`: JSON text, `@path` for a file, `-` for standard input.
fn read_body(source: &str) -> Result<Value, Failure> {
    let (text, from) = if source == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(|e| {
            Failure::Usage(format!("cannot read the body from standard input: {e}"))
        })?;
        (text, "standard input".to_owned())
    } else if let Some(path) = source.strip_prefix('@') {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::Usage(format!("cannot read the body file {path}: {e}")))?;
        (text, path.to_owned())
    } else {
        (source.to_owned(), "--body".to_owned())
    };
    serde_json::from_str(&text)
        .map_err(|e| Failure::Usage(format!("the body in {from} is not JSON: {e}")))
}

/// How the user gives the body field `name`: its flag, or its name in `--body`.
fn flag_of(command: &Command, name: &str) -> String {
    command
        .args
        .iter()
        .find(|a| a.place == Place::Body && a.name == name)
        .map_or_else(|| format!("`{name}`"), |a| format!("--{}", a.flag))
}
