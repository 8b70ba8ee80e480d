//! Walks every operation of the description through a running sandbox, once on a path that
//! succeeds and once on one that fails, and validates each answer against the schema the
//! description declares for its status.

use std::collections::{BTreeSet, HashMap};

use highlevel::{Operation, TokenType, operations};
use highlevel_sandbox::{AGENCY_CONNECTION, RateLimits, Sandbox, SandboxConfig, description};
use serde_json::{Value, json};

/// One request of the walk. `{name}` in the path, query or body is replaced by a value
/// captured from an earlier answer; `capture` names a value of this answer to keep.
struct Step {
    op: &'static str,
    path: &'static str,
    query: &'static str,
    body: Option<Value>,
    capture: &'static [(&'static str, &'static str)],
}

const fn get(op: &'static str, path: &'static str, query: &'static str) -> Step {
    Step {
        op,
        path,
        query,
        body: None,
        capture: &[],
    }
}

fn send(op: &'static str, path: &'static str, body: Value) -> Step {
    Step {
        op,
        path,
        query: "",
        body: Some(body),
        capture: &[],
    }
}

impl Step {
    fn keep(mut self, capture: &'static [(&'static str, &'static str)]) -> Self {
        self.capture = capture;
        self
    }

    fn query(mut self, query: &'static str) -> Self {
        self.query = query;
        self
    }
}

/// The walk, in an order where everything a step needs was made or found before it.
fn steps() -> Vec<Step> {
    vec![
        // Discovery of seeded objects.
        get("listUsers", "/users/", "locationId={loc}").keep(&[("user", "/users/0/id")]),
        get("listContacts", "/contacts/", "locationId={loc}&limit=5").keep(&[
            ("contact", "/contacts/0/id"),
            ("contact2", "/contacts/1/id"),
        ]),
        get(
            "listPipelines",
            "/opportunities/pipelines",
            "locationId={loc}",
        )
        .keep(&[
            ("pipeline", "/pipelines/0/id"),
            ("stage", "/pipelines/0/stages/1/id"),
        ]),
        get(
            "searchOpportunities",
            "/opportunities/search",
            "location_id={loc}&limit=3",
        )
        .keep(&[("opportunity", "/opportunities/0/id")]),
        get("listCalendars", "/calendars/", "locationId={loc}")
            .keep(&[("calendar", "/calendars/0/id")]),
        get(
            "listCalendarGroups",
            "/calendars/groups",
            "locationId={loc}",
        ),
        get(
            "listCalendarEvents",
            "/calendars/events",
            "locationId={loc}&calendarId={calendar}&startTime=1766000000000&endTime=1769000000000",
        ),
        get(
            "getFreeSlots",
            "/calendars/{calendar}/free-slots",
            "startDate=1767600000000&endDate=1768200000000",
        ),
        get(
            "searchConversations",
            "/conversations/search",
            "locationId={loc}&limit=2",
        )
        .keep(&[("conversation", "/conversations/0/id")]),
        get("getConversation", "/conversations/{conversation}", ""),
        get(
            "listConversationMessages",
            "/conversations/{conversation}/messages",
            "limit=2",
        ),
        get("listBusinesses", "/businesses/", "locationId={loc}")
            .keep(&[("business", "/businesses/0/id")]),
        get("getBusiness", "/businesses/{business}", ""),
        get("listProducts", "/products/", "locationId={loc}&limit=3")
            .keep(&[("product", "/products/0/_id")]),
        get("getProduct", "/products/{product}", "locationId={loc}"),
        get(
            "listInvoices",
            "/invoices/",
            "altId={loc}&altType=location&limit=3&offset=0",
        )
        .keep(&[("invoice", "/invoices/0/_id")]),
        get(
            "getInvoice",
            "/invoices/{invoice}",
            "altId={loc}&altType=location",
        ),
        get(
            "listOrders",
            "/payments/orders",
            "altId={loc}&altType=location&limit=3",
        ),
        get(
            "listTransactions",
            "/payments/transactions",
            "altId={loc}&altType=location&limit=3",
        ),
        get(
            "listSubscriptions",
            "/payments/subscriptions",
            "altId={loc}&altType=location&limit=3",
        ),
        get("listLinks", "/links/", "locationId={loc}"),
        get("listWorkflows", "/workflows/", "locationId={loc}"),
        get("listCampaigns", "/campaigns/", "locationId={loc}"),
        get("listForms", "/forms/", "locationId={loc}&limit=3"),
        get("listSurveys", "/surveys/", "locationId={loc}&limit=3"),
        get(
            "listFunnels",
            "/funnels/funnel/list",
            "locationId={loc}&limit=3",
        ),
        get(
            "listSocialAccounts",
            "/social-media-posting/{loc}/accounts",
            "",
        ),
        get(
            "listSocialCategories",
            "/social-media-posting/{loc}/categories",
            "limit=3",
        ),
        get(
            "listMediaFiles",
            "/medias/files",
            "altId={loc}&altType=location&type=image&limit=3",
        ),
        get("listLocationTags", "/locations/{loc}/tags", ""),
        get("listCustomFields", "/locations/{loc}/customFields", ""),
        get("listCustomValues", "/locations/{loc}/customValues", ""),
        // Agency operations.
        get(
            "searchLocations",
            "/locations/search",
            "companyId={company}&limit=5",
        ),
        get("getLocation", "/locations/{loc}", ""),
        get("listSnapshots", "/snapshots/", "companyId={company}"),
        send(
            "createLocation",
            "/locations/",
            json!({"companyId": "{company}", "name": "Walk Location"}),
        )
        .keep(&[("newLocation", "/id")]),
        send(
            "updateLocation",
            "/locations/{newLocation}",
            json!({"city": "Reno"}),
        ),
        send("deleteLocation", "/locations/{newLocation}", Value::Null),
        // Contacts and what hangs from them.
        get("getContact", "/contacts/{contact}", ""),
        send(
            "createContact",
            "/contacts/",
            json!({"locationId": "{loc}", "firstName": "Walk", "email": "walk@example.com"}),
        )
        .keep(&[("newContact", "/contact/id")]),
        send(
            "updateContact",
            "/contacts/{newContact}",
            json!({"lastName": "Through"}),
        ),
        send(
            "addContactTags",
            "/contacts/{newContact}/tags",
            json!({"tags": ["vip", "walk"]}),
        ),
        send(
            "removeContactTags",
            "/contacts/{newContact}/tags",
            json!({"tags": ["walk"]}),
        ),
        send(
            "createContactNote",
            "/contacts/{newContact}/notes",
            json!({"body": "first note"}),
        )
        .keep(&[("note", "/note/id")]),
        get("listContactNotes", "/contacts/{newContact}/notes", ""),
        send(
            "updateContactNote",
            "/contacts/{newContact}/notes/{note}",
            json!({"body": "edited"}),
        ),
        send(
            "deleteContactNote",
            "/contacts/{newContact}/notes/{note}",
            Value::Null,
        ),
        send(
            "createContactTask",
            "/contacts/{newContact}/tasks",
            json!({"title": "Call", "dueDate": "2026-06-01T10:00:00Z", "completed": false}),
        )
        .keep(&[("task", "/task/id")]),
        get("listContactTasks", "/contacts/{newContact}/tasks", ""),
        send(
            "updateContactTask",
            "/contacts/{newContact}/tasks/{task}",
            json!({"completed": true}),
        ),
        send(
            "deleteContactTask",
            "/contacts/{newContact}/tasks/{task}",
            Value::Null,
        ),
        // Opportunities.
        get("getOpportunity", "/opportunities/{opportunity}", ""),
        send(
            "createOpportunity",
            "/opportunities/",
            json!({
                "pipelineId": "{pipeline}",
                "locationId": "{loc}",
                "name": "Walk deal",
                "status": "open",
                "contactId": "{newContact}",
                "pipelineStageId": "{stage}",
            }),
        )
        .keep(&[("newOpportunity", "/opportunity/id")]),
        send(
            "updateOpportunity",
            "/opportunities/{newOpportunity}",
            json!({"pipelineId": "{pipeline}", "status": "won"}),
        ),
        send(
            "deleteOpportunity",
            "/opportunities/{newOpportunity}",
            Value::Null,
        ),
        // Calendars.
        get("getCalendar", "/calendars/{calendar}", ""),
        send(
            "createCalendar",
            "/calendars/",
            json!({"locationId": "{loc}", "name": "Walk calendar"}),
        )
        .keep(&[("newCalendar", "/calendar/id")]),
        send(
            "updateCalendar",
            "/calendars/{newCalendar}",
            json!({"name": "Walk calendar 2"}),
        ),
        send("deleteCalendar", "/calendars/{newCalendar}", Value::Null),
        // Conversations: a conversation for the contact made above.
        send(
            "createConversation",
            "/conversations/",
            json!({"locationId": "{loc}", "contactId": "{newContact}"}),
        ),
        send("deleteContact", "/contacts/{newContact}", Value::Null),
        // Location settings.
        send(
            "createLocationTag",
            "/locations/{loc}/tags",
            json!({"name": "walk-tag"}),
        )
        .keep(&[("tag", "/tag/id")]),
        get("getLocationTag", "/locations/{loc}/tags/{tag}", ""),
        send(
            "updateLocationTag",
            "/locations/{loc}/tags/{tag}",
            json!({"name": "walk-tag-2"}),
        ),
        send(
            "deleteLocationTag",
            "/locations/{loc}/tags/{tag}",
            Value::Null,
        ),
        send(
            "createCustomField",
            "/locations/{loc}/customFields",
            json!({"name": "Walk Field", "dataType": "TEXT"}),
        )
        .keep(&[("field", "/customField/id")]),
        get(
            "getCustomField",
            "/locations/{loc}/customFields/{field}",
            "",
        ),
        send(
            "updateCustomField",
            "/locations/{loc}/customFields/{field}",
            json!({"name": "Walk Field 2"}),
        ),
        send(
            "deleteCustomField",
            "/locations/{loc}/customFields/{field}",
            Value::Null,
        ),
        send(
            "createCustomValue",
            "/locations/{loc}/customValues",
            json!({"name": "Walk Value", "value": "x"}),
        )
        .keep(&[("value", "/customValue/id")]),
        get(
            "getCustomValue",
            "/locations/{loc}/customValues/{value}",
            "",
        ),
        send(
            "updateCustomValue",
            "/locations/{loc}/customValues/{value}",
            json!({"name": "Walk Value", "value": "y"}),
        ),
        send(
            "deleteCustomValue",
            "/locations/{loc}/customValues/{value}",
            Value::Null,
        ),
        // Businesses, products, links.
        send(
            "createBusiness",
            "/businesses/",
            json!({"locationId": "{loc}", "name": "Walk Biz"}),
        )
        .keep(&[("newBusiness", "/buiseness/id")]),
        send(
            "updateBusiness",
            "/businesses/{newBusiness}",
            json!({"city": "Reno"}),
        ),
        send("deleteBusiness", "/businesses/{newBusiness}", Value::Null),
        send(
            "createProduct",
            "/products/",
            json!({"locationId": "{loc}", "name": "Walk course", "productType": "DIGITAL"}),
        )
        .keep(&[("newProduct", "/_id")]),
        send("deleteProduct", "/products/{newProduct}", Value::Null).query("locationId={loc}"),
        send(
            "createLink",
            "/links/",
            json!({
                "locationId": "{loc}",
                "name": "Walk link",
                "redirectTo": "https://example.com",
            }),
        )
        .keep(&[("link", "/link/id")]),
        send(
            "updateLink",
            "/links/{link}",
            json!({"name": "Walk link 2", "redirectTo": "https://example.com/2"}),
        ),
        send("deleteLink", "/links/{link}", Value::Null),
        // Maton's connections.
        get("listConnections", "/connections", "app=highlevel-pit"),
        send(
            "createConnection",
            "/connections",
            json!({"app": "highlevel-pit"}),
        )
        .keep(&[("connection", "/connection/connection_id")]),
        get("getConnection", "/connections/{connection}", ""),
        send("deleteConnection", "/connections/{connection}", Value::Null),
    ]
}

fn fill(text: &str, vars: &HashMap<String, String>) -> String {
    let mut out = text.to_owned();
    for (name, value) in vars {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    assert!(!out.contains('{'), "unfilled placeholder in {out}");
    out
}

fn fill_json(value: &Value, vars: &HashMap<String, String>) -> Value {
    match value {
        Value::String(s) => Value::String(fill(s, vars)),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.clone(), fill_json(v, vars)))
            .collect(),
        Value::Array(items) => items.iter().map(|v| fill_json(v, vars)).collect(),
        other => other.clone(),
    }
}

struct Walker {
    http: reqwest::Client,
    sandbox: Sandbox,
}

impl Walker {
    /// Sends one request of `op`; returns the status and parsed body, after validating the
    /// body against the description.
    async fn call(
        &self,
        op: &Operation,
        path: &str,
        query: &str,
        body: Option<&Value>,
        auth: bool,
    ) -> (u16, Value) {
        let base = match op.server {
            highlevel::Server::Proxy => self.sandbox.proxy_url(),
            highlevel::Server::Maton => self.sandbox.url().to_owned(),
        };
        let url = if query.is_empty() {
            format!("{base}{path}")
        } else {
            format!("{base}{path}?{query}")
        };
        let mut request = self.http.request(op.method.clone(), url);
        if auth {
            request = request.bearer_auth(self.sandbox.api_key());
        }
        if matches!(op.token, TokenType::Agency) {
            request = request.header("Maton-Connection", AGENCY_CONNECTION);
        }
        if let Some(body) = body.filter(|b| !b.is_null()) {
            request = request.json(body);
        }

        let response = request.send().await.expect("the sandbox answers");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        let json: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} answered {status} with non-JSON {text:?}: {e}", op.id));

        let validator = description::response_validator(op, status)
            .unwrap_or_else(|| panic!("{} declares no response for {status}: {json}", op.id));
        let problems: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(
            problems.is_empty(),
            "{} answered {status} off-schema: {problems:#?}\n{json:#}",
            op.id
        );
        (status, json)
    }
}

fn op(id: &str) -> &'static Operation {
    operations()
        .iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

#[tokio::test]
async fn every_operation_succeeds_and_fails_within_its_schemas() {
    let config = SandboxConfig {
        rate_limits: RateLimits::unlimited(),
        ..SandboxConfig::default()
    };
    let walker = Walker {
        http: reqwest::Client::new(),
        sandbox: Sandbox::start(config).await.unwrap(),
    };
    let mut vars: HashMap<String, String> = HashMap::from([
        ("loc".into(), highlevel_sandbox::LOCATION_IDS[0].into()),
        ("company".into(), highlevel_sandbox::COMPANY_ID.into()),
    ]);
    let mut succeeded = BTreeSet::new();

    for step in steps() {
        let op = op(step.op);
        let path = fill(step.path, &vars);
        let query = fill(step.query, &vars);
        let body = step.body.as_ref().map(|b| fill_json(b, &vars));

        let (status, json) = walker.call(op, &path, &query, body.as_ref(), true).await;
        assert!(
            (200..300).contains(&status),
            "{} answered {status}: {json:#}",
            op.id
        );
        for (name, pointer) in step.capture {
            let value = json
                .pointer(pointer)
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("{} answer has no {pointer}: {json:#}", op.id));
            vars.insert((*name).to_owned(), value.to_owned());
        }
        succeeded.insert(op.id);

        let (status, _) = failing_call(&walker, op, &path, &query, body.as_ref()).await;
        assert!(
            (400..500).contains(&status),
            "{}: the failing call answered {status}",
            op.id
        );
    }

    let all: BTreeSet<&str> = operations().iter().map(|o| o.id).collect();
    let missed: Vec<_> = all.difference(&succeeded).collect();
    assert!(
        missed.is_empty(),
        "operations the walk never ran: {missed:?}"
    );
}

/// The same request, broken in the way that suits the operation: without its required
/// query, with an id that names nothing, with an empty body, or without the API key.
async fn failing_call(
    walker: &Walker,
    op: &'static Operation,
    path: &str,
    query: &str,
    body: Option<&Value>,
) -> (u16, Value) {
    let required_query = op
        .params
        .iter()
        .any(|p| p.required && p.place == highlevel::ParamPlace::Query);
    if required_query {
        return walker.call(op, path, "", body, true).await;
    }
    if path.contains('/')
        && op
            .params
            .iter()
            .any(|p| p.place == highlevel::ParamPlace::Path)
    {
        let (head, _) = path.trim_end_matches('/').rsplit_once('/').unwrap();
        let last_is_param = op.path.trim_end_matches('/').ends_with('}');
        if last_is_param {
            return walker
                .call(op, &format!("{head}/no-such-id"), query, body, true)
                .await;
        }
    }
    if op.body_required.is_some_and(|r| !r.is_empty()) {
        return walker.call(op, path, query, Some(&json!({})), true).await;
    }
    walker.call(op, path, query, body, false).await
}

/// The path parameters of `path`, read against the operation's template.
fn path_params(template: &str, path: &str) -> serde_json::Map<String, Value> {
    let names = template.split('/').filter(|s| !s.is_empty());
    let values = path.split('/').filter(|s| !s.is_empty());
    names
        .zip(values)
        .filter_map(|(name, value)| {
            let name = name.strip_prefix('{')?.strip_suffix('}')?;
            Some((name.to_owned(), Value::from(value)))
        })
        .collect()
}

#[tokio::test]
async fn every_operation_runs_through_the_client_and_fails_through_it() {
    let config = SandboxConfig {
        rate_limits: RateLimits::unlimited(),
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start(config).await.unwrap();
    let builder = |key: &str| {
        highlevel::Client::builder()
            .api_key(key)
            .base_url(sandbox.proxy_url())
            .maton_base_url(sandbox.url())
            .connection(highlevel_sandbox::LOCATION_CONNECTIONS[0])
            .agency_connection(AGENCY_CONNECTION)
            .retry(highlevel::RetryPolicy::none())
            .build()
            .unwrap()
    };
    let client = builder(sandbox.api_key());
    let stranger = builder("not-the-key");
    let mut vars: HashMap<String, String> = HashMap::from([
        ("loc".into(), highlevel_sandbox::LOCATION_IDS[0].into()),
        ("company".into(), highlevel_sandbox::COMPANY_ID.into()),
    ]);
    let mut covered = BTreeSet::new();

    for step in steps() {
        let op = op(step.op);
        let path = fill(step.path, &vars);
        let mut params = path_params(op.path, &path);
        for pair in fill(step.query, &vars).split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap();
            params.insert(name.to_owned(), Value::from(value));
        }
        let body = step
            .body
            .as_ref()
            .map(|b| fill_json(b, &vars))
            .filter(|b| !b.is_null());

        let refused = stranger
            .call(op.id, &params, body.as_ref())
            .await
            .unwrap_err();
        assert_eq!(
            refused.kind(),
            highlevel::ErrorKind::Unauthorized,
            "{}: {refused}",
            op.id
        );
        assert_eq!(refused.status(), Some(401));

        let answer = client.call(op.id, &params, body.as_ref()).await;
        let answer = answer.unwrap_or_else(|e| panic!("{}: {e}", op.id));
        for (name, pointer) in step.capture {
            let value = answer
                .body
                .pointer(pointer)
                .and_then(Value::as_str)
                .unwrap();
            vars.insert((*name).to_owned(), value.to_owned());
        }
        covered.insert(op.id);
    }

    assert_eq!(covered.len(), operations().len(), "every operation ran");
}
