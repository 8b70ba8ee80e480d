//! The SDK against the sandbox: the same client users point at Maton works unchanged
//! against the sandbox's URLs, over real sockets.

use highlevel::api::types;
use highlevel::{Client, GeneratedError as Error};
use highlevel_sandbox::{
    AGENCY_CONNECTION, COMPANY_ID, LOCATION_CONNECTIONS, LOCATION_IDS, RateLimits, Sandbox,
    SandboxConfig,
};

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
        .build()
        .unwrap();
    (sandbox, client)
}

#[tokio::test]
async fn a_contact_round_trips_through_the_typed_client() {
    let (_sandbox, client) = start().await;
    let body = types::CreateContactRequest::builder()
        .location_id(LOCATION_IDS[0])
        .first_name("Ada".to_owned())
        .email("ada@example.com".to_owned());

    let created = client
        .api()
        .create_contact()
        .body(body)
        .send()
        .await
        .unwrap();
    let id = created.contact.as_ref().and_then(|c| c.id.clone()).unwrap();
    let fetched = client
        .api()
        .get_contact()
        .contact_id(&id)
        .send()
        .await
        .unwrap();

    assert_eq!(created.status().as_u16(), 201);
    let contact = fetched.into_inner().contact.unwrap();
    assert_eq!(contact.first_name.as_deref(), Some("Ada"));
    assert_eq!(contact.location_id.as_deref(), Some(LOCATION_IDS[0]));
}

#[tokio::test]
async fn every_seeded_contact_decodes() {
    let (_sandbox, client) = start().await;
    let page = client
        .api()
        .list_contacts()
        .location_id(LOCATION_IDS[0])
        .limit(100.0)
        .send()
        .await
        .unwrap();
    assert_eq!(page.contacts.len(), 100);
    assert!(
        page.contacts
            .iter()
            .all(|c| c.id.is_some() && c.email.is_some())
    );
}

#[tokio::test]
async fn the_agency_connection_manages_locations() {
    let (_sandbox, client) = start().await;
    let agency = client.with_connection(AGENCY_CONNECTION).unwrap();

    let found = agency
        .api()
        .search_locations()
        .company_id(COMPANY_ID)
        .send()
        .await
        .unwrap();
    let names: Vec<_> = found
        .locations
        .iter()
        .filter_map(|l| l.id.clone())
        .collect();
    assert_eq!(names, LOCATION_IDS);

    let refused = client
        .api()
        .search_locations()
        .company_id(COMPANY_ID)
        .send()
        .await;
    assert!(
        refused.is_ok(),
        "a sub-account token may search its own location"
    );
}

#[tokio::test]
async fn service_errors_reach_the_caller_with_status_message_and_trace() {
    let (_sandbox, client) = start().await;

    let err = client
        .api()
        .list_contacts()
        .location_id(LOCATION_IDS[1])
        .send()
        .await
        .unwrap_err();

    let Error::ErrorResponse(answer) = err else {
        panic!("expected an error answer, got {err:?}")
    };
    assert_eq!(answer.status().as_u16(), 403);
    let expected = "The token does not have access to this location";
    assert!(matches!(&answer.message, Some(types::ApiErrorMessage::String(m)) if m == expected));
    assert!(answer.trace_id.is_some());
}

#[tokio::test]
async fn connections_are_listed_through_the_maton_client() {
    let (_sandbox, client) = start().await;
    let list = client
        .maton()
        .list_connections()
        .app("highlevel-pit")
        .send()
        .await
        .unwrap();
    assert_eq!(list.connections.len(), 3);
}

#[tokio::test]
async fn typed_calls_answer_with_the_sdk_error() {
    let (sandbox, client) = start().await;
    let guarded = Client::builder()
        .api_key(sandbox.api_key())
        .base_url(sandbox.proxy_url())
        .connection(LOCATION_CONNECTIONS[0])
        .read_only(true)
        .build()
        .unwrap();

    let missing = client
        .api()
        .get_contact()
        .contact_id("nope")
        .call()
        .await
        .unwrap_err();
    let refused = guarded
        .api()
        .delete_contact()
        .contact_id("x")
        .call()
        .await
        .unwrap_err();
    let no_agency = guarded
        .api()
        .list_snapshots()
        .company_id(COMPANY_ID)
        .call()
        .await;
    let found = client
        .api()
        .list_users()
        .location_id(LOCATION_IDS[0])
        .call()
        .await
        .unwrap();

    assert_eq!(missing.kind(), highlevel::ErrorKind::NotFound);
    assert_eq!(missing.operation(), Some("getContact"));
    assert!(missing.trace_id().is_some());
    assert_eq!(refused.kind(), highlevel::ErrorKind::Refused);
    assert_eq!(
        no_agency.unwrap_err().kind(),
        highlevel::ErrorKind::InvalidArgument
    );
    assert!(!found.users.is_empty());
    assert_eq!(sandbox.processed("deleteContact"), 0);
}

#[tokio::test]
async fn operations_are_grouped_by_resource() {
    let (_sandbox, client) = start().await;

    let contacts = client
        .contacts()
        .list()
        .location_id(LOCATION_IDS[0])
        .call()
        .await
        .unwrap();
    let id = contacts.contacts[0].id.clone().unwrap();
    let notes = client
        .contacts()
        .list_notes()
        .contact_id(&id)
        .call()
        .await
        .unwrap();
    let pipelines = client
        .opportunities()
        .list_pipelines()
        .location_id(LOCATION_IDS[0])
        .call();
    let connections = client.connections().list().call().await.unwrap();

    assert!(
        !notes.notes.is_empty(),
        "the first seeded contacts have notes"
    );
    assert!(!pipelines.await.unwrap().pipelines.is_empty());
    assert_eq!(connections.connections.len(), 3);
}

#[tokio::test]
async fn a_missing_required_parameter_fails_before_sending_and_is_named() {
    let (sandbox, client) = start().await;

    let err = client.contacts().list().call().await.unwrap_err();

    assert_eq!(err.kind(), highlevel::ErrorKind::InvalidArgument);
    assert!(err.to_string().contains("location_id"), "{err}");
    assert!(sandbox.requests().is_empty());
}
