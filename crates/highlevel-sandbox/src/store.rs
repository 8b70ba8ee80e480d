//! The sandbox's data: JSON objects in tables, one table per kind of resource, each split
//! into scopes (the location that owns an object, or the parent it hangs from, such as the
//! contact of a note). Objects are kept as the JSON the service would send, so whatever a
//! client stores, including fields the description does not name, comes back unchanged.

use std::collections::HashMap;

use indexmap::IndexMap;
use serde_json::{Map, Value};

/// The kinds of resource the sandbox stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Location,
    Snapshot,
    Contact,
    Note,
    Task,
    Opportunity,
    Pipeline,
    Calendar,
    CalendarEvent,
    CalendarGroup,
    Conversation,
    Message,
    User,
    Tag,
    CustomField,
    CustomValue,
    Business,
    Product,
    Invoice,
    Order,
    Transaction,
    Subscription,
    Link,
    Workflow,
    Campaign,
    Form,
    Survey,
    Funnel,
    SocialAccount,
    SocialGroup,
    SocialCategory,
    MediaFile,
    Connection,
}

/// One kind's objects, by scope, in insertion order (which is the order lists return).
#[derive(Default, Clone)]
struct Table {
    scopes: HashMap<String, IndexMap<String, Value>>,
    scope_of: HashMap<String, String>,
}

/// Every object of the sandbox, and the generator of new ids.
#[derive(Clone)]
pub(crate) struct Store {
    tables: HashMap<Kind, Table>,
    ids: Ids,
}

impl Store {
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            tables: HashMap::new(),
            ids: Ids::new(seed),
        }
    }

    /// A new id, in HighLevel's style: 20 letters and digits.
    pub(crate) fn new_id(&mut self) -> String {
        self.ids.next()
    }

    /// Adds `object` under `scope`. Its id is its `id` field (or `_id`, as products and
    /// invoices name it, or `connection_id` for connections). An object with the same id
    /// is replaced.
    pub(crate) fn insert(&mut self, kind: Kind, scope: &str, object: Value) -> &Value {
        let id = object_id(&object)
            .expect("stored objects have an id")
            .to_owned();
        let table = self.tables.entry(kind).or_default();
        table.scope_of.insert(id.clone(), scope.to_owned());
        let items = table.scopes.entry(scope.to_owned()).or_default();
        items.insert(id.clone(), object);
        &items[&id]
    }

    pub(crate) fn get(&self, kind: Kind, id: &str) -> Option<&Value> {
        let table = self.tables.get(&kind)?;
        table.scopes.get(table.scope_of.get(id)?)?.get(id)
    }

    pub(crate) fn get_mut(&mut self, kind: Kind, id: &str) -> Option<&mut Value> {
        let table = self.tables.get_mut(&kind)?;
        let scope = table.scope_of.get(id)?;
        table.scopes.get_mut(scope)?.get_mut(id)
    }

    /// The scope (owning location or parent id) of an object.
    pub(crate) fn scope_of(&self, kind: Kind, id: &str) -> Option<&str> {
        self.tables.get(&kind)?.scope_of.get(id).map(String::as_str)
    }

    pub(crate) fn remove(&mut self, kind: Kind, id: &str) -> Option<Value> {
        let table = self.tables.get_mut(&kind)?;
        let scope = table.scope_of.remove(id)?;
        table.scopes.get_mut(&scope)?.shift_remove(id)
    }

    /// Every object of `kind` under `scope`, oldest first.
    pub(crate) fn list(&self, kind: Kind, scope: &str) -> &IndexMap<String, Value> {
        static EMPTY: std::sync::OnceLock<IndexMap<String, Value>> = std::sync::OnceLock::new();
        self.tables
            .get(&kind)
            .and_then(|t| t.scopes.get(scope))
            .unwrap_or_else(|| EMPTY.get_or_init(IndexMap::new))
    }

    /// Removes every object of `kind` under `scope`; returns their ids.
    pub(crate) fn remove_scope(&mut self, kind: Kind, scope: &str) -> Vec<String> {
        let Some(table) = self.tables.get_mut(&kind) else {
            return Vec::new();
        };
        let removed: Vec<String> = table
            .scopes
            .remove(scope)
            .map(|items| items.into_keys().collect())
            .unwrap_or_default();
        for id in &removed {
            table.scope_of.remove(id);
        }
        removed
    }
}

/// The id of a stored object.
pub(crate) fn object_id(object: &Value) -> Option<&str> {
    ["id", "_id", "connection_id"]
        .iter()
        .find_map(|key| object.get(*key)?.as_str())
}

/// Copies every field of `patch` onto `object`: HighLevel's updates are partial.
pub(crate) fn merge(object: &mut Value, patch: &Map<String, Value>) {
    if let Some(object) = object.as_object_mut() {
        for (key, value) in patch {
            object.insert(key.clone(), value.clone());
        }
    }
}

/// SplitMix64: small, fast and the same on every platform, which is all demo data needs.
#[derive(Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// One element of a non-empty slice.
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

#[derive(Clone)]
struct Ids {
    rng: Rng,
}

impl Ids {
    fn new(seed: u64) -> Self {
        Self {
            rng: Rng::new(seed),
        }
    }

    fn next(&mut self) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..20)
            .map(|_| ALPHABET[self.rng.below(ALPHABET.len() as u64) as usize] as char)
            .collect()
    }
}

/// Milliseconds since the Unix epoch as an ISO-8601 UTC timestamp with milliseconds, the
/// format HighLevel uses for dates.
pub(crate) fn iso(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        ms.rem_euclid(1000)
    )
}

/// The calendar date `YYYY-MM-DD` of a UTC instant.
pub(crate) fn date(ms: i64) -> String {
    iso(ms)[..10].to_owned()
}

/// Days since 1970-01-01 to (year, month, day), after Howard Hinnant's civil calendar.
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dates_format_as_highlevel_sends_them() {
        assert_eq!(iso(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso(1_777_361_673_411), "2026-04-28T07:34:33.411Z");
        assert_eq!(date(951_782_400_000), "2000-02-29");
    }

    #[test]
    fn the_same_seed_gives_the_same_ids() {
        let ids = |seed| {
            let mut store = Store::new(seed);
            (0..3).map(|_| store.new_id()).collect::<Vec<_>>()
        };
        assert_eq!(ids(7), ids(7));
        assert_ne!(ids(7), ids(8));
        assert_eq!(ids(7)[0].len(), 20);
    }

    #[test]
    fn scopes_keep_order_and_removal_cascades_by_scope() {
        let mut store = Store::new(1);
        store.insert(Kind::Note, "c1", json!({"id": "n1"}));
        store.insert(Kind::Note, "c1", json!({"id": "n2"}));
        store.insert(Kind::Note, "c2", json!({"id": "n3"}));

        let ids: Vec<_> = store.list(Kind::Note, "c1").keys().cloned().collect();
        assert_eq!(ids, ["n1", "n2"]);
        assert_eq!(store.remove_scope(Kind::Note, "c1"), ["n1", "n2"]);
        assert!(store.get(Kind::Note, "n1").is_none());
        assert_eq!(store.scope_of(Kind::Note, "n3"), Some("c2"));
    }
}
