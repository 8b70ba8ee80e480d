//! The demo data: an agency with two locations and everything a CRM holds, generated from
//! a seed so that the same seed always gives the same ids and values. Each handler module
//! seeds its own resources; this module fixes the order (later resources refer to earlier
//! ones) and offers the shared generators.

use crate::store::{Kind, Rng, Store};
use crate::{COMPANY_ID, LOCATION_IDS, handlers};

/// What a module's `seed` function works with.
pub(crate) struct Seed<'a> {
    pub(crate) store: &'a mut Store,
    pub(crate) rng: Rng,
    /// The demo data's "now", in epoch milliseconds: 2026-01-05T09:00:00Z. Seeded dates lie
    /// before it, seeded appointments around it.
    pub(crate) base: i64,
    pub(crate) contacts_per_location: usize,
    pub(crate) company: &'static str,
    pub(crate) locations: [&'static str; 2],
}

const BASE: i64 = 1_767_603_600_000;
const DAY: i64 = 86_400_000;

impl Seed<'_> {
    /// The ids of the `kind` objects seeded for `location` so far, oldest first.
    pub(crate) fn ids(&self, kind: Kind, location: &str) -> Vec<String> {
        self.store.list(kind, location).keys().cloned().collect()
    }

    /// A new id from the store's generator.
    pub(crate) fn id(&mut self) -> String {
        self.store.new_id()
    }

    /// A time within the `days` before [`Seed::base`], in epoch milliseconds.
    pub(crate) fn past(&mut self, days: i64) -> i64 {
        self.base - self.rng.below((days * DAY) as u64) as i64
    }

    /// A first and last name.
    pub(crate) fn person(&mut self) -> (&'static str, &'static str) {
        (*self.rng.pick(FIRST_NAMES), *self.rng.pick(LAST_NAMES))
    }

    /// A phone number in E.164 form.
    pub(crate) fn phone(&mut self) -> String {
        format!("+1555{:07}", self.rng.below(10_000_000))
    }

    /// A `(city, state, postal code)`.
    pub(crate) fn place(&mut self) -> (&'static str, &'static str, &'static str) {
        *self.rng.pick(PLACES)
    }

    /// One item of `items`.
    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        *self.rng.pick(items)
    }

    /// A number in `0..n`.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.rng.below(n)
    }
}

/// Builds the demo data.
pub(crate) fn build(seed: u64, contacts_per_location: usize) -> Store {
    let mut store = Store::new(seed);
    let mut ctx = Seed {
        store: &mut store,
        rng: Rng::new(seed ^ 0x5EED),
        base: BASE,
        contacts_per_location,
        company: COMPANY_ID,
        locations: LOCATION_IDS,
    };
    for seed_module in handlers::SEEDERS {
        seed_module(&mut ctx);
    }
    store
}

pub(crate) const FIRST_NAMES: &[&str] = &[
    "Ava", "Liam", "Olivia", "Noah", "Emma", "Mateo", "Sophia", "Lucas", "Isabella", "Ethan",
    "Mia", "James", "Amara", "Kenji", "Priya", "Diego", "Chloe", "Omar", "Hannah", "Tariq",
    "Grace", "Wei", "Lena", "Samuel", "Zoe", "Arjun", "Nora", "Felix", "Maya", "Jonas",
];

pub(crate) const LAST_NAMES: &[&str] = &[
    "Smith", "Garcia", "Chen", "Johnson", "Okafor", "Nguyen", "Müller", "Patel", "Rossi", "Kim",
    "Silva", "Brown", "Haddad", "Kowalski", "Tanaka", "Dubois", "Lopez", "Walker", "Ivanova",
    "O'Brien", "Mensah", "Larsen", "Ahmed", "Costa", "Novak",
];

pub(crate) const COMPANIES: &[&str] = &[
    "Acme Dental",
    "Bright Smiles",
    "Summit Roofing",
    "Blue Harbor Realty",
    "Northwind Fitness",
    "Cedar & Co",
    "Lumen Legal",
    "Orchard Pediatrics",
    "Copperline HVAC",
    "Tidewater Spa",
    "Redwood Landscaping",
    "Pioneer Auto",
    "Harborview Dentistry",
    "Atlas Movers",
];

pub(crate) const PLACES: &[(&str, &str, &str)] = &[
    ("Austin", "TX", "78701"),
    ("Denver", "CO", "80202"),
    ("Portland", "OR", "97205"),
    ("Miami", "FL", "33131"),
    ("Chicago", "IL", "60601"),
    ("Seattle", "WA", "98101"),
    ("Boston", "MA", "02108"),
    ("Phoenix", "AZ", "85004"),
];
