//! Opportunities (deals) of a location, and the pipelines whose stages they move through.
//! The search pages by page number, names its filters in snake_case, and embeds a summary
//! of each opportunity's contact, built from the contact as it is now.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use super::calendars::epoch_ms;
use crate::ctx::{Ctx, Handler, Reply};
use crate::error::{ApiError, missing};
use crate::paging;
use crate::seed::Seed;
use crate::store::{Kind, Store, iso};

const STATUSES: &[&str] = &["open", "won", "lost", "abandoned"];

/// Fields the service sets itself; a client's values for them are ignored.
const SERVER_FIELDS: &[&str] = &[
    "id",
    "locationId",
    "contact",
    "createdAt",
    "updatedAt",
    "lastStatusChangeAt",
    "lastStageChangeAt",
    "indexVersion",
];

pub(crate) fn handler(name: &str) -> Option<Handler> {
    Some(match name {
        "search_opportunities" => search,
        "get_opportunity" => get,
        "create_opportunity" => create,
        "update_opportunity" => update,
        "delete_opportunity" => delete,
        "list_pipelines" => list_pipelines,
        _ => return None,
    })
}

fn search(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = ctx.query_location("location_id")?;
    let limit = paging::limit(ctx, 20)?;
    let page = ctx.query_number("page")?.unwrap_or(1);
    if page < 1 {
        return Err(ApiError::unprocessable(vec![
            "page must not be less than 1".into(),
        ]));
    }
    let from = day(ctx, "date")?;
    let to = day(ctx, "endDate")?;

    let store = &*ctx.store;
    let text = ctx.query("q").map(str::to_lowercase);
    let status = ctx.query("status").filter(|s| *s != "all");
    let filters = [
        ("pipeline_id", "pipelineId"),
        ("pipeline_stage_id", "pipelineStageId"),
        ("contact_id", "contactId"),
        ("assigned_to", "assignedTo"),
        ("campaignId", "campaignId"),
        ("id", "id"),
    ];
    let wanted: Vec<(&str, &str)> = filters
        .iter()
        .filter_map(|(param, field)| Some((*field, ctx.query(param)?)))
        .collect();

    let mut found: Vec<Value> = store
        .list(Kind::Opportunity, &location)
        .values()
        .filter(|o| wanted.iter().all(|(field, value)| o[*field] == *value))
        .filter(|o| status.is_none_or(|s| o["status"] == s))
        .filter(|o| {
            let created = o["createdAt"]
                .as_str()
                .and_then(|c| c.get(..10))
                .unwrap_or_default();
            from.as_deref().is_none_or(|f| created >= f)
                && to.as_deref().is_none_or(|t| created <= t)
        })
        .map(|o| with_contact(store, o))
        .filter(|o| text.as_deref().is_none_or(|q| matches_text(o, q)))
        .collect();
    // Newest first unless asked otherwise; the sort is stable, so ties keep store order.
    found.sort_by(|a, b| b["createdAt"].as_str().cmp(&a["createdAt"].as_str()));
    if ctx.query("order") == Some("added_asc") {
        found.reverse();
    }

    let total = found.len();
    let start = match cursor(ctx, &found)? {
        Some(start) => start,
        None => usize::try_from(page - 1)
            .unwrap_or(usize::MAX)
            .saturating_mul(limit),
    };
    let current = start / limit + 1;
    let items: Vec<Value> = found.into_iter().skip(start).take(limit).collect();
    let last = items.last();
    let meta = json!({
        "total": total,
        "currentPage": current,
        "nextPage": (start.saturating_add(items.len()) < total).then_some(current + 1),
        "prevPage": (current > 1).then(|| current - 1),
        "startAfter": last.and_then(|o| epoch_ms(o["createdAt"].as_str()?)),
        "startAfterId": last.map(|o| o["id"].clone()),
    });

    let mut items = items;
    for item in &mut items {
        attach_extras(ctx, item);
    }
    Reply::ok(json!({ "opportunities": items, "meta": meta, "aggregations": {} }))
}

fn get(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let id = ctx.path("opportunityId").to_owned();
    let opportunity = ctx.find(Kind::Opportunity, &id, "Opportunity")?;
    Reply::ok(json!({ "opportunity": with_contact(ctx.store, &opportunity) }))
}

fn create(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = ctx.body_str("locationId").unwrap_or_default().to_owned();
    ctx.location(&location)?;
    let pipeline = pipeline(
        ctx,
        &location,
        ctx.body_str("pipelineId").unwrap_or_default(),
    )?;
    let stage = match ctx.body_str("pipelineStageId") {
        Some(stage) => stage_of(&pipeline, stage)?,
        None => first_stage(&pipeline)?,
    };
    check_status(ctx.body_str("status").unwrap_or_default())?;
    let contact_id = ctx.body_str("contactId").unwrap_or_default().to_owned();
    check_contact(ctx, &location, &contact_id)?;
    check_user(ctx)?;
    check_duplicate(ctx, &location, &contact_id, &pipeline["id"], None)?;

    let now = ctx.now_iso();
    let mut opportunity = ctx.new_object(Some(&location));
    let id = opportunity.get("id").cloned().unwrap_or_default();
    sanitize(&mut opportunity);
    opportunity.insert("id".into(), id);
    opportunity.insert("locationId".into(), location.as_str().into());
    opportunity.insert("pipelineStageId".into(), stage.into());
    opportunity.insert(
        "customFields".into(),
        custom_fields(&Value::Null, ctx.body()),
    );
    for (field, value) in [
        ("monetaryValue", json!(0)),
        ("assignedTo", Value::Null),
        ("source", Value::Null),
        ("lostReasonId", Value::Null),
        ("lastActionDate", Value::Null),
        ("followers", json!([])),
    ] {
        opportunity.entry(field).or_insert(value);
    }
    for field in [
        "lastStatusChangeAt",
        "lastStageChangeAt",
        "createdAt",
        "updatedAt",
    ] {
        opportunity.insert(field.into(), now.as_str().into());
    }
    opportunity.insert("indexVersion".into(), 1.into());

    let opportunity = with_contact(ctx.store, &Value::Object(opportunity));
    ctx.store
        .insert(Kind::Opportunity, &location, opportunity.clone());
    Reply::created(json!({ "opportunity": opportunity }))
}

fn update(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let id = ctx.path("opportunityId").to_owned();
    let current = ctx.find(Kind::Opportunity, &id, "Opportunity")?;
    let location = current["locationId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    // The service wants `pipelineId` in every update (the framework has checked it is there),
    // so the pipeline is checked even when it does not change.
    let pipeline = pipeline(
        ctx,
        &location,
        ctx.body_str("pipelineId").unwrap_or_default(),
    )?;
    let stage = match ctx.body_str("pipelineStageId") {
        Some(stage) => stage_of(&pipeline, stage)?,
        None => match current["pipelineStageId"].as_str() {
            Some(stage) if stage_of(&pipeline, stage).is_ok() => stage.to_owned(),
            _ => first_stage(&pipeline)?,
        },
    };
    if let Some(status) = ctx.body().get("status") {
        check_status(status.as_str().unwrap_or_default())?;
    }
    let contact_id = match ctx.body().get("contactId") {
        Some(contact) => {
            let contact = contact.as_str().unwrap_or_default().to_owned();
            check_contact(ctx, &location, &contact)?;
            contact
        }
        None => current["contactId"].as_str().unwrap_or_default().to_owned(),
    };
    check_user(ctx)?;
    if pipeline["id"] != current["pipelineId"] || current["contactId"] != contact_id.as_str() {
        check_duplicate(ctx, &location, &contact_id, &pipeline["id"], Some(&id))?;
    }

    let now = ctx.now_iso();
    let mut patch = ctx.body().clone();
    sanitize(&mut patch);
    patch.insert("pipelineStageId".into(), stage.as_str().into());
    if ctx.body().contains_key("customFields") {
        patch.insert(
            "customFields".into(),
            custom_fields(&current["customFields"], ctx.body()),
        );
    }
    let status_changed = patch.get("status").is_some_and(|s| *s != current["status"]);
    let stage_changed = current["pipelineStageId"] != stage.as_str();

    let object = ctx
        .store
        .get_mut(Kind::Opportunity, &id)
        .ok_or_else(|| missing("Opportunity", &id))?;
    crate::store::merge(object, &patch);
    if status_changed {
        object["lastStatusChangeAt"] = now.as_str().into();
    }
    if stage_changed {
        object["lastStageChangeAt"] = now.as_str().into();
    }
    object["updatedAt"] = now.into();
    object["indexVersion"] = (current["indexVersion"].as_i64().unwrap_or(0) + 1).into();

    let object = object.clone();
    Reply::ok(json!({ "opportunity": with_contact(ctx.store, &object) }))
}

fn delete(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let id = ctx.path("opportunityId").to_owned();
    ctx.delete(Kind::Opportunity, &id, "Opportunity")?;
    Reply::ok(json!({ "succeded": true }))
}

fn list_pipelines(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = ctx.query_location("locationId")?;
    let pipelines: Vec<&Value> = ctx.store.list(Kind::Pipeline, &location).values().collect();
    Reply::ok(json!({ "pipelines": pipelines }))
}

/// The display name of a contact: its `name`, else its first and last names, else its
/// listing name.
pub(super) fn contact_name(contact: &Value) -> Option<String> {
    if let Some(name) = contact["name"].as_str().filter(|n| !n.is_empty()) {
        return Some(name.to_owned());
    }
    let parts: Vec<&str> = ["firstName", "lastName"]
        .iter()
        .filter_map(|f| contact[*f].as_str())
        .filter(|p| !p.is_empty())
        .collect();
    if !parts.is_empty() {
        return Some(parts.join(" "));
    }
    contact["contactName"]
        .as_str()
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
}

/// The opportunity with its `contact` summary rebuilt from the contact as it is now. When
/// the contact is gone the summary stored with the opportunity stays.
fn with_contact(store: &Store, opportunity: &Value) -> Value {
    let mut opportunity = opportunity.clone();
    let contact = opportunity["contactId"]
        .as_str()
        .and_then(|id| store.get(Kind::Contact, id));
    if let Some(contact) = contact {
        let text = |field: &str| contact[field].as_str().map_or(Value::Null, Value::from);
        let tags: Vec<&str> = contact["tags"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        opportunity["contact"] = json!({
            "id": contact["id"],
            "name": contact_name(contact),
            "companyName": text("companyName"),
            "email": text("email"),
            "phone": text("phone"),
            "tags": tags,
        });
    }
    opportunity
}

/// Adds the notes, tasks and calendar events of the opportunity's contact when the search
/// asks for them (`getNotes`, `getTasks`, `getCalendarEvents`).
fn attach_extras(ctx: &Ctx<'_>, opportunity: &mut Value) {
    let contact = opportunity["contactId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let location = opportunity["locationId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let asked = |name: &str| ctx.query(name) == Some("true");
    if asked("getNotes") {
        let notes: Vec<&Value> = ctx.store.list(Kind::Note, &contact).values().collect();
        opportunity["notes"] = json!(notes);
    }
    if asked("getTasks") {
        let tasks: Vec<&Value> = ctx.store.list(Kind::Task, &contact).values().collect();
        opportunity["tasks"] = json!(tasks);
    }
    if asked("getCalendarEvents") {
        let events: Vec<&Value> = ctx
            .store
            .list(Kind::CalendarEvent, &location)
            .values()
            .filter(|e| e["contactId"] == contact.as_str())
            .collect();
        opportunity["calendarEvents"] = json!(events);
    }
}

/// Whether the free-text search `q` (lower case) matches the opportunity or its contact.
fn matches_text(opportunity: &Value, q: &str) -> bool {
    let contact = &opportunity["contact"];
    [
        &opportunity["name"],
        &contact["name"],
        &contact["email"],
        &contact["phone"],
    ]
    .iter()
    .filter_map(|v| v.as_str())
    .any(|v| v.to_lowercase().contains(q))
}

/// Where the page starts when the caller pages by cursor (`startAfterId`, or `startAfter`
/// alone) rather than by page number: just after the item the cursor names.
fn cursor(ctx: &Ctx<'_>, found: &[Value]) -> Result<Option<usize>, ApiError> {
    if let Some(id) = ctx.query("startAfterId") {
        let index = found.iter().position(|o| o["id"] == id).ok_or_else(|| {
            ApiError::bad_request(format!(
                "startAfterId {id} does not name an item of this search"
            ))
        })?;
        return Ok(Some(index + 1));
    }
    let Some(after) = ctx.query_number("startAfter")? else {
        return Ok(None);
    };
    let ascending = ctx.query("order") == Some("added_asc");
    let created = |o: &Value| o["createdAt"].as_str().and_then(epoch_ms).unwrap_or(0);
    let start = found
        .iter()
        .position(|o| {
            if ascending {
                created(o) > after
            } else {
                created(o) < after
            }
        })
        .unwrap_or(found.len());
    Ok(Some(start))
}

/// A `mm-dd-yyyy` query date as `yyyy-mm-dd`, the form the stored dates begin with.
fn day(ctx: &Ctx<'_>, name: &str) -> Result<Option<String>, ApiError> {
    let Some(text) = ctx.query(name) else {
        return Ok(None);
    };
    let parts: Vec<&str> = text.split('-').collect();
    match parts[..] {
        [m, d, y]
            if m.len() == 2
                && d.len() == 2
                && y.len() == 4
                && text.bytes().all(|b| b.is_ascii_digit() || b == b'-') =>
        {
            Ok(Some(format!("{y}-{m}-{d}")))
        }
        _ => Err(ApiError::unprocessable(vec![format!(
            "{name} must be a date written mm-dd-yyyy"
        )])),
    }
}

/// The pipeline `id` of `location`, or the answer refusing it.
fn pipeline(ctx: &Ctx<'_>, location: &str, id: &str) -> Result<Value, ApiError> {
    ctx.store
        .get(Kind::Pipeline, id)
        .filter(|p| p["locationId"] == location)
        .cloned()
        .ok_or_else(|| {
            ApiError::unprocessable(vec![format!(
                "pipelineId {id} is not a pipeline of this location"
            )])
        })
}

/// `stage` when it is a stage of `pipeline`.
fn stage_of(pipeline: &Value, stage: &str) -> Result<String, ApiError> {
    let stages = pipeline["stages"].as_array().into_iter().flatten();
    if stages.into_iter().any(|s| s["id"] == stage) {
        return Ok(stage.to_owned());
    }
    let name = pipeline["name"].as_str().unwrap_or_default();
    Err(ApiError::unprocessable(vec![format!(
        "pipelineStageId {stage} is not a stage of the pipeline {name}"
    )]))
}

/// The stage new opportunities of `pipeline` start in.
fn first_stage(pipeline: &Value) -> Result<String, ApiError> {
    pipeline["stages"]
        .as_array()
        .and_then(|stages| {
            stages
                .iter()
                .min_by_key(|s| s["position"].as_i64().unwrap_or(0))
        })
        .and_then(|s| s["id"].as_str())
        .map(str::to_owned)
        .ok_or_else(|| ApiError::unprocessable(vec!["the pipeline has no stages".into()]))
}

fn check_status(status: &str) -> Result<(), ApiError> {
    if STATUSES.contains(&status) {
        return Ok(());
    }
    Err(ApiError::unprocessable(vec![format!(
        "status must be one of the following values: {}",
        STATUSES.join(", ")
    )]))
}

fn check_contact(ctx: &Ctx<'_>, location: &str, id: &str) -> Result<(), ApiError> {
    let found = ctx.store.get(Kind::Contact, id).is_some_and(|c| {
        c["locationId"] == location || ctx.store.scope_of(Kind::Contact, id) == Some(location)
    });
    if found {
        return Ok(());
    }
    Err(ApiError::unprocessable(vec![format!(
        "contactId {id} is not a contact of this location"
    )]))
}

/// `assignedTo`, when the body carries one, must name a user.
fn check_user(ctx: &Ctx<'_>) -> Result<(), ApiError> {
    match ctx.body().get("assignedTo") {
        None | Some(Value::Null) => Ok(()),
        Some(user) => {
            let id = user.as_str().unwrap_or_default();
            if ctx.store.get(Kind::User, id).is_some() {
                return Ok(());
            }
            Err(ApiError::unprocessable(vec![format!(
                "assignedTo {id} is not a user"
            )]))
        }
    }
}

/// HighLevel refuses a second opportunity for a contact in the same pipeline unless the
/// location's `allowDuplicateOpportunity` setting is on (it is off by default).
fn check_duplicate(
    ctx: &Ctx<'_>,
    location: &str,
    contact: &str,
    pipeline: &Value,
    except: Option<&str>,
) -> Result<(), ApiError> {
    let allowed = ctx
        .store
        .get(Kind::Location, location)
        .is_some_and(|l| l["settings"]["allowDuplicateOpportunity"] == true);
    let duplicate = ctx
        .store
        .list(Kind::Opportunity, location)
        .values()
        .any(|o| {
            o["contactId"] == contact && o["pipelineId"] == *pipeline && o["id"].as_str() != except
        });
    if duplicate && !allowed {
        return Err(ApiError::bad_request(
            "Can not create duplicate opportunity for the contact.",
        ));
    }
    Ok(())
}

/// Whether a value has the type a field wants.
type Fits = fn(&Value) -> bool;

/// Drops what a client may not set: the server's own fields, and values of the wrong type
/// for fields the answer describes but the request does not, so answers keep their shape.
fn sanitize(fields: &mut Map<String, Value>) {
    for field in SERVER_FIELDS {
        fields.remove(*field);
    }
    fields.remove("customFields");
    let text_or_null = |v: &Value| v.is_string() || v.is_null();
    let checks: [(&str, Fits); 8] = [
        ("source", text_or_null),
        ("lostReasonId", text_or_null),
        ("lastActionDate", text_or_null),
        ("externalObjectId", text_or_null),
        ("followers", Value::is_array),
        ("notes", Value::is_array),
        ("tasks", Value::is_array),
        ("calendarEvents", Value::is_array),
    ];
    for (field, fits) in checks {
        if fields.get(field).is_some_and(|v| !fits(v)) {
            fields.remove(field);
        }
    }
}

/// The opportunity's custom field values after writing `body.customFields` over
/// `existing`: inputs name a field by `id` or `key` and give `field_value`; the answer
/// lists `{id, fieldValue}`.
fn custom_fields(existing: &Value, body: &Map<String, Value>) -> Value {
    let mut fields: Vec<Value> = existing.as_array().cloned().unwrap_or_default();
    for input in body
        .get("customFields")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(id) = input["id"].as_str().or_else(|| input["key"].as_str()) else {
            continue;
        };
        let value = match input.get("field_value") {
            Some(value) => value.clone(),
            None => input.get("fieldValue").cloned().unwrap_or(Value::Null),
        };
        let entry = json!({ "id": id, "fieldValue": value });
        match fields.iter_mut().find(|f| f["id"] == id) {
            Some(field) => *field = entry,
            None => fields.push(entry),
        }
    }
    Value::Array(fields)
}

/// A UUID-shaped id, the form HighLevel gives pipeline stages.
fn stage_id(seed: &mut Seed<'_>) -> String {
    let (a, b) = (seed.rng.next(), seed.rng.next());
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | ((b >> 48) & 0x3fff),
        b & 0xffff_ffff_ffff
    )
}

/// The demo pipelines: name and stages with their win probabilities.
const PIPELINES: [(&str, &[(&str, f64)]); 2] = [
    (
        "Sales Pipeline",
        &[
            ("New Lead", 10.0),
            ("Contacted", 20.0),
            ("Qualified", 40.0),
            ("Proposal Sent", 60.0),
            ("Negotiation", 80.0),
            ("Closed", 100.0),
        ],
    ),
    (
        "Onboarding",
        &[("Kickoff", 90.0), ("Setup", 95.0), ("Live", 100.0)],
    ),
];

/// What each demo location sells.
const DEALS: [&[&str]; 2] = [
    &[
        "Invisalign package",
        "Implant consult",
        "Whitening plan",
        "Family check-up plan",
    ],
    &[
        "Roof replacement",
        "Gutter install",
        "Storm damage repair",
        "Annual inspection",
    ],
];

pub(crate) fn seed(seed: &mut Seed<'_>) {
    for (index, location) in seed.locations.into_iter().enumerate() {
        let mut pipelines = Vec::new();
        for (name, stages) in PIPELINES {
            let stages: Vec<Value> = stages
                .iter()
                .enumerate()
                .map(|(position, (stage, chance))| {
                    json!({
                        "id": stage_id(seed),
                        "name": stage,
                        "position": position,
                        "stageWinProbability": chance,
                        "showInFunnel": true,
                        "showInPieChart": true,
                    })
                })
                .collect();
            let pipeline = json!({
                "id": seed.id(),
                "name": name,
                "locationId": location,
                "stages": stages,
                "showInFunnel": true,
                "showInPieChart": true,
                "colorRenderMode": "dot",
            });
            seed.store
                .insert(Kind::Pipeline, location, pipeline.clone());
            pipelines.push(pipeline);
        }

        let users: Vec<String> = seed.ids(Kind::User, location);
        let contacts: Vec<Value> = seed
            .store
            .list(Kind::Contact, location)
            .values()
            .cloned()
            .collect();
        seed_opportunities(
            seed,
            location,
            &pipelines,
            &users,
            &contacts,
            DEALS[index % DEALS.len()],
        );
    }
}

/// About forty opportunities, most in the sales pipeline: open ones spread over the stages,
/// won ones late in them, lost and abandoned ones anywhere. A contact has at most one per
/// pipeline, as the location's duplicate rule wants.
fn seed_opportunities(
    seed: &mut Seed<'_>,
    location: &str,
    pipelines: &[Value],
    users: &[String],
    contacts: &[Value],
    deals: &[&str],
) {
    let mut used = HashSet::new();
    for n in 0..40 {
        let Some(contact) = contacts.get(n % contacts.len().max(1)) else {
            return;
        };
        let pipeline = &pipelines[usize::from(n % 4 == 3)];
        let contact_id = contact["id"].as_str().unwrap_or_default();
        let pipeline_id = pipeline["id"].as_str().unwrap_or_default();
        if !used.insert((contact_id.to_owned(), pipeline_id.to_owned())) {
            continue;
        }

        let stages = pipeline["stages"].as_array().map_or(&[][..], Vec::as_slice);
        let status = seed.pick(&[
            "open",
            "open",
            "open",
            "open",
            "open",
            "open",
            "won",
            "won",
            "lost",
            "abandoned",
        ]);
        let position = match status {
            "won" => stages.len().saturating_sub(1 + seed.below(2) as usize),
            _ => seed.below(stages.len() as u64) as usize,
        };
        let stage = stages
            .get(position)
            .map_or(Value::Null, |s| s["id"].clone());
        let created = seed.past(180);
        let stage_changed = created + seed.below((seed.base - created).max(1) as u64) as i64;
        let deal = seed.pick(deals);
        let name = contact_name(contact).unwrap_or_else(|| "New contact".into());
        let value = (5 + seed.below(400)) * 50;
        let assigned = match users {
            [] => Value::Null,
            all => all[seed.below(all.len() as u64) as usize].as_str().into(),
        };
        let source = seed.pick(&["website", "referral", "facebook", "google ads", "walk-in"]);

        let opportunity = json!({
            "id": seed.id(),
            "name": format!("{name} - {deal}"),
            "monetaryValue": value,
            "pipelineId": pipeline["id"],
            "pipelineStageId": stage,
            "status": status,
            "contactId": contact_id,
            "assignedTo": assigned,
            "source": source,
            "locationId": location,
            "lostReasonId": null,
            "lastStatusChangeAt": iso(stage_changed),
            "lastStageChangeAt": iso(stage_changed),
            "lastActionDate": iso(stage_changed),
            "createdAt": iso(created),
            "updatedAt": iso(stage_changed),
            "indexVersion": 1 + seed.below(5),
            "customFields": [],
            "followers": [],
        });
        let opportunity = with_contact(seed.store, &opportunity);
        seed.store.insert(Kind::Opportunity, location, opportunity);
    }
}

/// A harness for the tests of this module and its neighbours: demo data with stand-in
/// users and contacts, and requests run through the framework's checks, the handler, and
/// a check of the answer against the description.
#[cfg(test)]
pub(super) mod testing {
    use bytes::Bytes;
    use serde_json::{Value, json};

    use crate::ctx::{Caller, Ctx, Token};
    use crate::seed::Seed;
    use crate::server::OpRuntime;
    use crate::store::{Kind, Rng, Store};
    use crate::{COMPANY_ID, LOCATION_IDS, description, validate};

    /// The demo "now" of the seeded data.
    pub(crate) const BASE: i64 = 1_767_603_600_000;

    /// The demo data of the locations, 3 users and `contacts` contacts per location, and
    /// the data of this area.
    pub(crate) fn store(contacts: usize) -> Store {
        let mut store = Store::new(1);
        let mut seed = Seed {
            store: &mut store,
            rng: Rng::new(7),
            base: BASE,
            contacts_per_location: contacts,
            company: COMPANY_ID,
            locations: LOCATION_IDS,
        };
        super::super::locations::seed(&mut seed);
        for location in LOCATION_IDS {
            for n in 0..3 {
                let id = format!("user-{location}-{n}");
                seed.store
                    .insert(Kind::User, location, json!({"id": id, "name": "User"}));
            }
            for n in 0..contacts {
                let id = format!("contact-{location}-{n}");
                let contact = json!({
                    "id": id,
                    "locationId": location,
                    "firstName": "Ava",
                    "lastName": format!("Number{n}"),
                    "email": format!("ava{n}@example.com"),
                    "phone": format!("+1555000{n:04}"),
                    "tags": ["demo"],
                });
                seed.store.insert(Kind::Contact, location, contact);
            }
        }
        super::seed(&mut seed);
        super::super::calendars::seed(&mut seed);
        super::super::conversations::seed(&mut seed);
        store
    }

    /// Runs operation `name` as the sub-account token of `location` would; returns the
    /// status and body, after checking a success against the described response.
    pub(crate) fn call(
        store: &mut Store,
        location: &str,
        name: &str,
        path: &[(&'static str, &str)],
        query: &[(&str, &str)],
        body: Option<Value>,
    ) -> (u16, Value) {
        let op = highlevel::operations()
            .iter()
            .find(|o| o.name == name)
            .expect("operation");
        let handler = super::super::handler(name).expect("handler");
        let runtime = OpRuntime {
            handler,
            query_schemas: description::query_schemas(op),
            body_validator: description::request_validator(op),
        };
        let query: Vec<(String, String)> = query
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let bytes = body.map(|b| Bytes::from(b.to_string())).unwrap_or_default();

        let result = validate::request(op, &runtime, &query, &bytes).and_then(|json| {
            let mut ctx = Ctx {
                op,
                params: path.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
                query,
                body: json,
                store,
                caller: Some(Caller {
                    connection: "test".into(),
                    token: Token::SubAccount {
                        location: location.to_owned(),
                    },
                }),
                now: BASE + 1_000,
            };
            handler(&mut ctx)
        });
        match result {
            Ok(reply) => {
                let status = reply.status.as_u16();
                let validator = description::response_validator(op, status).expect("schema");
                let problems: Vec<String> = validator
                    .iter_errors(&reply.body)
                    .map(|e| e.to_string())
                    .collect();
                assert!(
                    problems.is_empty(),
                    "{name} answered off-schema: {problems:?}"
                );
                (status, reply.body)
            }
            Err(err) => (err.status.as_u16(), err.body),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::testing::{call, store};
    use crate::LOCATION_IDS;

    const LOC: &str = LOCATION_IDS[0];

    fn search(store: &mut crate::store::Store, query: &[(&str, &str)]) -> (u16, Value) {
        call(store, LOC, "search_opportunities", &[], query, None)
    }

    #[test]
    fn seeded_pipelines_and_opportunities_hang_together() {
        let mut store = store(30);
        let (status, body) = call(
            &mut store,
            LOC,
            "list_pipelines",
            &[],
            &[("locationId", LOC)],
            None,
        );
        assert_eq!(status, 200);
        let pipelines = body["pipelines"].as_array().unwrap();
        assert_eq!(pipelines.len(), 2);
        assert_eq!(pipelines[0]["stages"].as_array().unwrap().len(), 6);

        let (_, body) = search(&mut store, &[("location_id", LOC), ("limit", "100")]);
        let total = body["meta"]["total"].as_u64().unwrap();
        assert!((30..=40).contains(&total), "{total}");
        for opportunity in body["opportunities"].as_array().unwrap() {
            let pipeline = pipelines
                .iter()
                .find(|p| p["id"] == opportunity["pipelineId"])
                .unwrap();
            let stages = pipeline["stages"].as_array().unwrap();
            assert!(
                stages
                    .iter()
                    .any(|s| s["id"] == opportunity["pipelineStageId"])
            );
            assert_eq!(opportunity["contact"]["id"], opportunity["contactId"]);
            assert!(
                opportunity["contact"]["name"]
                    .as_str()
                    .unwrap()
                    .starts_with("Ava ")
            );
        }
    }

    #[test]
    fn pages_walk_every_match_once() {
        let mut store = store(30);
        let (_, all) = search(&mut store, &[("location_id", LOC), ("status", "open")]);
        let total = all["meta"]["total"].as_u64().unwrap() as usize;
        let mut seen = Vec::new();
        let mut page = 1.to_string();
        loop {
            let (status, body) = search(
                &mut store,
                &[
                    ("location_id", LOC),
                    ("status", "open"),
                    ("limit", "7"),
                    ("page", &page),
                ],
            );
            assert_eq!(status, 200);
            for o in body["opportunities"].as_array().unwrap() {
                assert_eq!(o["status"], "open");
                seen.push(o["id"].as_str().unwrap().to_owned());
            }
            match body["meta"]["nextPage"].as_u64() {
                Some(next) => page = next.to_string(),
                None => break,
            }
        }
        assert_eq!(seen.len(), total);
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), total);

        let (_, first) = search(&mut store, &[("location_id", LOC), ("limit", "5")]);
        assert_eq!(first["meta"]["prevPage"], Value::Null);
        let id = first["meta"]["startAfterId"].as_str().unwrap().to_owned();
        let (_, next) = search(
            &mut store,
            &[("location_id", LOC), ("limit", "5"), ("startAfterId", &id)],
        );
        let (_, second) = search(
            &mut store,
            &[("location_id", LOC), ("limit", "5"), ("page", "2")],
        );
        assert_eq!(next["opportunities"], second["opportunities"]);

        let (status, _) = search(&mut store, &[("location_id", LOC), ("limit", "101")]);
        assert_eq!(status, 422);
        let (status, _) = search(&mut store, &[("location_id", LOCATION_IDS[1])]);
        assert_eq!(status, 403);
    }

    #[test]
    fn create_update_delete() {
        // The seed gives opportunities to the first 40 contacts; the 60th has none.
        let mut store = store(60);
        let (_, body) = call(
            &mut store,
            LOC,
            "list_pipelines",
            &[],
            &[("locationId", LOC)],
            None,
        );
        let sales = body["pipelines"][0].clone();
        let onboarding = body["pipelines"][1].clone();
        let contact = "contact-demo-location-1-59";

        let create = |pipeline: &Value, stage: Option<&Value>| {
            let mut body = json!({
                "locationId": LOC, "pipelineId": pipeline["id"], "name": "Big deal",
                "status": "open", "contactId": contact, "monetaryValue": 1200, "source": 7,
            });
            if let Some(stage) = stage {
                body["pipelineStageId"] = stage.clone();
            }
            body
        };
        let (status, body) = call(
            &mut store,
            LOC,
            "create_opportunity",
            &[],
            &[],
            Some(create(&sales, None)),
        );
        assert_eq!(status, 201, "{body}");
        let created = body["opportunity"].clone();
        assert_eq!(created["pipelineStageId"], sales["stages"][0]["id"]);
        assert_eq!(created["contact"]["email"], "ava59@example.com");
        assert_eq!(created["source"], Value::Null);
        let id = created["id"].as_str().unwrap().to_owned();

        let (status, _) = call(
            &mut store,
            LOC,
            "create_opportunity",
            &[],
            &[],
            Some(create(&sales, None)),
        );
        assert_eq!(
            status, 400,
            "a second one in the same pipeline is a duplicate"
        );
        let wrong_stage = create(&onboarding, Some(&sales["stages"][1]["id"]));
        let (status, _) = call(
            &mut store,
            LOC,
            "create_opportunity",
            &[],
            &[],
            Some(wrong_stage),
        );
        assert_eq!(status, 422);

        let path = [("opportunityId", id.as_str())];
        let (status, _) = call(
            &mut store,
            LOC,
            "update_opportunity",
            &path,
            &[],
            Some(json!({"name": "x"})),
        );
        assert_eq!(status, 422, "pipelineId is required");
        let stage = &sales["stages"][2]["id"];
        let patch = json!({"pipelineId": sales["id"], "pipelineStageId": stage, "status": "won"});
        let (status, body) = call(
            &mut store,
            LOC,
            "update_opportunity",
            &path,
            &[],
            Some(patch),
        );
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["opportunity"]["status"], "won");
        assert_eq!(body["opportunity"]["name"], "Big deal");
        assert_eq!(
            body["opportunity"]["lastStageChangeAt"],
            "2026-01-05T09:00:01.000Z"
        );

        let (status, body) = call(&mut store, LOC, "delete_opportunity", &path, &[], None);
        assert_eq!((status, body), (200, json!({"succeded": true})));
        let (status, _) = call(&mut store, LOC, "get_opportunity", &path, &[], None);
        assert_eq!(status, 404);
    }
}
