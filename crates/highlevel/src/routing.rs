//! Connection routing: which `Maton-Connection` a request carries, from the token type its
//! operation needs and the location it acts on. A request whose connection is not
//! configured fails before it is sent, naming the setting to make.

use std::collections::HashMap;

use reqwest::header::HeaderValue;

use crate::operation::{Operation, ParamPlace, TokenType};

/// The connections a client knows, by the token each holds.
#[derive(Clone, Debug, Default)]
pub(crate) struct Connections {
    /// The connection holding the agency token.
    pub(crate) agency: Option<HeaderValue>,
    /// The sub-account connection used for locations without one of their own.
    pub(crate) sub_account: Option<HeaderValue>,
    /// Sub-account connections of particular locations.
    pub(crate) by_location: HashMap<String, HeaderValue>,
    /// A connection every HighLevel request uses, whatever its token type.
    pub(crate) pinned: Option<HeaderValue>,
    /// Direct mode: requests go to HighLevel itself with the user's own token, so there is
    /// no Maton and no connection to pick.
    pub(crate) direct: bool,
}

impl Connections {
    /// The connection for `op` acting on `location`; `None` for Maton's own operations.
    pub(crate) fn pick(
        &self,
        op: &Operation,
        location: Option<&str>,
    ) -> Result<Option<HeaderValue>, String> {
        if self.direct {
            if op.token == TokenType::Maton {
                return Err(format!(
                    "{} is Maton's own API, which direct mode does not use",
                    op.id
                ));
            }
            return Ok(None);
        }
        if op.token == TokenType::Maton {
            return Ok(None);
        }
        if let Some(pinned) = &self.pinned {
            return Ok(Some(pinned.clone()));
        }

        let sub_account = || {
            let own = location.and_then(|l| self.by_location.get(l));
            own.or(self.sub_account.as_ref()).cloned()
        };
        let picked = match op.token {
            TokenType::Agency => self.agency.clone(),
            TokenType::SubAccount => sub_account(),
            TokenType::Either | TokenType::Maton => sub_account().or_else(|| self.agency.clone()),
        };
        picked.map(Some).ok_or_else(|| missing(op, location))
    }
}

/// The message of a call refused for want of a connection: what the operation needs and
/// which setting provides it.
fn missing(op: &Operation, location: Option<&str>) -> String {
    let at = location
        .map(|l| format!(" for location {l}"))
        .unwrap_or_default();
    let sub_account = format!(
        "a sub-account connection{at}: set MATON_CONNECTION (or MATON_LOCATION_CONNECTIONS), \
         or call ClientBuilder::connection (or location_connection)"
    );
    let needs = match op.token {
        TokenType::Agency => "an agency connection: set MATON_AGENCY_CONNECTION, or call \
                              ClientBuilder::agency_connection"
            .to_owned(),
        TokenType::Either => format!("{sub_account}; an agency connection would do as well"),
        TokenType::SubAccount | TokenType::Maton => sub_account,
    };
    format!("{} needs {needs}", op.id)
}

/// The location a request acts on, read from where its operation carries it.
pub(crate) fn location(op: &Operation, request: &reqwest::Request) -> Option<String> {
    let param = op.location.as_ref()?;
    match param.place {
        ParamPlace::Query => request
            .url()
            .query_pairs()
            .find(|(name, _)| name == param.name)
            .map(|(_, value)| value.into_owned()),
        ParamPlace::Path => path_param(op.path, request.url().path(), param.name),
        ParamPlace::Body => {
            let bytes = request.body()?.as_bytes()?;
            let body: serde_json::Value = serde_json::from_slice(bytes).ok()?;
            body.get(param.name)?.as_str().map(str::to_owned)
        }
    }
}

/// The decoded value of path parameter `name` in `path`, matched against `template` from
/// the end (the base URL may add segments in front).
pub(crate) fn path_param(template: &str, path: &str, name: &str) -> Option<String> {
    let wanted = format!("{{{name}}}");
    let template: Vec<&str> = template.split('/').filter(|s| !s.is_empty()).collect();
    let path: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let index = template.iter().position(|s| *s == wanted)?;
    let segment = path.get(path.len().checked_sub(template.len())? + index)?;
    percent_encoding::percent_decode_str(segment)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

/// Reads `loc=conn,loc2=conn2`, the form of `MATON_LOCATION_CONNECTIONS`.
pub(crate) fn parse_location_connections(text: &str) -> Result<Vec<(String, String)>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((location, connection)) if !location.is_empty() && !connection.is_empty() => {
                Ok((location.trim().to_owned(), connection.trim().to_owned()))
            }
            _ => Err(format!("`{pair}` is not of the form location=connection")),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(text: &str) -> HeaderValue {
        HeaderValue::from_str(text).unwrap()
    }

    fn connections() -> Connections {
        Connections {
            agency: Some(header("agency")),
            sub_account: Some(header("default")),
            by_location: HashMap::from([("loc-2".to_owned(), header("second"))]),
            ..Connections::default()
        }
    }

    fn pick(c: &Connections, name: &str, location: Option<&str>) -> Result<Option<String>, String> {
        let op = Operation::find(name).unwrap();
        c.pick(op, location)
            .map(|h| h.map(|h| h.to_str().unwrap().to_owned()))
    }

    #[test]
    fn each_token_type_gets_its_connection() {
        let c = connections();
        assert_eq!(pick(&c, "create_location", None), Ok(Some("agency".into())));
        assert_eq!(
            pick(&c, "list_contacts", Some("loc-1")),
            Ok(Some("default".into()))
        );
        assert_eq!(
            pick(&c, "list_contacts", Some("loc-2")),
            Ok(Some("second".into()))
        );
        assert_eq!(
            pick(&c, "get_location", Some("loc-2")),
            Ok(Some("second".into()))
        );
        assert_eq!(pick(&c, "list_connections", None), Ok(None));
    }

    #[test]
    fn either_falls_back_to_the_agency_and_pinning_wins() {
        let agency_only = Connections {
            agency: Some(header("agency")),
            ..Default::default()
        };
        assert_eq!(
            pick(&agency_only, "list_products", Some("x")),
            Ok(Some("agency".into()))
        );

        let pinned = Connections {
            pinned: Some(header("mine")),
            ..connections()
        };
        assert_eq!(
            pick(&pinned, "create_location", None),
            Ok(Some("mine".into()))
        );
    }

    #[test]
    fn direct_mode_sends_no_connection_and_refuses_maton_operations() {
        let direct = Connections {
            direct: true,
            ..connections()
        };
        assert_eq!(pick(&direct, "create_location", None), Ok(None));
        assert_eq!(pick(&direct, "list_contacts", Some("loc-2")), Ok(None));
        assert!(
            pick(&direct, "list_connections", None)
                .unwrap_err()
                .contains("direct mode")
        );
    }

    #[test]
    fn a_missing_connection_names_the_setting() {
        let none = Connections::default();
        let agency = pick(&none, "delete_location", None).unwrap_err();
        let sub = pick(&none, "list_contacts", Some("loc-9")).unwrap_err();

        assert!(agency.contains("MATON_AGENCY_CONNECTION"), "{agency}");
        assert!(agency.starts_with("deleteLocation"), "{agency}");
        assert!(sub.contains("for location loc-9"), "{sub}");
        assert!(sub.contains("MATON_CONNECTION"), "{sub}");
    }

    #[test]
    fn path_locations_are_found_from_the_end_and_decoded() {
        let found = path_param(
            "/locations/{locationId}/tags",
            "/highlevel-pit/locations/loc%201/tags",
            "locationId",
        );
        assert_eq!(found.as_deref(), Some("loc 1"));
        assert_eq!(path_param("/a/{x}", "/", "x"), None);
    }

    #[test]
    fn location_connections_parse_and_refuse_malformed_pairs() {
        let parsed = parse_location_connections("a=1, b=2,").unwrap();
        assert_eq!(
            parsed,
            [
                ("a".to_owned(), "1".to_owned()),
                ("b".to_owned(), "2".to_owned())
            ]
        );
        assert!(
            parse_location_connections("a=1,b")
                .unwrap_err()
                .contains("`b`")
        );
    }
}
