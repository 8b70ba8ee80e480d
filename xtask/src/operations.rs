//! The operation table: what the core crate knows about each operation at run time (token
//! type, `Version` header, where the location id travels, how it pages), read from the
//! description's vendor extensions and written out as Rust.
//!
//! The extensions are parsed strictly here, so a typo in the description fails code
//! generation instead of reaching users as a silently missing feature.

use anyhow::{Context, bail, ensure};
use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::quote;
use serde::Deserialize;
use serde_json::Value;

use crate::bundle;

/// The servers an operation may name for itself, and the Rust module of each one's client.
pub(crate) const SERVERS: [(Option<&str>, &str); 2] =
    [(None, "api"), (Some("https://api.maton.ai"), "maton")];

#[derive(Deserialize, Clone, Copy, PartialEq, Debug)]
#[serde(rename_all = "kebab-case")]
enum Token {
    Agency,
    SubAccount,
    Either,
    Maton,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Debug)]
#[serde(rename_all = "lowercase")]
enum Place {
    Query,
    Path,
    Body,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Location {
    #[serde(rename = "in")]
    place: Place,
    name: String,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Debug)]
#[serde(rename_all = "lowercase")]
enum Style {
    Cursor,
    Page,
    Offset,
    Skip,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Cursor {
    param: String,
    from: Option<String>,
    from_last_item: Option<String>,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Pagination {
    style: Style,
    items: String,
    limit_param: Option<String>,
    max_limit: Option<u32>,
    #[serde(default)]
    cursor: Vec<Cursor>,
    has_more: Option<String>,
    page_param: Option<String>,
    next_page: Option<String>,
    offset_param: Option<String>,
    total: Option<String>,
}

struct Param {
    name: String,
    place: Place,
    required: bool,
}

/// One operation, as the table describes it.
struct Operation {
    id: String,
    method: String,
    path: String,
    module: &'static str,
    tag: String,
    summary: String,
    token: Token,
    version: Option<String>,
    location: Option<Location>,
    pagination: Option<Pagination>,
    params: Vec<Param>,
    body_required: Option<Vec<String>>,
}

/// Writes the operation table for `doc` as a Rust source file (not yet rustfmt-formatted).
pub(crate) fn table(doc: &Value) -> anyhow::Result<TokenStream> {
    let mut ops = Vec::new();
    for (path, method, op) in bundle::operations(doc) {
        let item = &doc["paths"][path];
        let parsed = parse(doc, item, path, method, op)
            .with_context(|| format!("{} {path}", method.to_uppercase()))?;
        ops.push(parsed);
    }
    ops.sort_by_key(|op| op.id.to_snake_case());

    let entries = ops.iter().map(entry);
    Ok(quote! {
        use crate::operation::*;

        /// Every operation of the description, sorted by name for binary search.
        pub(crate) static OPERATIONS: &[Operation] = &[#(#entries),*];
    })
}

fn parse(
    doc: &Value,
    item: &Value,
    path: &str,
    method: &str,
    op: &Value,
) -> anyhow::Result<Operation> {
    let id = op["operationId"]
        .as_str()
        .context("no operationId")?
        .to_owned();

    let server = bundle::path_server(item);
    let module = SERVERS
        .iter()
        .find(|(s, _)| *s == server)
        .map(|(_, m)| *m)
        .with_context(|| format!("no generated client serves {server:?}"))?;

    let tags = op["tags"].as_array().map(Vec::as_slice).unwrap_or_default();
    ensure!(tags.len() == 1, "`{id}` must have exactly one tag");
    let tag = tags[0]
        .as_str()
        .context("a tag must be a string")?
        .to_owned();
    let declared = doc["tags"].as_array().into_iter().flatten();
    ensure!(
        declared.into_iter().any(|t| t["name"] == tag.as_str()),
        "`{id}` uses the tag `{tag}`, which highlevel.yaml does not declare"
    );

    let token: Token = extension(op, "x-highlevel-token")?
        .with_context(|| format!("`{id}` has no x-highlevel-token"))?;
    let version: Option<String> = extension(op, "x-highlevel-version")?;
    match (token, &version) {
        (Token::Maton, Some(_)) => bail!("`{id}` is a Maton operation and takes no Version"),
        (Token::Maton, None) | (_, Some(_)) => {}
        (_, None) => bail!("`{id}` has no x-highlevel-version"),
    }

    let params = parameters(doc, item, op)?;
    let body_required = body_required(doc, op)?;

    let location: Option<Location> = extension(op, "x-highlevel-location")?;
    if let Some(loc) = &location {
        let known = match loc.place {
            Place::Body => body_required.is_some(),
            place => params
                .iter()
                .any(|p| p.place == place && p.name == loc.name),
        };
        ensure!(
            known,
            "`{id}`: x-highlevel-location names `{}`, which it does not take",
            loc.name
        );
    }

    let pagination: Option<Pagination> = extension(op, "x-highlevel-pagination")?;
    if let Some(p) = &pagination {
        check_pagination(p, &params).with_context(|| format!("`{id}`: x-highlevel-pagination"))?;
    }

    Ok(Operation {
        id,
        method: method.to_owned(),
        path: path.to_owned(),
        module,
        tag,
        summary: op["summary"].as_str().unwrap_or_default().to_owned(),
        token,
        version,
        location,
        pagination,
        params,
        body_required,
    })
}

fn extension<T: for<'de> Deserialize<'de>>(op: &Value, key: &str) -> anyhow::Result<Option<T>> {
    op.get(key)
        .map(|v| serde_json::from_value(v.clone()).with_context(|| format!("invalid `{key}`")))
        .transpose()
}

/// The path-item and operation parameters, with references resolved.
fn parameters(doc: &Value, item: &Value, op: &Value) -> anyhow::Result<Vec<Param>> {
    let all = [&item["parameters"], &op["parameters"]];
    let mut params = Vec::new();
    for raw in all.into_iter().filter_map(Value::as_array).flatten() {
        let param = resolve(doc, raw)?;
        let place = match param["in"].as_str() {
            Some("query") => Place::Query,
            Some("path") => Place::Path,
            Some(other) => {
                bail!("parameters `in: {other}` are not supported; the SDK sets headers")
            }
            None => bail!("a parameter has no `in`"),
        };
        params.push(Param {
            name: param["name"]
                .as_str()
                .context("a parameter has no name")?
                .to_owned(),
            place,
            required: param["required"].as_bool().unwrap_or(false),
        });
    }
    Ok(params)
}

/// The required fields of the JSON request body, or `None` when there is no body.
fn body_required(doc: &Value, op: &Value) -> anyhow::Result<Option<Vec<String>>> {
    let Some(body) = op.get("requestBody") else {
        return Ok(None);
    };
    let body = resolve(doc, body)?;
    let schema = resolve(doc, &body["content"]["application/json"]["schema"])?;
    let required = schema["required"].as_array().into_iter().flatten();
    Ok(Some(
        required
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
    ))
}

/// Follows a local `$ref`, if `value` is one.
pub(crate) fn resolve<'a>(doc: &'a Value, value: &'a Value) -> anyhow::Result<&'a Value> {
    match value.get("$ref").and_then(Value::as_str) {
        None => Ok(value),
        Some(r) => {
            let pointer = r
                .strip_prefix('#')
                .with_context(|| format!("`{r}` is not local"))?;
            doc.pointer(pointer)
                .with_context(|| format!("`{r}` points nowhere"))
        }
    }
}

fn check_pagination(p: &Pagination, params: &[Param]) -> anyhow::Result<()> {
    let takes = |name: &Option<String>| -> anyhow::Result<()> {
        if let Some(name) = name {
            let found = params
                .iter()
                .any(|q| q.place == Place::Query && &q.name == name);
            ensure!(
                found,
                "names the query parameter `{name}`, which the operation does not take"
            );
        }
        Ok(())
    };

    takes(&p.limit_param)?;
    match p.style {
        Style::Cursor => {
            ensure!(!p.cursor.is_empty(), "a cursor style needs `cursor`");
            for c in &p.cursor {
                takes(&Some(c.param.clone()))?;
                ensure!(
                    c.from.is_some() != c.from_last_item.is_some(),
                    "cursor `{}` needs exactly one of `from` and `fromLastItem`",
                    c.param
                );
            }
        }
        Style::Page => {
            ensure!(p.page_param.is_some(), "a page style needs `pageParam`");
            ensure!(p.next_page.is_some(), "a page style needs `nextPage`");
            takes(&p.page_param)?;
        }
        Style::Offset | Style::Skip => {
            ensure!(
                p.offset_param.is_some(),
                "an offset or skip style needs `offsetParam`"
            );
            takes(&p.offset_param)?;
        }
    }
    Ok(())
}

fn entry(op: &Operation) -> TokenStream {
    let id = &op.id;
    let name = op.id.to_snake_case();
    let method = proc_macro2::Ident::new(&op.method.to_uppercase(), proc_macro2::Span::call_site());
    let path = &op.path;
    let server = match op.module {
        "maton" => quote!(Server::Maton),
        _ => quote!(Server::Proxy),
    };
    let tag = &op.tag;
    let summary = &op.summary;
    let token = match op.token {
        Token::Agency => quote!(TokenType::Agency),
        Token::SubAccount => quote!(TokenType::SubAccount),
        Token::Either => quote!(TokenType::Either),
        Token::Maton => quote!(TokenType::Maton),
    };
    let version = option(op.version.as_deref().map(|v| quote!(#v)));
    let location = option(op.location.as_ref().map(|l| {
        let place = place(l.place);
        let name = &l.name;
        quote!(LocationParam { place: #place, name: #name })
    }));
    let pagination = option(op.pagination.as_ref().map(pagination));
    let params = op.params.iter().map(|p| {
        let name = &p.name;
        let place = place(p.place);
        let required = p.required;
        quote!(Param { name: #name, place: #place, required: #required })
    });
    let body = option(
        op.body_required
            .as_ref()
            .map(|fields| quote!(&[#(#fields),*])),
    );

    quote! {
        Operation {
            id: #id,
            name: #name,
            method: ::reqwest::Method::#method,
            path: #path,
            server: #server,
            tag: #tag,
            summary: #summary,
            token: #token,
            version: #version,
            location: #location,
            pagination: #pagination,
            params: &[#(#params),*],
            body_required: #body,
        }
    }
}

fn pagination(p: &Pagination) -> TokenStream {
    let style = match p.style {
        Style::Cursor => quote!(PaginationStyle::Cursor),
        Style::Page => quote!(PaginationStyle::Page),
        Style::Offset => quote!(PaginationStyle::Offset),
        Style::Skip => quote!(PaginationStyle::Skip),
    };
    let items = &p.items;
    let text = |v: &Option<String>| option(v.as_deref().map(|s| quote!(#s)));
    let limit_param = text(&p.limit_param);
    let max_limit = option(p.max_limit.map(|n| quote!(#n)));
    let cursor = p.cursor.iter().map(|c| {
        let param = &c.param;
        let source = match (&c.from, &c.from_last_item) {
            (Some(from), _) => quote!(CursorSource::Response(#from)),
            (None, Some(field)) => quote!(CursorSource::LastItem(#field)),
            (None, None) => unreachable!("checked by check_pagination"),
        };
        quote!(CursorParam { param: #param, source: #source })
    });
    let has_more = text(&p.has_more);
    let page_param = text(&p.page_param);
    let next_page = text(&p.next_page);
    let offset_param = text(&p.offset_param);
    let total = text(&p.total);

    quote! {
        Pagination {
            style: #style,
            items: #items,
            limit_param: #limit_param,
            max_limit: #max_limit,
            cursor: &[#(#cursor),*],
            has_more: #has_more,
            page_param: #page_param,
            next_page: #next_page,
            offset_param: #offset_param,
            total: #total,
        }
    }
}

fn place(place: Place) -> TokenStream {
    match place {
        Place::Query => quote!(ParamPlace::Query),
        Place::Path => quote!(ParamPlace::Path),
        Place::Body => quote!(ParamPlace::Body),
    }
}

fn option(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}
