//! The handlers of every operation, one module per area of the API, and the order in which
//! those modules seed the demo data.

mod businesses;
mod calendars;
mod commerce;
pub(crate) mod connections;
mod contacts;
mod conversations;
mod locations;
mod marketing;
mod opportunities;
mod settings;
mod users;

use crate::ctx::Handler;
use crate::seed::Seed;

/// The handler of the operation whose generated name is `name` (`list_contacts`).
pub(crate) fn handler(name: &str) -> Option<Handler> {
    let modules: [fn(&str) -> Option<Handler>; 11] = [
        businesses::handler,
        calendars::handler,
        commerce::handler,
        connections::handler,
        contacts::handler,
        conversations::handler,
        locations::handler,
        marketing::handler,
        opportunities::handler,
        settings::handler,
        users::handler,
    ];
    modules.iter().find_map(|find| find(name))
}

/// The seeding functions, in the order they run: later modules refer to what earlier ones
/// made (contacts are assigned to users, opportunities belong to contacts).
pub(crate) const SEEDERS: [fn(&mut Seed<'_>); 11] = [
    locations::seed,
    connections::seed,
    users::seed,
    settings::seed,
    contacts::seed,
    businesses::seed,
    opportunities::seed,
    calendars::seed,
    conversations::seed,
    commerce::seed,
    marketing::seed,
];

#[cfg(test)]
mod tests {
    use highlevel::operations;

    #[test]
    fn every_operation_has_a_handler() {
        let missing: Vec<_> = operations()
            .iter()
            .filter(|op| super::handler(op.name).is_none())
            .map(|op| op.id)
            .collect();
        assert!(
            missing.is_empty(),
            "operations without a handler: {missing:?}"
        );
    }
}
