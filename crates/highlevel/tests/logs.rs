//! What the client logs: a span per attempt with the operation, method, status and duration,
//! bodies only at trace level, and never the API key.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use highlevel::Client;
use highlevel::api::types;
use support::Server;
use tracing_subscriber::fmt::MakeWriter;

const KEY: &str = "secret-key-4d2a9c";

/// Everything the subscriber writes, kept for the test to read.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn requests_are_traced_without_the_key() {
    let server = Server::start().await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(&server.url)
        .connection("conn-sub")
        .build()
        .unwrap();
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(captured.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    server.answer(
        404,
        r#"{"statusCode": 404, "message": "Contact not found", "traceId": "t-123"}"#,
    );

    let body = types::CreateContactRequest::builder()
        .location_id("loc1")
        .email("a@example.com".to_owned());
    let missing = client
        .api()
        .get_contact()
        .contact_id("c404")
        .send()
        .await
        .unwrap_err();
    client
        .api()
        .create_contact()
        .body(body)
        .send()
        .await
        .unwrap();

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("highlevel.request"), "{logs}");
    assert!(logs.contains("operation=\"get_contact\""), "{logs}");
    assert!(logs.contains("http.response.status_code=404"), "{logs}");
    assert!(logs.contains("trace_id=\"t-123\""), "{logs}");
    assert!(
        logs.contains("a@example.com"),
        "bodies appear at trace level: {logs}"
    );
    for shown in [
        logs,
        format!("{missing}"),
        format!("{missing:?}"),
        format!("{client:?}"),
    ] {
        assert!(!shown.contains(KEY), "the key leaked: {shown}");
    }
}
