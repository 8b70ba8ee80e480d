//! Conversations of a location with its contacts, one per contact, and their messages.
//! Conversations are stored as the search lists them (dates in epoch milliseconds, the
//! channel as a `TYPE_*` name); the fetch by id and the create answer reshape them as the
//! service does. Messages are stored under their conversation, oldest first.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use super::opportunities::contact_name;
use crate::ctx::{Ctx, Handler, Reply};
use crate::error::ApiError;
use crate::paging;
use crate::seed::Seed;
use crate::store::{Kind, Store, iso};

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;

/// Conversation channels: the name the search uses and the code the fetch by id uses.
const CHANNELS: &[(&str, i64)] = &[
    ("TYPE_PHONE", 1),
    ("TYPE_EMAIL", 2),
    ("TYPE_FB_MESSENGER", 3),
    ("TYPE_REVIEW", 4),
    ("TYPE_GROUP_SMS", 5),
];

/// Whether a value has the type a field wants.
type Fits = fn(&Value) -> bool;

/// Fields of a listed conversation that a client may set on create, with the type each
/// must have to keep the answers in shape; the other described fields are the service's.
const CLIENT_FIELDS: &[(&str, Fits)] = &[
    ("assignedTo", Value::is_string),
    ("starred", Value::is_boolean),
    ("followers", is_text_list),
    ("tags", is_text_list),
];

/// Fields of a listed conversation that the service sets.
const SERVER_FIELDS: &[&str] = &[
    "id",
    "locationId",
    "contactId",
    "fullName",
    "contactName",
    "companyName",
    "email",
    "phone",
    "type",
    "lastMessageBody",
    "lastMessageDate",
    "lastMessageType",
    "lastMessageDirection",
    "lastOutboundMessageAction",
    "unreadCount",
    "deleted",
    "inbox",
    "dateAdded",
    "dateUpdated",
];

pub(crate) fn handler(name: &str) -> Option<Handler> {
    Some(match name {
        "search_conversations" => search,
        "get_conversation" => get,
        "list_conversation_messages" => messages,
        "create_conversation" => create,
        _ => return None,
    })
}

fn search(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = ctx.query_location("locationId")?;
    let limit = paging::limit(ctx, 20)?;
    let after = ctx.query_number("startAfterDate")?;
    let added_from = ctx.query_number("startDate")?;
    let added_to = ctx.query_number("endDate")?;
    let ascending = ctx.query("sort") == Some("asc");
    // Scores and due dates are not emulated, so those sorts fall back to the last message.
    let sort_field = match ctx.query("sortBy") {
        Some("last_manual_message_date") => "lastManualMessageDate",
        _ => "lastMessageDate",
    };
    let key = |c: &Value| {
        c[sort_field]
            .as_i64()
            .or(c["lastMessageDate"].as_i64())
            .unwrap_or(0)
    };

    let list = |name: &str| -> Option<Vec<String>> {
        let text = ctx.query(name)?;
        Some(
            text.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        )
    };
    let assigned = list("assignedTo");
    let followers = list("followers");
    let mentions = list("mentions");
    let query = ctx.query("query").map(str::to_lowercase);
    let status = ctx.query("status");
    let equal = [
        ("contactId", "contactId"),
        ("id", "id"),
        ("lastMessageType", "lastMessageType"),
        ("lastMessageAction", "lastOutboundMessageAction"),
        ("lastMessageDirection", "lastMessageDirection"),
    ];
    let wanted: Vec<(&str, &str)> = equal
        .iter()
        .filter_map(|(param, field)| Some((*field, ctx.query(param)?)))
        .collect();

    let keep = |c: &&Value| {
        let added = c["dateAdded"].as_i64().unwrap_or(0);
        c["deleted"] != true
            && wanted.iter().all(|(field, value)| c[*field] == *value)
            && assigned.as_ref().is_none_or(|users| {
                users.iter().any(|u| match c["assignedTo"].as_str() {
                    Some(assignee) => assignee == u,
                    None => u == "unassigned",
                })
            })
            && followers
                .as_ref()
                .is_none_or(|users| shares(&c["followers"], users))
            && mentions
                .as_ref()
                .is_none_or(|users| shares(&c["mentions"], users))
            && query.as_deref().is_none_or(|q| matches_text(c, q))
            && match status {
                Some("read") => c["unreadCount"].as_f64().unwrap_or(0.0) == 0.0,
                Some("unread") => c["unreadCount"].as_f64().unwrap_or(0.0) > 0.0,
                Some("starred") => c["starred"] == true,
                _ => true,
            }
            && added_from.is_none_or(|from| added >= from)
            && added_to.is_none_or(|to| added <= to)
    };
    let mut found: Vec<&Value> = ctx
        .store
        .list(Kind::Conversation, &location)
        .values()
        .filter(keep)
        .collect();
    found.sort_by_key(|c| key(c));
    if !ascending {
        found.reverse();
    }

    // The cursor is the sort value of the last conversation received: the next page holds
    // the conversations strictly beyond it.
    let total = found.len();
    let page: Vec<&Value> = found
        .into_iter()
        .filter(|c| {
            after.is_none_or(|after| {
                if ascending {
                    key(c) > after
                } else {
                    key(c) < after
                }
            })
        })
        .take(limit)
        .collect();
    Reply::ok(json!({ "conversations": page, "total": total }))
}

fn get(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let id = ctx.path("conversationId").to_owned();
    let mut conversation = ctx.find(Kind::Conversation, &id, "Conversation")?;

    // Fetched by id, the channel is a numeric code rather than the search's `TYPE_*` name.
    let code = CHANNELS
        .iter()
        .find(|(name, _)| conversation["type"] == *name)
        .map_or(1, |c| c.1);
    conversation["type"] = code.into();
    Reply::ok(conversation)
}

fn messages(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let id = ctx.path("conversationId").to_owned();
    ctx.find(Kind::Conversation, &id, "Conversation")?;
    let limit = paging::limit(ctx, 20)?;
    let types: Option<Vec<&str>> = ctx.query("type").map(|t| {
        t.split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect()
    });

    // Newest first. Messages are stored oldest first, so reversing before the stable sort
    // puts the later of two messages sent in the same millisecond first.
    let mut all: Vec<&Value> = ctx.store.list(Kind::Message, &id).values().rev().collect();
    all.sort_by(|a, b| b["dateAdded"].as_str().cmp(&a["dateAdded"].as_str()));
    let start = match ctx.query("lastMessageId") {
        None => 0,
        Some(last) => {
            let index = all.iter().position(|m| m["id"] == last).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "lastMessageId {last} is not a message of this conversation"
                ))
            })?;
            index + 1
        }
    };
    let rest: Vec<&Value> = all[start..]
        .iter()
        .copied()
        .filter(|m| {
            types
                .as_ref()
                .is_none_or(|t| t.iter().any(|t| m["messageType"] == *t))
        })
        .collect();

    let page: Vec<&Value> = rest.iter().copied().take(limit).collect();
    let mut body = json!({ "nextPage": rest.len() > page.len(), "messages": page });
    if let Some(last) = page.last() {
        body["lastMessageId"] = last["id"].clone();
    }
    Reply::ok(json!({ "messages": body }))
}

fn create(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = ctx.body_str("locationId").unwrap_or_default().to_owned();
    ctx.location(&location)?;
    let contact_id = ctx.body_str("contactId").unwrap_or_default().to_owned();
    let contact = ctx
        .store
        .get(Kind::Contact, &contact_id)
        .filter(|c| {
            c["locationId"] == location.as_str()
                || ctx.store.scope_of(Kind::Contact, &contact_id) == Some(location.as_str())
        })
        .cloned()
        .ok_or_else(|| {
            let message = format!("contactId {contact_id} is not a contact of this location");
            ApiError::unprocessable(vec![message])
        })?;

    // One conversation per contact: HighLevel refuses a second one, and its message names
    // the contact; the existing conversation's id is added so a client can use it.
    let existing = ctx
        .store
        .list(Kind::Conversation, &location)
        .values()
        .find(|c| c["contactId"] == contact_id.as_str() && c["deleted"] != true);
    if let Some(existing) = existing {
        let id = existing["id"].as_str().unwrap_or_default().to_owned();
        let mut error = ApiError::http_exception(format!(
            "Conversation already exists: the contact id:{contact_id} has conversation {id}"
        ));
        error.body["conversationId"] = id.into();
        return Err(error);
    }

    let now = unique_date(ctx.store, &location, ctx.now);
    let mut conversation = ctx.new_object(Some(&location));
    let id = conversation.get("id").cloned().unwrap_or_default();
    for field in SERVER_FIELDS {
        conversation.remove(*field);
    }
    for (field, fits) in CLIENT_FIELDS {
        if conversation.get(*field).is_some_and(|v| !fits(v)) {
            conversation.remove(*field);
        }
    }
    let channel = if contact["phone"].is_string() {
        "TYPE_PHONE"
    } else {
        "TYPE_EMAIL"
    };
    let server = json!({
        "id": id,
        "locationId": location,
        "contactId": contact_id,
        "type": channel,
        "lastMessageDate": now,
        "unreadCount": 0,
        "deleted": false,
        "inbox": true,
        "dateAdded": now,
        "dateUpdated": now,
    });
    conversation.extend(server.as_object().cloned().unwrap_or_default());
    conversation.extend(contact_fields(&contact));
    for (field, value) in [
        ("starred", json!(false)),
        ("followers", json!([])),
        ("tags", json!([])),
    ] {
        conversation.entry(field).or_insert(value);
    }
    let conversation = Value::Object(conversation);
    ctx.store
        .insert(Kind::Conversation, &location, conversation.clone());

    // The create answer writes its dates as ISO-8601 strings.
    let mut answer = json!({
        "id": conversation["id"],
        "locationId": location,
        "contactId": contact_id,
        "deleted": false,
        "dateAdded": iso(now),
        "dateUpdated": iso(now),
        "lastMessageDate": iso(now),
    });
    if let Some(assignee) = conversation["assignedTo"].as_str() {
        answer["assignedTo"] = assignee.into();
    }
    Reply::created(json!({ "success": true, "conversation": answer }))
}

/// `at`, moved on by a millisecond at a time until no conversation of `location` has that
/// last-message date: the search's cursor is that date, and two conversations sharing one
/// would make a page boundary skip one of them.
fn unique_date(store: &Store, location: &str, at: i64) -> i64 {
    let taken: HashSet<i64> = store
        .list(Kind::Conversation, location)
        .values()
        .filter_map(|c| c["lastMessageDate"].as_i64())
        .collect();
    let mut at = at;
    while taken.contains(&at) {
        at += 1;
    }
    at
}

/// The contact details a conversation shows, leaving out those the contact lacks.
fn contact_fields(contact: &Value) -> Map<String, Value> {
    let mut fields = Map::new();
    if let Some(name) = contact_name(contact) {
        fields.insert("fullName".into(), name.as_str().into());
        fields.insert("contactName".into(), name.to_lowercase().into());
    }
    for field in ["companyName", "email", "phone"] {
        if let Some(value) = contact[field].as_str() {
            fields.insert(field.into(), value.into());
        }
    }
    let tags: Vec<&str> = contact["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    fields.insert("tags".into(), json!(tags));
    fields
}

fn is_text_list(value: &Value) -> bool {
    value
        .as_array()
        .is_some_and(|items| items.iter().all(Value::is_string))
}

/// Whether the list `field` holds any of `users`.
fn shares(field: &Value, users: &[String]) -> bool {
    field
        .as_array()
        .is_some_and(|items| items.iter().any(|i| users.iter().any(|u| i == u.as_str())))
}

/// Whether the free text `q` (lower case) appears in the conversation's contact details or
/// its last message.
fn matches_text(conversation: &Value, q: &str) -> bool {
    [
        "fullName",
        "contactName",
        "companyName",
        "email",
        "phone",
        "lastMessageBody",
    ]
    .iter()
    .filter_map(|f| conversation[*f].as_str())
    .any(|v| v.to_lowercase().contains(q))
}

/// A message type's name and the numeric code HighLevel gives it (1 is a call; the
/// official description notes calls and voicemails are types 1 and 10).
const SMS: (&str, i64) = ("TYPE_SMS", 2);
const CALL: (&str, i64) = ("TYPE_CALL", 1);
const EMAIL: (&str, i64) = ("TYPE_EMAIL", 3);

const INBOUND: &[&str] = &[
    "Hi, do you have any openings this week?",
    "Thanks! See you then.",
    "Can I move my appointment to Thursday?",
    "What would the total cost be?",
    "Got it, thank you.",
    "Is there parking near your office?",
    "Could you send me the estimate by email?",
];

const OUTBOUND: &[&str] = &[
    "Hi! Yes, we have a few slots on Wednesday and Friday.",
    "You're all set. We'll send a reminder the day before.",
    "Sure, Thursday at 10:00 works. I've moved it for you.",
    "I've attached the quote; let us know if you have questions.",
    "Thanks for reaching out! How can we help?",
    "Just checking in to see if you had any questions.",
];

pub(crate) fn seed(seed: &mut Seed<'_>) {
    for location in seed.locations {
        let users: Vec<String> = seed.ids(Kind::User, location);
        let contacts: Vec<Value> = seed
            .store
            .list(Kind::Contact, location)
            .values()
            .take(25)
            .cloned()
            .collect();
        let mut taken = HashSet::new();
        for contact in &contacts {
            seed_conversation(seed, location, contact, &users, &mut taken);
        }
    }
}

/// One conversation of 3 to 12 messages with `contact`, alternating between the contact
/// and the business, ending within the 30 days before the demo "now". `taken` holds the
/// last-message dates used so far, which must differ (see [`unique_date`]).
fn seed_conversation(
    seed: &mut Seed<'_>,
    location: &str,
    contact: &Value,
    users: &[String],
    taken: &mut HashSet<i64>,
) {
    let Some(contact_id) = contact["id"].as_str() else {
        return;
    };
    let id = seed.id();
    let by_email = contact["phone"].as_str().is_none() || seed.below(5) == 0;
    let count = 3 + seed.below(10) as usize;
    let assignee = match users {
        [] => None,
        all if seed.below(4) > 0 => Some(all[seed.below(all.len() as u64) as usize].clone()),
        _ => None,
    };

    let mut last = seed.past(30);
    while !taken.insert(last) {
        last += 1;
    }
    let mut times = vec![last];
    for _ in 1..count {
        let previous = times[times.len() - 1];
        times.push(previous - 5 * MINUTE - seed.below(48 * HOUR as u64) as i64);
    }
    times.reverse();

    let mut messages = Vec::new();
    for (n, at) in times.iter().enumerate() {
        let inbound = n % 2 == 0;
        let (name, code) = match (by_email, seed.below(6)) {
            (true, _) => EMAIL,
            (false, 0) => CALL,
            _ => SMS,
        };
        let automated = !inbound && seed.below(4) == 0;
        let body = if name == "TYPE_CALL" {
            String::new()
        } else if inbound {
            seed.pick(INBOUND).to_owned()
        } else {
            seed.pick(OUTBOUND).to_owned()
        };
        let meta = match name {
            "TYPE_CALL" => {
                json!({ "callDuration": 30 + seed.below(600), "callStatus": "completed" })
            }
            "TYPE_EMAIL" => json!({ "email": { "messageIds": [] } }),
            _ => json!({}),
        };
        let mut message = json!({
            "id": seed.id(),
            "type": code,
            "messageType": name,
            "direction": if inbound { "inbound" } else { "outbound" },
            "status": if inbound { "read" } else { seed.pick(&["delivered", "read", "sent"]) },
            "body": body,
            "contentType": if name == "TYPE_EMAIL" { "text/html" } else { "text/plain" },
            "attachments": [],
            "meta": meta,
            "source": if automated { "workflow" } else { "app" },
            "conversationId": id,
            "contactId": contact_id,
            "locationId": location,
            "dateAdded": iso(*at),
        });
        if let (false, Some(user)) = (inbound, &assignee) {
            message["userId"] = user.as_str().into();
        }
        messages.push(message);
    }

    let newest = &messages[messages.len() - 1];
    let unread = if newest["direction"] == "inbound" && seed.below(2) == 0 {
        let trailing = messages
            .iter()
            .rev()
            .take_while(|m| m["direction"] == "inbound")
            .count();
        for message in messages.iter_mut().rev().take(trailing) {
            message["status"] = "delivered".into();
        }
        trailing
    } else {
        0
    };
    let newest = &messages[messages.len() - 1];
    let action = messages
        .iter()
        .rev()
        .find(|m| m["direction"] == "outbound")
        .map(|m| {
            if m["source"] == "workflow" {
                "automated"
            } else {
                "manual"
            }
        });

    let mut conversation = json!({
        "id": id,
        "locationId": location,
        "contactId": contact_id,
        "type": if by_email { "TYPE_EMAIL" } else { "TYPE_PHONE" },
        "lastMessageBody": newest["body"],
        "lastMessageDate": last,
        "lastMessageType": newest["messageType"],
        "lastMessageDirection": newest["direction"],
        "unreadCount": unread,
        "followers": assignee.iter().collect::<Vec<_>>(),
        "starred": seed.below(6) == 0,
        "deleted": false,
        "inbox": true,
        "dateAdded": times[0],
        "dateUpdated": last,
    });
    if let Some(action) = action {
        conversation["lastOutboundMessageAction"] = action.into();
    }
    if let Some(assignee) = &assignee {
        conversation["assignedTo"] = assignee.as_str().into();
    }
    if let Some(fields) = conversation.as_object_mut() {
        fields.extend(contact_fields(contact));
    }

    seed.store
        .insert(Kind::Conversation, location, conversation);
    for message in messages {
        seed.store.insert(Kind::Message, &id, message);
    }
}

#[cfg(test)]
mod tests {
    use super::super::opportunities::testing::{call, store};
    use super::*;
    use crate::LOCATION_IDS;

    const LOC: &str = LOCATION_IDS[0];

    #[test]
    fn search_pages_by_last_message_date() {
        let mut store = store(30);
        let (status, all) = call(
            &mut store,
            LOC,
            "search_conversations",
            &[],
            &[("locationId", LOC), ("limit", "100")],
            None,
        );
        assert_eq!(status, 200);
        assert_eq!(all["total"], 25);
        let dates: Vec<i64> = all["conversations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["lastMessageDate"].as_i64().unwrap())
            .collect();
        assert!(dates.windows(2).all(|w| w[0] > w[1]), "newest first");

        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut query = vec![("locationId", LOC), ("limit", "7")];
            if let Some(cursor) = &cursor {
                query.push(("startAfterDate", cursor));
            }
            let (_, page) = call(&mut store, LOC, "search_conversations", &[], &query, None);
            assert_eq!(page["total"], 25);
            let items = page["conversations"].as_array().unwrap();
            if items.is_empty() {
                break;
            }
            seen.extend(items.iter().map(|c| c["id"].clone()));
            cursor = Some(items[items.len() - 1]["lastMessageDate"].to_string());
        }
        assert_eq!(
            seen,
            all["conversations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].clone())
                .collect::<Vec<_>>()
        );

        let contact = "contact-demo-location-1-3";
        let (_, one) = call(
            &mut store,
            LOC,
            "search_conversations",
            &[],
            &[("locationId", LOC), ("contactId", contact)],
            None,
        );
        assert_eq!(one["total"], 1);
        let (_, unread) = call(
            &mut store,
            LOC,
            "search_conversations",
            &[],
            &[("locationId", LOC), ("status", "unread")],
            None,
        );
        assert!(
            unread["conversations"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["unreadCount"].as_u64() > Some(0))
        );
    }

    #[test]
    fn messages_page_newest_first_and_fetch_is_unwrapped() {
        let mut store = store(30);
        let (_, all) = call(
            &mut store,
            LOC,
            "search_conversations",
            &[],
            &[("locationId", LOC), ("limit", "100")],
            None,
        );
        for conversation in all["conversations"].as_array().unwrap() {
            let id = conversation["id"].as_str().unwrap();
            let (status, got) = call(
                &mut store,
                LOC,
                "get_conversation",
                &[("conversationId", id)],
                &[],
                None,
            );
            assert_eq!(status, 200);
            assert!(got["type"].is_i64());
            assert_eq!(got["id"], id);

            let mut seen: Vec<Value> = Vec::new();
            let mut last: Option<String> = None;
            loop {
                let mut query = vec![("limit", "4")];
                if let Some(last) = &last {
                    query.push(("lastMessageId", last));
                }
                let (status, page) = call(
                    &mut store,
                    LOC,
                    "list_conversation_messages",
                    &[("conversationId", id)],
                    &query,
                    None,
                );
                assert_eq!(status, 200, "{page}");
                let page = &page["messages"];
                seen.extend(page["messages"].as_array().unwrap().iter().cloned());
                if page["nextPage"] == false {
                    break;
                }
                last = Some(page["lastMessageId"].as_str().unwrap().to_owned());
            }
            assert!((3..=12).contains(&seen.len()));
            assert_eq!(seen[0]["body"], conversation["lastMessageBody"]);
            assert!(
                seen.windows(2)
                    .all(|w| w[0]["dateAdded"].as_str() > w[1]["dateAdded"].as_str())
            );
        }
        let (status, _) = call(
            &mut store,
            LOC,
            "list_conversation_messages",
            &[("conversationId", "nope")],
            &[],
            None,
        );
        assert_eq!(status, 404);
    }

    #[test]
    fn one_conversation_per_contact() {
        let mut store = store(30);
        let body = json!({"locationId": LOC, "contactId": "contact-demo-location-1-2"});
        let (status, error) = call(&mut store, LOC, "create_conversation", &[], &[], Some(body));
        assert_eq!(status, 400);
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .starts_with("Conversation already exists")
        );

        let body = json!({"locationId": LOC, "contactId": "contact-demo-location-1-29", "type": 9});
        let (status, created) = call(&mut store, LOC, "create_conversation", &[], &[], Some(body));
        assert_eq!(status, 201, "{created}");
        let id = created["conversation"]["id"].as_str().unwrap();
        let (_, found) = call(
            &mut store,
            LOC,
            "search_conversations",
            &[],
            &[("locationId", LOC), ("id", id)],
            None,
        );
        assert_eq!(found["conversations"][0]["type"], "TYPE_PHONE");

        let body = json!({"locationId": LOC, "contactId": "contact-demo-location-2-0"});
        let (status, _) = call(&mut store, LOC, "create_conversation", &[], &[], Some(body));
        assert_eq!(status, 422);
    }

    #[test]
    fn created_conversations_never_share_a_last_message_date() {
        let mut store = Store::new(1);
        store.insert(
            Kind::Conversation,
            "loc",
            json!({"id": "a", "lastMessageDate": 10}),
        );
        store.insert(
            Kind::Conversation,
            "loc",
            json!({"id": "b", "lastMessageDate": 11}),
        );
        assert_eq!(unique_date(&store, "loc", 10), 12);
        assert_eq!(unique_date(&store, "loc", 9), 9);
        assert_eq!(unique_date(&store, "other", 10), 10);
    }
}
