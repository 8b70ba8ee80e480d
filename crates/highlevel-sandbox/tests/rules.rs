//! The service rules the sandbox enforces: Maton's authentication and connections, token
//! types, HighLevel's validation rules, pagination, rate limits, fault injection and the
//! request log. Each test talks to a real sandbox over a socket.

use std::time::{Duration, Instant};

use highlevel_sandbox::{
    AGENCY_CONNECTION, COMPANY_ID, Fault, FaultKind, LOCATION_CONNECTIONS, LOCATION_IDS,
    RateLimits, Sandbox, SandboxConfig,
};
use serde_json::{Value, json};

const LOC: &str = LOCATION_IDS[0];
const OTHER_LOC: &str = LOCATION_IDS[1];

struct Env {
    sandbox: Sandbox,
    http: reqwest::Client,
}

struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    json: Value,
}

impl Env {
    async fn start() -> Self {
        Self::with(SandboxConfig {
            rate_limits: RateLimits::unlimited(),
            ..Default::default()
        })
        .await
    }

    async fn with(config: SandboxConfig) -> Self {
        Self {
            sandbox: Sandbox::start(config).await.unwrap(),
            http: reqwest::Client::new(),
        }
    }

    /// A request to the HighLevel side, with the API key and an optional connection.
    fn hl(
        &self,
        method: reqwest::Method,
        path: &str,
        connection: Option<&str>,
    ) -> reqwest::RequestBuilder {
        let request = self
            .http
            .request(method, format!("{}{path}", self.sandbox.proxy_url()))
            .bearer_auth(self.sandbox.api_key());
        match connection {
            Some(c) => request.header("Maton-Connection", c),
            None => request,
        }
    }

    async fn get(&self, path: &str) -> Answer {
        send(self.hl(reqwest::Method::GET, path, None)).await
    }

    async fn get_as(&self, path: &str, connection: &str) -> Answer {
        send(self.hl(reqwest::Method::GET, path, Some(connection))).await
    }

    async fn post(&self, path: &str, body: Value) -> Answer {
        send(self.hl(reqwest::Method::POST, path, None).json(&body)).await
    }

    async fn put(&self, path: &str, body: Value) -> Answer {
        send(self.hl(reqwest::Method::PUT, path, None).json(&body)).await
    }
}

async fn send(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.expect("the sandbox answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    let json = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Answer {
        status,
        headers,
        json,
    }
}

fn message(answer: &Answer) -> String {
    match &answer.json["message"] {
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("; "),
        other => other.as_str().unwrap_or_default().to_owned(),
    }
}

// Authentication and connections.

#[tokio::test]
async fn a_missing_or_wrong_api_key_gets_401() {
    let env = Env::start().await;
    let url = format!("{}/contacts/?locationId={LOC}", env.sandbox.proxy_url());

    let missing = send(env.http.get(&url)).await;
    let wrong = send(env.http.get(&url).bearer_auth("not-the-key")).await;
    let connections = send(env.http.get(format!("{}/connections", env.sandbox.url()))).await;

    for answer in [missing, wrong, connections] {
        assert_eq!(answer.status, 401);
        assert!(message(&answer).contains("API key"), "{}", answer.json);
        assert!(answer.json["traceId"].is_string());
    }
}

#[tokio::test]
async fn maton_connection_picks_the_token_and_the_default_is_the_first_location() {
    let env = Env::start().await;

    let default = env.get(&format!("/locations/{LOC}")).await;
    let second = env
        .get_as(&format!("/locations/{OTHER_LOC}"), LOCATION_CONNECTIONS[1])
        .await;
    let agency = env
        .get_as(&format!("/locations/{OTHER_LOC}"), AGENCY_CONNECTION)
        .await;

    assert_eq!(default.status, 200);
    assert_eq!(second.json["location"]["id"], OTHER_LOC);
    assert_eq!(
        agency.status, 200,
        "either-token operations take the agency token"
    );
    let log = env.sandbox.requests();
    let used: Vec<_> = log.iter().map(|r| r.connection.clone().unwrap()).collect();
    assert_eq!(
        used,
        [
            LOCATION_CONNECTIONS[0],
            LOCATION_CONNECTIONS[1],
            AGENCY_CONNECTION
        ]
    );
}

#[tokio::test]
async fn connections_are_managed_through_maton_api() {
    let env = Env::start().await;
    let maton = |method, path: &str| {
        env.http
            .request(method, format!("{}{path}", env.sandbox.url()))
            .bearer_auth(env.sandbox.api_key())
    };

    let listed = send(maton(
        reqwest::Method::GET,
        "/connections?app=highlevel-pit&status=ACTIVE",
    ))
    .await;
    assert_eq!(listed.json["connections"].as_array().unwrap().len(), 3);

    let created =
        send(maton(reqwest::Method::POST, "/connections").json(&json!({"app": "highlevel-pit"})))
            .await;
    let id = created.json["connection"]["connection_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(created.json["connection"]["status"], "PENDING");

    let pending = env
        .get_as(&format!("/contacts/?locationId={LOC}"), &id)
        .await;
    assert_eq!(pending.status, 400);
    assert!(message(&pending).contains("not active"), "{}", pending.json);

    let activate = format!("{}/_sandbox/connections/{id}/activate", env.sandbox.url());
    let body = json!({"tokenType": "sub-account", "locationId": OTHER_LOC});
    assert_eq!(send(env.http.post(&activate).json(&body)).await.status, 200);
    let active = env
        .get_as(&format!("/contacts/?locationId={OTHER_LOC}&limit=1"), &id)
        .await;
    assert_eq!(active.status, 200);

    let deleted = send(maton(
        reqwest::Method::DELETE,
        &format!("/connections/{id}"),
    ))
    .await;
    assert_eq!(deleted.status, 200);
    let gone = send(maton(reqwest::Method::GET, &format!("/connections/{id}"))).await;
    assert_eq!(gone.status, 404);
    let unknown = env
        .get_as(&format!("/contacts/?locationId={LOC}"), &id)
        .await;
    assert_eq!(unknown.status, 400);
    assert!(
        message(&unknown).contains("does not exist"),
        "{}",
        unknown.json
    );
}

#[tokio::test]
async fn token_types_are_enforced_with_the_documented_errors() {
    let env = Env::start().await;

    let agency_on_crm = env
        .get_as(&format!("/contacts/?locationId={LOC}"), AGENCY_CONNECTION)
        .await;
    assert_eq!(agency_on_crm.status, 401);
    assert_eq!(
        message(&agency_on_crm),
        "The token is not authorized for this scope."
    );

    let body = json!({"companyId": COMPANY_ID, "name": "Nope"});
    let sub_on_agency = env.post("/locations/", body).await;
    assert_eq!(sub_on_agency.status, 401);
    assert_eq!(message(&sub_on_agency), "Token's user type mismatch");

    let other_location = env.get(&format!("/contacts/?locationId={OTHER_LOC}")).await;
    assert_eq!(other_location.status, 403);
    assert_eq!(
        message(&other_location),
        "The token does not have access to this location"
    );

    // An object of the other location, addressed by id alone, is just as forbidden.
    let theirs = env
        .get_as(
            &format!("/contacts/?locationId={OTHER_LOC}&limit=1"),
            LOCATION_CONNECTIONS[1],
        )
        .await;
    let id = theirs.json["contacts"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(env.get(&format!("/contacts/{id}")).await.status, 403);
}

// Validation.

#[tokio::test]
async fn location_is_required_on_sub_account_reads() {
    let env = Env::start().await;
    for path in [
        "/contacts/",
        "/calendars/",
        "/opportunities/pipelines",
        "/users/",
    ] {
        let answer = env.get(path).await;
        assert_eq!(answer.status, 422, "{path}");
        assert_eq!(message(&answer), "LocationId can't be undefined", "{path}");
    }
}

#[tokio::test]
async fn maton_server_rules_are_enforced() {
    let env = Env::start().await;
    let contact = env
        .get(&format!("/contacts/?locationId={LOC}&limit=1"))
        .await
        .json["contacts"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let task = env
        .post(
            &format!("/contacts/{contact}/tasks"),
            json!({"title": "t", "dueDate": "2026-06-01T10:00:00Z"}),
        )
        .await;
    assert_eq!(task.status, 422);
    assert!(message(&task).contains("completed"), "{}", task.json);

    let opportunity = env
        .get(&format!("/opportunities/search?location_id={LOC}&limit=1"))
        .await
        .json["opportunities"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let update = env
        .put(
            &format!("/opportunities/{opportunity}"),
            json!({"name": "x"}),
        )
        .await;
    assert_eq!(update.status, 422);
    assert!(message(&update).contains("pipelineId"), "{}", update.json);

    let calendar =
        env.get(&format!("/calendars/?locationId={LOC}")).await.json["calendars"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
    let with_location = env
        .put(
            &format!("/calendars/{calendar}"),
            json!({"name": "x", "locationId": LOC}),
        )
        .await;
    assert_eq!(with_location.status, 422);
    assert!(
        message(&with_location).contains("locationId"),
        "{}",
        with_location.json
    );

    let events =
        format!("/calendars/events?locationId={LOC}&startTime=1766000000000&endTime=1769000000000");
    let no_target = env.get(&events).await;
    assert_eq!(no_target.status, 422);
    assert!(
        message(&no_target).contains("calendarId"),
        "{}",
        no_target.json
    );
    let iso_times = env
        .get(&format!(
            "/calendars/events?locationId={LOC}&calendarId={calendar}\
             &startTime=2026-01-01&endTime=2026-02-01"
        ))
        .await;
    assert_eq!(iso_times.status, 422);
    assert!(
        message(&iso_times).contains("millisecond"),
        "{}",
        iso_times.json
    );

    let product = env
        .get(&format!("/products/?locationId={LOC}&limit=1"))
        .await
        .json["products"][0]["_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(env.get(&format!("/products/{product}")).await.status, 422);

    let invoices = env
        .get(&format!("/invoices/?altId={LOC}&altType=location&limit=10"))
        .await;
    assert_eq!(invoices.status, 422);
    assert!(message(&invoices).contains("offset"), "{}", invoices.json);

    let media = env
        .get(&format!("/medias/files?altId={LOC}&altType=location"))
        .await;
    assert_eq!(media.status, 422);
    assert!(message(&media).contains("type"), "{}", media.json);

    let alt_type = env
        .get(&format!(
            "/payments/transactions?altId={LOC}&altType=agency"
        ))
        .await;
    assert_eq!(alt_type.status, 422);
    assert!(message(&alt_type).contains("altType"), "{}", alt_type.json);
}

#[tokio::test]
async fn wrong_types_and_unknown_ids_get_the_service_answers() {
    let env = Env::start().await;

    let bad_limit = env
        .get(&format!("/contacts/?locationId={LOC}&limit=many"))
        .await;
    assert_eq!(bad_limit.status, 422);
    assert!(message(&bad_limit).contains("limit"), "{}", bad_limit.json);

    let too_many = env
        .get(&format!("/contacts/?locationId={LOC}&limit=101"))
        .await;
    assert_eq!(too_many.status, 422);

    let bad_body = env
        .post(
            "/contacts/",
            json!({"locationId": LOC, "tags": "not-a-list"}),
        )
        .await;
    assert_eq!(bad_body.status, 422);
    assert!(message(&bad_body).contains("tags"), "{}", bad_body.json);

    let not_json = send(
        env.hl(reqwest::Method::POST, "/contacts/", None)
            .body("{oops"),
    )
    .await;
    assert_eq!(not_json.status, 400);
    assert_eq!(not_json.json["name"], "HttpException");

    let unknown = env.get("/contacts/no-such-contact").await;
    assert_eq!(unknown.status, 404);
    let no_route = env.get("/no/such/path").await;
    assert_eq!(no_route.status, 404);
}

// State.

#[tokio::test]
async fn deleting_a_contact_takes_its_notes_and_tasks() {
    let env = Env::start().await;
    let created = env
        .post(
            "/contacts/",
            json!({"locationId": LOC, "firstName": "Gone"}),
        )
        .await;
    let id = created.json["contact"]["id"].as_str().unwrap().to_owned();
    let note = env
        .post(&format!("/contacts/{id}/notes"), json!({"body": "n"}))
        .await;
    let task = env
        .post(
            &format!("/contacts/{id}/tasks"),
            json!({"title": "t", "dueDate": "2026-06-01T10:00:00Z", "completed": false}),
        )
        .await;
    assert!(note.status < 300 && task.status < 300);

    let deleted = send(env.hl(reqwest::Method::DELETE, &format!("/contacts/{id}"), None)).await;
    assert_eq!(deleted.json["succeded"], true);

    assert_eq!(env.get(&format!("/contacts/{id}")).await.status, 404);
    assert_eq!(env.get(&format!("/contacts/{id}/notes")).await.status, 404);
    let note_id = note.json["note"]["id"].as_str().unwrap();
    let note_again = env
        .put(
            &format!("/contacts/{id}/notes/{note_id}"),
            json!({"body": "x"}),
        )
        .await;
    assert_eq!(note_again.status, 404);
}

#[tokio::test]
async fn tags_are_added_and_removed() {
    let env = Env::start().await;
    let created = env
        .post(
            "/contacts/",
            json!({"locationId": LOC, "tags": ["customer"]}),
        )
        .await;
    let id = created.json["contact"]["id"].as_str().unwrap().to_owned();

    let added = env
        .post(
            &format!("/contacts/{id}/tags"),
            json!({"tags": ["vip", "customer"]}),
        )
        .await;
    assert_eq!(added.json["tagsAdded"], json!(["vip"]));
    let removed = send(
        env.hl(
            reqwest::Method::DELETE,
            &format!("/contacts/{id}/tags"),
            None,
        )
        .json(&json!({"tags": ["customer"]})),
    )
    .await;
    assert_eq!(removed.json["tags"], json!(["vip"]));
    assert_eq!(
        env.get(&format!("/contacts/{id}")).await.json["contact"]["tags"],
        json!(["vip"])
    );
}

#[tokio::test]
async fn opportunities_move_between_stages() {
    let env = Env::start().await;
    let pipelines = env
        .get(&format!("/opportunities/pipelines?locationId={LOC}"))
        .await
        .json;
    let pipeline = &pipelines["pipelines"][0];
    let (first, last) = (&pipeline["stages"][0]["id"], &pipeline["stages"][2]["id"]);
    // A new contact: the seeded ones already have an opportunity in this pipeline, and
    // HighLevel refuses a second one.
    let contact = env
        .post(
            "/contacts/",
            json!({"locationId": LOC, "firstName": "Mover"}),
        )
        .await
        .json["contact"]["id"]
        .clone();

    let body = json!({
        "pipelineId": pipeline["id"],
        "locationId": LOC,
        "name": "Move me",
        "status": "open",
        "contactId": contact,
        "pipelineStageId": first,
    });
    let created = env.post("/opportunities/", body).await;
    let id = created.json["opportunity"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let moved = env
        .put(
            &format!("/opportunities/{id}"),
            json!({"pipelineId": pipeline["id"], "pipelineStageId": last}),
        )
        .await;
    assert_eq!(moved.json["opportunity"]["pipelineStageId"], *last);

    let search = format!(
        "/opportunities/search?location_id={LOC}&pipeline_stage_id={}&limit=100",
        last.as_str().unwrap()
    );
    let found = env.get(&search).await.json;
    assert!(
        found["opportunities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["id"] == id.as_str())
    );

    let wrong_stage = env
        .put(
            &format!("/opportunities/{id}"),
            json!({"pipelineId": pipeline["id"], "pipelineStageId": "nope"}),
        )
        .await;
    assert!(
        wrong_stage.status == 400 || wrong_stage.status == 422,
        "{}",
        wrong_stage.json
    );
}

#[tokio::test]
async fn free_slots_come_from_the_calendar_and_skip_booked_events() {
    let env = Env::start().await;
    let calendar =
        env.get(&format!("/calendars/?locationId={LOC}")).await.json["calendars"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
    // Monday 2026-01-12 00:00 UTC to Wednesday 00:00 UTC.
    let (start, end) = (1_768_176_000_000_i64, 1_768_348_800_000_i64);
    let slots = env
        .get(&format!(
            "/calendars/{calendar}/free-slots?startDate={start}&endDate={end}"
        ))
        .await;
    assert_eq!(slots.status, 200);
    let monday = slots.json["2026-01-12"]["slots"]
        .as_array()
        .unwrap()
        .clone();
    assert!(!monday.is_empty(), "{}", slots.json);

    let wide = env
        .get(&format!(
            "/calendars/{calendar}/free-slots?startDate={start}&endDate={}",
            start + 40 * 86_400_000
        ))
        .await;
    assert_eq!(wide.status, 422, "ranges over 31 days are refused");
}

#[tokio::test]
async fn messages_belong_to_their_conversation() {
    let env = Env::start().await;
    let conversations = env
        .get(&format!("/conversations/search?locationId={LOC}&limit=2"))
        .await
        .json;
    let id = conversations["conversations"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let page = env.get(&format!("/conversations/{id}/messages")).await.json;
    let messages = page["messages"]["messages"].as_array().unwrap();
    assert!(!messages.is_empty());
    assert!(
        messages.iter().all(|m| m["conversationId"] == id.as_str()),
        "{page}"
    );
    assert_eq!(env.get("/conversations/no-such/messages").await.status, 404);
}

// Pagination.

/// Walks a list page by page the way the description's pagination extension says, and
/// returns the ids seen.
async fn walk(
    env: &Env,
    first: &str,
    items: &str,
    next: impl Fn(&Value) -> Option<String>,
) -> Vec<String> {
    let mut ids = Vec::new();
    let mut url = first.to_owned();
    for _ in 0..1000 {
        let page = env.get(&url).await;
        assert_eq!(page.status, 200, "{url}: {}", page.json);
        let list = page
            .json
            .pointer(items)
            .and_then(Value::as_array)
            .unwrap()
            .clone();
        if list.is_empty() {
            break;
        }
        ids.extend(
            list.iter()
                .map(|i| i["id"].as_str().or(i["_id"].as_str()).unwrap().to_owned()),
        );
        match next(&page.json) {
            Some(n) => url = n,
            None => break,
        }
    }
    ids
}

fn assert_each_once(ids: &[String], total: usize) {
    let unique: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "an item came twice");
    assert_eq!(ids.len(), total);
}

#[tokio::test]
async fn contacts_page_by_cursor_to_the_real_end() {
    let env = Env::start().await;
    let base = format!("/contacts/?locationId={LOC}&limit=40");
    let ids = walk(&env, &base, "/contacts", |page| {
        let after = page["meta"]["startAfterId"].as_str()?;
        let at = page["meta"]["startAfter"].as_i64()?;
        Some(format!("{base}&startAfterId={after}&startAfter={at}"))
    })
    .await;
    let total = env.get(&base).await.json["meta"]["total"].as_u64().unwrap() as usize;
    assert_each_once(&ids, total);
    assert_eq!(total, 300);
}

#[tokio::test]
async fn opportunities_page_by_number() {
    let env = Env::start().await;
    let base = format!("/opportunities/search?location_id={LOC}&limit=7");
    let ids = walk(&env, &base, "/opportunities", |page| {
        let next = page["meta"]["nextPage"].as_u64()?;
        Some(format!("{base}&page={next}"))
    })
    .await;
    let total = env.get(&base).await.json["meta"]["total"].as_u64().unwrap() as usize;
    assert_each_once(&ids, total);
}

#[tokio::test]
async fn offset_and_skip_lists_page_to_their_totals() {
    let env = Env::start().await;
    let invoices = format!("/invoices/?altId={LOC}&altType=location&limit=7");
    let total = env.get(&format!("{invoices}&offset=0")).await.json["total"]
        .as_u64()
        .unwrap() as usize;
    let mut seen = Vec::new();
    let mut at = 0;
    while at < total + 7 {
        let page = env.get(&format!("{invoices}&offset={at}")).await.json;
        let items = page["invoices"].as_array().unwrap();
        seen.extend(items.iter().map(|i| i["_id"].as_str().unwrap().to_owned()));
        at += 7;
    }
    assert_each_once(&seen, total);

    let forms = format!("/forms/?locationId={LOC}&limit=5");
    let total = env.get(&forms).await.json["total"].as_u64().unwrap() as usize;
    let mut seen = Vec::new();
    for skip in (0..total + 5).step_by(5) {
        let page = env.get(&format!("{forms}&skip={skip}")).await.json;
        seen.extend(
            page["forms"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["id"].as_str().unwrap().to_owned()),
        );
    }
    assert_each_once(&seen, total);
    let too_big = env.get(&format!("/forms/?locationId={LOC}&limit=51")).await;
    assert_eq!(too_big.status, 422, "forms allow at most 50 per page");
}

#[tokio::test]
async fn messages_page_by_cursor_until_next_page_is_false() {
    let env = Env::start().await;
    let conversations = env
        .get(&format!("/conversations/search?locationId={LOC}&limit=1"))
        .await
        .json;
    let id = conversations["conversations"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let base = format!("/conversations/{id}/messages?limit=2");

    let ids = walk(&env, &base, "/messages/messages", |page| {
        if page["messages"]["nextPage"] != true {
            return None;
        }
        let last = page["messages"]["lastMessageId"].as_str()?;
        Some(format!("{base}&lastMessageId={last}"))
    })
    .await;
    let all = env
        .get(&format!("/conversations/{id}/messages?limit=100"))
        .await
        .json;
    assert_each_once(&ids, all["messages"]["messages"].as_array().unwrap().len());
}

// Rate limits.

#[tokio::test]
async fn rate_limits_report_headers_and_refuse_beyond_the_burst() {
    let limits = RateLimits {
        burst: 3,
        // Long enough that four requests fit in one window even on a loaded machine.
        interval: Duration::from_secs(2),
        daily: 1000,
    };
    let env = Env::with(SandboxConfig {
        rate_limits: limits,
        ..Default::default()
    })
    .await;
    let path = format!("/users/?locationId={LOC}");

    let mut statuses = Vec::new();
    let mut last = None;
    for _ in 0..4 {
        let answer = env.get(&path).await;
        statuses.push(answer.status);
        last = Some(answer);
    }
    assert_eq!(statuses, [200, 200, 200, 429]);
    let refused = last.unwrap();
    let header = |name: &str| refused.headers[name].to_str().unwrap().to_owned();
    assert_eq!(header("x-ratelimit-max"), "3");
    assert_eq!(header("x-ratelimit-remaining"), "0");
    assert_eq!(header("x-ratelimit-interval-milliseconds"), "2000");
    assert_eq!(header("x-ratelimit-limit-daily"), "1000");
    assert_eq!(header("x-ratelimit-daily-remaining"), "997");
    assert!(
        refused.headers.get("retry-after").is_none(),
        "HighLevel sends no Retry-After"
    );

    // Another location (through its own connection) has its own window.
    let other = env
        .get_as(
            &format!("/users/?locationId={OTHER_LOC}"),
            LOCATION_CONNECTIONS[1],
        )
        .await;
    assert_eq!(other.status, 200);

    tokio::time::sleep(Duration::from_millis(2050)).await;
    assert_eq!(env.get(&path).await.status, 200, "the window reopens");
}

// Faults and the request log.

#[tokio::test]
async fn status_bursts_and_latency_hit_only_their_operation() {
    let env = Env::start().await;
    env.sandbox
        .add_fault(Fault::on("listUsers", FaultKind::Status(503)).times(2));
    env.sandbox.add_fault(Fault::on(
        "listCampaigns",
        FaultKind::Latency(Duration::from_millis(300)),
    ));
    let users = format!("/users/?locationId={LOC}");

    let statuses = [
        env.get(&users).await.status,
        env.get(&users).await.status,
        env.get(&users).await.status,
    ];
    assert_eq!(statuses, [503, 503, 200]);
    assert_eq!(
        env.get(&format!("/workflows/?locationId={LOC}"))
            .await
            .status,
        200
    );

    let started = Instant::now();
    assert_eq!(
        env.get(&format!("/campaigns/?locationId={LOC}"))
            .await
            .status,
        200
    );
    assert!(started.elapsed() >= Duration::from_millis(300));

    assert_eq!(
        env.sandbox.processed("listUsers"),
        1,
        "the 503s were not processed"
    );
}

#[tokio::test]
async fn resets_before_and_after_processing_differ_in_what_took_effect() {
    let env = Env::start().await;
    let body = json!({"locationId": LOC, "firstName": "Reset"});

    env.sandbox
        .add_fault(Fault::on("createContact", FaultKind::ResetBeforeProcessing).times(1));
    let before = env
        .hl(reqwest::Method::POST, "/contacts/", None)
        .json(&body)
        .send()
        .await;
    assert!(before.is_err(), "the connection was reset");
    assert_eq!(env.sandbox.processed("createContact"), 0);

    env.sandbox
        .add_fault(Fault::on("createContact", FaultKind::ResetAfterProcessing).times(1));
    let after = env
        .hl(reqwest::Method::POST, "/contacts/", None)
        .json(&body)
        .send()
        .await;
    assert!(after.is_err(), "the connection was reset");
    assert_eq!(
        env.sandbox.processed("createContact"),
        1,
        "the write took effect"
    );

    let records: Vec<_> = env
        .sandbox
        .requests()
        .into_iter()
        .filter(|r| r.operation.as_deref() == Some("createContact"))
        .collect();
    assert_eq!(records.len(), 2);
    assert!(records.iter().all(|r| r.status == 0));
}

#[tokio::test]
async fn broken_bodies_and_proxy_pages_can_be_injected() {
    let env = Env::start().await;
    let users = format!("/users/?locationId={LOC}");

    env.sandbox
        .add_fault(Fault::on("listUsers", FaultKind::TruncatedJson).times(1));
    let truncated = env.get(&users).await;
    assert_eq!(truncated.status, 200);
    assert!(truncated.json.is_string(), "not parseable as JSON");

    env.sandbox
        .add_fault(Fault::on("listUsers", FaultKind::InvalidJson).times(1));
    assert!(env.get(&users).await.json.is_string());

    env.sandbox
        .add_fault(Fault::on("listUsers", FaultKind::HtmlBadGateway).times(1));
    let page = env.get(&users).await;
    assert_eq!(page.status, 502);
    assert_eq!(page.headers["content-type"], "text/html");
    assert!(page.json.as_str().unwrap().contains("502 Bad Gateway"));

    assert_eq!(env.get(&users).await.status, 200, "every fault was used up");
}

#[tokio::test]
async fn the_control_api_drives_faults_and_the_log_over_http() {
    let env = Env::start().await;
    let control = |path: &str| format!("{}/_sandbox/{path}", env.sandbox.url());

    let fault = json!({"operation": "listUsers", "kind": "status", "status": 429, "times": 1});
    assert_eq!(
        send(env.http.post(control("faults")).json(&fault))
            .await
            .status,
        200
    );
    assert_eq!(
        env.get(&format!("/users/?locationId={LOC}")).await.status,
        429
    );

    let log = send(env.http.get(control("requests"))).await.json;
    let last = &log["requests"].as_array().unwrap()[0];
    assert_eq!(last["operation"], "listUsers");
    assert_eq!(last["status"], 429);
    assert_eq!(last["processed"], false);

    assert_eq!(send(env.http.delete(control("requests"))).await.status, 200);
    assert!(env.sandbox.requests().is_empty());
    let bad = send(
        env.http
            .post(control("faults"))
            .json(&json!({"kind": "chaos"})),
    )
    .await;
    assert_eq!(bad.status, 400);

    let info = send(env.http.get(control("info"))).await.json;
    assert_eq!(info["locationIds"][0], LOC);
}

// Demo data.

#[tokio::test]
async fn the_same_seed_gives_the_same_data() {
    let ids = |seed| async move {
        let env = Env::with(SandboxConfig {
            seed,
            rate_limits: RateLimits::unlimited(),
            ..Default::default()
        })
        .await;
        let contacts = env
            .get(&format!("/contacts/?locationId={LOC}&limit=5"))
            .await
            .json;
        let pipelines = env
            .get(&format!("/opportunities/pipelines?locationId={LOC}"))
            .await
            .json;
        (
            contacts["contacts"].clone(),
            pipelines["pipelines"][0]["id"].clone(),
        )
    };

    let (a, b, c) = (ids(7).await, ids(7).await, ids(8).await);
    assert_eq!(a, b);
    assert_ne!(a.0, c.0);
}

#[tokio::test]
async fn a_large_location_is_seeded_on_request() {
    let config = SandboxConfig {
        contacts_per_location: 20_000,
        rate_limits: RateLimits::unlimited(),
        ..Default::default()
    };
    let env = Env::with(config).await;
    let page = env
        .get(&format!("/contacts/?locationId={LOC}&limit=100"))
        .await
        .json;
    assert_eq!(page["meta"]["total"], 20_000);
    assert_eq!(page["contacts"].as_array().unwrap().len(), 100);
}
