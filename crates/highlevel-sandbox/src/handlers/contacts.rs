//! Contacts of a location and what hangs off one contact: its tags, notes and tasks.
//!
//! Contacts are kept in the order they were added, which is also the order of their
//! `dateAdded`, oldest first: the listing pages through that order with HighLevel's cursor
//! (`startAfterId` and `startAfter`, the id and epoch milliseconds of the last contact seen).
//! Notes and tasks are stored under their contact, so deleting a contact deletes them too.

use indexmap::IndexMap;
use serde_json::{Map, Value, json};

use crate::ctx::{Ctx, Handler, Reply};
use crate::error::{ApiError, missing};
use crate::paging;
use crate::seed::{COMPANIES, Seed};
use crate::store::{Kind, iso};

pub(crate) fn handler(name: &str) -> Option<Handler> {
    Some(match name {
        "list_contacts" => list,
        "get_contact" => get,
        "create_contact" => create,
        "update_contact" => update,
        "delete_contact" => delete,
        "add_contact_tags" => add_tags,
        "remove_contact_tags" => remove_tags,
        "list_contact_notes" => list_notes,
        "create_contact_note" => create_note,
        "update_contact_note" => update_note,
        "delete_contact_note" => delete_note,
        "list_contact_tasks" => list_tasks,
        "create_contact_task" => create_task,
        "update_contact_task" => update_task,
        "delete_contact_task" => delete_task,
        _ => return None,
    })
}

/// Fields the service sets itself: an update that sends them leaves them as they are, so
/// that a contact cannot move to another location or out of its place in the listing.
const CONTACT_SERVER_FIELDS: [&str; 4] = ["id", "locationId", "dateAdded", "dateUpdated"];

fn list(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = ctx.query_location("locationId")?;
    let limit = paging::limit(ctx, 20)?;
    let after_ms = ctx.query_number("startAfter")?;
    let needle = ctx
        .query("query")
        .map(|q| q.trim().to_lowercase())
        .filter(|q| !q.is_empty());

    let items = ctx.store.list(Kind::Contact, &location);
    let after = cursor(items, ctx.query("startAfterId"), after_ms);
    let (page, more, total, before) = match needle {
        // One contact more than asked for tells whether another page follows; the counts
        // are the table's own, so a page costs only the page however large the location.
        None => {
            let mut page = paging::after_id(items, after.as_deref(), limit + 1, |_| true)?;
            let more = page.len() > limit;
            page.truncate(limit);
            (page, more, items.len(), start_of(items, after.as_deref()))
        }
        Some(needle) => {
            // An empty cut refuses an unknown cursor just as the plain listing does.
            paging::after_id(items, after.as_deref(), 0, |_| true)?;
            search(items, start_of(items, after.as_deref()), limit, &needle)
        }
    };

    let current = before / limit + 1;
    let last = page.last().filter(|_| more);
    let meta = json!({
        "total": total,
        "startAfterId": last.map(|c| c["id"].clone()),
        "startAfter": last.and_then(added_ms),
        "currentPage": current,
        "nextPage": more.then_some(current + 1),
        "prevPage": (current > 1).then(|| current - 1),
    });
    // Built by hand: `json!` would copy every contact of the page once more through
    // serde, which is most of the cost of a large page.
    let mut answer = Map::new();
    answer.insert("contacts".into(), Value::Array(page));
    answer.insert("meta".into(), meta);
    answer.insert("count".into(), total.into());
    Reply::ok(Value::Object(answer))
}

/// The index where a page starting after contact `after` begins.
fn start_of(items: &IndexMap<String, Value>, after: Option<&str>) -> usize {
    after
        .and_then(|id| items.get_index_of(id))
        .map_or(0, |i| i + 1)
}

/// One page of the contacts matching `needle` from index `start` on, whether more follow,
/// how many match in all and how many before `start`. A query has to look at every contact
/// for the total, so this does it in one pass: with 100,000 contacts each pass counts.
fn search(
    items: &IndexMap<String, Value>,
    start: usize,
    limit: usize,
    needle: &str,
) -> (Vec<Value>, bool, usize, usize) {
    let (mut page, mut more, mut total, mut before) = (Vec::new(), false, 0, 0);
    for (i, contact) in items.values().enumerate() {
        if !matches_query(contact, needle) {
            continue;
        }
        total += 1;
        if i < start {
            before += 1;
        } else if page.len() < limit {
            page.push(contact.clone());
        } else {
            more = true;
        }
    }
    (page, more, total, before)
}

/// The id of the contact a page starts after. A known `startAfterId` wins; otherwise
/// `startAfter` places the page after every contact added up to that instant, which keeps
/// a walk going when the contact it last saw has been deleted since. An unknown id without
/// `startAfter` is passed on, to be refused.
fn cursor(
    items: &IndexMap<String, Value>,
    after_id: Option<&str>,
    after_ms: Option<i64>,
) -> Option<String> {
    if let Some(id) = after_id
        && items.contains_key(id)
    {
        return Some(id.to_owned());
    }
    if let Some(ms) = after_ms {
        let start = items.partition_point(|_, c| added_ms(c).is_none_or(|added| added <= ms));
        let (id, _) = items.get_index(start.checked_sub(1)?)?;
        return Some(id.clone());
    }
    after_id.map(str::to_owned)
}

/// Whether a contact's name, email, phone or company contains `needle` (lower-cased). The
/// first and last names are looked at only when the full name is missing: every lookup
/// counts when a query runs over 100,000 contacts.
fn matches_query(contact: &Value, needle: &str) -> bool {
    let has = |field: &str| {
        contact[field]
            .as_str()
            .is_some_and(|v| contains_folded(v, needle))
    };
    let names: &[&str] = match contact["contactName"].as_str() {
        Some(_) => &["contactName"],
        None => &["firstName", "lastName"],
    };
    names
        .iter()
        .chain(&["email", "phone", "companyName"])
        .any(|field| has(field))
}

/// Whether `text` contains `needle` (lower-cased), ignoring case. ASCII needles, by far the
/// most common, are compared in place: a query looks at every contact of the location, and
/// lower-casing each field first would make it slow with 100,000 of them.
fn contains_folded(text: &str, needle: &str) -> bool {
    if !needle.is_ascii() {
        return text.to_lowercase().contains(needle);
    }
    let needle = needle.as_bytes();
    let size = needle.len().max(1);
    text.as_bytes()
        .windows(size)
        .any(|window| window.eq_ignore_ascii_case(needle))
}

/// When a contact was added, in epoch milliseconds.
fn added_ms(contact: &Value) -> Option<i64> {
    contact["dateAdded"].as_str().and_then(parse_iso)
}

fn get(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let id = ctx.path("contactId").to_owned();
    Reply::ok(json!({ "contact": ctx.find(Kind::Contact, &id, "Contact")? }))
}

fn create(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = ctx.body_str("locationId").unwrap_or_default().to_owned();
    ctx.location(&location)?;
    if let Some(email) = ctx.body_str("email") {
        refuse_duplicate(ctx, &location, email, None)?;
    }

    let mut contact = ctx.new_object(Some(&location));
    for field in ["dateAdded", "dateUpdated"] {
        contact.remove(field);
    }
    split_name(&mut contact);
    name_contact(&mut contact);
    if let Some(fields) = contact.get("customFields") {
        let fields = merge_custom_fields(&[], fields);
        contact.insert("customFields".into(), fields.into());
    }
    for (field, default) in [
        ("tags", json!([])),
        ("type", json!("lead")),
        ("dnd", json!(false)),
        ("source", json!("public api")),
        ("customFields", json!([])),
        ("additionalEmails", json!([])),
        ("additionalPhones", json!([])),
    ] {
        contact.entry(field).or_insert(default);
    }

    // The listing pages in insertion order by `dateAdded`, so a new contact is never dated
    // before the newest one already there, whatever the clock says.
    let newest = ctx
        .store
        .list(Kind::Contact, &location)
        .values()
        .last()
        .and_then(added_ms);
    let added = iso(newest.map_or(ctx.now, |newest| newest.max(ctx.now)));
    contact.insert("dateAdded".into(), added.clone().into());
    contact.insert("dateUpdated".into(), added.into());

    let contact = ctx
        .store
        .insert(Kind::Contact, &location, Value::Object(contact));
    Reply::created(json!({ "contact": contact }))
}

fn update(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let id = ctx.path("contactId").to_owned();
    let current = ctx.find(Kind::Contact, &id, "Contact")?;
    let location = current["locationId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    if let Some(email) = ctx.body_str("email") {
        refuse_duplicate(ctx, &location, email, Some(&id))?;
    }

    let mut patch = ctx.body().clone();
    for field in CONTACT_SERVER_FIELDS {
        patch.remove(field);
    }
    if let Some(fields) = patch.get("customFields") {
        let have = current["customFields"]
            .as_array()
            .map_or(&[][..], Vec::as_slice);
        let fields = merge_custom_fields(have, fields);
        patch.insert("customFields".into(), fields.into());
    }
    let renamed = patch.contains_key("firstName") || patch.contains_key("lastName");
    let now = ctx.now_iso();

    let contact = ctx
        .store
        .get_mut(Kind::Contact, &id)
        .ok_or_else(|| missing("Contact", &id))?;
    crate::store::merge(contact, &patch);
    if let Some(contact) = contact.as_object_mut() {
        if renamed && !patch.contains_key("name") {
            contact.remove("name");
        }
        name_contact(contact);
        contact.insert("dateUpdated".into(), now.into());
    }
    Reply::ok(json!({ "succeded": true, "contact": contact }))
}

fn delete(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let id = ctx.path("contactId").to_owned();
    ctx.delete(Kind::Contact, &id, "Contact")?;

    ctx.store.remove_scope(Kind::Note, &id);
    ctx.store.remove_scope(Kind::Task, &id);
    Reply::ok(json!({ "succeded": true }))
}

/// Refuses `email` when another contact of `location` (not `own`) has it, unless the
/// location allows duplicates. The answer names the contact found, as HighLevel's does, so
/// that a client can update it instead.
fn refuse_duplicate(
    ctx: &Ctx<'_>,
    location: &str,
    email: &str,
    own: Option<&str>,
) -> Result<(), ApiError> {
    let email = email.trim();
    let allowed = ctx.store.get(Kind::Location, location).is_some_and(|l| {
        l["settings"]["allowDuplicateContact"]
            .as_bool()
            .unwrap_or(false)
    });
    if email.is_empty() || allowed {
        return Ok(());
    }

    // The email first: it rules out nearly every contact, and each lookup counts when a
    // location holds 100,000 of them.
    let found = ctx.store.list(Kind::Contact, location).values().find(|c| {
        c["email"]
            .as_str()
            .is_some_and(|e| e.trim().eq_ignore_ascii_case(email))
            && c["id"].as_str() != own
    });
    let Some(found) = found else {
        return Ok(());
    };
    let mut error = ApiError::bad_request("This location does not allow duplicated contacts.");
    error.body["meta"] = json!({
        "contactName": found["name"],
        "contactId": found["id"],
        "matchingField": "email",
    });
    Err(error)
}

/// Fills `firstName` and `lastName` from `name` when only the full name was sent.
fn split_name(contact: &mut Map<String, Value>) {
    if contact.contains_key("firstName") || contact.contains_key("lastName") {
        return;
    }
    let Some(name) = contact.get("name").and_then(Value::as_str) else {
        return;
    };
    let mut words = name.split_whitespace();
    let first = words.next().map(str::to_owned);
    let last = words.collect::<Vec<_>>().join(" ");
    if let Some(first) = first {
        contact.insert("firstName".into(), first.into());
    }
    if !last.is_empty() {
        contact.insert("lastName".into(), last.into());
    }
}

/// Sets `name` from the first and last names when it is missing, and `contactName`, the
/// lower-cased full name the listing shows.
fn name_contact(contact: &mut Map<String, Value>) {
    if !contact.get("name").is_some_and(Value::is_string) {
        let parts: Vec<&str> = ["firstName", "lastName"]
            .iter()
            .filter_map(|f| contact.get(*f).and_then(Value::as_str))
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        if !parts.is_empty() {
            contact.insert("name".into(), parts.join(" ").into());
        }
    }
    match contact.get("name").and_then(Value::as_str) {
        Some(name) => {
            let lower = name.to_lowercase();
            contact.insert("contactName".into(), lower.into());
        }
        None => {
            contact.remove("contactName");
        }
    }
}

/// The contact's custom field values after setting `input` (`[{id, field_value}]`, the
/// request's shape) over `have` (`[{id, value}]`, the stored shape): values of fields
/// already set are replaced, others added.
fn merge_custom_fields(have: &[Value], input: &Value) -> Vec<Value> {
    let mut fields: Vec<Value> = have.to_vec();
    for item in input.as_array().map_or(&[][..], Vec::as_slice) {
        let Some(id) = item["id"].as_str().or_else(|| item["key"].as_str()) else {
            continue;
        };
        let value = item
            .get("field_value")
            .or_else(|| item.get("value"))
            .cloned();
        let value = value.unwrap_or(Value::Null);
        match fields.iter_mut().find(|f| f["id"] == id) {
            Some(field) => field["value"] = value,
            None => fields.push(json!({ "id": id, "value": value })),
        }
    }
    fields
}

fn add_tags(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let id = ctx.path("contactId").to_owned();
    ctx.find(Kind::Contact, &id, "Contact")?;
    let asked = body_tags(ctx);

    let contact = ctx
        .store
        .get_mut(Kind::Contact, &id)
        .ok_or_else(|| missing("Contact", &id))?;
    let mut tags = tags_of(contact);
    let mut added = Vec::new();
    for tag in asked {
        if !tags.contains(&tag) {
            tags.push(tag.clone());
            added.push(tag);
        }
    }
    contact["tags"] = json!(tags);
    Reply::created(json!({ "tags": tags, "tagsAdded": added }))
}

fn remove_tags(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let id = ctx.path("contactId").to_owned();
    ctx.find(Kind::Contact, &id, "Contact")?;
    let asked = body_tags(ctx);

    let contact = ctx
        .store
        .get_mut(Kind::Contact, &id)
        .ok_or_else(|| missing("Contact", &id))?;
    let (removed, tags): (Vec<String>, Vec<String>) = tags_of(contact)
        .into_iter()
        .partition(|tag| asked.contains(tag));
    contact["tags"] = json!(tags);
    Reply::ok(json!({ "tags": tags, "tagsRemoved": removed }))
}

/// The tags a request names, trimmed, without blanks or repeats.
fn body_tags(ctx: &Ctx<'_>) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in ctx
        .body()
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(tag) = tag.as_str().map(str::trim).filter(|t| !t.is_empty()) else {
            continue;
        };
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_owned());
        }
    }
    tags
}

/// A contact's tags (none when its `tags` is missing or not a list).
fn tags_of(contact: &Value) -> Vec<String> {
    let tags = contact["tags"].as_array().map_or(&[][..], Vec::as_slice);
    tags.iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// The id of the contact a note or task request names, after checking the caller may see
/// it.
fn parent(ctx: &Ctx<'_>) -> Result<String, ApiError> {
    let id = ctx.path("contactId").to_owned();
    ctx.find(Kind::Contact, &id, "Contact")?;
    Ok(id)
}

/// The id of the note or task in path parameter `param`, which must belong to `contact`:
/// one of another contact is as unknown as one that does not exist.
fn child(
    ctx: &Ctx<'_>,
    kind: Kind,
    param: &str,
    what: &str,
    contact: &str,
) -> Result<String, ApiError> {
    let id = ctx.path(param).to_owned();
    if ctx.store.scope_of(kind, &id) != Some(contact) {
        return Err(missing(what, &id));
    }
    Ok(id)
}

/// The children of `kind` (notes or tasks) of the contact a request names.
fn children(ctx: &Ctx<'_>, kind: Kind) -> Result<Vec<Value>, ApiError> {
    let contact = parent(ctx)?;
    Ok(ctx.store.list(kind, &contact).values().cloned().collect())
}

/// Applies the request's body to a note or task; its id and contact stay as they are.
fn patch_child(
    ctx: &mut Ctx<'_>,
    kind: Kind,
    id: &str,
    what: &str,
    mut patch: Map<String, Value>,
) -> Result<Value, ApiError> {
    patch.remove("id");
    patch.remove("contactId");
    let object = ctx
        .store
        .get_mut(kind, id)
        .ok_or_else(|| missing(what, id))?;
    crate::store::merge(object, &patch);
    Ok(object.clone())
}

fn list_notes(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    Reply::ok(json!({ "notes": children(ctx, Kind::Note)? }))
}

fn create_note(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let contact = parent(ctx)?;

    let mut note = ctx.new_object(None);
    note.insert("contactId".into(), contact.clone().into());
    note.insert("dateAdded".into(), ctx.now_iso().into());
    let note = ctx.store.insert(Kind::Note, &contact, Value::Object(note));
    Reply::created(json!({ "note": note }))
}

fn update_note(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let contact = parent(ctx)?;
    let id = child(ctx, Kind::Note, "noteId", "Note", &contact)?;

    let patch = ctx.body().clone();
    Reply::ok(json!({ "note": patch_child(ctx, Kind::Note, &id, "Note", patch)? }))
}

fn delete_note(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let contact = parent(ctx)?;
    let id = child(ctx, Kind::Note, "noteId", "Note", &contact)?;

    ctx.store
        .remove(Kind::Note, &id)
        .ok_or_else(|| missing("Note", &id))?;
    Reply::ok(json!({ "succeded": true }))
}

fn list_tasks(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    Reply::ok(json!({ "tasks": children(ctx, Kind::Task)? }))
}

fn create_task(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let contact = parent(ctx)?;
    let due = due_date(ctx)?;

    let mut task = ctx.new_object(None);
    task.insert("contactId".into(), contact.clone().into());
    if let Some(due) = due {
        task.insert("dueDate".into(), due.into());
    }
    task.entry("body").or_insert(Value::Null);
    let task = ctx.store.insert(Kind::Task, &contact, Value::Object(task));
    Reply::created(json!({ "task": task }))
}

fn update_task(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let contact = parent(ctx)?;
    let id = child(ctx, Kind::Task, "taskId", "Task", &contact)?;
    let due = due_date(ctx)?;

    let mut patch = ctx.body().clone();
    if let Some(due) = due {
        patch.insert("dueDate".into(), due.into());
    }
    Reply::ok(json!({ "task": patch_child(ctx, Kind::Task, &id, "Task", patch)? }))
}

fn delete_task(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let contact = parent(ctx)?;
    let id = child(ctx, Kind::Task, "taskId", "Task", &contact)?;

    ctx.store
        .remove(Kind::Task, &id)
        .ok_or_else(|| missing("Task", &id))?;
    Reply::ok(json!({ "succeded": true }))
}

/// The body's `dueDate` in HighLevel's format (`2026-06-01T10:00:00.000Z`), if sent; one
/// that is not an ISO-8601 date is refused as the service's validation does.
fn due_date(ctx: &Ctx<'_>) -> Result<Option<String>, ApiError> {
    let Some(due) = ctx.body().get("dueDate") else {
        return Ok(None);
    };
    match due.as_str().and_then(parse_iso) {
        Some(ms) => Ok(Some(iso(ms))),
        None => Err(ApiError::unprocessable(vec![
            "dueDate must be a valid ISO 8601 date string".into(),
        ])),
    }
}

/// Epoch milliseconds of an ISO-8601 date (`2026-06-01`) or date-time
/// (`2026-06-01T10:00`, `2026-06-01T10:00:00.5Z`, `2026-06-01T10:00:00+02:00`). A
/// date-time without an offset is read as UTC.
fn parse_iso(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, rest) = text.split_at_checked(10)?;
    let mut parts = date.split('-');
    let year: i64 = number(parts.next()?, 4)?;
    let month: i64 = number(parts.next()?, 2)?;
    let day: i64 = number(parts.next()?, 2)?;
    if parts.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    if rest.is_empty() {
        return Some(days * 86_400_000);
    }

    let rest = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' '))?;
    let (clock, offset_ms) = split_offset(rest)?;
    let mut fields = clock.splitn(3, ':');
    let hour = number(fields.next()?, 2)?;
    let minute = number(fields.next()?, 2)?;
    let (second, millis) = match fields.next() {
        None => (0, 0),
        Some(seconds) => {
            let (whole, fraction) = seconds.split_once('.').unwrap_or((seconds, ""));
            let fraction_ok = fraction.bytes().all(|b| b.is_ascii_digit());
            if !fraction_ok || (seconds.contains('.') && fraction.is_empty()) {
                return None;
            }
            let millis = format!("{fraction:0<3}");
            (number(whole, 2)?, millis[..3].parse::<i64>().ok()?)
        }
    };
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second;
    Some(seconds * 1000 + millis - offset_ms)
}

/// A clock time and its offset from UTC in milliseconds (`Z`, `+02:00`, `-0530`, none).
fn split_offset(text: &str) -> Option<(&str, i64)> {
    if let Some(clock) = text.strip_suffix('Z').or_else(|| text.strip_suffix('z')) {
        return Some((clock, 0));
    }
    let Some(at) = text.rfind(['+', '-']) else {
        return Some((text, 0));
    };
    let (clock, offset) = text.split_at(at);
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let digits = offset[1..].replace(':', "");
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours = number(&digits[..2], 2)?;
    let minutes = number(&digits[2..], 2)?;
    Some((clock, sign * (hours * 60 + minutes) * 60_000))
}

/// A number written with exactly `width` ASCII digits.
fn number(text: &str, width: usize) -> Option<i64> {
    if text.len() != width || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Days since 1970-01-01 of a calendar date, after Howard Hinnant's algorithm (the inverse
/// of the store's).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A name as it can appear in an email address: lower-case ASCII letters and digits.
pub(super) fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'ä' | 'Ä' => out.push_str("ae"),
            'ö' | 'Ö' => out.push_str("oe"),
            'ü' | 'Ü' => out.push_str("ue"),
            c if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
            _ => {}
        }
    }
    out
}

const TAGS: &[&str] = &[
    "customer",
    "vip",
    "lead",
    "newsletter",
    "referral",
    "follow-up",
];

const SOURCES: &[&str] = &[
    "website form",
    "facebook ad",
    "google ads",
    "referral",
    "public api",
    "walk-in",
];

const EMAIL_DOMAINS: &[&str] = &[
    "example.com",
    "example.org",
    "example.net",
    "mail.example.com",
];

const STREETS: &[&str] = &[
    "Main St",
    "Oak Ave",
    "Maple Dr",
    "Cedar Ln",
    "Park Blvd",
    "Elm St",
    "Lakeview Rd",
    "Sunset Ave",
    "River Rd",
    "Hillcrest Dr",
];

const NOTES: &[&str] = &[
    "Spoke with the client about renewing their plan next quarter.",
    "Left a voicemail; will try again on Thursday.",
    "Asked for a quote on the premium package.",
    "Prefers to be contacted by email in the afternoon.",
    "Referred by an existing customer; mention the referral discount.",
];

const TASKS: &[&str] = &[
    "Follow up call",
    "Send proposal",
    "Schedule a consultation",
    "Confirm appointment",
    "Collect feedback",
];

/// How many contacts of each location get notes and tasks.
const WITH_ACTIVITY: usize = 20;

const DAY: i64 = 86_400_000;

pub(crate) fn seed(seed: &mut Seed<'_>) {
    for location in seed.locations {
        seed_location(seed, location);
    }
}

/// The contacts of one location, added at even steps over the year before the demo's
/// "now" so that `dateAdded` rises in insertion order, as the listing's cursor needs.
fn seed_location(seed: &mut Seed<'_>, location: &'static str) {
    let users: Vec<String> = seed.ids(Kind::User, location);
    let timezone = seed
        .store
        .get(Kind::Location, location)
        .and_then(|l| l["timezone"].as_str())
        .unwrap_or("America/Chicago")
        .to_owned();
    let count = seed.contacts_per_location;
    let start = seed.base - 365 * DAY;
    let step = (365 * DAY / count.max(1) as i64).max(1);

    for i in 0..count {
        let id = seed.id();
        let added = start + i as i64 * step + seed.below(step as u64) as i64;
        let updated = added + seed.below((seed.base - added).max(1) as u64) as i64;
        let (first, last) = seed.person();
        let domain = seed.pick(EMAIL_DOMAINS);
        let email = format!("{}.{}{}@{domain}", slug(first), slug(last), i + 1);
        let phone = seed.phone();
        let company = seed.pick(COMPANIES);
        let (city, state, postal) = seed.place();
        let street = seed.pick(STREETS);
        let number = 10 + seed.below(9990);
        let mut tags: Vec<&str> = Vec::new();
        for _ in 0..seed.below(3) {
            let tag = seed.pick(TAGS);
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        let kind = if tags.contains(&"customer") || seed.below(3) == 0 {
            "customer"
        } else {
            "lead"
        };
        let source = seed.pick(SOURCES);
        let assigned =
            (!users.is_empty()).then(|| users[seed.below(users.len() as u64) as usize].clone());

        let contact = json!({
            "id": id,
            "locationId": location,
            "firstName": first,
            "lastName": last,
            "name": format!("{first} {last}"),
            "contactName": format!("{first} {last}").to_lowercase(),
            "email": email,
            "phone": phone,
            "companyName": company,
            "tags": tags,
            "type": kind,
            "dnd": false,
            "source": source,
            "assignedTo": assigned,
            "address1": format!("{number} {street}"),
            "city": city,
            "state": state,
            "postalCode": postal,
            "country": "US",
            "timezone": timezone,
            "dateAdded": iso(added),
            "dateUpdated": iso(updated),
            "customFields": [],
            "additionalEmails": [],
            "additionalPhones": [],
            "followers": [],
        });
        seed.store.insert(Kind::Contact, location, contact);

        if i < WITH_ACTIVITY {
            seed_activity(seed, &id, added, &users, i);
        }
    }
}

/// A few notes and tasks of one contact: the first contacts of a location have two of
/// each, the next ones one or two.
fn seed_activity(seed: &mut Seed<'_>, contact: &str, added: i64, users: &[String], i: usize) {
    let user = |seed: &mut Seed<'_>| {
        (!users.is_empty()).then(|| users[seed.below(users.len() as u64) as usize].clone())
    };
    let how_many = |seed: &mut Seed<'_>| if i < 5 { 2 } else { 1 + seed.below(2) };

    for _ in 0..how_many(seed) {
        let id = seed.id();
        let written = added + seed.below((seed.base - added).max(1) as u64) as i64;
        let note = json!({
            "id": id,
            "body": seed.pick(NOTES),
            "userId": user(seed),
            "dateAdded": iso(written),
            "contactId": contact,
        });
        seed.store.insert(Kind::Note, contact, note);
    }

    for _ in 0..how_many(seed) {
        let id = seed.id();
        // Due dates lie within a month either side of the demo's "now"; past ones are
        // mostly done.
        let due = seed.base - 30 * DAY + seed.below((60 * DAY) as u64) as i64;
        let completed = due < seed.base && seed.below(4) != 0;
        let title = seed.pick(TASKS);
        let task = json!({
            "id": id,
            "title": title,
            "body": format!("{title} with the contact."),
            "dueDate": iso(due),
            "completed": completed,
            "assignedTo": user(seed),
            "contactId": contact,
        });
        seed.store.insert(Kind::Task, contact, task);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_read_back_as_written() {
        for ms in [0, 951_782_400_000, 1_767_603_600_123, 1_777_361_673_411] {
            assert_eq!(parse_iso(&iso(ms)), Some(ms));
        }
        assert_eq!(
            parse_iso("2026-06-01T10:00:00Z"),
            parse_iso("2026-06-01T12:00:00+02:00")
        );
        assert_eq!(
            parse_iso("2026-06-01T10:00Z"),
            parse_iso("2026-06-01T10:00:00.000Z")
        );
        assert_eq!(parse_iso("1970-01-02"), Some(86_400_000));
        for bad in [
            "",
            "tomorrow",
            "2026-13-01",
            "2026-06-01T25:00:00Z",
            "2026-06-01T10",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn names_fill_each_other() {
        let mut contact = json!({"name": "Ava Maria Smith"})
            .as_object()
            .cloned()
            .unwrap();
        split_name(&mut contact);
        name_contact(&mut contact);
        assert_eq!(contact["firstName"], "Ava");
        assert_eq!(contact["lastName"], "Maria Smith");
        assert_eq!(contact["contactName"], "ava maria smith");

        let mut contact = json!({"firstName": "Wei"}).as_object().cloned().unwrap();
        name_contact(&mut contact);
        assert_eq!(contact["name"], "Wei");
    }

    #[test]
    fn custom_fields_are_stored_as_id_and_value() {
        let have = vec![json!({"id": "a", "value": "1"})];
        let input = json!([{"id": "a", "field_value": "2"}, {"id": "b", "field_value": 3}]);
        let merged = merge_custom_fields(&have, &input);
        assert_eq!(
            merged,
            vec![
                json!({"id": "a", "value": "2"}),
                json!({"id": "b", "value": 3})
            ]
        );
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(slug("O'Brien"), "obrien");
        assert_eq!(slug("Müller"), "mueller");
    }
}
