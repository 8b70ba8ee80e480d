//! The description against Maton's list of operations: every documented operation is
//! present with its method and path, and carries the token type, version and pagination
//! facts the references give it. Also checks that the generated operation table agrees.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use highlevel::{Operation, PaginationStyle, Server, TokenType, operations};
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `(METHOD, path)` with every path parameter written `{}`.
type Key = (String, String);

fn key(method: &str, path: &str) -> Key {
    let mut out = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => in_param = true,
            '}' => {
                in_param = false;
                out.push_str("{}");
            }
            _ if !in_param => out.push(c),
            _ => {}
        }
    }
    (method.to_uppercase(), out)
}

fn fixture() -> BTreeSet<Key> {
    let text = std::fs::read_to_string(
        repo().join("crates/highlevel/tests/fixtures/maton-operations.txt"),
    )
    .expect("the fixture is readable");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (method, path) = l.split_once(' ').expect("METHOD PATH");
            key(method, path)
        })
        .collect()
}

/// The bundled description's operations, by key.
fn described() -> BTreeMap<Key, Value> {
    let text = std::fs::read_to_string(repo().join("openapi/bundled/highlevel.json"))
        .expect("the bundle is readable; run `cargo xtask codegen`");
    let doc: Value = serde_json::from_str(&text).expect("the bundle is JSON");
    let mut ops = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("a path item") {
            if ["get", "put", "post", "delete", "patch"].contains(&method.as_str()) {
                ops.insert(key(method, path), op.clone());
            }
        }
    }
    ops
}

#[test]
fn the_fixture_lists_the_85_documented_operations() {
    let ops = fixture();
    assert_eq!(ops.len(), 85);
    assert_eq!(
        ops.iter()
            .filter(|(_, p)| p.starts_with("/connections"))
            .count(),
        4
    );
}

/// The fixture was transcribed from Maton's reference; where that reference is at hand (it
/// sits beside the repository in this project's workspace), check the transcription.
#[test]
fn the_fixture_matches_maton_reference_when_present() {
    let reference = repo().join("../shared/maton/highlevel-pit-api.md");
    let Ok(text) = std::fs::read_to_string(&reference) else {
        eprintln!(
            "{} is absent; the fixture alone is checked",
            reference.display()
        );
        return;
    };

    let mut documented = BTreeSet::new();
    for line in text.lines() {
        let mut words = line.split_whitespace();
        let (Some(method), Some(target)) = (words.next(), words.next()) else {
            continue;
        };
        if let Some(path) = target.strip_prefix("/highlevel-pit") {
            documented.insert(key(method, path.split('?').next().unwrap()));
        }
        // Connection operations appear only as curl commands on Maton's own host.
        if let Some(at) = line.find("-X ") {
            let rest = &line[at + 3..];
            let (method, url) = rest.split_once(' ').unwrap();
            let url = url.trim_matches('"');
            if let Some(path) = url.strip_prefix("https://api.maton.ai")
                && path.starts_with("/connections")
            {
                documented.insert(key(method, path.split(['?', '"']).next().unwrap()));
            }
        }
    }
    assert_eq!(documented, fixture());
}

#[test]
fn every_documented_operation_is_described_and_nothing_else() {
    let described: BTreeSet<Key> = described().into_keys().collect();
    let documented = fixture();

    let missing: Vec<_> = documented.difference(&described).collect();
    let extra: Vec<_> = described.difference(&documented).collect();
    assert!(missing.is_empty(), "not described: {missing:?}");
    assert!(
        extra.is_empty(),
        "described but not documented by Maton: {extra:?}"
    );
}

#[test]
fn every_operation_states_its_token_type() {
    let agency = [
        "POST /locations/",
        "PUT /locations/{}",
        "DELETE /locations/{}",
        "GET /snapshots/",
    ];
    let either = [
        "GET /locations/search",
        "GET /locations/{}",
        "GET /products/",
        "GET /products/{}",
        "POST /products/",
        "DELETE /products/{}",
        "GET /invoices/",
        "GET /invoices/{}",
    ];

    for ((method, path), op) in described() {
        let name = format!("{method} {path}");
        let expected = if agency.contains(&name.as_str()) {
            "agency"
        } else if either.contains(&name.as_str()) {
            "either"
        } else if path.starts_with("/connections") {
            "maton"
        } else {
            "sub-account"
        };
        assert_eq!(op["x-highlevel-token"], expected, "{name}");
    }
}

#[test]
fn every_highlevel_operation_states_its_version() {
    for ((method, path), op) in described() {
        let expected = if path.starts_with("/connections") {
            Value::Null
        } else if path.starts_with("/calendars") || path.starts_with("/conversations") {
            "2021-04-15".into()
        } else {
            "2021-07-28".into()
        };
        assert_eq!(op["x-highlevel-version"], expected, "{method} {path}");
    }
}

#[test]
fn every_paginated_operation_states_its_style() {
    let expected: BTreeMap<Key, &str> = [
        ("GET /contacts/", "cursor"),
        ("GET /conversations/search", "cursor"),
        ("GET /conversations/{}/messages", "cursor"),
        ("GET /opportunities/search", "page"),
        ("GET /products/", "offset"),
        ("GET /invoices/", "offset"),
        ("GET /payments/orders", "offset"),
        ("GET /payments/transactions", "offset"),
        ("GET /payments/subscriptions", "offset"),
        ("GET /funnels/funnel/list", "offset"),
        ("GET /medias/files", "offset"),
        ("GET /locations/search", "skip"),
        ("GET /businesses/", "skip"),
        ("GET /forms/", "skip"),
        ("GET /surveys/", "skip"),
        ("GET /social-media-posting/{}/categories", "skip"),
    ]
    .into_iter()
    .map(|(name, style)| {
        let (method, path) = name.split_once(' ').unwrap();
        (key(method, path), style)
    })
    .collect();

    for (k, op) in described() {
        let pagination = &op["x-highlevel-pagination"];
        match expected.get(&k) {
            Some(style) => {
                assert_eq!(pagination["style"], *style, "{k:?}");
                assert!(pagination["items"].is_string(), "{k:?} names no items");
            }
            None => assert!(pagination.is_null(), "{k:?} should not page"),
        }
    }
}

#[test]
fn the_operation_table_agrees_with_the_description() {
    let described = described();
    assert_eq!(operations().len(), described.len());

    for op in operations() {
        let raw = &described[&key(op.method.as_str(), op.path)];
        assert_eq!(raw["operationId"], op.id);
        assert_eq!(Operation::find(op.name).map(|o| o.id), Some(op.id));

        let token = match op.token {
            TokenType::Agency => "agency",
            TokenType::SubAccount => "sub-account",
            TokenType::Either => "either",
            TokenType::Maton => "maton",
        };
        assert_eq!(raw["x-highlevel-token"], token, "{}", op.id);
        assert_eq!(raw["x-highlevel-version"].as_str(), op.version, "{}", op.id);
        assert_eq!(
            op.server == Server::Maton,
            op.token == TokenType::Maton,
            "{}",
            op.id
        );
        assert_eq!(
            raw["x-highlevel-pagination"].is_object(),
            op.pagination.is_some(),
            "{}",
            op.id
        );
    }
}

#[test]
fn the_table_describes_contact_paging_in_full() {
    let op = Operation::find("list_contacts").expect("list_contacts exists");
    let paging = op.pagination.as_ref().expect("it pages");

    assert_eq!(paging.style, PaginationStyle::Cursor);
    assert_eq!(paging.items, "contacts");
    assert_eq!(paging.max_limit, Some(100));
    let cursors: Vec<_> = paging.cursor.iter().map(|c| c.param).collect();
    assert!(cursors.contains(&"startAfterId"), "{cursors:?}");
    assert!(
        op.params
            .iter()
            .any(|p| p.name == "locationId" && p.required)
    );
    assert!(!op.is_write());
}

#[test]
fn the_table_knows_each_writes_required_body_fields() {
    let task = Operation::find("create_contact_task").unwrap();
    let update = Operation::find("update_opportunity").unwrap();
    let tags = Operation::find("remove_contact_tags").unwrap();

    assert!(task.body_required.unwrap().contains(&"completed"));
    assert!(update.body_required.unwrap().contains(&"pipelineId"));
    assert_eq!(tags.body_required, Some(&["tags"][..]));
    assert!(task.is_write() && update.is_write() && tags.is_write());
}
