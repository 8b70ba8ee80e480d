//! Plays the cross-language scenarios of `tests/scenarios/` against a fresh sandbox each,
//! through the core client. The file format is described in `tests/README.md`.

use std::collections::HashMap;
use std::path::Path;

use highlevel::Client;
use highlevel_sandbox::{
    AGENCY_CONNECTION, LOCATION_CONNECTIONS, LOCATION_IDS, RateLimits, Sandbox, SandboxConfig,
};
use serde_json::{Map, Value};

/// Replaces every `${name}` in the strings of `value` with a saved value.
fn fill(value: &Value, saved: &HashMap<String, String>) -> Value {
    match value {
        Value::String(text) => {
            let mut text = text.clone();
            for (name, saved) in saved {
                text = text.replace(&format!("${{{name}}}"), saved);
            }
            Value::String(text)
        }
        Value::Array(items) => items.iter().map(|v| fill(v, saved)).collect(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.clone(), fill(v, saved)))
            .collect(),
        other => other.clone(),
    }
}

async fn play(file: &Path) {
    let scenario: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap())
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", file.display()));
    let name = scenario["name"].as_str().unwrap_or_default();

    let config = SandboxConfig {
        rate_limits: RateLimits::unlimited(),
        ..Default::default()
    };
    let sandbox = Sandbox::start(config).await.unwrap();
    let client = Client::builder()
        .api_key(sandbox.api_key())
        .base_url(sandbox.proxy_url())
        .maton_base_url(sandbox.url())
        .connection(LOCATION_CONNECTIONS[0])
        .location_connection(LOCATION_IDS[1], LOCATION_CONNECTIONS[1])
        .agency_connection(AGENCY_CONNECTION)
        .build()
        .unwrap();
    let mut saved = HashMap::new();

    for (index, step) in scenario["steps"].as_array().unwrap().iter().enumerate() {
        let step = fill(step, &saved);
        let at = format!("{name}, step {} ({})", index + 1, step["call"]);
        let caller = match step["connection"].as_str() {
            Some(connection) => client.with_connection(connection).unwrap(),
            None => client.clone(),
        };
        let params: Map<String, Value> = step["params"].as_object().cloned().unwrap_or_default();
        let body = step.get("body");
        let expect = &step["expect"];

        let outcome = caller
            .call(step["call"].as_str().unwrap(), &params, body)
            .await;
        let answer = match (outcome, expect["error"].as_str()) {
            (Ok(answer), None) => {
                if let Some(status) = expect["status"].as_u64() {
                    assert_eq!(u64::from(answer.status), status, "{at}: {}", answer.body);
                }
                answer.body
            }
            (Err(err), Some(kind)) => {
                assert_eq!(err.kind().code(), kind, "{at}: {err}");
                if let Some(status) = expect["status"].as_u64() {
                    assert_eq!(err.status().map(u64::from), Some(status), "{at}: {err}");
                }
                continue;
            }
            (Ok(answer), Some(kind)) => panic!("{at}: expected {kind}, got {}", answer.body),
            (Err(err), None) => panic!("{at}: {err}"),
        };

        for (pointer, expected) in expect["match"].as_object().into_iter().flatten() {
            assert_eq!(
                answer.pointer(pointer),
                Some(expected),
                "{at}: {pointer} in {answer}"
            );
        }
        for (pointer, count) in expect["count"].as_object().into_iter().flatten() {
            let found = answer
                .pointer(pointer)
                .and_then(Value::as_array)
                .map(Vec::len);
            assert_eq!(
                found.map(|n| n as u64),
                count.as_u64(),
                "{at}: {pointer} in {answer}"
            );
        }
        for (saved_name, pointer) in step["save"].as_object().into_iter().flatten() {
            let value = answer
                .pointer(pointer.as_str().unwrap())
                .and_then(Value::as_str);
            let value = value.unwrap_or_else(|| panic!("{at}: nothing to save at {pointer}"));
            saved.insert(saved_name.clone(), value.to_owned());
        }
    }
}

#[tokio::test]
async fn every_scenario_plays_as_written() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();

    // One scenario at least for each resource group of the description.
    let groups: std::collections::BTreeSet<_> =
        highlevel::operations().iter().map(|op| op.tag).collect();
    for group in &groups {
        assert!(
            folder.join(format!("{group}.json")).exists(),
            "no scenario for {group}"
        );
    }
    for file in files {
        play(&file).await;
    }
}
