//! What a location defines for its own records, under `/locations/{locationId}/`: the tags
//! its contacts can carry, its custom fields (on contacts and opportunities) and its custom
//! values (named snippets templates insert). Each is listed whole, without paging, and an
//! id of another location's object is answered 404, as HighLevel does.

use serde_json::{Map, Value, json};

use crate::ctx::{Ctx, Handler, Reply};
use crate::error::{ApiError, missing};
use crate::seed::Seed;
use crate::store::{Kind, iso};

pub(crate) fn handler(name: &str) -> Option<Handler> {
    Some(match name {
        "list_location_tags" => list_tags,
        "create_location_tag" => create_tag,
        "get_location_tag" => get_tag,
        "update_location_tag" => update_tag,
        "delete_location_tag" => delete_tag,
        "list_custom_fields" => list_fields,
        "create_custom_field" => create_field,
        "get_custom_field" => get_field,
        "update_custom_field" => update_field,
        "delete_custom_field" => delete_field,
        "list_custom_values" => list_values,
        "create_custom_value" => create_value,
        "get_custom_value" => get_value,
        "update_custom_value" => update_value,
        "delete_custom_value" => delete_value,
        _ => return None,
    })
}

/// The data types a custom field can have (the list Maton gives).
const DATA_TYPES: &[&str] = &[
    "TEXT",
    "LARGE_TEXT",
    "NUMERICAL",
    "PHONE",
    "MONETORY",
    "CHECKBOX",
    "SINGLE_OPTIONS",
    "MULTIPLE_OPTIONS",
    "FLOAT",
    "DATE",
    "TEXTBOX_LIST",
    "FILE_UPLOAD",
    "SIGNATURE",
];

/// The models a custom field can belong to.
const MODELS: &[&str] = &["contact", "opportunity"];

/// The path's location, after checking the caller may act on it.
fn location(ctx: &Ctx<'_>) -> Result<String, ApiError> {
    let id = ctx.path("locationId").to_owned();
    ctx.location(&id)?;
    Ok(id)
}

/// The object `id` of `kind` when `location` owns it. An object of another location is
/// answered like one that does not exist: the path names the location it is looked up in.
fn owned(
    ctx: &Ctx<'_>,
    kind: Kind,
    id: &str,
    location: &str,
    what: &str,
) -> Result<Value, ApiError> {
    let object = ctx
        .store
        .get(kind, id)
        .filter(|_| ctx.store.scope_of(kind, id) == Some(location));
    object.cloned().ok_or_else(|| missing(what, id))
}

/// Prepares an update's body: drops the fields the server owns, so an update cannot move an
/// object to another location or give it an id other than the one it is stored under, and
/// keeps the trimmed `name`.
fn patch(ctx: &mut Ctx<'_>, owned_fields: &[&str], name: String) {
    if let Some(body) = ctx.body.as_object_mut() {
        for field in owned_fields {
            body.remove(*field);
        }
        body.insert("name".into(), name.into());
    }
}

/// The body's `name`, refused when blank as HighLevel's validation does.
fn name(ctx: &Ctx<'_>) -> Result<String, ApiError> {
    let name = ctx.body_str("name").unwrap_or_default().trim();
    if name.is_empty() {
        return Err(ApiError::unprocessable(vec![
            "name should not be empty".into(),
        ]));
    }
    Ok(name.to_owned())
}

/// `Preferred Contact Time` as `preferred_contact_time`: the form keys are made of.
fn snake(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_owned();
    if out.is_empty() {
        "field".to_owned()
    } else {
        out
    }
}

/// All objects of `kind` owned by `location`, in creation order.
fn all(ctx: &Ctx<'_>, kind: Kind, location: &str) -> Vec<Value> {
    ctx.store.list(kind, location).values().cloned().collect()
}

fn list_tags(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx)?;
    Reply::ok(json!({ "tags": all(ctx, Kind::Tag, &location) }))
}

/// Refuses a tag name the location already has, ignoring case as HighLevel's tags do.
fn unique_tag(
    ctx: &Ctx<'_>,
    location: &str,
    name: &str,
    own_id: Option<&str>,
) -> Result<(), ApiError> {
    let taken = ctx.store.list(Kind::Tag, location).values().any(|tag| {
        tag["id"].as_str() != own_id
            && tag["name"]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
    });
    if taken {
        return Err(ApiError::bad_request(format!(
            "The tag {name:?} already exists"
        )));
    }
    Ok(())
}

fn create_tag(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx)?;
    let name = name(ctx)?;
    unique_tag(ctx, &location, &name, None)?;

    let mut tag = ctx.new_object(Some(&location));
    tag.insert("name".into(), name.into());
    let tag = ctx
        .store
        .insert(Kind::Tag, &location, Value::Object(tag))
        .clone();
    // HighLevel documents 200 for this create, not 201.
    Reply::ok(json!({ "tag": tag }))
}

fn get_tag(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx)?;
    let tag = owned(ctx, Kind::Tag, ctx.path("tagId"), &location, "Tag")?;
    Reply::ok(json!({ "tag": tag }))
}

fn update_tag(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx)?;
    let id = ctx.path("tagId").to_owned();
    owned(ctx, Kind::Tag, &id, &location, "Tag")?;
    let name = name(ctx)?;
    unique_tag(ctx, &location, &name, Some(&id))?;

    patch(ctx, &["id", "locationId"], name);
    let tag = ctx.update(Kind::Tag, &id, "Tag")?;
    Reply::ok(json!({ "tag": tag }))
}

fn delete_tag(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx)?;
    let id = ctx.path("tagId").to_owned();
    owned(ctx, Kind::Tag, &id, &location, "Tag")?;
    ctx.delete(Kind::Tag, &id, "Tag")?;
    Reply::ok(json!({ "succeded": true }))
}

fn list_fields(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx)?;
    let model = ctx.query("model").filter(|m| *m != "all");
    let fields: Vec<&Value> = ctx
        .store
        .list(Kind::CustomField, &location)
        .values()
        .filter(|f| model.is_none_or(|m| f["model"] == m))
        .collect();
    Reply::ok(json!({ "customFields": fields }))
}

/// Checks the body's `dataType` and `model` when given: HighLevel refuses values it does
/// not know.
fn check_field(ctx: &Ctx<'_>) -> Result<(), ApiError> {
    let mut problems = Vec::new();
    if let Some(data_type) = ctx.body().get("dataType")
        && !data_type.as_str().is_some_and(|t| DATA_TYPES.contains(&t))
    {
        problems.push(format!(
            "dataType must be one of the following values: {}",
            DATA_TYPES.join(", ")
        ));
    }
    if let Some(model) = ctx.body().get("model")
        && !model.as_str().is_some_and(|m| MODELS.contains(&m))
    {
        problems.push(format!(
            "model must be one of the following values: {}",
            MODELS.join(", ")
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::unprocessable(problems))
    }
}

/// A field key no other field of the location uses: `contact.pincode`, or
/// `contact.pincode_2` when that is taken.
fn field_key(ctx: &Ctx<'_>, location: &str, model: &str, name: &str) -> String {
    let base = format!("{model}.{}", snake(name));
    let taken = |key: &str| {
        ctx.store
            .list(Kind::CustomField, location)
            .values()
            .any(|f| f["fieldKey"] == key)
    };
    let mut key = base.clone();
    let mut n = 2;
    while taken(&key) {
        key = format!("{base}_{n}");
        n += 1;
    }
    key
}

fn create_field(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx)?;
    let name = name(ctx)?;
    check_field(ctx)?;

    let model = ctx.body_str("model").unwrap_or("contact").to_owned();
    let key = field_key(ctx, &location, &model, &name);
    let last = ctx
        .store
        .list(Kind::CustomField, &location)
        .values()
        .filter_map(|f| f["position"].as_f64())
        .fold(0.0, f64::max) as i64;
    let options = ctx.body().get("options").filter(|o| o.is_array()).cloned();

    let mut field = ctx.new_object(Some(&location));
    field.insert("name".into(), name.into());
    field.insert("model".into(), model.into());
    field.insert("fieldKey".into(), key.into());
    field.entry("placeholder").or_insert_with(|| "".into());
    field.entry("position").or_insert_with(|| json!(last + 50));
    // HighLevel takes the choices of an options field as `options` and shows them as
    // `picklistOptions`.
    if let Some(options) = options {
        field.entry("picklistOptions").or_insert(options);
    }
    field.insert("dateAdded".into(), ctx.now_iso().into());
    let field = ctx
        .store
        .insert(Kind::CustomField, &location, Value::Object(field))
        .clone();
    Reply::created(json!({ "customField": field }))
}

/// The custom field the path names, by id or by field key (`contact.pincode`).
fn field_id(ctx: &Ctx<'_>, location: &str) -> Result<String, ApiError> {
    let named = ctx.path("customFieldId");
    if ctx.store.scope_of(Kind::CustomField, named) == Some(location) {
        return Ok(named.to_owned());
    }
    ctx.store
        .list(Kind::CustomField, location)
        .iter()
        .find(|(_, f)| f["fieldKey"] == named)
        .map(|(id, _)| id.clone())
        .ok_or_else(|| missing("Custom field", named))
}

fn get_field(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx)?;
    let id = field_id(ctx, &location)?;
    let field = owned(ctx, Kind::CustomField, &id, &location, "Custom field")?;
    Reply::ok(json!({ "customField": field }))
}

fn update_field(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx)?;
    let id = ctx.path("customFieldId").to_owned();
    owned(ctx, Kind::CustomField, &id, &location, "Custom field")?;
    let name = name(ctx)?;

    // The field key stays what it was, since contacts store their values under it, and so
    // does the data type: HighLevel's update has no `dataType`.
    patch(ctx, &["id", "locationId", "fieldKey", "dataType"], name);
    check_field(ctx)?;
    let field = ctx.update(Kind::CustomField, &id, "Custom field")?;
    Reply::ok(json!({ "customField": field }))
}

fn delete_field(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx)?;
    let id = ctx.path("customFieldId").to_owned();
    owned(ctx, Kind::CustomField, &id, &location, "Custom field")?;
    ctx.delete(Kind::CustomField, &id, "Custom field")?;
    Reply::ok(json!({ "succeded": true }))
}

fn list_values(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx)?;
    Reply::ok(json!({ "customValues": all(ctx, Kind::CustomValue, &location) }))
}

fn create_value(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx)?;
    let name = name(ctx)?;

    let mut custom = ctx.new_object(Some(&location));
    let key = format!("{{{{ custom_values.{} }}}}", snake(&name));
    custom.insert("name".into(), name.into());
    custom.insert("fieldKey".into(), key.into());
    let custom = ctx
        .store
        .insert(Kind::CustomValue, &location, Value::Object(custom))
        .clone();
    Reply::created(json!({ "customValue": custom }))
}

fn get_value(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx)?;
    let id = ctx.path("customValueId");
    let custom = owned(ctx, Kind::CustomValue, id, &location, "Custom value")?;
    Reply::ok(json!({ "customValue": custom }))
}

fn update_value(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx)?;
    let id = ctx.path("customValueId").to_owned();
    owned(ctx, Kind::CustomValue, &id, &location, "Custom value")?;
    let name = name(ctx)?;

    // The merge tag stays what it was, so templates that insert it keep working.
    patch(ctx, &["id", "locationId", "fieldKey"], name);
    let custom = ctx.update(Kind::CustomValue, &id, "Custom value")?;
    Reply::ok(json!({ "customValue": custom }))
}

fn delete_value(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx)?;
    let id = ctx.path("customValueId").to_owned();
    owned(ctx, Kind::CustomValue, &id, &location, "Custom value")?;
    ctx.delete(Kind::CustomValue, &id, "Custom value")?;
    Reply::ok(json!({ "succeded": true }))
}

const TAGS: &[&str] = &[
    "customer",
    "vip",
    "lead",
    "newsletter",
    "referral",
    "follow-up",
    "appointment-booked",
    "cold",
];

/// `(name, dataType, model, placeholder, options)` of the seeded custom fields.
const FIELDS: &[(&str, &str, &str, &str, &[&str])] = &[
    ("Pincode", "NUMERICAL", "contact", "Pincode", &[]),
    (
        "Preferred Contact Time",
        "SINGLE_OPTIONS",
        "contact",
        "",
        &["Morning", "Afternoon", "Evening"],
    ),
    ("Date of Birth", "DATE", "contact", "", &[]),
    ("Referral Source", "TEXT", "contact", "Who sent them?", &[]),
    (
        "Interests",
        "MULTIPLE_OPTIONS",
        "contact",
        "",
        &["Offers", "Events", "News"],
    ),
    (
        "Deal Notes",
        "LARGE_TEXT",
        "opportunity",
        "Anything the team should know",
        &[],
    ),
];

pub(crate) fn seed(seed: &mut Seed<'_>) {
    for location in seed.locations {
        let created = seed.past(400);
        for name in TAGS {
            let id = seed.id();
            let tag = json!({ "id": id, "name": name, "locationId": location });
            seed.store.insert(Kind::Tag, location, tag);
        }

        for (i, (name, data_type, model, placeholder, options)) in FIELDS.iter().enumerate() {
            let id = seed.id();
            let mut field = Map::new();
            field.insert("id".into(), id.into());
            field.insert("name".into(), (*name).into());
            field.insert("fieldKey".into(), format!("{model}.{}", snake(name)).into());
            field.insert("placeholder".into(), (*placeholder).into());
            field.insert("dataType".into(), (*data_type).into());
            field.insert("position".into(), json!(50 * (i + 1)));
            if !options.is_empty() {
                field.insert("picklistOptions".into(), json!(options));
                field.insert("picklistImageOptions".into(), json!([]));
                field.insert("isAllowedCustomOption".into(), false.into());
            }
            field.insert("locationId".into(), location.into());
            field.insert("model".into(), (*model).into());
            field.insert("dateAdded".into(), iso(created).into());
            seed.store
                .insert(Kind::CustomField, location, Value::Object(field));
        }

        let phone = seed
            .store
            .get(Kind::Location, location)
            .and_then(|l| l["phone"].as_str())
            .unwrap_or("+15550000000")
            .to_owned();
        let values = [
            ("Business Hours", "Mon-Fri 9am-5pm".to_owned()),
            (
                "Booking Link",
                format!("https://book.example.com/{location}"),
            ),
            ("Office Phone", phone),
            ("Tagline", "Here when you need us".to_owned()),
        ];
        for (name, value) in values {
            let id = seed.id();
            let custom = json!({
                "id": id,
                "name": name,
                "fieldKey": format!("{{{{ custom_values.{} }}}}", snake(name)),
                "value": value,
                "locationId": location,
            });
            seed.store.insert(Kind::CustomValue, location, custom);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::snake;

    #[test]
    fn names_become_snake_case_keys() {
        assert_eq!(snake("Preferred Contact Time"), "preferred_contact_time");
        assert_eq!(snake("  Date of  Birth! "), "date_of_birth");
        assert_eq!(snake("!!!"), "field");
    }
}
