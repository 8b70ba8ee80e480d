//! The bundled description, as the sandbox uses it: the types of each operation's query
//! parameters, and JSON Schema validators for request bodies and responses.
//!
//! OpenAPI 3.0 schemas are JSON Schema with a few differences; the one that matters here is
//! `nullable`, which [`to_json_schema`] turns into a `null` type.

use std::collections::HashMap;
use std::sync::OnceLock;

use highlevel::Operation;
use serde_json::{Map, Value, json};

/// The bundled description, as `cargo xtask codegen` wrote it.
pub const BUNDLED: &str = include_str!("../../../openapi/bundled/highlevel.json");

/// The parsed description.
pub fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| serde_json::from_str(BUNDLED).expect("the bundled description is JSON"))
}

/// The operation object of `op` in the description.
pub fn operation(op: &Operation) -> &'static Value {
    &document()["paths"][op.path][op.method.as_str().to_lowercase()]
}

/// A validator for the JSON body of `op`'s answer with `status`, using the response the
/// description declares for that status (`2XX`-style ranges included). `None` when the
/// description declares no JSON body for it.
pub fn response_validator(op: &Operation, status: u16) -> Option<jsonschema::Validator> {
    let responses = &operation(op)["responses"];
    let range = format!("{}XX", status / 100);
    let response = responses
        .get(status.to_string())
        .or_else(|| responses.get(&range))?;
    let response = resolve(response);
    let schema = response.pointer("/content/application~1json/schema")?;
    Some(validator(schema))
}

/// A validator for `op`'s request body, when it takes one.
pub(crate) fn request_validator(op: &Operation) -> Option<jsonschema::Validator> {
    let body = resolve(operation(op).get("requestBody")?);
    Some(validator(
        body.pointer("/content/application~1json/schema")?,
    ))
}

/// The schema of each query parameter of `op`, by name.
pub(crate) fn query_schemas(op: &Operation) -> HashMap<String, Value> {
    let path_item = &document()["paths"][op.path];
    let params = [&path_item["parameters"], &operation(op)["parameters"]];
    params
        .into_iter()
        .filter_map(Value::as_array)
        .flatten()
        .map(resolve)
        .filter(|p| p["in"] == "query")
        .filter_map(|p| Some((p["name"].as_str()?.to_owned(), p["schema"].clone())))
        .collect()
}

fn validator(schema: &Value) -> jsonschema::Validator {
    let mut root = match to_json_schema(schema) {
        Value::Object(map) => map,
        other => Map::from_iter([("allOf".to_owned(), json!([other]))]),
    };
    root.insert(
        "components".into(),
        to_json_schema(&document()["components"]),
    );
    jsonschema::draft202012::new(&Value::Object(root))
        .expect("the description's schemas are valid JSON Schema")
}

fn resolve(value: &Value) -> &Value {
    match value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
    {
        Some(pointer) => document().pointer(pointer).unwrap_or(value),
        None => value,
    }
}

/// Rewrites OpenAPI 3.0 `nullable: true` as JSON Schema's `null` type, everywhere.
pub fn to_json_schema(schema: &Value) -> Value {
    match schema {
        Value::Array(items) => Value::Array(items.iter().map(to_json_schema).collect()),
        Value::Object(map) => {
            let mut out: Map<String, Value> = map
                .iter()
                .map(|(k, v)| (k.clone(), to_json_schema(v)))
                .collect();
            if out.remove("nullable") != Some(Value::Bool(true)) {
                return Value::Object(out);
            }
            match out.get("type").and_then(Value::as_str).map(str::to_owned) {
                Some(ty) => {
                    out.insert("type".into(), json!([ty, "null"]));
                    Value::Object(out)
                }
                None => json!({"anyOf": [Value::Object(out), {"type": "null"}]}),
            }
        }
        other => other.clone(),
    }
}
