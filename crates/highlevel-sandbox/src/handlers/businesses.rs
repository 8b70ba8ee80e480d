//! Businesses (companies) of a location, which contacts can belong to through their
//! `businessId`. The list pages by `skip`/`limit`, numbers sent as strings, and carries no
//! total; create and update answer with the business under HighLevel's misspelt key
//! `buiseness`.

use serde_json::{Value, json};

use super::contacts::slug;
use crate::ctx::{Ctx, Handler, Reply};
use crate::error::{ApiError, missing};
use crate::paging;
use crate::seed::{COMPANIES, Seed};
use crate::store::{Kind, iso};

/// How many businesses each demo location gets.
const BUSINESSES_PER_LOCATION: usize = 8;

/// Fields the service sets itself: an update that sends them leaves them as they are, so
/// that a business cannot move to another location.
const SERVER_FIELDS: [&str; 5] = ["id", "locationId", "createdAt", "createdBy", "updatedBy"];

pub(crate) fn handler(name: &str) -> Option<Handler> {
    Some(match name {
        "list_businesses" => list,
        "get_business" => get,
        "create_business" => create,
        "update_business" => update,
        "delete_business" => delete,
        _ => return None,
    })
}

fn list(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = ctx.query_location("locationId")?;
    let limit = paging::limit(ctx, 100)?;
    let skip = paging::offset(ctx)?;

    let items = ctx.store.list(Kind::Business, &location).values();
    let page = paging::by_offset(items, skip, limit, |_| true);
    Reply::ok(json!({ "success": true, "businesses": page }))
}

fn get(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let id = ctx.path("businessId").to_owned();
    Reply::ok(json!({ "business": ctx.find(Kind::Business, &id, "Business")? }))
}

fn create(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = ctx.body_str("locationId").unwrap_or_default().to_owned();
    ctx.location(&location)?;

    let now = ctx.now_iso();
    let mut business = ctx.new_object(Some(&location));
    business.insert("createdBy".into(), by_integration(&now));
    business.insert("updatedBy".into(), by_integration(&now));
    business.insert("createdAt".into(), now.clone().into());
    business.insert("updatedAt".into(), now.into());
    let business = ctx
        .store
        .insert(Kind::Business, &location, Value::Object(business));
    Reply::created(json!({ "success": true, "buiseness": business }))
}

fn update(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let id = ctx.path("businessId").to_owned();
    ctx.find(Kind::Business, &id, "Business")?;

    let mut patch = ctx.body().clone();
    for field in SERVER_FIELDS {
        patch.remove(field);
    }
    let now = ctx.now_iso();
    let business = ctx
        .store
        .get_mut(Kind::Business, &id)
        .ok_or_else(|| missing("Business", &id))?;
    crate::store::merge(business, &patch);
    if let Some(business) = business.as_object_mut() {
        business.insert("updatedBy".into(), by_integration(&now));
        business.insert("updatedAt".into(), now.into());
    }
    Reply::ok(json!({ "success": true, "buiseness": business }))
}

fn delete(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let id = ctx.path("businessId").to_owned();
    let business = ctx.delete(Kind::Business, &id, "Business")?;

    // The location's contacts no longer belong to it.
    let location = business["locationId"].as_str().unwrap_or_default();
    let members: Vec<String> = ctx
        .store
        .list(Kind::Contact, location)
        .iter()
        .filter(|(_, c)| c["businessId"] == id.as_str())
        .map(|(contact, _)| contact.clone())
        .collect();
    for contact in members {
        if let Some(contact) = ctx.store.get_mut(Kind::Contact, &contact) {
            contact["businessId"] = Value::Null;
        }
    }
    Reply::ok(json!({ "success": true }))
}

/// The `createdBy`/`updatedBy` of a change made through the API.
fn by_integration(now: &str) -> Value {
    json!({ "source": "INTEGRATION", "channel": "API", "timestamp": now })
}

pub(crate) fn seed(seed: &mut Seed<'_>) {
    for (l, location) in seed.locations.into_iter().enumerate() {
        let mut names = Vec::new();
        for i in 0..BUSINESSES_PER_LOCATION {
            let id = seed.id();
            // Each location gets its own run of the company names, so the two differ.
            let name = COMPANIES[(l * BUSINESSES_PER_LOCATION / 2 + i) % COMPANIES.len()];
            let domain = format!("{}.example.com", slug(name));
            let (city, state, postal) = seed.place();
            let phone = seed.phone();
            let number = 100 + seed.below(9900);
            let created = seed.past(720);
            let updated = created + seed.below((seed.base - created).max(1) as u64) as i64;
            let business = json!({
                "id": id,
                "name": name,
                "locationId": location,
                "phone": phone,
                "email": format!("info@{domain}"),
                "website": format!("www.{domain}"),
                "address": format!("{number} Commerce Way"),
                "city": city,
                "state": state,
                "postalCode": postal,
                "country": "US",
                "description": format!("{name}, a client business of the location."),
                "createdBy": by_integration(&iso(created)),
                "updatedBy": by_integration(&iso(updated)),
                "createdAt": iso(created),
                "updatedAt": iso(updated),
            });
            seed.store.insert(Kind::Business, location, business);
            names.push((name, id));
        }
        link_contacts(seed, location, &names);
    }
}

/// Makes the location's contacts whose company is one of its businesses members of it.
fn link_contacts(seed: &mut Seed<'_>, location: &str, businesses: &[(&str, String)]) {
    let members: Vec<(String, String)> = seed
        .store
        .list(Kind::Contact, location)
        .iter()
        .filter_map(|(id, contact)| {
            let company = contact["companyName"].as_str()?;
            let (_, business) = businesses.iter().find(|(name, _)| *name == company)?;
            Some((id.clone(), business.clone()))
        })
        .collect();
    for (contact, business) in members {
        if let Some(contact) = seed.store.get_mut(Kind::Contact, &contact) {
            contact["businessId"] = business.into();
        }
    }
}
