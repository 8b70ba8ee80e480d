//! Marketing of a location: trigger links (which can be created, changed and deleted),
//! and, as read-only demo data, its workflows, campaigns, forms, surveys, funnels, the
//! social planner's accounts and post categories, and the media library.

use serde_json::{Value, json};

use crate::ctx::{Ctx, Handler, Reply};
use crate::error::ApiError;
use crate::paging;
use crate::seed::Seed;
use crate::store::{Kind, Rng, iso};

pub(crate) fn handler(name: &str) -> Option<Handler> {
    Some(match name {
        "list_links" => list_links,
        "create_link" => create_link,
        "update_link" => update_link,
        "delete_link" => delete_link,
        "list_workflows" => list_workflows,
        "list_campaigns" => list_campaigns,
        "list_forms" => list_forms,
        "list_surveys" => list_surveys,
        "list_funnels" => list_funnels,
        "list_social_accounts" => list_social_accounts,
        "list_social_categories" => list_social_categories,
        "list_media_files" => list_media_files,
        _ => return None,
    })
}

const DAY: i64 = 86_400_000;

/// The location the query names in `param`, after checking the caller may act on it.
fn location(ctx: &Ctx<'_>, param: &str) -> Result<String, ApiError> {
    let id = ctx.query(param).unwrap_or_default().to_owned();
    ctx.location(&id)?;
    Ok(id)
}

/// The location the path names, after checking the caller may act on it.
fn path_location(ctx: &Ctx<'_>) -> Result<String, ApiError> {
    let id = ctx.path("locationId").to_owned();
    ctx.location(&id)?;
    Ok(id)
}

/// The trigger link's merge field.
fn link_key(id: &str) -> String {
    format!("{{{{trigger_link.{id}}}}}")
}

fn list_links(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx, "locationId")?;
    let links: Vec<&Value> = ctx.store.list(Kind::Link, &location).values().collect();
    Reply::ok(json!({ "links": links }))
}

fn create_link(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = ctx.body_str("locationId").unwrap_or_default().to_owned();
    ctx.location(&location)?;

    let mut link = ctx.new_object(Some(&location));
    let key = link["id"].as_str().map(link_key).unwrap_or_default();
    link.insert("fieldKey".into(), key.into());
    let link = ctx
        .store
        .insert(Kind::Link, &location, Value::Object(link))
        .clone();
    Reply::created(json!({ "link": link }))
}

fn update_link(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let id = ctx.path("linkId").to_owned();
    ctx.find(Kind::Link, &id, "Link")?;

    // The id, location and merge field are the server's: a body cannot move the link.
    if let Some(body) = ctx.body.as_object_mut() {
        for field in ["id", "locationId", "fieldKey"] {
            body.remove(field);
        }
    }
    let link = ctx.update(Kind::Link, &id, "Link")?;
    // HighLevel documents 201 for this update.
    Reply::created(json!({ "link": link }))
}

fn delete_link(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let id = ctx.path("linkId").to_owned();
    ctx.delete(Kind::Link, &id, "Link")?;
    // HighLevel documents 201 here; Maton says every delete answers 200, and it is Maton's
    // proxy that clients talk to.
    Reply::ok(json!({ "succeded": true }))
}

fn list_workflows(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx, "locationId")?;
    let workflows: Vec<&Value> = ctx.store.list(Kind::Workflow, &location).values().collect();
    Reply::ok(json!({ "workflows": workflows }))
}

fn list_campaigns(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx, "locationId")?;
    let status = ctx.query("status");
    let campaigns: Vec<&Value> = ctx
        .store
        .list(Kind::Campaign, &location)
        .values()
        .filter(|c| status.is_none_or(|s| c["status"] == s))
        .collect();
    Reply::ok(json!({ "campaigns": campaigns }))
}

/// One page of forms or surveys (`kind`) under `items`, with the `total` that match.
/// Entries have a `type`; without one they are forms or surveys proper. Folders are only
/// listed when `type=folder` asks for them.
fn skip_list(ctx: &mut Ctx<'_>, kind: Kind, items: &str, plain: &str) -> Result<Reply, ApiError> {
    let location = location(ctx, "locationId")?;
    let limit = paging::limit(ctx, 10)?;
    let skip = paging::offset(ctx)?;
    let wanted = ctx.query("type").unwrap_or(plain);

    let found: Vec<&Value> = ctx
        .store
        .list(kind, &location)
        .values()
        .filter(|entry| entry["type"].as_str().unwrap_or(plain) == wanted)
        .collect();
    let total = found.len();
    let page = paging::by_offset(found.into_iter(), skip, limit, |_| true);
    let mut body = json!({ "total": total });
    body[items] = page.into();
    Reply::ok(body)
}

fn list_forms(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    skip_list(ctx, Kind::Form, "forms", "form")
}

fn list_surveys(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    skip_list(ctx, Kind::Survey, "surveys", "survey")
}

/// A trace id in the UUID form HighLevel's funnels service puts in its answers.
fn trace_id(now: i64) -> String {
    let mut rng = Rng::new(now as u64);
    let (a, b) = (rng.next(), rng.next());
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        (b >> 48) & 0x3fff | 0x8000,
        b & 0xffff_ffff_ffff
    )
}

fn list_funnels(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx, "locationId")?;
    let limit = paging::limit(ctx, 10)?;
    let offset = paging::offset(ctx)?;
    let kind = ctx.query("type");
    let category = ctx.query("category");
    let parent = ctx.query("parentId");
    let name = ctx.query("name");

    let found: Vec<&Value> = ctx
        .store
        .list(Kind::Funnel, &location)
        .values()
        .filter(|f| kind.is_none_or(|k| f["type"] == k))
        .filter(|f| category.is_none_or(|c| f["category"] == c))
        .filter(|f| parent.is_none_or(|p| f["parentId"] == p))
        .filter(|f| name.is_none_or(|n| paging::contains(f, "name", n)))
        .collect();
    let count = found.len();
    let page = paging::by_offset(found.into_iter(), offset, limit, |_| true);
    Reply::ok(json!({ "funnels": page, "count": count, "traceId": trace_id(ctx.now) }))
}

fn list_social_accounts(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = path_location(ctx)?;
    let accounts: Vec<&Value> = ctx
        .store
        .list(Kind::SocialAccount, &location)
        .values()
        .collect();
    let groups: Vec<&Value> = ctx
        .store
        .list(Kind::SocialGroup, &location)
        .values()
        .collect();
    Reply::ok(json!({
        "success": true,
        "statusCode": 200,
        "message": "Fetched Accounts",
        "results": { "accounts": accounts, "groups": groups },
    }))
}

fn list_social_categories(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = path_location(ctx)?;
    let limit = paging::limit(ctx, 10)?;
    let skip = paging::offset(ctx)?;
    let search = ctx.query("searchText");

    let found: Vec<&Value> = ctx
        .store
        .list(Kind::SocialCategory, &location)
        .values()
        .filter(|c| search.is_none_or(|s| paging::contains(c, "name", s)))
        .collect();
    let count = found.len();
    let page = paging::by_offset(found.into_iter(), skip, limit, |_| true);
    Reply::ok(json!({
        "success": true,
        "statusCode": 200,
        "message": "Fetched Categories",
        "results": { "count": count, "categories": page },
    }))
}

fn list_media_files(ctx: &mut Ctx<'_>) -> Result<Reply, ApiError> {
    let location = location(ctx, "altId")?;
    let every = ctx.query("fetchAll") == Some("true");
    let limit = if every {
        usize::MAX
    } else {
        paging::limit(ctx, 10)?
    };
    let offset = paging::offset(ctx)?;
    let wanted = ctx.query("type").unwrap_or("file");
    let search = ctx.query("query");
    let parent = ctx.query("parentId");

    // `file` lists every file whatever its kind, `folder` the folders; any other type
    // (`image`, `video` ...) the files of that kind.
    let mut found: Vec<&Value> = ctx
        .store
        .list(Kind::MediaFile, &location)
        .values()
        .filter(|m| match wanted {
            "file" => m["type"] != "folder",
            other => m["type"] == other,
        })
        .filter(|m| search.is_none_or(|q| paging::contains(m, "name", q)))
        .filter(|m| parent.is_none_or(|p| m["parentId"] == p))
        .collect();

    // Sorting by a field the files do not have would be meaningless: such a `sortBy` falls
    // back to the creation date.
    let field = ctx
        .query("sortBy")
        .filter(|f| ["name", "size", "updatedAt"].contains(f))
        .unwrap_or("createdAt");
    let ascending = ctx.query("sortOrder") == Some("asc");
    found.sort_by(|a, b| {
        let order = match field {
            "size" => a[field]
                .as_f64()
                .unwrap_or(0.0)
                .total_cmp(&b[field].as_f64().unwrap_or(0.0)),
            "name" => a[field]
                .as_str()
                .map(str::to_lowercase)
                .cmp(&b[field].as_str().map(str::to_lowercase)),
            _ => a[field].as_str().cmp(&b[field].as_str()),
        };
        if ascending { order } else { order.reverse() }
    });

    let page = paging::by_offset(found.into_iter(), offset, limit, |_| true);
    Reply::ok(json!({ "files": page }))
}

const LINKS: &[(&str, &str)] = &[
    (
        "Book a consultation",
        "https://book.example.com/consultation",
    ),
    ("Spring offer", "https://offers.example.com/spring"),
    ("Leave a review", "https://reviews.example.com/leave"),
    ("Price list", "https://www.example.com/prices"),
    ("Refer a friend", "https://www.example.com/refer"),
    ("Customer portal", "https://portal.example.com/login"),
];

const WORKFLOWS: &[&str] = &[
    "New Lead Nurture",
    "Appointment Reminder",
    "Missed Call Text Back",
    "Review Request",
    "Birthday Greeting",
    "Invoice Follow-up",
    "Win-back Sequence",
    "Welcome Series",
];

const CAMPAIGNS: &[(&str, &str)] = &[
    ("Spring Promo", "published"),
    ("Monthly Newsletter", "published"),
    ("Reactivation", "draft"),
    ("Referral Drive", "published"),
    ("Holiday Special", "draft"),
];

const FORMS: &[&str] = &[
    "Contact Us",
    "Book a Consultation",
    "Free Quote Request",
    "Newsletter Signup",
    "Feedback",
    "Event Registration",
    "Job Application",
    "Referral Form",
    "New Patient Intake",
    "Callback Request",
    "Warranty Claim",
    "Photo Upload",
];

const SURVEYS: &[&str] = &[
    "Customer Satisfaction",
    "Net Promoter Score",
    "Post-visit Survey",
    "Service Quality",
    "Product Feedback",
    "Website Experience",
    "Event Feedback",
    "Needs Assessment",
];

/// `(name, type, category, steps)` of the seeded funnels and websites.
const FUNNELS: &[(&str, &str, &str, &[&str])] = &[
    (
        "Spring Offer",
        "funnel",
        "sales",
        &["Opt-in", "Order Form", "Thank You"],
    ),
    (
        "Free Consultation",
        "funnel",
        "lead-generation",
        &["Opt-in", "Thank You"],
    ),
    (
        "Webinar Signup",
        "funnel",
        "webinar",
        &["Registration", "Confirmation"],
    ),
    (
        "Gift Card Shop",
        "funnel",
        "sales",
        &["Order Form", "Upsell", "Thank You"],
    ),
    (
        "Quote Request",
        "funnel",
        "lead-generation",
        &["Opt-in", "Thank You"],
    ),
    (
        "Membership",
        "funnel",
        "sales",
        &["Sales Page", "Order Form", "Thank You"],
    ),
    (
        "Referral Program",
        "funnel",
        "lead-generation",
        &["Opt-in", "Share", "Thank You"],
    ),
    (
        "Holiday Sale",
        "funnel",
        "sales",
        &["Sales Page", "Order Form"],
    ),
    (
        "E-book Download",
        "funnel",
        "lead-generation",
        &["Opt-in", "Download"],
    ),
    (
        "Workshop Tickets",
        "funnel",
        "webinar",
        &["Registration", "Order Form", "Thank You"],
    ),
    (
        "Main Website",
        "website",
        "website",
        &["Home", "About", "Services", "Contact"],
    ),
    ("Careers Site", "website", "website", &["Home", "Openings"]),
    ("Blog", "website", "website", &["Home", "Articles"]),
    ("Landing Pages", "website", "website", &["Home"]),
    ("Client Portal", "website", "website", &["Home", "Login"]),
];

/// `(platform, type, name suffix)` of the connected social accounts.
const ACCOUNTS: &[(&str, &str, &str)] = &[
    ("google", "location", ""),
    ("facebook", "page", " Page"),
    ("instagram", "business", ""),
];

const CATEGORIES: &[(&str, &str, &str)] = &[
    ("Promotions", "#E53E3E", "#FED7D7"),
    ("Tips", "#3182CE", "#BEE3F8"),
    ("Behind the Scenes", "#805AD5", "#E9D8FD"),
    ("Events", "#DD6B20", "#FEEBC8"),
    ("Testimonials", "#38A169", "#C6F6D5"),
    ("Announcements", "#2D3748", "#E2E8F0"),
];

/// `(type, extension, content type, name stems)` of the media library's files.
const MEDIA: &[(&str, &str, &str, &[&str])] = &[
    (
        "image",
        "png",
        "image/png",
        &[
            "logo",
            "logo-dark",
            "team-photo",
            "storefront",
            "banner",
            "coupon",
        ],
    ),
    (
        "image",
        "jpg",
        "image/jpeg",
        &["spring-offer", "before-after", "office", "product-shot"],
    ),
    (
        "video",
        "mp4",
        "video/mp4",
        &["welcome", "testimonial", "how-it-works", "tour"],
    ),
    (
        "audio",
        "mp3",
        "audio/mpeg",
        &["voicemail-greeting", "hold-music", "podcast-ep1"],
    ),
    (
        "file",
        "pdf",
        "application/pdf",
        &["price-list", "brochure", "terms", "intake-form", "menu"],
    ),
    (
        "file",
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        &[
            "welcome-letter",
            "faq",
            "checklist",
            "policy",
            "care-guide",
            "contract",
        ],
    ),
];

pub(crate) fn seed(seed: &mut Seed<'_>) {
    for location in seed.locations {
        let name = seed
            .store
            .get(Kind::Location, location)
            .and_then(|l| l["name"].as_str())
            .unwrap_or("Demo")
            .to_owned();
        let users: Vec<String> = seed.ids(Kind::User, location);

        seed_links(seed, location);
        seed_automation(seed, location);
        seed_forms(seed, location);
        seed_funnels(seed, location);
        seed_social(seed, location, &name, &users);
        seed_media(seed, location);
    }
}

fn seed_links(seed: &mut Seed<'_>, location: &str) {
    for (name, target) in LINKS {
        let id = seed.id();
        let link = json!({
            "id": id,
            "name": name,
            "redirectTo": target,
            "fieldKey": link_key(&id),
            "locationId": location,
        });
        seed.store.insert(Kind::Link, location, link);
    }
}

fn seed_automation(seed: &mut Seed<'_>, location: &str) {
    for (i, name) in WORKFLOWS.iter().enumerate() {
        let created = seed.past(400);
        let updated = (created + seed.below(60) as i64 * DAY).min(seed.base);
        let status = if i % 3 == 2 { "draft" } else { "published" };
        let workflow = json!({
            "id": seed.id(),
            "name": name,
            "status": status,
            "version": 1 + seed.below(6),
            "locationId": location,
            "createdAt": iso(created),
            "updatedAt": iso(updated),
        });
        seed.store.insert(Kind::Workflow, location, workflow);
    }

    for (name, status) in CAMPAIGNS {
        let campaign =
            json!({ "id": seed.id(), "name": name, "status": status, "locationId": location });
        seed.store.insert(Kind::Campaign, location, campaign);
    }
}

fn seed_forms(seed: &mut Seed<'_>, location: &str) {
    for (kind, names, folders) in [
        (Kind::Form, FORMS, &["Website Forms", "Archived"][..]),
        (Kind::Survey, SURVEYS, &["Archived"][..]),
    ] {
        for folder in folders {
            let id = seed.id();
            let entry =
                json!({ "id": id, "name": folder, "type": "folder", "locationId": location });
            seed.store.insert(kind, location, entry);
        }
        for name in names {
            let entry = json!({ "id": seed.id(), "name": name, "locationId": location });
            seed.store.insert(kind, location, entry);
        }
    }
}

fn seed_funnels(seed: &mut Seed<'_>, location: &str) {
    let domain = seed.id();
    let mut times: Vec<i64> = (0..FUNNELS.len()).map(|_| seed.past(500)).collect();
    // Newest first, as the funnels service lists them.
    times.sort_unstable_by(|a, b| b.cmp(a));

    for ((name, kind, category, steps), created) in FUNNELS.iter().zip(times) {
        let slug = name.to_lowercase().replace(' ', "-");
        let steps: Vec<Value> = steps
            .iter()
            .enumerate()
            .map(|(i, step)| {
                let step_slug = step.to_lowercase().replace(' ', "-");
                let page_type = if *kind == "website" {
                    "website_page"
                } else {
                    "optin_funnel_page"
                };
                json!({
                    "id": seed.id(),
                    "name": step,
                    "originId": seed.id(),
                    "type": page_type,
                    "url": format!("/{slug}-{step_slug}"),
                    "sequence": i + 1,
                    "pages": [seed.id()],
                    "products": [],
                })
            })
            .collect();
        let updated = iso((created + seed.below(90) as i64 * DAY).min(seed.base));
        let funnel = json!({
            "_id": seed.id(),
            "name": name,
            "locationId": location,
            "type": kind,
            "category": category,
            "url": format!("/{slug}"),
            "domainId": domain,
            "deleted": false,
            "originId": seed.id(),
            "orderFormVersion": 2,
            "steps": steps,
            "faviconUrl": "",
            "globalSectionVersion": 1,
            "globalSectionsPath": "",
            "globalSectionsUrl": "",
            "isStoreActive": false,
            "trackingCodeHead": "",
            "trackingCodeBody": "",
            "dateAdded": iso(created),
            "dateUpdated": updated,
            "updatedAt": updated,
        });
        seed.store.insert(Kind::Funnel, location, funnel);
    }
}

fn seed_social(seed: &mut Seed<'_>, location: &str, name: &str, users: &[String]) {
    let mut ids = Vec::new();
    for (i, (platform, kind, suffix)) in ACCOUNTS.iter().enumerate() {
        // The last account's connection has lapsed, so clients meet an expired one.
        let expired = i == ACCOUNTS.len() - 1;
        let expire = if expired {
            seed.base - 10 * DAY
        } else {
            seed.base + 50 * DAY
        };
        let id = seed.id();
        let account = json!({
            "id": id,
            "oauthId": seed.id(),
            "profileId": format!("{}", 100_000_000 + seed.below(900_000_000)),
            "name": format!("{name}{suffix}"),
            "platform": platform,
            "type": kind,
            "expire": iso(expire),
            "isExpired": expired,
            "meta": { "picture": format!("https://images.example.com/{platform}/{id}.png") },
        });
        seed.store.insert(Kind::SocialAccount, location, account);
        ids.push(id);
    }
    let group = json!({ "id": seed.id(), "name": "All channels", "accountIds": ids });
    seed.store.insert(Kind::SocialGroup, location, group);

    for (i, (category, primary, secondary)) in CATEGORIES.iter().enumerate() {
        let created = iso(seed.past(300));
        let mut entry = json!({
            "_id": seed.id(),
            "name": category,
            "primaryColor": primary,
            "secondaryColor": secondary,
            "locationId": location,
            "deleted": false,
            "createdAt": created,
            "updatedAt": created,
        });
        if let Some(user) = users.get(i % users.len().max(1)) {
            entry["createdBy"] = user.clone().into();
        }
        seed.store.insert(Kind::SocialCategory, location, entry);
    }
}

fn seed_media(seed: &mut Seed<'_>, location: &str) {
    let folders = ["Logos", "Campaign Assets"];
    let mut folder_ids = Vec::new();
    for folder in folders {
        let created = iso(seed.past(600));
        let id = seed.id();
        let entry = json!({
            "_id": id,
            "name": folder,
            "type": "folder",
            "path": folder,
            "parentId": null,
            "altId": location,
            "altType": "location",
            "createdAt": created,
            "updatedAt": created,
        });
        seed.store.insert(Kind::MediaFile, location, entry);
        folder_ids.push(id);
    }

    for (kind, extension, content_type, stems) in MEDIA {
        for stem in *stems {
            // Logos go to the first folder, images of offers to the second, the rest to
            // the root of the library.
            let folder = if stem.starts_with("logo") {
                Some(0)
            } else if *kind == "image" && seed.below(2) == 0 {
                Some(1)
            } else {
                None
            };
            let file_name = format!("{stem}.{extension}");
            let path = match folder {
                Some(f) => format!("{}/{file_name}", folders[f]),
                None => file_name.clone(),
            };
            let id = seed.id();
            let created = iso(seed.past(600));
            let entry = json!({
                "_id": id,
                "name": file_name,
                "type": kind,
                "contentType": content_type,
                "size": 10_000 + seed.below(5_000_000),
                "url": format!("https://storage.example.com/{location}/{id}.{extension}"),
                "path": path,
                "parentId": folder.map(|f| folder_ids[f].clone()),
                "altId": location,
                "altType": "location",
                "createdAt": created,
                "updatedAt": created,
            });
            seed.store.insert(Kind::MediaFile, location, entry);
        }
    }
}
