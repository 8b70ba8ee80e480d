//! The generated part of the uniffi bindings (`bindings/uniffi/src/generated.rs`): a
//! resource-group object per tag with every operation as an async method taking typed
//! parameters, and a record per schema the operations send or answer.
//!
//! Records have an optional field per documented property and `extra_json`, the JSON text of
//! whatever else the object held, so nothing the service sent is lost. Values the records do
//! not type (free-form objects, values of any type) are kept as JSON text.
//!
//! Kotlin and Swift are not generated here: they are made from the built library by
//! `uniffi-bindgen` (see `kotlin.rs` in this crate).

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, bail, ensure};
use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::bundle;
use crate::codegen::short_name;

/// Names the hand-written part of the bindings uses, which no record or group may take.
const TAKEN: [&str; 12] = [
    "ApproverError",
    "Client",
    "ClientConfig",
    "RawAnswer",
    "ErrorKind",
    "HighLevelError",
    "WriteApprover",
    "WriteDecision",
    "WriteRequest",
    "Page",
    "Pages",
    "Sandbox",
];

/// Method names the generated Kotlin and Swift objects already have.
const FOREIGN_MEMBERS: [&str; 6] = [
    "close",
    "destroy",
    "equals",
    "hash_code",
    "to_string",
    "description",
];

/// How one property (or parameter) is typed in the bindings.
#[derive(Clone, Debug)]
enum Kind {
    /// A JSON scalar: `String`, `bool`, `f64` or `i64`.
    Scalar(&'static str),
    /// A record, by schema name.
    Record(String),
    /// A list of one of the above.
    List(Box<Kind>),
    /// Kept as JSON text.
    Raw,
    /// A list of values each kept as JSON text.
    RawList,
}

impl Kind {
    fn rust(&self) -> TokenStream {
        match self {
            Kind::Scalar(name) => {
                let name = ident(name);
                quote!(#name)
            }
            Kind::Record(name) => {
                let name = ident(name);
                quote!(#name)
            }
            Kind::List(inner) => {
                let inner = inner.rust();
                quote!(::std::vec::Vec<#inner>)
            }
            Kind::Raw => quote!(::std::string::String),
            Kind::RawList => quote!(::std::vec::Vec<::std::string::String>),
        }
    }

    /// The record schemas this kind names.
    fn records(&self) -> Option<&str> {
        match self {
            Kind::Record(name) => Some(name),
            Kind::List(inner) => inner.records(),
            _ => None,
        }
    }
}

/// The generated Rust of the bindings.
pub(crate) fn generate(doc: &Value) -> anyhow::Result<TokenStream> {
    let schemas = doc["components"]["schemas"]
        .as_object()
        .context("the description has no components.schemas")?;

    let mut groups: BTreeMap<String, Vec<(String, &str, &Value, &Value)>> = BTreeMap::new();
    for (path, _, op) in bundle::operations(doc) {
        let id = op["operationId"].as_str().context("no operationId")?;
        let tag = op["tags"][0]
            .as_str()
            .with_context(|| format!("`{id}` has no tag"))?;
        let item = &doc["paths"][path];
        groups
            .entry(tag.to_owned())
            .or_default()
            .push((short_name(tag, id), id, item, op));
    }

    let mut needed = BTreeSet::new();
    let mut objects = Vec::new();
    let mut accessors = Vec::new();
    for (tag, ops) in &groups {
        let view = tag.to_upper_camel_case();
        ensure!(
            !TAKEN.contains(&view.as_str()) && !schemas.contains_key(&view),
            "the group `{tag}` would be called `{view}`, a name already taken"
        );
        let view = ident(&view);
        let mut methods = Vec::new();
        let mut names = BTreeSet::new();
        for (short, id, item, op) in ops {
            ensure!(
                !short.is_empty() && names.insert(short.clone()),
                "`{id}` has no short name of its own in `{tag}`"
            );
            ensure!(
                !FOREIGN_MEMBERS.contains(&short.as_str()),
                "`{id}` would be called `{short}`, which Kotlin or Swift objects already have"
            );
            methods.push(method(schemas, short, id, item, op, &mut needed)?);
        }
        let about = format!(" The `{tag}` operations.");
        let accessor = ident(&tag.to_snake_case());
        objects.push(quote! {
            #[doc = #about]
            #[derive(uniffi::Object)]
            pub struct #view {
                client: ::highlevel::Client,
            }

            #[uniffi::export]
            impl #view {
                #(#methods)*
            }
        });
        accessors.push(quote! {
            #[doc = #about]
            pub fn #accessor(&self) -> ::std::sync::Arc<#view> {
                ::std::sync::Arc::new(#view { client: self.inner.clone() })
            }
        });
    }

    let records = records(schemas, needed)?;
    Ok(quote! {
        use crate::client::Client;
        use crate::json::ToJson as _;

        #[uniffi::export]
        impl Client {
            #(#accessors)*
        }

        #(#objects)*

        #(#records)*
    })
}

/// The async method of one operation, and its `_pages` twin when it paginates.
fn method(
    schemas: &serde_json::Map<String, Value>,
    short: &str,
    id: &str,
    item: &Value,
    op: &Value,
    needed: &mut BTreeSet<String>,
) -> anyhow::Result<TokenStream> {
    let mut args = Vec::new();
    let mut defaults = Vec::new();
    let mut puts = Vec::new();
    let mut seen = BTreeSet::new();

    // Required parameters first, so that they can be given by position.
    let mut params: Vec<&Value> = [&item["parameters"], &op["parameters"]]
        .into_iter()
        .filter_map(Value::as_array)
        .flatten()
        .collect();
    params.sort_by_key(|p| !p["required"].as_bool().unwrap_or(false));

    for param in params {
        let wire = param["name"].as_str().context("a parameter has no name")?;
        let name = field_name(wire);
        ensure!(
            seen.insert(name.clone()),
            "two parameters of `{id}` are both called `{name}`"
        );
        let kind = kind(schemas, &param["schema"]);
        ensure!(
            kind.records().is_none(),
            "the parameter `{wire}` of `{id}` is an object"
        );
        let ty = kind.rust();
        let name = ident(&name);
        let put = match kind {
            Kind::Raw => quote!(crate::json::put_raw),
            Kind::RawList => quote!(crate::json::put_raw_list),
            _ => quote!(crate::json::put),
        };
        if param["required"].as_bool().unwrap_or(false) {
            args.push(quote!(#name: #ty));
            puts.push(quote!(#put(&mut params, #wire, Some(&#name))));
        } else {
            args.push(quote!(#name: ::std::option::Option<#ty>));
            defaults.push(quote!(#name = None));
            puts.push(quote!(#put(&mut params, #wire, #name.as_ref())));
        }
    }

    let mut body = quote!(None);
    if let Some(request) = op.get("requestBody") {
        let schema = &request["content"]["application/json"]["schema"];
        let kind = kind(schemas, schema);
        let Kind::Record(record) = &kind else {
            bail!("the body of `{id}` is not an object schema");
        };
        needed.insert(record.clone());
        let ty = kind.rust();
        ensure!(
            request["required"].as_bool().unwrap_or(false),
            "the body of `{id}` is optional, which the generator does not support yet"
        );
        args.push(quote!(body: #ty));
        body = quote! {
            Some(body.to_json().map_err(|e| crate::error::HighLevelError::invalid(
                Some(#id),
                format!("the body: {e}"),
            ))?)
        };
    }

    let answer = success_schema(op).with_context(|| format!("`{id}` has no JSON answer"))?;
    let answer = kind(schemas, answer);
    if let Some(record) = answer.records() {
        needed.insert(record.to_owned());
    }
    let (output, read) = match &answer {
        Kind::Raw => (
            quote!(::std::string::String),
            quote!(Ok(answer.to_string())),
        ),
        other => {
            let ty = other.rust();
            (ty.clone(), quote!(crate::json::answer::<#ty>(#id, &answer)))
        }
    };

    let params = if puts.is_empty() {
        quote!(let params = ::serde_json::Map::new();)
    } else {
        quote! {
            let mut params = ::serde_json::Map::new();
            #(#puts.map_err(|e| crate::error::HighLevelError::invalid(Some(#id), e))?;)*
        }
    };
    let docs = doc_text(&doc_lines(op, id).join("\n"));
    let method = ident(short);
    let attribute = if defaults.is_empty() {
        quote!()
    } else {
        quote!(#[uniffi::method(default(#(#defaults),*))])
    };
    let mut tokens = quote! {
        #(#[doc = #docs])*
        #attribute
        pub async fn #method(&self, #(#args),*)
            -> ::std::result::Result<#output, crate::error::HighLevelError>
        {
            #params
            let body = #body;
            let (_, answer) = crate::client::call(&self.client, #id, params, body).await?;
            #read
        }
    };

    if op.get("x-highlevel-pagination").is_some() {
        let pages = ident(&format!("{short}_pages"));
        let about = format!(" The pages of `{id}`, from the first one these parameters give.");
        tokens.extend(quote! {
            #[doc = #about]
            #attribute
            pub fn #pages(&self, #(#args),*)
                -> ::std::result::Result<
                    ::std::sync::Arc<crate::pages::Pages>,
                    crate::error::HighLevelError,
                >
            {
                #params
                crate::pages::Pages::start(&self.client, #id, params)
            }
        });
    }
    Ok(tokens)
}

/// The schema of the 200 (or else 201) JSON answer.
fn success_schema(op: &Value) -> Option<&Value> {
    ["200", "201"]
        .iter()
        .find_map(|code| op["responses"][code]["content"]["application/json"].get("schema"))
}

/// The summary and description of an operation, as doc lines.
fn doc_lines(op: &Value, id: &str) -> Vec<String> {
    let mut lines = vec![format!(
        "`{id}`: {}.",
        op["summary"].as_str().unwrap_or(id).trim_end_matches('.')
    )];
    if let Some(text) = op["description"].as_str() {
        lines.push(String::new());
        lines.extend(text.trim_end().lines().map(str::to_owned));
    }
    lines
}

/// Doc attribute texts for `text`, one per line, each after a space as `/// ` writes them.
fn doc_text(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

/// How `schema` is typed; `$ref`s to object schemas become records.
fn kind(schemas: &serde_json::Map<String, Value>, schema: &Value) -> Kind {
    if let Some(name) = schema["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
    {
        return match schemas.get(name) {
            Some(target) if target.get("properties").is_some() => Kind::Record(name.to_owned()),
            _ => Kind::Raw,
        };
    }
    match schema["type"].as_str() {
        Some("string") => Kind::Scalar("String"),
        Some("boolean") => Kind::Scalar("bool"),
        Some("number") => Kind::Scalar("f64"),
        Some("integer") => Kind::Scalar("i64"),
        Some("array") => match kind(schemas, &schema["items"]) {
            Kind::Raw | Kind::RawList | Kind::List(_) => Kind::RawList,
            inner => Kind::List(Box::new(inner)),
        },
        _ => Kind::Raw,
    }
}

/// A record for each schema in `needed` and each schema they name, in name order.
fn records(
    schemas: &serde_json::Map<String, Value>,
    mut needed: BTreeSet<String>,
) -> anyhow::Result<Vec<TokenStream>> {
    // Close over the schemas the needed ones name.
    let mut queue: Vec<String> = needed.iter().cloned().collect();
    while let Some(name) = queue.pop() {
        for property in properties(schemas, &name)? {
            if let Some(record) = kind(schemas, property.1).records()
                && needed.insert(record.to_owned())
            {
                queue.push(record.to_owned());
            }
        }
    }
    check_acyclic(schemas, &needed)?;

    let mut out = Vec::new();
    for name in &needed {
        ensure!(
            !TAKEN.contains(&name.as_str()),
            "the schema `{name}` has a name the bindings already use"
        );
        out.push(record(schemas, name)?);
    }
    Ok(out)
}

/// uniffi records hold their fields by value, so a schema may not contain itself.
fn check_acyclic(
    schemas: &serde_json::Map<String, Value>,
    names: &BTreeSet<String>,
) -> anyhow::Result<()> {
    fn visit(
        schemas: &serde_json::Map<String, Value>,
        name: &str,
        path: &mut Vec<String>,
    ) -> anyhow::Result<()> {
        if path.iter().any(|n| n == name) {
            bail!(
                "the schemas {} contain each other, which uniffi records cannot",
                path.join(" -> ")
            );
        }
        path.push(name.to_owned());
        for (_, schema) in properties(schemas, name)? {
            if let Some(record) = kind(schemas, schema).records() {
                visit(schemas, record, path)?;
            }
        }
        path.pop();
        Ok(())
    }
    for name in names {
        visit(schemas, name, &mut Vec::new())?;
    }
    Ok(())
}

/// The properties of an object schema, in the description's order.
fn properties<'a>(
    schemas: &'a serde_json::Map<String, Value>,
    name: &str,
) -> anyhow::Result<Vec<(&'a String, &'a Value)>> {
    let schema = schemas
        .get(name)
        .with_context(|| format!("no schema `{name}`"))?;
    let properties = schema["properties"]
        .as_object()
        .with_context(|| format!("the schema `{name}` has no properties"))?;
    Ok(properties.iter().collect())
}

/// The record of one object schema, with its conversions from and to JSON.
fn record(schemas: &serde_json::Map<String, Value>, name: &str) -> anyhow::Result<TokenStream> {
    let schema = &schemas[name];
    let ty = ident(name);
    let mut fields = Vec::new();
    let mut takes = Vec::new();
    let mut puts = Vec::new();
    let mut seen = BTreeSet::from(["extra_json".to_owned()]);

    for (wire, property) in properties(schemas, name)? {
        let field = field_name(wire);
        ensure!(
            seen.insert(field.clone()),
            "two properties of `{name}` are both called `{field}`"
        );
        let kind = kind(schemas, property);
        let rust = kind.rust();
        let field = ident(&field);
        let about = property["description"]
            .as_str()
            .map(|d| d.trim_end().to_owned())
            .unwrap_or_else(|| format!("`{wire}`."));
        let docs = doc_text(&about);
        fields.push(quote! {
            #(#[doc = #docs])*
            #[uniffi(default = None)]
            pub #field: ::std::option::Option<#rust>,
        });
        let (take, put) = match kind {
            Kind::Raw => (quote!(crate::json::take_raw), quote!(crate::json::put_raw)),
            Kind::RawList => (
                quote!(crate::json::take_raw_list),
                quote!(crate::json::put_raw_list),
            ),
            _ => (quote!(crate::json::take), quote!(crate::json::put)),
        };
        takes.push(quote!(#field: #take(&mut map, #wire),));
        puts.push(quote!(#put(&mut map, #wire, self.#field.as_ref())?;));
    }

    let about = schema["description"]
        .as_str()
        .map(|d| d.trim_end().to_owned())
        .unwrap_or_else(|| format!("The `{name}` schema."));
    let docs = doc_text(&about);
    Ok(quote! {
        #(#[doc = #docs])*
        #[derive(Debug, Clone, PartialEq, uniffi::Record)]
        pub struct #ty {
            #(#fields)*
            /// The fields the description does not name, and documented fields whose value
            /// had another type than documented, as one JSON object; `None` when there are
            /// none. When sending, its fields are sent too.
            #[uniffi(default = None)]
            pub extra_json: ::std::option::Option<::std::string::String>,
        }

        impl crate::json::FromJson for #ty {
            fn from_json(value: &::serde_json::Value) -> ::std::option::Option<Self> {
                let mut map = crate::json::object(value)?;
                Some(Self {
                    #(#takes)*
                    extra_json: crate::json::rest(map),
                })
            }
        }

        impl crate::json::ToJson for #ty {
            fn to_json(&self) -> ::std::result::Result<::serde_json::Value, ::std::string::String> {
                let mut map = crate::json::extra(#name, self.extra_json.as_deref())?;
                #(#puts)*
                Ok(::serde_json::Value::Object(map))
            }
        }
    })
}

/// The snake_case name of a wire name (`locationId`, `_id`, `lead-source`), safe as Rust.
fn field_name(wire: &str) -> String {
    let mut name = wire.to_snake_case();
    // The keywords that cannot be raw identifiers, and names that are no identifier at all.
    let unusable = ["self", "super", "crate", "extra_json"].contains(&name.as_str());
    if unusable || name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("field_{name}");
    }
    name
}

/// An identifier, raw when it is a Rust keyword (`type` becomes `r#type`; uniffi names the
/// Kotlin and Swift field `type` all the same).
fn ident(name: &str) -> Ident {
    const KEYWORDS: [&str; 48] = [
        "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if",
        "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
        "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while", "async",
        "await", "dyn", "abstract", "become", "box", "do", "final", "macro", "override", "priv",
        "typeof", "virtual", "yield", "try", "gen", "unsized",
    ];
    if KEYWORDS.contains(&name) {
        Ident::new_raw(name, proc_macro2::Span::call_site())
    } else {
        Ident::new(name, proc_macro2::Span::call_site())
    }
}
