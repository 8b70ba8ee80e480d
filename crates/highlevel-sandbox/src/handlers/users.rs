//! The users of a location: the people who can sign in to it, with their roles and
//! permissions. HighLevel serves them all at once, without paging; contacts, tasks and
//! appointments are assigned to them.

use serde_json::{Value, json};

use super::contacts::slug;
use crate::ctx::{Ctx, Handler, Reply};
use crate::error::ApiError;
use crate::seed::Seed;
use crate::store::Kind;

/// How many users each demo location gets; the first is its admin.
const USERS_PER_LOCATION: usize = 4;

pub(crate) fn handler(name: &str) -> Option<Handler> {
    Some(match name {
        "list_users" => list,
        _ => return None,
    })
}

fn list(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = ctx.query_location("locationId")?;

    let users: Vec<&Value> = ctx.store.list(Kind::User, &location).values().collect();
    Reply::ok(json!({ "users": users }))
}

/// The feature switches of a user. Admins may do everything; plain users see only what is
/// assigned to them and cannot change the location's settings.
fn permissions(admin: bool) -> Value {
    let mut switches = serde_json::Map::new();
    for name in [
        "campaignsEnabled",
        "contactsEnabled",
        "workflowsEnabled",
        "triggersEnabled",
        "funnelsEnabled",
        "websitesEnabled",
        "opportunitiesEnabled",
        "dashboardStatsEnabled",
        "appointmentsEnabled",
        "reviewsEnabled",
        "phoneCallEnabled",
        "conversationsEnabled",
        "tagsEnabled",
        "marketingEnabled",
        "socialPlanner",
        "invoiceEnabled",
        "paymentsEnabled",
    ] {
        switches.insert(name.into(), true.into());
    }
    for name in [
        "bulkRequestsEnabled",
        "settingsEnabled",
        "refundsEnabled",
        "exportPaymentsEnabled",
        "agentReportingEnabled",
    ] {
        switches.insert(name.into(), admin.into());
    }
    for name in ["campaignsReadOnly", "workflowsReadOnly"] {
        switches.insert(name.into(), false.into());
    }
    switches.insert("assignedDataOnly".into(), (!admin).into());
    Value::Object(switches)
}

pub(crate) fn seed(seed: &mut Seed<'_>) {
    for location in seed.locations {
        // The location's own email domain, so that its staff share one.
        let domain = seed
            .store
            .get(Kind::Location, location)
            .and_then(|l| l["email"].as_str())
            .and_then(|email| email.split_once('@'))
            .map_or_else(|| format!("{location}.example.com"), |(_, d)| d.to_owned());

        for i in 0..USERS_PER_LOCATION {
            let id = seed.id();
            let (first, last) = seed.person();
            let phone = seed.phone();
            let admin = i == 0;
            let user = json!({
                "id": id,
                "name": format!("{first} {last}"),
                "firstName": first,
                "lastName": last,
                "email": format!("{}.{}@{domain}", slug(first), slug(last)),
                "phone": phone,
                "extension": (101 + i).to_string(),
                "roles": {
                    "type": "account",
                    "role": if admin { "admin" } else { "user" },
                    "locationIds": [location],
                    "restrictSubAccount": false,
                },
                "permissions": permissions(admin),
                "deleted": false,
                "platformLanguage": "en_US",
                "lcPhone": {},
            });
            seed.store.insert(Kind::User, location, user);
        }
    }
}
