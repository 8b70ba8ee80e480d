//! Commerce of a location: its products, its invoices, and its payments (orders,
//! transactions, subscriptions). These services name objects by `_id` and answer a single
//! product or invoice unwrapped; invoices and payments name the location with `altId`.
//! Products can be created and deleted; invoices and payments are read-only demo data.
//!
//! The product list's `collectionSlug`, `storeId`, `includedInStore` and `expand`, which
//! shape answers for online stores, are accepted and have no effect.

use std::cmp::Ordering;

use serde_json::{Map, Value, json};

use crate::ctx::{Ctx, Handler, Reply};
use crate::error::{ApiError, missing};
use crate::paging;
use crate::seed::Seed;
use crate::store::{Kind, date, iso};

pub(crate) fn handler(name: &str) -> Option<Handler> {
    Some(match name {
        "list_products" => list_products,
        "get_product" => get_product,
        "create_product" => create_product,
        "delete_product" => delete_product,
        "list_invoices" => list_invoices,
        "get_invoice" => get_invoice,
        "list_orders" => list_orders,
        "list_transactions" => list_transactions,
        "list_subscriptions" => list_subscriptions,
        _ => return None,
    })
}

const DAY: i64 = 86_400_000;

/// The query's location (`locationId` or `altId`), after checking the caller may act on it.
fn location(ctx: &Ctx<'_>, param: &str) -> Result<String, ApiError> {
    let id = ctx.query(param).unwrap_or_default().to_owned();
    ctx.location(&id)?;
    Ok(id)
}

/// Whether `object`'s string `field` equals `wanted`, or `wanted` is not asked for.
fn is(object: &Value, field: &str, wanted: Option<&str>) -> bool {
    wanted.is_none_or(|w| object[field] == w)
}

/// A `YYYY-MM-DD` query date, checked.
fn query_date<'a>(ctx: &'a Ctx<'_>, name: &str) -> Result<Option<&'a str>, ApiError> {
    let Some(text) = ctx.query(name) else {
        return Ok(None);
    };
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(ApiError::unprocessable(vec![format!(
            "{name} must be a date as YYYY-MM-DD"
        )]));
    }
    Ok(Some(text))
}

/// Whether the day of `object`'s `field` (an ISO date or date-time) lies within
/// `start..=end`, either bound being open when absent.
fn within(object: &Value, field: &str, start: Option<&str>, end: Option<&str>) -> bool {
    let day = object[field]
        .as_str()
        .map(|d| d.get(..10).unwrap_or(d))
        .unwrap_or_default();
    start.is_none_or(|s| day >= s) && end.is_none_or(|e| day <= e)
}

/// `paymentMode` as the `liveMode` it selects: `live` and `test` filter, anything else
/// (such as `default`) keeps both.
fn live_mode(ctx: &Ctx<'_>) -> Option<bool> {
    match ctx.query("paymentMode") {
        Some("live") => Some(true),
        Some("test") => Some(false),
        _ => None,
    }
}

/// Whether `needle` occurs, ignoring case, in any of `object`'s string `fields`.
fn mentions(object: &Value, fields: &[&str], needle: Option<&str>) -> bool {
    needle.is_none_or(|n| fields.iter().any(|f| paging::contains(object, f, n)))
}

fn list_products(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx, "locationId")?;
    // The official description gives 0 as the default limit: no limit, as in MongoDB,
    // which the products service reads with.
    let limit = match paging::limit(ctx, 0)? {
        0 => usize::MAX,
        n => n,
    };
    let offset = paging::offset(ctx)?;
    let search = ctx.query("search");
    let collections: Vec<&str> = ctx
        .query("collectionIds")
        .map(|c| c.split(',').map(str::trim).collect())
        .unwrap_or_default();
    let ids: Vec<&str> = ctx
        .query_all("productIds")
        .into_iter()
        .flat_map(|v| v.split(','))
        .collect();
    let in_store = ctx.query("availableInStore").map(|v| v == "true");

    let mut found: Vec<&Value> = ctx
        .store
        .list(Kind::Product, &location)
        .values()
        .filter(|p| mentions(p, &["name"], search))
        .filter(|p| {
            collections.is_empty()
                || p["collectionIds"].as_array().is_some_and(|c| {
                    c.iter()
                        .any(|id| id.as_str().is_some_and(|id| collections.contains(&id)))
                })
        })
        .filter(|p| ids.is_empty() || p["_id"].as_str().is_some_and(|id| ids.contains(&id)))
        .filter(|p| in_store.is_none_or(|s| p["availableInStore"].as_bool().unwrap_or(false) == s))
        .collect();
    // Newest first unless asked otherwise; the stable sort keeps creation order for ties.
    let ascending = ctx.query("sortOrder") == Some("asc");
    if !ascending {
        found.reverse();
    }
    found.sort_by(|a, b| {
        let order = a["createdAt"].as_str().cmp(&b["createdAt"].as_str());
        if ascending { order } else { order.reverse() }
    });

    let total = found.len();
    let page = paging::by_offset(found.into_iter(), offset, limit, |_| true);
    Reply::ok(json!({ "products": page, "total": [{ "total": total }] }))
}

/// The product the path names, by id or slug, when the query's location owns it.
fn product(ctx: &Ctx<'_>, location: &str) -> Result<(String, Value), ApiError> {
    let named = ctx.path("productId");
    let products = ctx.store.list(Kind::Product, location);
    products
        .get(named)
        .map(|p| (named.to_owned(), p.clone()))
        .or_else(|| {
            products
                .iter()
                .find(|(_, p)| p["slug"] == named)
                .map(|(id, p)| (id.clone(), p.clone()))
        })
        .ok_or_else(|| missing("Product", named))
}

fn get_product(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx, "locationId")?;
    let (_, product) = product(ctx, &location)?;
    Reply::ok(product)
}

/// `name` as a URL slug: `Teeth Whitening Kit` as `teeth-whitening-kit`.
fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "product".to_owned()
    } else {
        out
    }
}

/// The rules of a new product the body's schema cannot say: taxes when taxes are enabled,
/// a label when the label is, a name that is not blank.
fn check_product(body: &Map<String, Value>) -> Result<(), ApiError> {
    let mut problems = Vec::new();
    if body
        .get("name")
        .and_then(Value::as_str)
        .is_none_or(|n| n.trim().is_empty())
    {
        problems.push("name should not be empty".to_owned());
    }
    let enabled = |flag: &str| body.get(flag).and_then(Value::as_bool).unwrap_or(false);
    let taxes = body
        .get("taxes")
        .and_then(Value::as_array)
        .is_some_and(|t| !t.is_empty());
    if enabled("isTaxesEnabled") && !taxes {
        problems.push("taxes should not be empty when isTaxesEnabled is true".to_owned());
    }
    if enabled("isLabelEnabled") && body.get("label").is_none_or(Value::is_null) {
        problems.push("label should not be empty when isLabelEnabled is true".to_owned());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::unprocessable(problems))
    }
}

fn create_product(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = ctx.body_str("locationId").unwrap_or_default().to_owned();
    ctx.location(&location)?;
    check_product(ctx.body())?;

    let slug_taken = |ctx: &Ctx<'_>, slug: &str| {
        ctx.store
            .list(Kind::Product, &location)
            .values()
            .any(|p| p["slug"] == slug)
    };
    let slug = match ctx.body_str("slug") {
        Some(slug) if slug_taken(ctx, slug) => {
            return Err(ApiError::bad_request(format!(
                "A product with the slug {slug:?} already exists"
            )));
        }
        Some(slug) => slug.to_owned(),
        None => {
            let base = slugify(ctx.body_str("name").unwrap_or_default());
            let mut slug = base.clone();
            let mut n = 2;
            while slug_taken(ctx, &slug) {
                slug = format!("{base}-{n}");
                n += 1;
            }
            slug
        }
    };

    // Products carry their id in `_id`; a stray `id` from the client would be read as the
    // key the product is stored under, so it is not kept.
    let mut product = ctx.body().clone();
    product.remove("id");
    let now = ctx.now_iso();
    product.insert("_id".into(), ctx.new_id().into());
    product.insert("slug".into(), slug.into());
    product.entry("availableInStore").or_insert(false.into());
    product.entry("collectionIds").or_insert(json!([]));
    product.entry("variants").or_insert(json!([]));
    product.entry("medias").or_insert(json!([]));
    product.entry("isTaxesEnabled").or_insert(false.into());
    product.entry("taxes").or_insert(json!([]));
    product.insert("createdAt".into(), now.clone().into());
    product.insert("updatedAt".into(), now.into());
    let product = ctx
        .store
        .insert(Kind::Product, &location, Value::Object(product))
        .clone();
    Reply::created(product)
}

fn delete_product(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx, "locationId")?;
    let (id, _) = product(ctx, &location)?;
    ctx.store
        .remove(Kind::Product, &id)
        .ok_or_else(|| missing("Product", &id))?;
    Reply::ok(json!({ "status": true }))
}

fn list_invoices(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx, "altId")?;
    let limit = paging::limit(ctx, 10)?;
    let offset = paging::offset(ctx)?;
    let start = query_date(ctx, "startAt")?;
    let end = query_date(ctx, "endAt")?;
    let status = ctx.query("status");
    let contact = ctx.query("contactId");
    let search = ctx.query("search");
    let live = live_mode(ctx);

    let mut found: Vec<&Value> = ctx
        .store
        .list(Kind::Invoice, &location)
        .values()
        .filter(|i| is(i, "status", status))
        .filter(|i| contact.is_none_or(|c| i["contactDetails"]["id"] == c))
        .filter(|i| live.is_none_or(|l| i["liveMode"] == l))
        .filter(|i| within(i, "issueDate", start, end))
        .filter(|i| {
            search.is_none_or(|s| {
                mentions(i, &["_id", "name", "invoiceNumber"], Some(s))
                    || mentions(&i["contactDetails"], &["name", "email", "phoneNo"], Some(s))
            })
        })
        .collect();
    // Invoices come newest first; `sortOrder` (or `sortField=issueDate`) sorts by issue date.
    let order = ctx.query("sortOrder");
    if ctx.query("sortField").is_some() || order.is_some() {
        found.sort_by(|a, b| {
            let by_date = a["issueDate"].as_str().cmp(&b["issueDate"].as_str());
            if order == Some("ascend") {
                by_date
            } else {
                by_date.reverse()
            }
        });
    }

    let total = found.len();
    let page = paging::by_offset(found.into_iter(), offset, limit, |_| true);
    Reply::ok(json!({ "invoices": page, "total": total }))
}

fn get_invoice(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx, "altId")?;
    let id = ctx.path("invoiceId");
    let invoice = ctx
        .store
        .list(Kind::Invoice, &location)
        .get(id)
        .ok_or_else(|| missing("Invoice", id))?;
    Reply::ok(invoice.clone())
}

/// One page of the location's payments of `kind` that pass `keep`, in the payments
/// services' `{data, totalCount}` shape.
fn payments(
    ctx: &Ctx<'_>,
    kind: Kind,
    location: &str,
    keep: impl Fn(&Value) -> bool,
) -> Result<Reply, ApiError> {
    let limit = paging::limit(ctx, 10)?;
    let offset = paging::offset(ctx)?;
    let start = query_date(ctx, "startAt")?;
    let end = query_date(ctx, "endAt")?;
    let live = live_mode(ctx);
    // `locationId` repeats the location as a filter: another one matches nothing.
    let same_place = ctx.query("locationId").is_none_or(|l| l == location);

    let found: Vec<&Value> = ctx
        .store
        .list(kind, location)
        .values()
        .filter(|_| same_place)
        .filter(|p| live.is_none_or(|l| p["liveMode"] == l))
        .filter(|p| within(p, "createdAt", start, end))
        .filter(|p| is(p, "contactId", ctx.query("contactId")))
        .filter(|p| keep(p))
        .collect();
    let total = found.len();
    let page = paging::by_offset(found.into_iter(), offset, limit, |_| true);
    Reply::ok(json!({ "data": page, "totalCount": total }))
}

fn list_orders(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx, "altId")?;
    let status = ctx.query("status");
    let payment_status = ctx.query("paymentStatus");
    let source = ctx.query("sourceId");
    let search = ctx.query("search");
    let products: Vec<&str> = ctx
        .query("funnelProductIds")
        .map(|p| p.split(',').map(str::trim).collect())
        .unwrap_or_default();

    payments(ctx, Kind::Order, &location, |order| {
        is(order, "status", status)
            && is(order, "paymentStatus", payment_status)
            && is(order, "sourceId", source)
            && mentions(
                order,
                &["_id", "contactName", "contactEmail", "sourceName"],
                search,
            )
            && (products.is_empty()
                || order["items"].as_array().is_some_and(|items| {
                    items.iter().any(|i| {
                        i["productId"]
                            .as_str()
                            .is_some_and(|p| products.contains(&p))
                    })
                }))
    })
}

fn list_transactions(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx, "altId")?;
    let source_type = ctx.query("entitySourceType");
    let source_sub_type = ctx.query("entitySourceSubType");
    let subscription = ctx.query("subscriptionId");
    let entity = ctx.query("entityId");
    let search = ctx.query("search");

    payments(ctx, Kind::Transaction, &location, |charge| {
        is(charge, "entitySourceType", source_type)
            && is(charge, "entitySourceSubType", source_sub_type)
            && is(charge, "subscriptionId", subscription)
            && is(charge, "entityId", entity)
            && mentions(
                charge,
                &["_id", "contactName", "contactEmail", "entitySourceName"],
                search,
            )
    })
}

fn list_subscriptions(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx, "altId")?;
    let source_type = ctx.query("entitySourceType");
    let entity = ctx.query("entityId");
    let id = ctx.query("id");
    let search = ctx.query("search");

    payments(ctx, Kind::Subscription, &location, |subscription| {
        is(subscription, "entitySourceType", source_type)
            && is(subscription, "entityId", entity)
            && is(subscription, "_id", id)
            && mentions(
                subscription,
                &["_id", "contactName", "contactEmail", "entitySourceName"],
                search,
            )
    })
}

/// `(name, productType, price in cents, description)` of the seeded catalogue.
const CATALOGUE: &[(&str, &str, u64, &str)] = &[
    (
        "Consultation (60 min)",
        "SERVICE",
        15_000,
        "A one-hour session with a specialist.",
    ),
    (
        "Follow-up Visit",
        "SERVICE",
        7_500,
        "A short visit after a consultation.",
    ),
    (
        "Annual Check-up",
        "SERVICE",
        12_000,
        "The yearly inspection, with a written report.",
    ),
    (
        "Emergency Call-out",
        "SERVICE",
        25_000,
        "Same-day help, evenings and weekends included.",
    ),
    (
        "Premium Care Plan",
        "SERVICE",
        4_900,
        "Priority booking and discounts, billed monthly.",
    ),
    (
        "Basic Care Plan",
        "SERVICE",
        1_900,
        "Reminders and member pricing, billed monthly.",
    ),
    (
        "Gift Card $50",
        "DIGITAL",
        5_000,
        "Redeemable for any service.",
    ),
    (
        "Gift Card $100",
        "DIGITAL",
        10_000,
        "Redeemable for any service.",
    ),
    (
        "Home Care Guide (e-book)",
        "DIGITAL",
        1_900,
        "Forty pages of tips between visits.",
    ),
    (
        "Video Course: Getting Started",
        "DIGITAL",
        4_900,
        "Six short lessons for new customers.",
    ),
    (
        "Online Workshop Ticket",
        "DIGITAL",
        2_500,
        "A seat at the monthly live workshop.",
    ),
    (
        "Branded T-shirt",
        "PHYSICAL",
        2_200,
        "Soft cotton, in five sizes.",
    ),
    (
        "Travel Kit",
        "PHYSICAL",
        3_500,
        "Everything you need on the road.",
    ),
    ("Water Bottle", "PHYSICAL", 1_800, "Insulated, 750 ml."),
    (
        "Starter Pack",
        "PHYSICAL/DIGITAL",
        6_900,
        "A boxed kit plus the online course.",
    ),
    (
        "Deluxe Bundle",
        "PHYSICAL/DIGITAL",
        14_900,
        "The travel kit, a shirt and two workshop seats.",
    ),
    (
        "Replacement Parts Set",
        "PHYSICAL",
        4_200,
        "The parts that wear out first.",
    ),
    (
        "Maintenance Visit",
        "SERVICE",
        9_500,
        "Routine upkeep by a technician.",
    ),
    (
        "Assessment Report",
        "DIGITAL",
        3_000,
        "A written assessment, delivered as a PDF.",
    ),
    (
        "Priority Booking Add-on",
        "SERVICE",
        1_500,
        "Book ahead of the queue.",
    ),
    (
        "Loyalty Card",
        "PHYSICAL",
        500,
        "Collect a stamp on every visit.",
    ),
    (
        "Team Training Session",
        "SERVICE",
        45_000,
        "Half a day on site for up to ten people.",
    ),
    (
        "Webinar Recording",
        "DIGITAL",
        1_200,
        "Last quarter's webinar, on demand.",
    ),
    (
        "Cleaning Supplies Kit",
        "PHYSICAL",
        2_900,
        "Refills for three months.",
    ),
    (
        "Extended Warranty",
        "SERVICE",
        8_900,
        "Two more years of cover.",
    ),
];

/// The catalogue entry of the monthly plan that subscriptions pay for.
const PLAN: usize = 4;

/// A dollar amount from cents, as the payments services send amounts.
fn dollars(cents: u64) -> Value {
    json!(cents as f64 / 100.0)
}

/// Someone who buys: `(contact id, name, email, phone)`.
type Buyer = (String, String, String, String);

/// The contacts seeded for `location` that the demo payments belong to; made-up buyers
/// when no contacts were seeded.
fn buyers(seed: &mut Seed<'_>, location: &str, count: usize) -> Vec<Buyer> {
    let contacts = seed.store.list(Kind::Contact, location).len();
    let mut buyers = Vec::with_capacity(count);
    for _ in 0..count {
        let index = seed.below(contacts as u64) as usize;
        let contact = seed
            .store
            .list(Kind::Contact, location)
            .get_index(index)
            .map(|(_, c)| c.clone());
        let buyer = match contact {
            Some(contact) => {
                let text = |field: &str| contact[field].as_str().unwrap_or_default().to_owned();
                // `contactName` is kept in lower case for searching; the parts are not.
                let full = format!("{} {}", text("firstName"), text("lastName"));
                let name = [full.trim().to_owned(), text("name"), text("contactName")]
                    .into_iter()
                    .find(|n| !n.is_empty())
                    .unwrap_or_default();
                (text("id"), name, text("email"), text("phone"))
            }
            None => {
                let (first, last) = seed.person();
                let email = format!(
                    "{}.{}@example.com",
                    first.to_lowercase(),
                    last.to_lowercase()
                );
                (seed.id(), format!("{first} {last}"), email, seed.phone())
            }
        };
        buyers.push(buyer);
    }
    buyers
}

/// Up to three catalogue lines: `(product id, name, quantity, unit price in cents)`.
fn lines(
    seed: &mut Seed<'_>,
    products: &[(String, usize)],
) -> Vec<(String, &'static str, u64, u64)> {
    let count = 1 + seed.below(3) as usize;
    (0..count)
        .map(|_| {
            let (id, entry) = &products[seed.below(products.len() as u64) as usize];
            let (name, _, price, _) = CATALOGUE[*entry];
            (id.clone(), name, 1 + seed.below(2), price)
        })
        .collect()
}

pub(crate) fn seed(seed: &mut Seed<'_>) {
    for location in seed.locations {
        let products = seed_products(seed, location);
        seed_invoices(seed, location, &products);
        seed_payments(seed, location, &products);
    }
}

/// The catalogue as products of `location`; returns each product's id and catalogue entry.
fn seed_products(seed: &mut Seed<'_>, location: &str) -> Vec<(String, usize)> {
    let mut times: Vec<i64> = (0..CATALOGUE.len()).map(|_| seed.past(540)).collect();
    times.sort_unstable();

    let mut products = Vec::new();
    for (entry, ((name, kind, _, description), created)) in CATALOGUE.iter().zip(times).enumerate()
    {
        let id = seed.id();
        let updated = created + seed.below(30) as i64 * DAY;
        let product = json!({
            "_id": id,
            "locationId": location,
            "name": name,
            "description": description,
            "productType": kind,
            "availableInStore": entry % 3 != 0,
            "statementDescriptor": "DEMO",
            "image": format!("https://images.example.com/products/{}.png", slugify(name)),
            "collectionIds": [],
            "isTaxesEnabled": false,
            "taxes": [],
            "slug": slugify(name),
            "medias": [],
            "variants": [],
            "createdAt": iso(created),
            "updatedAt": iso(updated.min(seed.base)),
        });
        seed.store.insert(Kind::Product, location, product);
        products.push((id, entry));
    }
    products
}

fn seed_invoices(seed: &mut Seed<'_>, location: &str, products: &[(String, usize)]) {
    let place = seed
        .store
        .get(Kind::Location, location)
        .cloned()
        .unwrap_or_default();
    let text = |field: &str| place[field].as_str().unwrap_or_default().to_owned();
    let business = json!({
        "name": text("name"),
        "address": {
            "addressLine1": text("address"),
            "city": text("city"),
            "state": text("state"),
            "countryCode": text("country"),
            "postalCode": text("postalCode"),
        },
        "phoneNo": text("phone"),
        "website": text("website"),
    });

    // Numbered in issue order, listed newest first.
    let count = 30;
    let mut issued: Vec<i64> = (0..count).map(|_| seed.past(365)).collect();
    issued.sort_unstable();
    let buyers = buyers(seed, location, count);
    let mut invoices = Vec::new();
    for (n, (issue, (contact, name, email, phone))) in issued.into_iter().zip(buyers).enumerate() {
        let items = lines(seed, products);
        let subtotal: u64 = items.iter().map(|(_, _, qty, price)| qty * price).sum();
        // A quarter of the invoices carry a 10% discount.
        let percent = if seed.below(4) == 0 { 10 } else { 0 };
        let discount = subtotal * percent / 100;
        let total = subtotal - discount;
        let status = seed.pick(&[
            "draft",
            "sent",
            "paid",
            "paid",
            "paid",
            "partially_paid",
            "void",
        ]);
        let paid = match status {
            "paid" => total,
            "partially_paid" => total / 2,
            _ => 0,
        };
        let number = format!("{}", 1001 + n);
        let item_values: Vec<Value> = items
            .iter()
            .map(|(product, item, qty, price)| {
                json!({
                    "_id": seed.id(),
                    "productId": product,
                    "priceId": seed.id(),
                    "name": item,
                    "currency": "USD",
                    "qty": qty,
                    "amount": dollars(*price),
                    "taxes": [],
                })
            })
            .collect();
        let invoice = json!({
            "_id": seed.id(),
            "status": status,
            "liveMode": seed.below(10) != 0,
            "amountPaid": dollars(paid),
            "altId": location,
            "altType": "location",
            "name": items[0].1,
            "title": "INVOICE",
            "invoiceNumber": number,
            "currency": "USD",
            "businessDetails": business,
            "contactDetails": { "id": contact, "name": name, "email": email, "phoneNo": phone },
            "issueDate": date(issue),
            "dueDate": date(issue + 30 * DAY),
            "discount": { "type": "percentage", "value": percent },
            "invoiceItems": item_values,
            "total": dollars(total),
            "amountDue": dollars(total - paid),
            "totalSummary": {
                "subTotal": dollars(subtotal),
                "discount": dollars(discount),
                "tax": 0,
            },
            "automaticTaxesEnabled": false,
            "automaticTaxesCalculated": false,
            "createdAt": iso(issue),
            "updatedAt": iso((issue + seed.below(20) as i64 * DAY).min(seed.base)),
        });
        invoices.push(invoice);
    }
    for invoice in invoices.into_iter().rev() {
        seed.store.insert(Kind::Invoice, location, invoice);
    }
}

/// Orders, the subscriptions some of them started, and the charges of both, newest first.
fn seed_payments(seed: &mut Seed<'_>, location: &str, products: &[(String, usize)]) {
    let users: Vec<String> = seed.ids(Kind::User, location);
    let sources = [
        ("funnel", "Spring Offer"),
        ("website", "Main Website"),
        ("invoice", "Invoices"),
    ];
    let mut orders = Vec::new();
    let mut charges = Vec::new();
    let mut subscriptions = Vec::new();

    let count = 30;
    let buyers = buyers(seed, location, count);
    for (n, (contact, name, email, _)) in buyers.into_iter().enumerate() {
        let created = seed.past(365);
        let mut items = lines(seed, products);
        // The first orders bought the monthly plan, and started a subscription with it.
        let recurring = usize::from(n < 10);
        if recurring == 1 {
            let (plan, entry) = &products[PLAN];
            let (name, _, price, _) = CATALOGUE[*entry];
            items[0] = (plan.clone(), name, 1, price);
        }
        let subtotal: u64 = items.iter().map(|(_, _, qty, price)| qty * price).sum();
        let discount = if seed.below(5) == 0 { subtotal / 10 } else { 0 };
        let amount = subtotal - discount;
        let (status, payment_status) = seed.pick(&[
            ("completed", "paid"),
            ("completed", "paid"),
            ("completed", "paid"),
            ("pending", "unpaid"),
            ("refunded", "refunded"),
            ("completed", "partially_paid"),
        ]);
        let (source_type, source_name) = seed.pick(&sources);
        let live = seed.below(10) != 0;
        let order_id = seed.id();
        let source_id = seed.id();
        let mut order = json!({
            "_id": order_id,
            "altId": location,
            "altType": "location",
            "contactId": contact,
            "contactName": name,
            "contactEmail": email,
            "currency": "USD",
            "amount": dollars(amount),
            "subtotal": dollars(subtotal),
            "discount": dollars(discount),
            "status": status,
            "paymentStatus": payment_status,
            "liveMode": live,
            "totalProducts": items.len(),
            "onetimeProducts": items.len() - recurring.min(items.len()),
            "recurringProducts": recurring,
            "sourceType": source_type,
            "sourceSubType": if source_type == "funnel" { "one_step_order_form" } else { "" },
            "sourceName": source_name,
            "sourceId": source_id,
            "sourceMeta": { "domain": "shop.example.com" },
            "fulfillmentStatus": if status == "completed" { "fulfilled" } else { "unfulfilled" },
            "items": items.iter().map(|(product, item, qty, price)| json!({
                "productId": product, "name": item, "qty": qty, "price": dollars(*price),
            })).collect::<Vec<_>>(),
            "createdAt": iso(created),
            "updatedAt": iso(created),
        });
        if let Some(user) = users.get(n % users.len().max(1)) {
            order["createdBy"] = user.clone().into();
        }

        // Unpaid orders show the card payment that failed.
        {
            let (paid, refunded, charge_status) = match payment_status {
                "unpaid" => (amount, 0, "failed"),
                "refunded" => (amount, amount, "refunded"),
                "partially_paid" => (amount / 2, 0, "succeeded"),
                _ => (amount, 0, "succeeded"),
            };
            let charge = card_charge(
                seed,
                location,
                &order,
                paid,
                refunded,
                charge_status,
                created,
            );
            charges.push(charge);
        }

        if recurring == 1 {
            let started = created;
            let monthly = CATALOGUE[PLAN].2;
            let status = seed.pick(&[
                "active", "active", "active", "canceled", "past_due", "trialing",
            ]);
            let subscription_id = seed.id();
            let subscription = json!({
                "_id": subscription_id,
                "altId": location,
                "altType": "location",
                "contactId": order["contactId"],
                "contactName": order["contactName"],
                "contactEmail": order["contactEmail"],
                "currency": "USD",
                "amount": dollars(monthly),
                "status": status,
                "liveMode": live,
                "entityType": "order",
                "entityId": order_id,
                "entitySourceType": source_type,
                "entitySourceName": source_name,
                "entitySourceId": source_id,
                "entitySourceMeta": {},
                "subscriptionId": format!("sub_{}", seed.id()),
                "subscriptionSnapshot": {
                    "interval": "month",
                    "intervalCount": 1,
                    "status": status,
                },
                "paymentProviderType": "stripe",
                "paymentProviderConnectedAccount": "acct_demo",
                "ipAddress": "203.0.113.10",
                "createdAt": iso(started),
                "updatedAt": iso(started),
            });
            // The latest monthly charge of the subscription.
            let charged = (started + 30 * DAY).min(seed.base - DAY);
            let mut charge = card_charge(
                seed,
                location,
                &subscription,
                monthly,
                0,
                "succeeded",
                charged,
            );
            charge["entityType"] = "subscription".into();
            charge["entityId"] = subscription_id.clone().into();
            charge["subscriptionId"] = subscription_id.into();
            charges.push(charge);
            subscriptions.push(subscription);
        }
        orders.push(order);
    }

    for (kind, mut items) in [
        (Kind::Order, orders),
        (Kind::Transaction, charges),
        (Kind::Subscription, subscriptions),
    ] {
        items.sort_by(newest_first);
        for item in items {
            seed.store.insert(kind, location, item);
        }
    }
}

fn newest_first(a: &Value, b: &Value) -> Ordering {
    b["createdAt"].as_str().cmp(&a["createdAt"].as_str())
}

/// A card charge of `amount` cents for `entity` (an order or a subscription).
fn card_charge(
    seed: &mut Seed<'_>,
    location: &str,
    entity: &Value,
    amount: u64,
    refunded: u64,
    status: &str,
    at: i64,
) -> Value {
    let brand = seed.pick(&["visa", "mastercard", "amex"]);
    let last4 = format!("{:04}", seed.below(10_000));
    json!({
        "_id": seed.id(),
        "altId": location,
        "altType": "location",
        "contactId": entity["contactId"],
        "contactName": entity["contactName"],
        "contactEmail": entity["contactEmail"],
        "currency": "USD",
        "amount": dollars(amount),
        "amountRefunded": dollars(refunded),
        "status": status,
        "liveMode": entity["liveMode"],
        "entityType": "order",
        "entityId": entity["_id"],
        "entitySourceType": entity.get("sourceType").or(entity.get("entitySourceType")),
        "entitySourceSubType": entity.get("sourceSubType").cloned().unwrap_or_else(|| "".into()),
        "entitySourceName": entity.get("sourceName").or(entity.get("entitySourceName")),
        "entitySourceId": entity.get("sourceId").or(entity.get("entitySourceId")),
        "entitySourceMeta": {},
        "chargeId": format!("ch_{}", seed.id()),
        "chargeSnapshot": {
            "status": status,
            "paid": status != "failed",
            "refunded": refunded > 0,
        },
        "paymentProviderType": "stripe",
        "paymentProviderConnectedAccount": "acct_demo",
        "paymentMethod": { "card": { "brand": brand, "last4": last4 } },
        "ipAddress": "203.0.113.10",
        "fulfilledAt": iso(at),
        "createdAt": iso(at),
        "updatedAt": iso(at),
    })
}
