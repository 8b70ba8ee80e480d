//! The core client's JSON-level calls, errors and paginators against the sandbox.

use highlevel::{Answer, Client, Error, ErrorKind, RetryPolicy};
use highlevel_sandbox::{
    AGENCY_CONNECTION, Fault, FaultKind, LOCATION_CONNECTIONS, LOCATION_IDS, RateLimits, Sandbox,
    SandboxConfig,
};
use serde_json::{Map, Value, json};

const LOC: &str = LOCATION_IDS[0];

async fn start() -> (Sandbox, Client) {
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
        .agency_connection(AGENCY_CONNECTION)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    (sandbox, client)
}

fn params(value: Value) -> Map<String, Value> {
    value.as_object().unwrap().clone()
}

/// Calls `operation` with owned arguments.
async fn call(
    client: &Client,
    operation: &str,
    args: Value,
    body: Option<Value>,
) -> Result<Answer, Error> {
    client.call(operation, &params(args), body.as_ref()).await
}

#[tokio::test]
async fn a_call_returns_every_field_the_service_sent() {
    let (_sandbox, client) = start().await;

    let answer = call(
        &client,
        "listContacts",
        json!({"locationId": LOC, "limit": 2}),
        None,
    );
    let answer = answer.await.unwrap();

    assert_eq!(answer.status, 200);
    assert_eq!(answer.body["contacts"].as_array().unwrap().len(), 2);
    assert!(answer.body["meta"]["startAfterId"].is_string());
    assert!(answer.headers.contains_key("x-ratelimit-remaining"));
}

#[tokio::test]
async fn missing_and_unknown_parameters_are_refused_before_sending() {
    let (sandbox, client) = start().await;

    let missing = call(&client, "list_contacts", json!({}), None)
        .await
        .unwrap_err();
    let unknown = call(
        &client,
        "listUsers",
        json!({"locationId": LOC, "limt": 5}),
        None,
    );
    let unknown = unknown.await.unwrap_err();
    let task = Some(json!({"title": "t"}));
    let no_body = call(
        &client,
        "createContactTask",
        json!({"contactId": "c"}),
        task,
    );
    let no_body = no_body.await.unwrap_err().to_string();

    assert_eq!(missing.kind(), ErrorKind::InvalidArgument);
    assert!(missing.to_string().contains("`locationId`"), "{missing}");
    assert!(unknown.to_string().contains("`limt`"), "{unknown}");
    assert!(
        no_body.contains("dueDate") && no_body.contains("completed"),
        "{no_body}"
    );
    assert!(sandbox.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn service_errors_come_with_their_kind_status_messages_and_trace() {
    let (_sandbox, client) = start().await;
    let agency = client.with_connection(AGENCY_CONNECTION).unwrap();

    let not_found = call(&client, "getContact", json!({"contactId": "nope"}), None).await;
    let forbidden = call(
        &client,
        "listUsers",
        json!({"locationId": LOCATION_IDS[1]}),
        None,
    )
    .await;
    let wrong_token = call(&agency, "listUsers", json!({"locationId": LOC}), None).await;
    let invalid = call(
        &client,
        "listContacts",
        json!({"locationId": LOC, "limit": 500}),
        None,
    )
    .await;

    let not_found = not_found.unwrap_err();
    assert_eq!(
        (not_found.kind(), not_found.status()),
        (ErrorKind::NotFound, Some(404))
    );
    assert_eq!(not_found.operation(), Some("getContact"));
    assert!(not_found.trace_id().is_some());
    assert_eq!(forbidden.unwrap_err().kind(), ErrorKind::ForbiddenLocation);
    assert_eq!(wrong_token.unwrap_err().kind(), ErrorKind::WrongTokenType);
    let invalid = invalid.unwrap_err();
    assert_eq!(invalid.kind(), ErrorKind::Validation);
    assert!(invalid.messages()[0].contains("limit"), "{invalid:?}");
}

#[tokio::test]
async fn gateway_pages_broken_bodies_and_resets_are_told_apart() {
    let (sandbox, client) = start().await;
    let users = params(json!({"locationId": LOC}));
    sandbox.add_fault(Fault::on("listUsers", FaultKind::HtmlBadGateway).times(1));
    sandbox.add_fault(Fault::on("listCampaigns", FaultKind::InvalidJson).times(1));
    sandbox.add_fault(Fault::on("listWorkflows", FaultKind::ResetBeforeProcessing).times(1));

    let gateway = client.call("listUsers", &users, None).await.unwrap_err();
    let decode = client
        .call("listCampaigns", &users, None)
        .await
        .unwrap_err();
    let reset = client
        .call("listWorkflows", &users, None)
        .await
        .unwrap_err();

    assert_eq!(gateway.kind(), ErrorKind::Gateway);
    assert_eq!(gateway.messages(), ["502 Bad Gateway"]);
    assert_eq!(decode.kind(), ErrorKind::Decode);
    assert!(
        std::error::Error::source(&decode).is_some(),
        "the JSON error is kept as the cause"
    );
    assert_eq!(reset.kind(), ErrorKind::Connection);
    for err in [gateway, decode, reset] {
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains(highlevel_sandbox::API_KEY), "{shown}");
        assert!(!err.to_string().contains('\n'));
    }
}

#[tokio::test]
async fn typed_calls_read_a_gateway_page_as_a_gateway_error() {
    let (sandbox, client) = start().await;
    sandbox.add_fault(Fault::on("listUsers", FaultKind::HtmlBadGateway).times(1));

    let err = client
        .users()
        .list()
        .location_id(LOC)
        .call()
        .await
        .unwrap_err();

    assert_eq!((err.kind(), err.status()), (ErrorKind::Gateway, Some(502)));
    assert_eq!(err.messages(), ["502 Bad Gateway"]);
}

#[tokio::test]
async fn an_id_that_looks_like_a_path_reaches_only_its_own_resource() {
    let (sandbox, client) = start().await;

    for id in ["../locations/demo-location-1", "a?b=c", "a#b", "a/b"] {
        let err = client
            .call("getContact", &params(json!({"contactId": id})), None)
            .await;
        let err = err.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound, "{id}: {err}");
        assert!(err.messages()[0].contains(id), "{id}: {err}");
    }
    assert!(
        sandbox
            .requests()
            .iter()
            .all(|r| r.operation.as_deref() == Some("getContact"))
    );
}

async fn walk(client: &Client, operation: &str, start: Value, id: &str) -> Vec<String> {
    let mut items = client.items(operation, params(start)).unwrap();
    let mut ids = Vec::new();
    while let Some(item) = items.next().await {
        ids.push(item.unwrap()[id].as_str().unwrap().to_owned());
    }
    ids
}

fn once(ids: &[String]) -> usize {
    let unique: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "an item came twice");
    ids.len()
}

#[tokio::test]
async fn every_pagination_style_walks_each_item_once_to_the_end() {
    let (_sandbox, client) = start().await;

    let contacts = walk(
        &client,
        "listContacts",
        json!({"locationId": LOC, "limit": 33}),
        "id",
    )
    .await;
    assert_eq!(once(&contacts), 300, "cursor");

    let total = client
        .call(
            "searchOpportunities",
            &params(json!({"location_id": LOC, "limit": 1})),
            None,
        )
        .await
        .unwrap()
        .body["meta"]["total"]
        .as_u64()
        .unwrap() as usize;
    let opportunities = walk(
        &client,
        "searchOpportunities",
        json!({"location_id": LOC, "limit": 7}),
        "id",
    )
    .await;
    assert_eq!(once(&opportunities), total, "page");

    let start = json!({"altId": LOC, "altType": "location", "limit": "7", "offset": "0"});
    let invoices = walk(&client, "listInvoices", start, "_id").await;
    assert_eq!(once(&invoices), 30, "offset");

    let forms = walk(
        &client,
        "listForms",
        json!({"locationId": LOC, "limit": 5}),
        "id",
    )
    .await;
    assert_eq!(once(&forms), 12, "skip");

    let conversation = client
        .call(
            "searchConversations",
            &params(json!({"locationId": LOC, "limit": 1})),
            None,
        )
        .await
        .unwrap()
        .body["conversations"][0]["id"]
        .clone();
    let start = json!({"conversationId": conversation, "limit": 2});
    let messages = walk(&client, "listConversationMessages", start, "id").await;
    let everything = json!({"conversationId": conversation, "limit": 100});
    let all = call(&client, "listConversationMessages", everything, None)
        .await
        .unwrap();
    let all = all.body["messages"]["messages"].as_array().unwrap().len();
    assert_eq!(once(&messages), all, "nested cursor");
}

#[tokio::test]
async fn pages_come_one_at_a_time_with_the_whole_answer() {
    let (sandbox, client) = start().await;
    let mut pages = client
        .pages(
            "listContacts",
            params(json!({"locationId": LOC, "limit": 100})),
        )
        .unwrap();

    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.items.len(), 100);
    assert_eq!(first.body["meta"]["total"], 300);
    // The walk fetches ahead by one page, and no further while this one is held.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while sandbox.requests().len() < 2 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(sandbox.requests().len(), 2, "one page ahead, not more");

    drop(pages);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(
        sandbox.requests().len(),
        2,
        "a dropped stream stops the walk"
    );
}
