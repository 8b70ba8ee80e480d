//! The core client's routing, retries and rate limiting against a sandbox that misbehaves
//! on request: what reaches the server, how often, and what the caller sees.

use std::time::{Duration, Instant};

use highlevel::api::types;
use highlevel::{Client, ClientBuilder, RateLimitPolicy, RetryPolicy};
use highlevel_sandbox::{
    AGENCY_CONNECTION, COMPANY_ID, Fault, FaultKind, LOCATION_CONNECTIONS, LOCATION_IDS,
    RateLimits, Sandbox, SandboxConfig,
};

const LOC: &str = LOCATION_IDS[0];

async fn sandbox(limits: RateLimits) -> Sandbox {
    let config = SandboxConfig {
        rate_limits: limits,
        ..SandboxConfig::default()
    };
    Sandbox::start(config).await.unwrap()
}

fn builder(sandbox: &Sandbox) -> ClientBuilder {
    Client::builder()
        .api_key(sandbox.api_key())
        .base_url(sandbox.proxy_url())
        .maton_base_url(sandbox.url())
        .connection(LOCATION_CONNECTIONS[0])
        .agency_connection(AGENCY_CONNECTION)
        .location_connection(LOCATION_IDS[1], LOCATION_CONNECTIONS[1])
        // Short waits keep the tests fast; the decisions are the same.
        .retry(RetryPolicy {
            initial_backoff: Duration::from_millis(20),
            ..RetryPolicy::default()
        })
}

#[tokio::test]
async fn requests_are_routed_to_the_connection_their_token_and_location_need() {
    let sandbox = sandbox(RateLimits::unlimited()).await;
    let client = builder(&sandbox).build().unwrap();

    client
        .api()
        .list_snapshots()
        .company_id(COMPANY_ID)
        .send()
        .await
        .unwrap();
    client
        .api()
        .list_users()
        .location_id(LOC)
        .send()
        .await
        .unwrap();
    client
        .api()
        .list_users()
        .location_id(LOCATION_IDS[1])
        .send()
        .await
        .unwrap();

    let used: Vec<_> = sandbox
        .requests()
        .into_iter()
        .map(|r| r.connection.unwrap())
        .collect();
    assert_eq!(
        used,
        [
            AGENCY_CONNECTION,
            LOCATION_CONNECTIONS[0],
            LOCATION_CONNECTIONS[1]
        ]
    );
}

#[tokio::test]
async fn a_burst_of_503_on_a_read_is_retried_and_succeeds() {
    let sandbox = sandbox(RateLimits::unlimited()).await;
    let client = builder(&sandbox).build().unwrap();
    sandbox.add_fault(Fault::on("listUsers", FaultKind::Status(503)).times(2));

    let users = client
        .api()
        .list_users()
        .location_id(LOC)
        .send()
        .await
        .unwrap();

    assert!(!users.users.is_empty());
    assert_eq!(sandbox.requests().len(), 3);
    assert_eq!(sandbox.processed("listUsers"), 1);
}

#[tokio::test]
async fn a_429_burst_is_waited_out() {
    let sandbox = sandbox(RateLimits::unlimited()).await;
    // The injected 429s carry no X-RateLimit headers, so the client waits out the window it
    // assumes; a short one keeps the test short.
    let assumed = RateLimitPolicy {
        interval: Duration::from_millis(200),
        ..Default::default()
    };
    let client = builder(&sandbox).rate_limit(assumed).build().unwrap();
    sandbox.add_fault(Fault::on("createContact", FaultKind::Status(429)).times(2));

    let body = types::CreateContactRequest::builder().location_id(LOC);
    let created = client
        .api()
        .create_contact()
        .body(body)
        .send()
        .await
        .unwrap();

    assert!(created.contact.is_some());
    assert_eq!(
        sandbox.processed("createContact"),
        1,
        "refused attempts change nothing"
    );
}

#[tokio::test]
async fn a_write_that_may_have_been_applied_is_never_sent_twice() {
    let sandbox = sandbox(RateLimits::unlimited()).await;
    let client = builder(&sandbox).build().unwrap();
    sandbox.add_fault(Fault::on("createContact", FaultKind::ResetAfterProcessing).times(1));
    sandbox.add_fault(Fault::on("createBusiness", FaultKind::Status(503)).times(1));

    let contact = types::CreateContactRequest::builder().location_id(LOC);
    let reset = client.api().create_contact().body(contact).send().await;
    let business = types::CreateBusinessRequest::builder()
        .location_id(LOC)
        .name("Once");
    let unavailable = client.api().create_business().body(business).send().await;

    assert!(reset.is_err());
    assert_eq!(
        sandbox.processed("createContact"),
        1,
        "the write reached the server once"
    );
    assert_eq!(
        unavailable.unwrap_err().status().map(|s| s.as_u16()),
        Some(503)
    );
    let sent = sandbox
        .requests()
        .iter()
        .filter(|r| r.method != "GET")
        .count();
    assert_eq!(sent, 2, "neither write was sent again");
}

#[tokio::test]
async fn a_read_whose_connection_broke_is_retried() {
    let sandbox = sandbox(RateLimits::unlimited()).await;
    let client = builder(&sandbox).build().unwrap();
    sandbox.add_fault(Fault::on("listUsers", FaultKind::ResetBeforeProcessing).times(1));

    client
        .api()
        .list_users()
        .location_id(LOC)
        .send()
        .await
        .unwrap();

    assert_eq!(sandbox.requests().len(), 2);
}

#[tokio::test]
async fn a_bulk_job_runs_at_the_allowed_rate_without_a_429() {
    let limits = RateLimits {
        burst: 20,
        interval: Duration::from_millis(500),
        daily: 100_000,
    };
    let sandbox = sandbox(limits).await;
    // Without retries, a 429 would reach the caller: the limiter alone must prevent them.
    let client = builder(&sandbox)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let requests = 200;
    let workers = 8;

    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..workers {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..requests / workers {
                client
                    .api()
                    .list_campaigns()
                    .location_id(LOC)
                    .send()
                    .await?;
            }
            Ok::<_, highlevel::GeneratedError<types::ApiError>>(())
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let elapsed = started.elapsed();

    // 200 requests at 20 per 500 ms need nine full windows after the first.
    let minimum = Duration::from_millis(500) * (requests / 20 - 1);
    assert!(
        elapsed >= minimum,
        "{elapsed:?} is faster than the limit allows"
    );
    assert!(
        elapsed <= minimum.mul_f64(1.1),
        "{elapsed:?} is more than 10% over {minimum:?}"
    );
    assert!(sandbox.requests().iter().all(|r| r.status != 429));
}
