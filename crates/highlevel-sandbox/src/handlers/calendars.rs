//! Calendars of a location: the calendars themselves, the groups they are filed in, the
//! appointments (events) booked on them, and the free slots their opening hours leave.
//! Events are stored under their location with a `calendarId` field. Every time is kept and
//! computed in UTC.

use std::collections::{BTreeSet, HashSet};

use serde_json::{Map, Value, json};

use crate::ctx::{Ctx, Handler, Reply};
use crate::error::{ApiError, missing};
use crate::seed::Seed;
use crate::store::{Kind, date, iso};

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// The longest range free slots may be asked for, as HighLevel allows.
const MAX_SLOT_RANGE: i64 = 31 * DAY;

/// The last instant the free-slot search accepts (9999-12-31T23:59:59.999Z): later dates
/// are nonsense and would overflow the slot arithmetic.
const LAST_INSTANT: i64 = 253_402_300_799_999;

const CALENDAR_TYPES: &[&str] = &[
    "round_robin",
    "event",
    "class_booking",
    "collective",
    "service_booking",
    "personal",
];

/// The calendar types whose bookings need team members to take them.
const STAFFED_TYPES: &[&str] = &[
    "round_robin",
    "class_booking",
    "collective",
    "service_booking",
];

pub(crate) fn handler(name: &str) -> Option<Handler> {
    Some(match name {
        "list_calendars" => list,
        "get_calendar" => get,
        "create_calendar" => create,
        "update_calendar" => update,
        "delete_calendar" => delete,
        "list_calendar_events" => list_events,
        "get_free_slots" => free_slots,
        "list_calendar_groups" => list_groups,
        _ => return None,
    })
}

fn list(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = ctx.query_location("locationId")?;
    let group = ctx.query("groupId");
    let drafts = ctx.query("showDrafted") != Some("false");

    let calendars: Vec<&Value> = ctx
        .store
        .list(Kind::Calendar, &location)
        .values()
        .filter(|c| group.is_none_or(|g| c["groupId"] == g))
        .filter(|c| drafts || c["isActive"] != false)
        .collect();
    Reply::ok(json!({ "calendars": calendars }))
}

fn get(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let id = ctx.path("calendarId").to_owned();
    Reply::ok(json!({ "calendar": ctx.find(Kind::Calendar, &id, "Calendar")? }))
}

fn create(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = ctx.body_str("locationId").unwrap_or_default().to_owned();
    ctx.location(&location)?;

    let mut calendar = ctx.body().clone();
    let name = ctx.body_str("name").unwrap_or_default().to_owned();
    for (key, value) in defaults(&name) {
        calendar.entry(key).or_insert(value);
    }
    check(ctx, &location, &calendar)?;

    let id = ctx.new_id();
    calendar.insert("id".into(), id.into());
    calendar.insert("locationId".into(), location.as_str().into());
    let calendar = ctx
        .store
        .insert(Kind::Calendar, &location, Value::Object(calendar));
    // HighLevel answers this create with 200, not 201.
    Reply::ok(json!({ "calendar": calendar }))
}

fn update(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    // The service validates the body before it looks the calendar up, so this comes first.
    if ctx.body().contains_key("locationId") {
        return Err(ApiError::unprocessable(vec![
            "locationId should not exist".into(),
        ]));
    }
    let id = ctx.path("calendarId").to_owned();
    let current = ctx.find(Kind::Calendar, &id, "Calendar")?;
    let location = current["locationId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let mut patch = ctx.body().clone();
    patch.remove("id");
    let mut merged = current.as_object().cloned().unwrap_or_default();
    merged.extend(patch.clone());
    check(ctx, &location, &merged)?;

    let calendar = ctx
        .store
        .get_mut(Kind::Calendar, &id)
        .ok_or_else(|| missing("Calendar", &id))?;
    crate::store::merge(calendar, &patch);
    Reply::ok(json!({ "calendar": calendar.clone() }))
}

fn delete(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let id = ctx.path("calendarId").to_owned();
    let calendar = ctx.delete(Kind::Calendar, &id, "Calendar")?;

    // Its appointments go with it, as they do in HighLevel.
    let location = calendar["locationId"].as_str().unwrap_or_default();
    let events: Vec<String> = ctx
        .store
        .list(Kind::CalendarEvent, location)
        .iter()
        .filter(|(_, e)| e["calendarId"] == id.as_str())
        .map(|(key, _)| key.clone())
        .collect();
    for event in events {
        ctx.store.remove(Kind::CalendarEvent, &event);
    }
    Reply::ok(json!({ "success": true }))
}

fn list_events(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = ctx.query_location("locationId")?;
    let calendar = ctx.query("calendarId").map(str::to_owned);
    let user = ctx.query("userId").map(str::to_owned);
    let group = ctx.query("groupId").map(str::to_owned);
    if calendar.is_none() && user.is_none() && group.is_none() {
        let message = "Either calendarId, userId or groupId is required";
        return Err(ApiError::unprocessable(vec![message.into()]));
    }

    let start = millis(ctx, "startTime")?;
    let end = millis(ctx, "endTime")?;
    if end < start {
        return Err(ApiError::unprocessable(vec![
            "endTime must not be before startTime".into(),
        ]));
    }
    if let Some(id) = &calendar {
        let found = ctx.find(Kind::Calendar, id, "Calendar")?;
        if found["locationId"] != location.as_str() {
            return Err(missing("Calendar", id));
        }
    }

    let store = &*ctx.store;
    let in_group = |event: &Value| {
        let Some(group) = &group else {
            return true;
        };
        let calendar = event["calendarId"]
            .as_str()
            .and_then(|c| store.get(Kind::Calendar, c));
        event["groupId"] == group.as_str()
            || calendar.is_some_and(|c| c["groupId"] == group.as_str())
    };
    let by_user = |event: &Value| {
        user.as_deref().is_none_or(|u| {
            event["assignedUserId"] == u
                || event["users"]
                    .as_array()
                    .is_some_and(|all| all.iter().any(|x| x == u))
        })
    };
    let mut events: Vec<(i64, &Value)> = store
        .list(Kind::CalendarEvent, &location)
        .values()
        .filter(|e| calendar.as_deref().is_none_or(|c| e["calendarId"] == c))
        .filter(|e| by_user(e) && in_group(e))
        .filter_map(|e| Some((span(e)?, e)))
        .filter(|((from, to), _)| *from < end && *to > start)
        .map(|((from, _), e)| (from, e))
        .collect();
    events.sort_by_key(|(from, _)| *from);
    let events: Vec<&Value> = events.into_iter().map(|(_, e)| e).collect();
    Reply::ok(json!({ "events": events }))
}

/// The slots are computed in UTC whatever `timezone` asks for: the sandbox keeps no time
/// zone database, and the seeded calendars open in UTC hours. Slots in the past are offered
/// too, because the demo data lives around a fixed date that tests ask about whatever the
/// clock says.
fn free_slots(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let id = ctx.path("calendarId").to_owned();
    let calendar = ctx.find(Kind::Calendar, &id, "Calendar")?;
    let start = ctx.query_number("startDate")?.unwrap_or_default();
    let end = ctx.query_number("endDate")?.unwrap_or_default();
    for (name, value) in [("startDate", start), ("endDate", end)] {
        if value > LAST_INSTANT {
            let message = format!("{name} must be a date in epoch milliseconds");
            return Err(ApiError::unprocessable(vec![message]));
        }
    }
    if end < start {
        return Err(ApiError::unprocessable(vec![
            "endDate must not be before startDate".into(),
        ]));
    }
    if end - start > MAX_SLOT_RANGE {
        let message = "The range between startDate and endDate must not exceed 31 days";
        return Err(ApiError::unprocessable(vec![message.into()]));
    }

    let mut users: Vec<&str> = ctx.query_all("userIds");
    users.extend(ctx.query("userId"));
    let users: Vec<&str> = users
        .iter()
        .flat_map(|u| u.split(','))
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .collect();
    let location = calendar["locationId"].as_str().unwrap_or_default();
    let busy = booked(ctx, location, &calendar, &users);
    let seats = calendar["appoinmentPerSlot"]
        .as_f64()
        .filter(|n| *n >= 1.0)
        .unwrap_or(1.0) as usize;
    let duration = minutes(&calendar, "slotDuration", "slotDurationUnit").unwrap_or(30);
    let interval = minutes(&calendar, "slotInterval", "slotIntervalUnit").unwrap_or(duration);

    let mut answer = Map::new();
    let mut day = start.div_euclid(DAY) * DAY;
    while day <= end {
        let mut slots: Vec<i64> = Vec::new();
        for (open, close) in open_hours(&calendar, day) {
            let mut at = open;
            while at + duration <= close {
                let from = day + at * MINUTE;
                let to = from + duration * MINUTE;
                let taken = busy.iter().filter(|(s, e)| *s < to && *e > from).count();
                if from >= start && from <= end && taken < seats {
                    slots.push(from);
                }
                at += interval;
            }
        }
        slots.sort_unstable();
        slots.dedup();
        if !slots.is_empty() {
            let slots: Vec<String> = slots.into_iter().map(offset_iso).collect();
            answer.insert(date(day), json!({ "slots": slots }));
        }
        day += DAY;
    }
    answer.insert(
        "traceId".into(),
        format!("sandbox-slots-{:x}", ctx.now).into(),
    );
    Reply::ok(Value::Object(answer))
}

fn list_groups(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = ctx.query_location("locationId")?;
    let groups: Vec<&Value> = ctx
        .store
        .list(Kind::CalendarGroup, &location)
        .values()
        .collect();
    Reply::ok(json!({ "groups": groups }))
}

/// What a new calendar gets for the settings the client leaves out: HighLevel's documented
/// defaults, a slug from the name, and weekday office hours so that it offers slots.
fn defaults(name: &str) -> Vec<(String, Value)> {
    let slug = slugify(name);
    let fields = json!({
        "calendarType": "event",
        "eventType": "RoundRobin_OptimizeForAvailability",
        "widgetType": "classic",
        "eventTitle": "{{contact.name}}",
        "eventColor": "#039be5",
        "slug": slug,
        "widgetSlug": slug,
        "teamMembers": [],
        "locationConfigurations": [],
        "slotDuration": 30,
        "slotDurationUnit": "mins",
        "slotInterval": 30,
        "slotIntervalUnit": "mins",
        "appoinmentPerSlot": 1,
        "openHours": office_hours(),
        "availabilities": [],
        "enableRecurring": false,
        "autoConfirm": true,
        "googleInvitationEmails": false,
        "allowReschedule": true,
        "allowCancellation": true,
        "formSubmitType": "ThankYouMessage",
        "isActive": true,
    });
    match fields {
        Value::Object(fields) => fields.into_iter().collect(),
        _ => Vec::new(),
    }
}

/// Monday to Friday, 09:00 to 17:00.
fn office_hours() -> Value {
    json!([{
        "daysOfTheWeek": [1, 2, 3, 4, 5],
        "hours": [{ "openHour": 9, "openMinute": 0, "closeHour": 17, "closeMinute": 0 }],
    }])
}

/// The service's rules for a calendar as it would be stored: a known type, a group of its
/// location, team members who are users, exactly one of them on a personal calendar, and
/// usable slot lengths.
fn check(ctx: &Ctx<'_>, location: &str, calendar: &Map<String, Value>) -> Result<(), ApiError> {
    let mut problems = Vec::new();
    if calendar
        .get("name")
        .and_then(Value::as_str)
        .is_some_and(|n| n.trim().is_empty())
    {
        problems.push("name should not be empty".to_owned());
    }

    let kind = calendar
        .get("calendarType")
        .and_then(Value::as_str)
        .unwrap_or("event");
    if !CALENDAR_TYPES.contains(&kind) {
        problems.push(format!(
            "calendarType must be one of the following values: {}",
            CALENDAR_TYPES.join(", ")
        ));
    }

    if let Some(group) = calendar.get("groupId").and_then(Value::as_str) {
        let known = ctx
            .store
            .get(Kind::CalendarGroup, group)
            .is_some_and(|g| g["locationId"] == location);
        if !known {
            problems.push(format!(
                "groupId {group} is not a calendar group of this location"
            ));
        }
    }

    let members = calendar
        .get("teamMembers")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    for (i, member) in members.iter().enumerate() {
        match member["userId"].as_str() {
            None | Some("") => problems.push(format!("teamMembers.{i}.userId should not be empty")),
            Some(user) if ctx.store.get(Kind::User, user).is_none() => {
                problems.push(format!("teamMembers.{i}.userId {user} is not a user"));
            }
            Some(_) => {}
        }
    }
    if kind == "personal" && members.len() != 1 {
        problems.push("a personal calendar must have exactly one team member".into());
    }
    if STAFFED_TYPES.contains(&kind) && members.is_empty() {
        problems.push(format!("teamMembers are required for a {kind} calendar"));
    }

    for (field, unit) in [
        ("slotDuration", "slotDurationUnit"),
        ("slotInterval", "slotIntervalUnit"),
    ] {
        if calendar
            .get(field)
            .and_then(Value::as_f64)
            .is_some_and(|n| n < 1.0)
        {
            problems.push(format!("{field} must not be less than 1"));
        }
        if calendar
            .get(unit)
            .is_some_and(|u| u != "mins" && u != "hours")
        {
            problems.push(format!(
                "{unit} must be one of the following values: mins, hours"
            ));
        }
    }

    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::unprocessable(problems))
    }
}

/// A query parameter that must hold epoch milliseconds, as digits.
fn millis(ctx: &Ctx<'_>, name: &str) -> Result<i64, ApiError> {
    let text = ctx.query(name).unwrap_or_default();
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    digits
        .then(|| text.parse::<i64>().ok())
        .flatten()
        .ok_or_else(|| {
            ApiError::unprocessable(vec![format!("{name} must be a number in milliseconds")])
        })
}

/// A slot length of `calendar` in minutes, from a number field and its unit field.
fn minutes(calendar: &Value, field: &str, unit: &str) -> Option<i64> {
    let amount = calendar[field]
        .as_f64()
        .filter(|n| n.is_finite() && *n >= 1.0)?;
    let factor = if calendar[unit] == "hours" { 60.0 } else { 1.0 };
    Some((amount * factor).min(1440.0) as i64)
}

/// The open intervals of `calendar` on the UTC day starting at `day`, in minutes from
/// midnight. A date with custom availabilities uses those instead of the weekly hours;
/// `availabilityType` 0 or 1 keeps only the weekly hours or only the custom ones. Repeated
/// intervals count once, so a calendar listing the same hours many times stays cheap.
fn open_hours(calendar: &Value, day: i64) -> Vec<(i64, i64)> {
    let today = date(day);
    let custom: Vec<&Value> = calendar["availabilities"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|a| a["deleted"] != true)
        .filter(|a| a["date"].as_str().is_some_and(|d| d.starts_with(&today)))
        .collect();
    let kind = calendar["availabilityType"].as_i64();

    let hours: Vec<&Value> = if kind != Some(0) && !custom.is_empty() {
        custom
            .iter()
            .flat_map(|a| a["hours"].as_array().into_iter().flatten())
            .collect()
    } else if kind == Some(1) {
        Vec::new()
    } else {
        let weekday = (day.div_euclid(DAY) + 4).rem_euclid(7);
        calendar["openHours"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|o| {
                o["daysOfTheWeek"]
                    .as_array()
                    .is_some_and(|d| d.iter().any(|d| *d == weekday))
            })
            .flat_map(|o| o["hours"].as_array().into_iter().flatten())
            .collect()
    };

    let at = |hour: &Value, minute: &Value| {
        let total = hour.as_i64().unwrap_or(0).clamp(0, 24) * 60
            + minute.as_i64().unwrap_or(0).clamp(0, 59);
        total.min(1440)
    };
    hours
        .into_iter()
        .map(|h| {
            (
                at(&h["openHour"], &h["openMinute"]),
                at(&h["closeHour"], &h["closeMinute"]),
            )
        })
        .filter(|(open, close)| open < close)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// The times taken on `calendar`, with its buffers around each appointment: every event
/// that is not cancelled, or only those of `users` when the caller names some.
fn booked(ctx: &Ctx<'_>, location: &str, calendar: &Value, users: &[&str]) -> Vec<(i64, i64)> {
    let before = minutes(calendar, "preBuffer", "preBufferUnit").unwrap_or(0) * MINUTE;
    let after = minutes(calendar, "slotBuffer", "slotBufferUnit").unwrap_or(0) * MINUTE;
    ctx.store
        .list(Kind::CalendarEvent, location)
        .values()
        .filter(|e| e["calendarId"] == calendar["id"] && e["appointmentStatus"] != "cancelled")
        .filter(|e| users.is_empty() || users.iter().any(|u| e["assignedUserId"] == *u))
        .filter_map(span)
        .map(|(from, to)| (from - before, to + after))
        .collect()
}

/// An event's start and end in epoch milliseconds.
fn span(event: &Value) -> Option<(i64, i64)> {
    let from = epoch_ms(event["startTime"].as_str()?)?;
    let to = epoch_ms(event["endTime"].as_str()?)?;
    Some((from, to))
}

/// A UTC instant written the way HighLevel writes appointment times, with an offset:
/// `2026-01-05T09:00:00+00:00`.
pub(super) fn offset_iso(ms: i64) -> String {
    let text = iso(ms);
    format!("{}+00:00", text.get(..19).unwrap_or(&text))
}

/// Epoch milliseconds of an ISO-8601 time such as `2026-01-05T09:00:00.000Z` or
/// `2026-01-05T10:00:00+01:00` (no offset reads as UTC); `None` when it is not one.
pub(super) fn epoch_ms(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let number = |from: usize, to: usize| -> Option<i64> {
        let part = text.get(from..to)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    if bytes.len() < 19 || bytes[4] != b'-' || bytes[7] != b'-' || bytes[13] != b':' {
        return None;
    }
    let (year, month, day) = (number(0, 4)?, number(5, 7)?, number(8, 10)?);
    let (hour, minute, second) = (number(11, 13)?, number(14, 16)?, number(17, 19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }

    let mut rest = &text[19..];
    let mut millis = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        let padded = format!("{:0<3}", &fraction[..digits.min(3)]);
        millis = padded.parse().ok()?;
        rest = &fraction[digits..];
    }
    let offset = match rest {
        "" | "Z" => 0,
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let hours: i64 = rest.get(1..3)?.parse().ok()?;
            let minutes: i64 = rest.get(rest.len().checked_sub(2)?..)?.parse().ok()?;
            sign * (hours * 60 + minutes) * MINUTE
        }
    };

    let days = days_from_civil(year, month, day);
    Some(days * DAY + hour * HOUR + minute * MINUTE + second * 1000 + millis - offset)
}

/// Days since 1970-01-01 of a calendar date, after Howard Hinnant's algorithm (the inverse
/// of the one `store::iso` uses).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `New Patient Consult` -> `new-patient-consult`.
fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

/// The demo calendars of each kind of business: group names, and per calendar its name,
/// type, group (index) and how many team members it takes.
struct Demo {
    groups: [(&'static str, &'static str); 2],
    calendars: [(&'static str, &'static str, usize, usize); 3],
    meeting: &'static str,
}

const DEMOS: [Demo; 2] = [
    Demo {
        groups: [
            ("Consultations", "First visits and treatment planning"),
            ("Hygiene", "Cleanings and check-ups"),
        ],
        calendars: [
            ("New Patient Consultation", "round_robin", 0, 3),
            ("Cleaning & Check-up", "round_robin", 1, 2),
            ("Dr. Office Hours", "personal", 0, 1),
        ],
        meeting: "physical",
    },
    Demo {
        groups: [
            ("Estimates", "Free on-site roof estimates"),
            ("Inspections", "Storm damage and annual inspections"),
        ],
        calendars: [
            ("Free Roof Estimate", "round_robin", 0, 3),
            ("Storm Damage Inspection", "collective", 1, 2),
            ("Owner's Calendar", "personal", 0, 1),
        ],
        meeting: "phone",
    },
];

pub(crate) fn seed(seed: &mut Seed<'_>) {
    for (index, location) in seed.locations.into_iter().enumerate() {
        let demo = &DEMOS[index % DEMOS.len()];
        let users: Vec<String> = seed.ids(Kind::User, location);
        let contacts: Vec<(String, String)> = seed
            .store
            .list(Kind::Contact, location)
            .iter()
            .map(|(id, c)| {
                (
                    id.clone(),
                    super::opportunities::contact_name(c).unwrap_or_default(),
                )
            })
            .collect();

        let mut groups = Vec::new();
        for (name, description) in demo.groups {
            let id = seed.id();
            let group = json!({
                "id": id,
                "locationId": location,
                "name": name,
                "description": description,
                "slug": slugify(name),
                "isActive": true,
            });
            seed.store.insert(Kind::CalendarGroup, location, group);
            groups.push(id);
        }

        let mut calendars = Vec::new();
        for (n, (name, kind, group, staff)) in demo.calendars.into_iter().enumerate() {
            let members: Vec<String> = users
                .iter()
                .cycle()
                .skip(n)
                .take(staff.min(users.len()))
                .cloned()
                .collect();
            // Without users to staff it, a calendar can only be a plain event calendar.
            let kind = if members.is_empty() { "event" } else { kind };
            let group = groups[group].clone();
            let calendar = demo_calendar(seed, location, name, kind, &group, &members, demo);
            let id = calendar["id"].as_str().unwrap_or_default().to_owned();
            seed.store.insert(Kind::Calendar, location, calendar);
            calendars.push(DemoCalendar {
                id,
                name,
                group,
                members,
            });
        }

        seed_events(seed, location, &calendars, demo, &contacts);
    }
}

/// A seeded calendar, as its events need it.
struct DemoCalendar {
    id: String,
    name: &'static str,
    group: String,
    members: Vec<String>,
}

fn demo_calendar(
    seed: &mut Seed<'_>,
    location: &str,
    name: &str,
    kind: &str,
    group: &str,
    members: &[String],
    demo: &Demo,
) -> Value {
    let place = meeting_place(demo);
    let team: Vec<Value> = members
        .iter()
        .enumerate()
        .map(|(i, user)| {
            json!({
                "userId": user,
                "priority": if i == 0 { 1.0 } else { 0.5 },
                "selected": true,
                "isPrimary": i == 0,
                "locationConfigurations": [place.clone()],
            })
        })
        .collect();
    let slug = slugify(name);
    let mut calendar = json!({
        "id": seed.id(),
        "locationId": location,
        "groupId": group,
        "name": name,
        "description": format!("Book a {} with our team.", name.to_lowercase()),
        "slug": slug,
        "widgetSlug": slug,
        "widgetType": "default",
        "calendarType": kind,
        "eventType": "RoundRobin_OptimizeForAvailability",
        "eventTitle": "{{contact.name}}",
        "eventColor": seed.pick(&["#039be5", "#33b679", "#f4511e", "#8e24aa"]),
        "locationConfigurations": [place],
        "teamMembers": team,
    });
    // Split in two: one `json!` this large exceeds the macro's recursion limit.
    let settings = json!({
        "slotDuration": 30,
        "slotDurationUnit": "mins",
        "slotInterval": 30,
        "slotIntervalUnit": "mins",
        "slotBuffer": 0,
        "slotBufferUnit": "mins",
        "preBuffer": 0,
        "preBufferUnit": "mins",
        "appoinmentPerSlot": 1,
        "allowBookingAfter": 1,
        "allowBookingAfterUnit": "hours",
        "allowBookingFor": 60,
        "allowBookingForUnit": "days",
        "openHours": office_hours(),
        "availabilities": [],
        "availabilityType": null,
        "enableRecurring": false,
        "stickyContact": false,
        "isLivePaymentMode": false,
        "autoConfirm": true,
        "googleInvitationEmails": false,
        "allowReschedule": true,
        "allowCancellation": true,
        "shouldAssignContactToTeamMember": false,
        "formSubmitType": "ThankYouMessage",
        "formSubmitThanksMessage": "Thank you, your appointment is booked.",
        "lookBusyConfig": { "enabled": false, "LookBusyPercentage": 0 },
        "isActive": true,
    });
    if let (Some(fields), Value::Object(settings)) = (calendar.as_object_mut(), settings) {
        fields.extend(settings);
    }
    calendar
}

fn meeting_place(demo: &Demo) -> Value {
    match demo.meeting {
        "physical" => json!({ "kind": "physical", "location": "100 Main St" }),
        _ => json!({ "kind": "outbound_call", "location": "" }),
    }
}

/// About thirty appointments per location, on weekdays in the two weeks either side of
/// the demo "now", on slot boundaries within the calendars' hours so that free slots
/// visibly exclude them. A calendar is never booked twice at the same time.
fn seed_events(
    seed: &mut Seed<'_>,
    location: &str,
    calendars: &[DemoCalendar],
    demo: &Demo,
    contacts: &[(String, String)],
) {
    let first_day = seed.base.div_euclid(DAY) * DAY - 14 * DAY;
    let weekdays: Vec<i64> = (0..28)
        .map(|d| first_day + d * DAY)
        .filter(|day| (1..=5).contains(&(day.div_euclid(DAY) + 4).rem_euclid(7)))
        .collect();
    let mut taken = HashSet::new();

    for n in 0..30 {
        let calendar = &calendars[n % calendars.len()];
        let day = seed.pick(&weekdays);
        let start = day + 9 * HOUR + seed.below(16) as i64 * 30 * MINUTE;
        if !taken.insert((calendar.id.clone(), start)) {
            continue;
        }

        let (contact, contact_name) = match contacts {
            [] => (None, "Walk-in".to_owned()),
            all => {
                let (id, name) = &all[seed.below(all.len().min(60) as u64) as usize];
                (
                    Some(id.clone()),
                    if name.is_empty() {
                        "Contact".into()
                    } else {
                        name.clone()
                    },
                )
            }
        };
        let status = if start < seed.base {
            seed.pick(&["showed", "showed", "confirmed", "noshow", "cancelled"])
        } else {
            seed.pick(&["confirmed", "confirmed", "new"])
        };
        let members = &calendar.members;
        let owner = (!members.is_empty())
            .then(|| members[seed.below(members.len() as u64) as usize].clone());
        let source = seed.pick(&["booking_widget", "calendar_page", "third_party"]);
        let booked = start - (1 + seed.below(20) as i64) * DAY - seed.below(8) as i64 * HOUR;

        let mut event = json!({
            "id": seed.id(),
            "title": format!("{} - {contact_name}", calendar.name),
            "calendarId": calendar.id,
            "locationId": location,
            "groupId": calendar.group,
            "appointmentStatus": status,
            "address": meeting_place(demo)["location"],
            "users": [],
            "notes": "",
            "description": "",
            "isRecurring": false,
            "startTime": offset_iso(start),
            "endTime": offset_iso(start + 30 * MINUTE),
            "dateAdded": iso(booked),
            "dateUpdated": iso(booked),
            "assignedResources": [],
            "createdBy": { "source": source },
        });
        if let Some(contact) = contact {
            event["contactId"] = contact.into();
        }
        if let Some(owner) = owner {
            event["assignedUserId"] = owner.as_str().into();
            event["createdBy"]["userId"] = owner.into();
        }
        seed.store.insert(Kind::CalendarEvent, location, event);
    }
}

#[cfg(test)]
mod tests {
    use super::super::opportunities::testing::{BASE, call, store};
    use super::*;
    use crate::LOCATION_IDS;

    const LOC: &str = LOCATION_IDS[0];

    fn calendars(store: &mut crate::store::Store) -> Vec<Value> {
        let (status, body) = call(
            store,
            LOC,
            "list_calendars",
            &[],
            &[("locationId", LOC)],
            None,
        );
        assert_eq!(status, 200);
        body["calendars"].as_array().unwrap().clone()
    }

    #[test]
    fn seeded_calendars_have_groups_members_and_events() {
        let mut store = store(30);
        let (_, groups) = call(
            &mut store,
            LOC,
            "list_calendar_groups",
            &[],
            &[("locationId", LOC)],
            None,
        );
        assert_eq!(groups["groups"].as_array().unwrap().len(), 2);
        let calendars = calendars(&mut store);
        assert_eq!(calendars.len(), 3);
        assert_eq!(calendars[2]["teamMembers"].as_array().unwrap().len(), 1);

        let (start, end) = ((BASE - 15 * DAY).to_string(), (BASE + 15 * DAY).to_string());
        let mut count = 0;
        for calendar in &calendars {
            let id = calendar["id"].as_str().unwrap();
            let query = [
                ("locationId", LOC),
                ("calendarId", id),
                ("startTime", &start),
                ("endTime", &end),
            ];
            let (status, body) = call(&mut store, LOC, "list_calendar_events", &[], &query, None);
            assert_eq!(status, 200, "{body}");
            for event in body["events"].as_array().unwrap() {
                assert_eq!(event["calendarId"], id);
                assert!(event["startTime"].as_str().unwrap().ends_with("+00:00"));
                count += 1;
            }
        }
        assert!((25..=30).contains(&count), "{count}");

        let group = calendars[0]["groupId"].as_str().unwrap();
        let query = [
            ("locationId", LOC),
            ("groupId", group),
            ("startTime", &start),
            ("endTime", &end),
        ];
        let (status, _) = call(&mut store, LOC, "list_calendar_events", &[], &query, None);
        assert_eq!(status, 200);
    }

    #[test]
    fn event_queries_follow_matons_rules() {
        let mut store = store(5);
        let query = [("locationId", LOC), ("startTime", "1"), ("endTime", "2")];
        let (status, body) = call(&mut store, LOC, "list_calendar_events", &[], &query, None);
        assert_eq!(status, 422);
        assert_eq!(
            body["message"][0],
            "Either calendarId, userId or groupId is required"
        );

        let user = "user-demo-location-1-0";
        let query = [
            ("locationId", LOC),
            ("userId", user),
            ("startTime", "2026-01-05"),
            ("endTime", "2"),
        ];
        let (status, body) = call(&mut store, LOC, "list_calendar_events", &[], &query, None);
        assert_eq!(status, 422);
        assert_eq!(
            body["message"][0],
            "startTime must be a number in milliseconds"
        );
        let query = [("locationId", LOC), ("userId", user), ("startTime", "1")];
        let (status, _) = call(&mut store, LOC, "list_calendar_events", &[], &query, None);
        assert_eq!(status, 422);
    }

    #[test]
    fn free_slots_come_from_open_hours_minus_bookings() {
        let mut store = store(30);
        let calendar = calendars(&mut store)[0].clone();
        let id = calendar["id"].as_str().unwrap();
        // Monday 2026-01-05 00:00 to Sunday 2026-01-11 23:59 UTC.
        let monday = BASE - 9 * HOUR;
        let (start, end) = (monday.to_string(), (monday + 7 * DAY - 1).to_string());
        let query = [
            ("startDate", start.as_str()),
            ("endDate", end.as_str()),
            ("timezone", "UTC"),
        ];
        let (status, slots) = call(
            &mut store,
            LOC,
            "get_free_slots",
            &[("calendarId", id)],
            &query,
            None,
        );
        assert_eq!(status, 200, "{slots}");
        let days: Vec<&String> = slots
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| *k != "traceId")
            .collect();
        assert_eq!(
            days,
            [
                "2026-01-05",
                "2026-01-06",
                "2026-01-07",
                "2026-01-08",
                "2026-01-09"
            ]
        );

        let events = [
            ("locationId", LOC),
            ("calendarId", id),
            ("startTime", &start),
            ("endTime", &end),
        ];
        let (_, events) = call(&mut store, LOC, "list_calendar_events", &[], &events, None);
        let mut booked = 0;
        for event in events["events"].as_array().unwrap() {
            let at = event["startTime"].as_str().unwrap();
            let day = &slots[&at[..10]]["slots"];
            let listed = day.as_array().is_some_and(|s| s.iter().any(|s| s == at));
            assert_eq!(listed, event["appointmentStatus"] == "cancelled", "{at}");
            booked += usize::from(event["appointmentStatus"] != "cancelled");
        }
        let offered: usize = days
            .iter()
            .map(|d| slots[d.as_str()]["slots"].as_array().unwrap().len())
            .sum();
        assert_eq!(offered + booked, 5 * 16);

        let too_long = (monday + 32 * DAY).to_string();
        let query = [
            ("startDate", start.as_str()),
            ("endDate", too_long.as_str()),
        ];
        let (status, _) = call(
            &mut store,
            LOC,
            "get_free_slots",
            &[("calendarId", id)],
            &query,
            None,
        );
        assert_eq!(status, 422);
    }

    #[test]
    fn create_update_delete() {
        let mut store = store(5);
        let body = json!({"locationId": LOC, "name": "Team Calendar", "calendarType": "personal"});
        let (status, _) = call(&mut store, LOC, "create_calendar", &[], &[], Some(body));
        assert_eq!(status, 422, "a personal calendar needs one member");

        let member =
            json!([{"userId": "user-demo-location-1-1", "priority": 0.5, "selected": true}]);
        let body = json!({"locationId": LOC, "name": "Team Calendar", "calendarType": "personal",
            "eventType": "RoundRobin_OptimizeForAvailability", "teamMembers": member});
        let (status, body) = call(&mut store, LOC, "create_calendar", &[], &[], Some(body));
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["calendar"]["slotDuration"], 30);
        let id = body["calendar"]["id"].as_str().unwrap().to_owned();
        let path = [("calendarId", id.as_str())];

        let patch = json!({"name": "Renamed", "locationId": LOC});
        let (status, body) = call(&mut store, LOC, "update_calendar", &path, &[], Some(patch));
        assert_eq!(
            (status, &body["message"][0]),
            (422, &json!("locationId should not exist"))
        );
        let (status, body) = call(
            &mut store,
            LOC,
            "update_calendar",
            &path,
            &[],
            Some(json!({"name": "Renamed"})),
        );
        assert_eq!(status, 200);
        assert_eq!(body["calendar"]["name"], "Renamed");
        assert_eq!(body["calendar"]["teamMembers"], member);

        let seeded = calendars(&mut store)[0]["id"].as_str().unwrap().to_owned();
        let (status, body) = call(
            &mut store,
            LOC,
            "delete_calendar",
            &[("calendarId", &seeded)],
            &[],
            None,
        );
        assert_eq!((status, body), (200, json!({"success": true})));
        let events = store.list(Kind::CalendarEvent, LOC);
        assert!(events.values().all(|e| e["calendarId"] != seeded.as_str()));
        let (status, _) = call(
            &mut store,
            LOC,
            "get_calendar",
            &[("calendarId", &seeded)],
            &[],
            None,
        );
        assert_eq!(status, 404);
        let other = calendars(&mut store)[0]["id"].as_str().unwrap().to_owned();
        let (status, _) = call(
            &mut store,
            LOCATION_IDS[1],
            "get_calendar",
            &[("calendarId", &other)],
            &[],
            None,
        );
        assert_eq!(status, 403);
    }

    #[test]
    fn iso_times_read_back() {
        assert_eq!(
            epoch_ms("2026-01-05T09:00:00.000Z"),
            Some(1_767_603_600_000)
        );
        assert_eq!(
            epoch_ms("2026-01-05T09:00:00+00:00"),
            Some(1_767_603_600_000)
        );
        assert_eq!(
            epoch_ms("2026-01-05T10:30:00+01:30"),
            Some(1_767_603_600_000)
        );
        assert_eq!(epoch_ms("2000-02-29T00:00:00Z"), Some(951_782_400_000));
        assert_eq!(epoch_ms("1777361673411"), None);
        assert_eq!(epoch_ms("2026-13-05T09:00:00Z"), None);
        for ms in [0, 951_782_400_123, 1_777_361_673_411] {
            assert_eq!(epoch_ms(&iso(ms)), Some(ms));
        }
        assert_eq!(offset_iso(1_767_603_600_000), "2026-01-05T09:00:00+00:00");
    }

    #[test]
    fn slugs_are_lower_case_words() {
        assert_eq!(slugify("Cleaning & Check-up"), "cleaning-check-up");
        assert_eq!(slugify("  Owner's  "), "owner-s");
    }
}
