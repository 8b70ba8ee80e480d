//! Maton's connections: each holds one HighLevel token, agency or sub-account. The seeded
//! ones are active; a created one stays pending until activated through the sandbox's
//! control API, the way a person would paste a token into Maton's page.

use serde_json::{Value, json};

use crate::ctx::{Ctx, Handler, Reply};
use crate::error::{ApiError, missing};
use crate::seed::Seed;
use crate::store::{Kind, iso};
use crate::{AGENCY_CONNECTION, LOCATION_CONNECTIONS};

/// The scope all connections live under: they belong to the Maton account, not a location.
pub(crate) const ACCOUNT: &str = "maton";

pub(crate) fn handler(name: &str) -> Option<Handler> {
    Some(match name {
        "list_connections" => list,
        "create_connection" => create,
        "get_connection" => get,
        "delete_connection" => delete,
        _ => return None,
    })
}

fn list(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let app = ctx.query("app");
    let status = ctx.query("status");
    let found: Vec<&Value> = ctx
        .store
        .list(Kind::Connection, ACCOUNT)
        .values()
        .filter(|c| app.is_none_or(|a| c["app"] == a))
        .filter(|c| status.is_none_or(|s| c["status"] == s))
        .collect();
    Reply::ok(json!({ "connections": found }))
}

fn create(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let app = ctx.body_str("app").unwrap_or_default().to_owned();
    if app != "highlevel-pit" {
        return Err(ApiError::bad_request(format!(
            "unknown app {app:?}; use \"highlevel-pit\""
        )));
    }
    let id = ctx.new_id();
    let now = ctx.now_iso();
    let connection = json!({
        "connection_id": id,
        "status": "PENDING",
        "app": app,
        "method": "API_KEY",
        "url": format!("/_sandbox/connections/{id}/activate"),
        "creation_time": now,
        "last_updated_time": now,
        "metadata": {},
    });
    ctx.store
        .insert(Kind::Connection, ACCOUNT, connection.clone());
    Reply::ok(json!({ "connection": connection }))
}

fn get(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let id = ctx.path("connectionId");
    let connection = ctx
        .store
        .get(Kind::Connection, id)
        .ok_or_else(|| missing("Connection", id))?;
    Reply::ok(json!({ "connection": connection }))
}

fn delete(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let id = ctx.path("connectionId").to_owned();
    ctx.store
        .remove(Kind::Connection, &id)
        .ok_or_else(|| missing("Connection", &id))?;
    Reply::ok(json!({ "connection_id": id, "deleted": true }))
}

/// A connection's JSON, with the token it stands for in `metadata`.
pub(crate) fn connection(id: &str, token: Value, created: i64) -> Value {
    json!({
        "connection_id": id,
        "status": "ACTIVE",
        "app": "highlevel-pit",
        "method": "API_KEY",
        "creation_time": iso(created),
        "last_updated_time": iso(created),
        "metadata": token,
    })
}

pub(crate) fn seed(seed: &mut Seed<'_>) {
    let created = seed.base;
    let agency = json!({ "tokenType": "agency", "companyId": seed.company });
    seed.store.insert(
        Kind::Connection,
        ACCOUNT,
        connection(AGENCY_CONNECTION, agency, created),
    );
    for (id, location) in LOCATION_CONNECTIONS.into_iter().zip(seed.locations) {
        let token = json!({ "tokenType": "sub-account", "locationId": location });
        seed.store
            .insert(Kind::Connection, ACCOUNT, connection(id, token, created));
    }
}
