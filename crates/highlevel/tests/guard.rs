//! The write guard: read-only mode and the approval hook, seen from the wire.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use highlevel::api::types;
use highlevel::{Client, ClientBuilder, WriteRequest};
use reqwest::Method;
use support::Server;

fn client(server: &Server) -> ClientBuilder {
    Client::builder()
        .api_key("test-key")
        .base_url(&server.url)
        .maton_base_url(&server.url)
        .connection("conn-sub")
}

fn refusal<E: std::fmt::Debug>(err: highlevel::GeneratedError<E>) -> String {
    match err {
        highlevel::GeneratedError::Custom(message) => message,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn read_only_refuses_writes_before_sending_and_lets_reads_through() {
    let server = Server::start().await;
    let client = client(&server).read_only(true).build().unwrap();

    let body = types::CreateContactRequest::builder().location_id("loc1");
    let create = client
        .api()
        .create_contact()
        .body(body)
        .send()
        .await
        .unwrap_err();
    let delete = client
        .maton()
        .delete_connection()
        .connection_id("k1")
        .send()
        .await;
    client
        .api()
        .get_contact()
        .contact_id("c1")
        .send()
        .await
        .unwrap();

    let message = refusal(create);
    assert!(
        message.contains("read-only") && message.contains("createContact"),
        "{message}"
    );
    assert!(refusal(delete.unwrap_err()).contains("deleteConnection"));
    let methods: Vec<_> = server.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(methods, ["GET"], "only the read was sent");
}

#[tokio::test]
async fn the_approval_hook_sees_each_write_and_can_refuse_it() {
    let server = Server::start().await;
    let seen: Arc<Mutex<Vec<WriteRequest>>> = Arc::default();
    let record = seen.clone();
    let client = client(&server)
        .approve_writes(move |write: WriteRequest| {
            record.lock().unwrap().push(write.clone());
            async move {
                // An async hook, as a person's confirmation would be.
                tokio::time::sleep(Duration::from_millis(5)).await;
                match write.operation {
                    "deleteContact" => Err("the person said no".to_owned()),
                    _ => Ok(()),
                }
            }
        })
        .build()
        .unwrap();

    let body = types::UpdateContactRequest::builder().first_name("Ada".to_owned());
    client
        .api()
        .update_contact()
        .contact_id("c1")
        .body(body)
        .send()
        .await
        .unwrap();
    let refused = client
        .api()
        .delete_contact()
        .contact_id("c2")
        .send()
        .await
        .unwrap_err();
    client
        .api()
        .list_users()
        .location_id("loc1")
        .send()
        .await
        .unwrap();

    assert_eq!(
        refusal(refused),
        "refused by the write guard: the person said no"
    );
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2, "reads do not ask");
    assert_eq!(
        (seen[0].operation, seen[0].method.clone()),
        ("updateContact", Method::PUT)
    );
    assert_eq!(seen[0].targets, [("contactId", "c1".to_owned())]);
    assert_eq!(seen[0].body.as_ref().unwrap()["firstName"], "Ada");
    assert_eq!(seen[1].targets, [("contactId", "c2".to_owned())]);

    let sent: Vec<_> = server.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(sent, ["PUT", "GET"], "the refused delete was never sent");
}
