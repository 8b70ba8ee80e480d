//! Reading the hand-written description: merging `openapi/highlevel.yaml` with
//! `openapi/resources/*.yaml` into one document, and cutting that document into the parts
//! each generated client is made from.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use anyhow::{Context, bail, ensure};
use serde_json::{Map, Value};

/// The HTTP methods OpenAPI allows as keys of a path item.
pub(crate) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Reads the root file and every resource file under `dir`, and merges them.
///
/// Resource files may hold only `paths` and `components`. A path, an operation id or a
/// component name defined twice is an error that names both files, so that a merge never
/// silently picks one definition.
pub(crate) fn load(dir: &Path) -> anyhow::Result<Value> {
    let root_path = dir.join("highlevel.yaml");
    let mut root = read_yaml(&root_path)?;

    let mut files: Vec<_> = fs::read_dir(dir.join("resources"))
        .with_context(|| format!("cannot list {}", dir.join("resources").display()))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    files.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
    // Sorted, so that the bundle does not depend on the order the file system lists files in.
    files.sort();

    let mut origin = Map::new();
    for file in &files {
        let part = read_yaml(file)?;
        let name = file.strip_prefix(dir).unwrap_or(file).display().to_string();
        merge_part(&mut root, part, &name, &mut origin)?;
    }

    check_operation_ids(&root)?;
    Ok(root)
}

fn merge_part(
    root: &mut Value,
    part: Value,
    name: &str,
    origin: &mut Map<String, Value>,
) -> anyhow::Result<()> {
    let Value::Object(part) = part else {
        bail!("{name}: the top level must be a mapping");
    };

    for (key, value) in part {
        match key.as_str() {
            "paths" => merge_map(root, &["paths"], value, name, origin)?,
            "components" => {
                let Value::Object(kinds) = value else {
                    bail!("{name}: `components` must be a mapping");
                };
                for (kind, entries) in kinds {
                    merge_map(root, &["components", &kind], entries, name, origin)?;
                }
            }
            other => bail!(
                "{name}: a resource file may hold only `paths` and `components`, not `{other}`"
            ),
        }
    }
    Ok(())
}

/// Adds every entry of `entries` to the map at `at` in `root`, refusing duplicates.
fn merge_map(
    root: &mut Value,
    at: &[&str],
    entries: Value,
    name: &str,
    origin: &mut Map<String, Value>,
) -> anyhow::Result<()> {
    let Value::Object(entries) = entries else {
        bail!("{name}: `{}` must be a mapping", at.join("."));
    };

    let mut target = &mut *root;
    for key in at {
        target = target
            .as_object_mut()
            .context("the root document must be a mapping")?
            .entry(key.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    let target = target.as_object_mut().context("expected a mapping")?;

    for (key, value) in entries {
        let id = format!("{}.{key}", at.join("."));
        if target.contains_key(&key) {
            let first = origin
                .get(&id)
                .and_then(Value::as_str)
                .unwrap_or("highlevel.yaml");
            bail!("`{id}` is defined in both {first} and {name}");
        }
        origin.insert(id, Value::String(name.to_owned()));
        target.insert(key, value);
    }
    Ok(())
}

fn check_operation_ids(doc: &Value) -> anyhow::Result<()> {
    let mut seen = BTreeSet::new();
    for (path, method, op) in operations(doc) {
        let id = op
            .get("operationId")
            .and_then(Value::as_str)
            .with_context(|| format!("{method} {path} has no operationId"))?;
        ensure!(
            seen.insert(id.to_owned()),
            "operationId `{id}` is used twice"
        );
    }
    Ok(())
}

/// Every operation of `doc` as (path, method, operation object), in document order.
pub(crate) fn operations(doc: &Value) -> impl Iterator<Item = (&str, &str, &Value)> {
    doc.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .flat_map(|(path, item)| {
            item.as_object()
                .into_iter()
                .flatten()
                .filter_map(move |(method, op)| {
                    METHODS.contains(&method.as_str()).then_some((
                        path.as_str(),
                        method.as_str(),
                        op,
                    ))
                })
        })
}

/// The part of `doc` served from `server`: paths whose own `servers` list names it, or, for
/// `None`, paths without a `servers` list (those use the document's servers). Path-level
/// `servers` are dropped and only the schemas these paths reach are kept, so each generated
/// client holds just its own types.
pub(crate) fn part_for_server(doc: &Value, server: Option<&str>) -> anyhow::Result<Value> {
    let mut part = doc.clone();
    let paths = part
        .get_mut("paths")
        .and_then(Value::as_object_mut)
        .context("the description has no paths")?;

    paths.retain(|_, item| path_server(item) == server);
    for item in paths.values_mut() {
        if let Some(item) = item.as_object_mut() {
            item.remove("servers");
        }
    }
    ensure!(!paths.is_empty(), "no path is served from {server:?}");

    prune_schemas(&mut part);
    Ok(part)
}

/// The first server a path item names for itself, if any.
pub(crate) fn path_server(item: &Value) -> Option<&str> {
    item.get("servers")?.get(0)?.get("url")?.as_str()
}

/// Removes the component schemas that nothing outside `components.schemas` reaches.
fn prune_schemas(doc: &mut Value) {
    let Some(schemas) = doc.pointer("/components/schemas").cloned() else {
        return;
    };

    let mut reached = BTreeSet::new();
    let mut outside = doc.clone();
    if let Some(components) = outside.get_mut("components").and_then(Value::as_object_mut) {
        components.remove("schemas");
    }
    let mut pending = Vec::new();
    collect_schema_refs(&outside, &mut pending);

    while let Some(name) = pending.pop() {
        if reached.insert(name.clone())
            && let Some(schema) = schemas.get(&name)
        {
            collect_schema_refs(schema, &mut pending);
        }
    }

    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        schemas.retain(|name, _| reached.contains(name));
    }
}

fn collect_schema_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                if key == "$ref"
                    && let Some(name) = inner
                        .as_str()
                        .and_then(|r| r.strip_prefix("#/components/schemas/"))
                {
                    out.push(name.to_owned());
                }
                collect_schema_refs(inner, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_schema_refs(v, out)),
        _ => {}
    }
}

fn read_yaml(path: &Path) -> anyhow::Result<Value> {
    let text =
        fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(&text).with_context(|| format!("{} is not YAML", path.display()))?;
    yaml_to_json(yaml).with_context(|| format!("in {}", path.display()))
}

/// Converts YAML to JSON, turning scalar mapping keys into strings: YAML reads an unquoted
/// `200:` as a number, while OpenAPI response codes are strings.
fn yaml_to_json(yaml: serde_yaml::Value) -> anyhow::Result<Value> {
    use serde_yaml::Value as Y;

    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => serde_json::to_value(n)?,
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .map(yaml_to_json)
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => bail!("unsupported mapping key {other:?}"),
                };
                out.insert(key, yaml_to_json(value)?);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => bail!("YAML tags are not supported (found `{}`)", tagged.tag),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_schema_defined_twice_names_both_files() {
        let mut root = json!({"components": {"schemas": {}}});
        let mut origin = Map::new();
        let part = json!({"components": {"schemas": {"Contact": {"type": "object"}}}});

        merge_part(&mut root, part.clone(), "resources/a.yaml", &mut origin).unwrap();
        let err = merge_part(&mut root, part, "resources/b.yaml", &mut origin).unwrap_err();

        let text = err.to_string();
        assert!(text.contains("resources/a.yaml"), "{text}");
        assert!(text.contains("resources/b.yaml"), "{text}");
        assert!(text.contains("components.schemas.Contact"), "{text}");
    }

    #[test]
    fn a_resource_file_may_not_set_other_keys() {
        let mut root = json!({});
        let err =
            merge_part(&mut root, json!({"info": {}}), "x.yaml", &mut Map::new()).unwrap_err();
        assert!(err.to_string().contains("`info`"), "{err}");
    }

    #[test]
    fn duplicate_operation_ids_are_refused() {
        let doc = json!({"paths": {
            "/a": {"get": {"operationId": "listThings"}},
            "/b": {"get": {"operationId": "listThings"}},
        }});
        let err = check_operation_ids(&doc).unwrap_err();
        assert!(err.to_string().contains("listThings"), "{err}");
    }

    #[test]
    fn a_part_keeps_only_its_paths_and_the_schemas_they_reach() {
        let doc = json!({
            "paths": {
                "/contacts/": {"get": {"responses": {"200": {"$ref": "#/components/schemas/A"}}}},
                "/connections": {
                    "servers": [{"url": "https://api.maton.ai"}],
                    "get": {"responses": {"200": {"$ref": "#/components/schemas/C"}}},
                },
            },
            "components": {"schemas": {
                "A": {"properties": {"b": {"$ref": "#/components/schemas/B"}}},
                "B": {},
                "C": {},
            }},
        });

        let proxy = part_for_server(&doc, None).unwrap();
        let maton = part_for_server(&doc, Some("https://api.maton.ai")).unwrap();

        let names = |d: &Value| d["components"]["schemas"].as_object().unwrap().len();
        assert_eq!(names(&proxy), 2);
        assert_eq!(names(&maton), 1);
        assert!(maton["paths"]["/connections"].get("servers").is_none());
        assert!(proxy["paths"].get("/connections").is_none());
    }

    #[test]
    fn unquoted_numeric_keys_become_strings() {
        let yaml: serde_yaml::Value = serde_yaml::from_str("200: {description: ok}").unwrap();
        assert_eq!(
            yaml_to_json(yaml).unwrap(),
            json!({"200": {"description": "ok"}})
        );
    }
}
