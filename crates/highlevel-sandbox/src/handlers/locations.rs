//! Locations (sub-accounts) of the agency, and its snapshots.

use serde_json::{Value, json};

use crate::ctx::{Ctx, Handler, Reply, Token};
use crate::error::{ApiError, missing};
use crate::paging;
use crate::seed::Seed;
use crate::store::Kind;

pub(crate) fn handler(name: &str) -> Option<Handler> {
    Some(match name {
        "search_locations" => search,
        "get_location" => get,
        "create_location" => create,
        "update_location" => update,
        "delete_location" => delete,
        "list_snapshots" => list_snapshots,
        _ => return None,
    })
}

/// Checks that an agency token belongs to `company`. Sub-account tokens are checked
/// against their location by the handlers.
fn company(ctx: &Ctx<'_>, company: &str) -> Result<(), ApiError> {
    match ctx.caller.as_ref().map(|c| &c.token) {
        Some(Token::Agency { company: own }) if own != company => Err(ApiError::forbidden(
            "The token does not have access to this company",
        )),
        _ => Ok(()),
    }
}

fn search(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let company_id = ctx.query("companyId").unwrap_or_default().to_owned();
    company(ctx, &company_id)?;
    let limit = paging::limit(ctx, 10)?;
    let skip = paging::offset(ctx)?;
    let email = ctx.query("email").map(str::to_owned);
    let own = match ctx.caller.as_ref().map(|c| &c.token) {
        Some(Token::SubAccount { location }) => Some(location.clone()),
        _ => None,
    };

    let mut found: Vec<&Value> = ctx
        .store
        .list(Kind::Location, &company_id)
        .values()
        .filter(|l| own.as_deref().is_none_or(|own| l["id"] == own))
        .filter(|l| email.as_deref().is_none_or(|e| l["email"] == e))
        .collect();
    if ctx.query("order") == Some("desc") {
        found.reverse();
    }
    let page = paging::by_offset(found.into_iter(), skip, limit, |_| true);
    Reply::ok(json!({ "locations": page }))
}

fn get(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let id = ctx.path("locationId").to_owned();
    ctx.location(&id)?;
    Reply::ok(json!({ "location": ctx.find(Kind::Location, &id, "Location")? }))
}

fn create(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let company_id = ctx.body_str("companyId").unwrap_or_default().to_owned();
    company(ctx, &company_id)?;

    let mut location = ctx.new_object(None);
    location.insert("settings".into(), json!({"allowDuplicateContact": false}));
    let location = ctx
        .store
        .insert(Kind::Location, &company_id, Value::Object(location));
    Reply::ok(location.clone())
}

fn update(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let id = ctx.path("locationId").to_owned();
    ctx.location(&id)?;
    if let Some(company_id) = ctx.body_str("companyId") {
        company(ctx, company_id)?;
    }
    Reply::ok(ctx.update(Kind::Location, &id, "Location")?)
}

fn delete(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let id = ctx.path("locationId").to_owned();
    ctx.location(&id)?;
    ctx.store
        .remove(Kind::Location, &id)
        .ok_or_else(|| missing("Location", &id))?;
    Reply::ok(json!({ "success": true, "message": "Location deleted" }))
}

fn list_snapshots(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let company_id = ctx.query("companyId").unwrap_or_default().to_owned();
    company(ctx, &company_id)?;
    let snapshots: Vec<Value> = ctx
        .store
        .list(Kind::Snapshot, &company_id)
        .values()
        .cloned()
        .collect();
    Reply::ok(json!({ "snapshots": snapshots }))
}

pub(crate) fn seed(seed: &mut Seed<'_>) {
    let names = ["Demo Dental", "Demo Roofing"];
    let timezones = ["America/Chicago", "America/Los_Angeles"];
    for (i, id) in seed.locations.into_iter().enumerate() {
        let (city, state, postal) = seed.place();
        let phone = seed.phone();
        let location = json!({
            "id": id,
            "companyId": seed.company,
            "name": names[i],
            "address": format!("{} Main St", 100 + 10 * i),
            "city": city,
            "state": state,
            "country": "US",
            "postalCode": postal,
            "website": format!("https://{}.example.com", names[i].to_lowercase().replace(' ', "-")),
            "timezone": timezones[i],
            "email": format!("office@{}.example.com", names[i].to_lowercase().replace(' ', "-")),
            "phone": phone,
            "settings": {
                "allowDuplicateContact": false,
                "allowDuplicateOpportunity": false,
                "allowFacebookNameMerge": true,
                "disableContactTimezone": false,
            },
            "social": { "facebookUrl": "", "instagram": "" },
        });
        seed.store.insert(Kind::Location, seed.company, location);
    }

    for (name, kind) in [("Dental starter", "own"), ("Roofing funnels", "imported")] {
        let id = seed.id();
        let snapshot = json!({ "id": id, "name": name, "type": kind });
        seed.store.insert(Kind::Snapshot, seed.company, snapshot);
    }
}
