//! The client against a recording server: what each request carries on the wire, and what
//! the answers decode to.

mod support;

use highlevel::api::types;
use highlevel::{Client, ClientBuilder};
use support::Server;

const KEY: &str = "test-key-5f0c";

fn client(server: &Server) -> ClientBuilder {
    Client::builder()
        .api_key(KEY)
        .base_url(&server.url)
        .maton_base_url(&server.url)
        .connection("conn-sub")
        .agency_connection("conn-agency")
}

#[tokio::test]
async fn calendar_reads_send_their_version_key_and_connection() {
    let server = Server::start().await;
    let client = client(&server).connection("conn-sub").build().unwrap();

    client
        .api()
        .list_calendars()
        .location_id("loc 1")
        .send()
        .await
        .unwrap();

    let request = server.single();
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, "/calendars/?locationId=loc+1");
    assert_eq!(request.header("version"), Some("2021-04-15"));
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_eq!(request.header("maton-connection"), Some("conn-sub"));
    assert_eq!(
        request.header("api-version"),
        None,
        "progenitor's own header is dropped"
    );
}

#[tokio::test]
async fn contact_reads_send_the_other_version_and_keep_unknown_fields() {
    let server = Server::start().await;
    let client = client(&server).build().unwrap();
    server.answer(
        200,
        r#"{"contacts": [{"id": "c1", "email": "a@example.com", "favouriteColour": "teal"}],
            "meta": {"total": 1, "startAfterId": "c1", "startAfter": 1700000000000},
            "surprise": {"nested": true}}"#,
    );

    let page = client
        .api()
        .list_contacts()
        .location_id("loc1")
        .limit(5.0)
        .send()
        .await
        .unwrap();

    let request = server.single();
    assert_eq!(request.header("version"), Some("2021-07-28"));
    assert_eq!(request.header("maton-connection"), Some("conn-sub"));
    assert!(
        request.target.starts_with("/contacts/?"),
        "{}",
        request.target
    );
    assert!(
        request.target.contains("locationId=loc1"),
        "{}",
        request.target
    );

    let contact = &page.contacts[0];
    assert_eq!(contact.id.as_deref(), Some("c1"));
    assert_eq!(contact.extra["favouriteColour"], "teal");
    assert_eq!(page.extra["surprise"]["nested"], true);
    assert_eq!(
        page.meta.as_ref().unwrap().start_after_id.as_deref(),
        Some("c1")
    );
}

#[tokio::test]
async fn an_explicit_version_replaces_the_described_one() {
    let server = Server::start().await;
    let client = client(&server).api_version("2023-02-21").build().unwrap();

    client
        .api()
        .get_contact()
        .contact_id("c1")
        .send()
        .await
        .unwrap();

    assert_eq!(server.single().header("version"), Some("2023-02-21"));
}

#[tokio::test]
async fn connection_operations_go_to_maton_without_version_or_connection() {
    let server = Server::start().await;
    let client = client(&server).connection("conn-sub").build().unwrap();
    server.answer(
        200,
        r#"{"connections": [{"connection_id": "k1", "status": "ACTIVE"}]}"#,
    );

    let list = client
        .maton()
        .list_connections()
        .app("highlevel-pit")
        .send()
        .await
        .unwrap();

    let request = server.single();
    assert_eq!(request.target, "/connections?app=highlevel-pit");
    assert_eq!(request.header("version"), None);
    assert_eq!(request.header("maton-connection"), None);
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_eq!(list.connections[0].connection_id.as_deref(), Some("k1"));
}

#[tokio::test]
async fn each_operation_gets_the_connection_of_its_token_and_location() {
    let server = Server::start().await;
    let client = client(&server)
        .location_connection("loc-2", "conn-loc-2")
        .build()
        .unwrap();

    client
        .api()
        .list_snapshots()
        .company_id("co")
        .send()
        .await
        .unwrap();
    client
        .api()
        .list_users()
        .location_id("loc-1")
        .send()
        .await
        .unwrap();
    client
        .api()
        .list_users()
        .location_id("loc-2")
        .send()
        .await
        .unwrap();
    let body = types::CreateContactRequest::builder().location_id("loc-2");
    client
        .api()
        .create_contact()
        .body(body)
        .send()
        .await
        .unwrap();
    client
        .api()
        .list_location_tags()
        .location_id("loc-2")
        .send()
        .await
        .unwrap();

    let seen: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("maton-connection").unwrap().to_owned())
        .collect();
    assert_eq!(
        seen,
        [
            "conn-agency",
            "conn-sub",
            "conn-loc-2",
            "conn-loc-2",
            "conn-loc-2"
        ]
    );
}

#[tokio::test]
async fn a_call_whose_connection_is_not_configured_is_refused_before_sending() {
    let server = Server::start().await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(&server.url)
        .build()
        .unwrap();

    let err = client
        .api()
        .delete_location()
        .location_id("l1")
        .send()
        .await
        .unwrap_err();

    let highlevel::GeneratedError::InvalidRequest(message) = err else {
        panic!("expected a refusal, got {err:?}");
    };
    assert!(message.contains("MATON_AGENCY_CONNECTION"), "{message}");
    assert!(server.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn direct_mode_sends_the_users_own_token_and_no_connection() {
    let server = Server::start().await;
    let client = Client::builder()
        .direct("pit-token")
        .base_url(&server.url)
        .build()
        .unwrap();

    client
        .api()
        .list_snapshots()
        .company_id("co")
        .send()
        .await
        .unwrap();
    client
        .api()
        .list_users()
        .location_id("loc-1")
        .send()
        .await
        .unwrap();
    let refused = client.maton().list_connections().send().await;

    for request in server.requests() {
        assert_eq!(request.header("authorization"), Some("Bearer pit-token"));
        assert_eq!(request.header("maton-connection"), None);
        assert!(request.header("version").is_some());
    }
    assert!(refused.is_err(), "Maton's API has no place in direct mode");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_cloned_client_can_have_a_shorter_timeout() {
    // A port nothing answers on quickly: a listener that never accepts.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", silent.local_addr().unwrap());
    let client = Client::builder()
        .api_key(KEY)
        .base_url(&url)
        .connection("conn-sub")
        .retry(highlevel::RetryPolicy::none())
        .build()
        .unwrap();
    let hasty = client.with_timeout(std::time::Duration::from_millis(200));

    let started = std::time::Instant::now();
    let err = hasty
        .api()
        .get_contact()
        .contact_id("c1")
        .call()
        .await
        .unwrap_err();

    assert_eq!(err.kind(), highlevel::ErrorKind::Timeout, "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[tokio::test]
async fn a_cloned_client_can_pin_another_connection() {
    let server = Server::start().await;
    let agency = client(&server).connection("conn-agency").build().unwrap();
    let sub = agency.with_connection("conn-sub").unwrap();

    agency
        .api()
        .get_location()
        .location_id("l1")
        .send()
        .await
        .unwrap();
    sub.api()
        .get_location()
        .location_id("l1")
        .send()
        .await
        .unwrap();

    let seen: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("maton-connection").map(String::from))
        .collect();
    assert_eq!(
        seen,
        [Some("conn-agency".to_owned()), Some("conn-sub".to_owned())]
    );
}

#[tokio::test]
async fn path_parameters_cannot_escape_their_segment() {
    let server = Server::start().await;
    let client = client(&server).build().unwrap();

    client
        .api()
        .get_contact()
        .contact_id("../locations/x?y=1#z")
        .send()
        .await
        .unwrap();

    assert_eq!(
        server.single().target,
        "/contacts/..%2Flocations%2Fx%3Fy=1%23z"
    );
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_walk_with_an_error_instead_of_a_loop() {
    let server = Server::start().await;
    let client = client(&server).build().unwrap();
    let page = r#"{"contacts": [{"id": "a"}], "meta": {"startAfterId": "a", "startAfter": 1}}"#;
    for _ in 0..3 {
        server.answer(200, page);
    }

    let params = serde_json::json!({"locationId": "loc1"})
        .as_object()
        .unwrap()
        .clone();
    let mut pages = client.pages("listContacts", params).unwrap();

    assert!(pages.next().await.unwrap().is_ok());
    assert!(
        pages.next().await.unwrap().is_ok(),
        "the second page names the same cursor"
    );
    let err = pages.next().await.unwrap().unwrap_err();
    assert!(err.to_string().contains("repeated a cursor"), "{err}");
    assert!(pages.next().await.is_none());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn redirects_are_not_followed_so_the_key_stays_with_its_host() {
    let server = Server::start().await;
    let elsewhere = Server::start().await;
    let client = client(&server).build().unwrap();
    server.redirect(&format!("{}/collect", elsewhere.url));

    let answer = client.api().get_contact().contact_id("c1").send().await;

    assert!(answer.is_err(), "a redirect is not a success");
    assert!(
        elsewhere.requests().is_empty(),
        "nothing reached the other host"
    );
}

#[tokio::test]
async fn removing_tags_is_a_delete_with_a_json_body() {
    let server = Server::start().await;
    let client = client(&server).build().unwrap();
    server.answer(200, r#"{"tags": ["customer"], "tagsRemoved": ["vip"]}"#);

    let body = types::ContactTagsRequest::builder().tags(vec!["vip".to_owned()]);
    let answer = client
        .api()
        .remove_contact_tags()
        .contact_id("c1")
        .body(body)
        .send()
        .await
        .unwrap();

    let request = server.single();
    assert_eq!(request.method, "DELETE");
    assert_eq!(request.target, "/contacts/c1/tags");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&request.body).unwrap()["tags"][0],
        "vip"
    );
    assert_eq!(answer.tags_removed, ["vip"]);
}

#[tokio::test]
async fn creates_accept_201_as_well_as_200() {
    let server = Server::start().await;
    let client = client(&server).build().unwrap();
    server.answer(201, r#"{"contact": {"id": "new1"}}"#);
    server.answer(200, r#"{"contact": {"id": "new2"}}"#);

    for expected in ["new1", "new2"] {
        let body = types::CreateContactRequest::builder().location_id("loc1");
        let created = client
            .api()
            .create_contact()
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(
            created.contact.as_ref().unwrap().id.as_deref(),
            Some(expected)
        );
    }
}

#[tokio::test]
async fn every_error_shape_decodes_into_the_shared_error() {
    let server = Server::start().await;
    let client = client(&server).build().unwrap();
    server.answer(
        422,
        r#"{"statusCode": 422, "message": ["locationId must be a string"],
            "error": "Unprocessable Entity"}"#,
    );
    server.answer(
        400,
        r#"{"status": 400, "message": "MongoError", "name": "HttpException", "traceId": "t-1"}"#,
    );

    let validation = client
        .api()
        .list_contacts()
        .location_id("x")
        .send()
        .await
        .unwrap_err();
    let bad = client
        .api()
        .list_contacts()
        .location_id("x")
        .send()
        .await
        .unwrap_err();

    let highlevel::GeneratedError::ErrorResponse(validation) = validation else {
        panic!("expected an error response, got {validation:?}");
    };
    assert_eq!(validation.status().as_u16(), 422);
    assert!(matches!(
        &validation.message,
        Some(types::ApiErrorMessage::Array(list)) if list == &["locationId must be a string"]
    ));

    let highlevel::GeneratedError::ErrorResponse(bad) = bad else {
        panic!("expected an error response, got {bad:?}");
    };
    assert_eq!(bad.status, Some(400));
    assert_eq!(bad.trace_id.as_deref(), Some("t-1"));
    assert!(matches!(&bad.message, Some(types::ApiErrorMessage::String(m)) if m == "MongoError"));
}

#[tokio::test]
async fn free_slots_come_keyed_by_date() {
    let server = Server::start().await;
    let client = client(&server).build().unwrap();
    server.answer(
        200,
        r#"{"2026-05-02": {"slots": ["2026-05-02T10:00:00Z"]},
            "2026-05-01": {"slots": ["2026-05-01T09:00:00Z", "2026-05-01T09:30:00Z"]},
            "traceId": "t-2"}"#,
    );

    let slots = client
        .api()
        .get_free_slots()
        .calendar_id("cal1")
        .start_date(1_777_593_600_000_i64)
        .end_date(1_777_766_400_000_i64)
        .send()
        .await
        .unwrap();

    let days: Vec<_> = slots.extra.keys().map(String::as_str).collect();
    assert_eq!(days, ["2026-05-01", "2026-05-02"]);
    assert_eq!(slots.extra["2026-05-01"].slots.len(), 2);
    assert_eq!(slots.trace_id.as_deref(), Some("t-2"));
}

#[tokio::test]
async fn messages_come_nested_as_the_live_service_sends_them() {
    let server = Server::start().await;
    let client = client(&server).build().unwrap();
    server.answer(
        200,
        r#"{"messages": {"lastMessageId": "m2", "nextPage": true,
            "messages": [{"id": "m1", "body": "hi"}, {"id": "m2", "body": "there"}]}}"#,
    );

    let page = client
        .api()
        .list_conversation_messages()
        .conversation_id("cv1")
        .send()
        .await
        .unwrap();

    let inner = page.messages.as_ref().unwrap();
    assert_eq!(inner.last_message_id.as_deref(), Some("m2"));
    assert_eq!(inner.next_page, Some(true));
    assert_eq!(inner.messages.len(), 2);
}
