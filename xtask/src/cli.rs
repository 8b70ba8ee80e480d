//! The command table of the `highlevel` command: one entry per operation, grouped by
//! resource, with the flags, help text and value kinds the description gives. The CLI
//! builds its parser from this table at run time, so its help is the description's own
//! documentation and cannot drift from it.

use std::collections::BTreeMap;

use anyhow::{Context, bail, ensure};
use heck::{ToKebabCase, ToSnakeCase};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::codegen::short_name;
use crate::{bundle, operations};

/// Flags the CLI defines on every command; a parameter may not take one of these names.
const GLOBAL_FLAGS: &[&str] = &[
    "all",
    "body",
    "columns",
    "company",
    "config",
    "connection",
    "help",
    "location",
    "max-items",
    "output",
    "read-only",
    "sandbox",
    "verbose",
    "version",
    "yes",
];

struct Group {
    name: String,
    about: String,
    commands: Vec<Command>,
}

struct Command {
    name: String,
    operation: String,
    about: String,
    long_about: String,
    args: Vec<Arg>,
    body: Option<bool>,
}

struct Arg {
    name: String,
    flag: String,
    place: &'static str,
    required: bool,
    help: String,
    kind: &'static str,
    values: Vec<String>,
    default: Option<String>,
}

/// The command table for `doc`, as Rust source (not yet formatted).
pub(crate) fn table(doc: &Value) -> anyhow::Result<TokenStream> {
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for tag in doc["tags"].as_array().into_iter().flatten() {
        let name = tag["name"].as_str().context("a tag has no name")?;
        groups.insert(
            name.to_owned(),
            Group {
                name: name.to_owned(),
                about: first_sentence(tag["description"].as_str().unwrap_or_default()),
                commands: Vec::new(),
            },
        );
    }

    for (path, method, op) in bundle::operations(doc) {
        let item = &doc["paths"][path];
        let command = command(doc, item, method, op)
            .with_context(|| format!("{} {path}", method.to_uppercase()))?;
        let tag = op["tags"][0].as_str().context("an operation has no tag")?;
        let group = groups
            .get_mut(tag)
            .with_context(|| format!("the tag `{tag}` is not declared"))?;
        ensure!(
            group.commands.iter().all(|c| c.name != command.name),
            "two `{tag}` operations are both called `{}`",
            command.name
        );
        group.commands.push(command);
    }

    let mut entries = Vec::new();
    for group in groups.values_mut() {
        group.commands.sort_by(|a, b| a.name.cmp(&b.name));
        entries.push(group_tokens(group));
    }
    Ok(quote! {
        use crate::table::*;

        /// Every resource group with its commands, sorted by name.
        pub(crate) static GROUPS: &[Group] = &[#(#entries),*];
    })
}

fn command(doc: &Value, item: &Value, method: &str, op: &Value) -> anyhow::Result<Command> {
    let id = op["operationId"].as_str().context("no operationId")?;
    let tag = op["tags"][0].as_str().context("no tag")?;
    let summary = op["summary"].as_str().unwrap_or_default();
    let description = op["description"].as_str().unwrap_or_default().trim();

    let mut args = Vec::new();
    let all = [&item["parameters"], &op["parameters"]];
    for raw in all.into_iter().filter_map(Value::as_array).flatten() {
        let param = operations::resolve(doc, raw)?;
        let name = param["name"].as_str().context("a parameter has no name")?;
        let place = match param["in"].as_str() {
            Some("path") => "Path",
            Some("query") => "Query",
            other => bail!("`{name}`: parameters in {other:?} are not supported"),
        };
        let schema = operations::resolve(doc, &param["schema"])?;
        args.push(arg(
            doc,
            name,
            place,
            param["required"].as_bool().unwrap_or(false),
            param["description"].as_str(),
            schema,
        )?);
    }

    let mut body = None;
    if let Some(request) = op.get("requestBody") {
        let request = operations::resolve(doc, request)?;
        let schema = operations::resolve(doc, &request["content"]["application/json"]["schema"])?;
        body = Some(request["required"].as_bool().unwrap_or(false));
        let required: Vec<&str> = schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let properties = schema["properties"].as_object().into_iter().flatten();
        for (name, property) in properties {
            let property = operations::resolve(doc, property)?;
            let mut field = arg(
                doc,
                name,
                "Body",
                required.contains(&name.as_str()),
                property["description"].as_str(),
                property,
            )?;
            // A body field named like a parameter or a global flag keeps both reachable.
            if args.iter().any(|a| a.flag == field.flag) {
                field.flag = format!("body-{}", field.flag);
            } else if GLOBAL_FLAGS.contains(&field.flag.as_str()) {
                field.flag = format!("{}-field", field.flag);
            }
            args.push(field);
        }
    }

    for arg in &args {
        ensure!(
            !GLOBAL_FLAGS.contains(&arg.flag.as_str()),
            "`{id}`: the parameter `{}` would shadow the global flag --{}",
            arg.name,
            arg.flag
        );
    }

    let mut long_about = summary.to_owned();
    if !description.is_empty() {
        long_about = format!("{summary}.\n\n{description}");
    }
    let mut notes = Vec::new();
    if let Some(paging) = op.get("x-highlevel-pagination") {
        let style = paging["style"].as_str().unwrap_or("cursor");
        notes.push(format!(
            "Paginated ({style}): --all walks every page and prints the items as they come."
        ));
    }
    if method != "get" {
        notes.push(
            "This command changes data: it asks for confirmation first, unless --yes is given."
                .to_owned(),
        );
    }
    if body.is_some() {
        notes.push(
            "The body is built from the flags below, or read from --body (JSON, @file or - \
             for standard input); flags override fields of --body."
                .to_owned(),
        );
    }
    if !notes.is_empty() {
        long_about = format!("{long_about}\n\n{}", notes.join("\n"));
    }

    Ok(Command {
        name: short_name(tag, id).to_kebab_case(),
        operation: id.to_snake_case(),
        about: summary.to_owned(),
        long_about,
        args,
        body,
    })
}

fn arg(
    doc: &Value,
    name: &str,
    place: &'static str,
    required: bool,
    description: Option<&str>,
    schema: &Value,
) -> anyhow::Result<Arg> {
    let kind = match schema["type"].as_str() {
        Some("string") => "String",
        Some("integer") => "Integer",
        Some("number") => "Number",
        Some("boolean") => "Boolean",
        Some("array") => {
            let items = operations::resolve(doc, &schema["items"])?;
            match items["type"].as_str() {
                Some("string" | "integer" | "number") => "List",
                _ => "Json",
            }
        }
        _ => "Json",
    };

    let values = schema["enum"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
        .collect();
    let default = schema.get("default").map(|v| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    });

    // Help is one line in the short list; the first sentence of the description.
    let mut help = description.map(first_sentence).unwrap_or_default();
    // Fields the description leaves undocumented are self-explanatory (`firstName`,
    // `postalCode`): their name, in words, is their help.
    if help.is_empty() {
        let words = name.to_snake_case().replace('_', " ");
        let mut chars = words.chars();
        help = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
    }
    match kind {
        "Json" => help = format!("{} (JSON)", help.trim_end_matches('.')),
        "List" => help = format!("{} (comma-separated)", help.trim_end_matches('.')),
        _ => {}
    }

    Ok(Arg {
        name: name.to_owned(),
        flag: name.to_kebab_case(),
        place,
        required,
        help,
        kind,
        values,
        default,
    })
}

/// The first sentence of `text`, on one line.
fn first_sentence(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.find(". ") {
        Some(end) => flat[..=end].to_owned(),
        None => flat,
    }
}

fn group_tokens(group: &Group) -> TokenStream {
    let name = &group.name;
    let about = &group.about;
    let commands = group.commands.iter().map(|c| {
        let name = &c.name;
        let operation = &c.operation;
        let about = &c.about;
        let long_about = &c.long_about;
        let body = match c.body {
            None => quote!(None),
            Some(required) => quote!(Some(#required)),
        };
        let args = c.args.iter().map(|a| {
            let name = &a.name;
            let flag = &a.flag;
            let place = proc_macro2::Ident::new(a.place, proc_macro2::Span::call_site());
            let required = a.required;
            let help = &a.help;
            let kind = proc_macro2::Ident::new(a.kind, proc_macro2::Span::call_site());
            let values = &a.values;
            let default = match &a.default {
                None => quote!(None),
                Some(d) => quote!(Some(#d)),
            };
            quote! {
                Arg {
                    name: #name,
                    flag: #flag,
                    place: Place::#place,
                    required: #required,
                    help: #help,
                    kind: Kind::#kind,
                    values: &[#(#values),*],
                    default: #default,
                }
            }
        });
        quote! {
            Command {
                name: #name,
                operation: #operation,
                about: #about,
                long_about: #long_about,
                args: &[#(#args),*],
                body: #body,
            }
        }
    });
    quote! {
        Group {
            name: #name,
            about: #about,
            commands: &[#(#commands),*],
        }
    }
}
