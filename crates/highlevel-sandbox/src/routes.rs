//! Matching a request to an operation of the description: method plus path template, with
//! literal segments preferred over parameters (`/contacts/search` is not a contact id).

use highlevel::{Operation, Server, operations};

/// The proxy prefix under which Maton serves HighLevel's paths.
pub(crate) const PROXY_PREFIX: &str = "/highlevel-pit";

/// A parsed path template.
struct Route {
    op: &'static Operation,
    segments: Vec<Segment>,
}

enum Segment {
    Literal(String),
    Param(&'static str),
}

/// Every operation's route.
pub(crate) struct Routes {
    routes: Vec<Route>,
}

/// Decoded path parameters, by name.
pub(crate) type Params = Vec<(&'static str, String)>;

/// The outcome of matching a request.
pub(crate) enum Match {
    Found {
        op: &'static Operation,
        params: Vec<(&'static str, String)>,
    },
    /// The path is known but not with this method.
    WrongMethod,
    NotFound,
}

impl Routes {
    pub(crate) fn new() -> Self {
        let routes = operations()
            .iter()
            .map(|op| {
                let prefix = match op.server {
                    Server::Proxy => PROXY_PREFIX,
                    Server::Maton => "",
                };
                Route {
                    op,
                    segments: parse(prefix, op.path),
                }
            })
            .collect();
        Self { routes }
    }

    pub(crate) fn find(&self, method: &str, path: &str) -> Match {
        let parts: Vec<&str> = split(path).collect();
        let mut best: Option<(usize, &Route, Params)> = None;
        let mut path_known = false;

        for route in &self.routes {
            let Some((literals, params)) = matches(&route.segments, &parts) else {
                continue;
            };
            path_known = true;
            if route.op.method.as_str() != method {
                continue;
            }
            if best.as_ref().is_none_or(|(n, _, _)| literals > *n) {
                best = Some((literals, route, params));
            }
        }

        match best {
            Some((_, route, params)) => Match::Found {
                op: route.op,
                params,
            },
            None if path_known => Match::WrongMethod,
            None => Match::NotFound,
        }
    }
}

/// Path segments without empty ones, so `/contacts/` and `/contacts` are the same path,
/// as they are to HighLevel.
fn split(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

fn parse(prefix: &str, template: &'static str) -> Vec<Segment> {
    split(prefix)
        .map(|s| Segment::Literal(s.to_owned()))
        .chain(split(template).map(
            |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => Segment::Param(name),
                None => Segment::Literal(s.to_owned()),
            },
        ))
        .collect()
}

/// The number of literal segments matched and the decoded parameters, if `parts` fits.
fn matches(segments: &[Segment], parts: &[&str]) -> Option<(usize, Params)> {
    if segments.len() != parts.len() {
        return None;
    }
    let mut literals = 0;
    let mut params = Vec::new();
    for (segment, part) in segments.iter().zip(parts) {
        match segment {
            Segment::Literal(text) if text == part => literals += 1,
            Segment::Literal(_) => return None,
            Segment::Param(name) => params.push((*name, percent_decode(part)?)),
        }
    }
    Some((literals, params))
}

/// Decodes `%XX` escapes; `None` for a malformed escape or text that is not UTF-8.
pub(crate) fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = text.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// The decoded `name=value` pairs of a query string.
pub(crate) fn query_pairs(query: &str) -> Option<Vec<(String, String)>> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            Some((percent_decode(name)?, percent_decode(value)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(routes: &Routes, method: &str, path: &str) -> Option<&'static str> {
        match routes.find(method, path) {
            Match::Found { op, .. } => Some(op.name),
            _ => None,
        }
    }

    #[test]
    fn literal_segments_win_over_parameters() {
        let routes = Routes::new();
        assert_eq!(
            name(&routes, "GET", "/highlevel-pit/locations/search"),
            Some("search_locations")
        );
        assert_eq!(
            name(&routes, "GET", "/highlevel-pit/locations/abc"),
            Some("get_location")
        );
        assert_eq!(
            name(&routes, "GET", "/highlevel-pit/calendars/events"),
            Some("list_calendar_events")
        );
    }

    #[test]
    fn trailing_slashes_do_not_matter_and_parameters_are_decoded() {
        let routes = Routes::new();
        assert_eq!(
            name(&routes, "GET", "/highlevel-pit/contacts"),
            Some("list_contacts")
        );
        assert_eq!(
            name(&routes, "GET", "/connections"),
            Some("list_connections")
        );

        let Match::Found { params, .. } = routes.find("GET", "/highlevel-pit/contacts/a%2Fb")
        else {
            panic!("no match");
        };
        assert_eq!(params, [("contactId", "a/b".to_owned())]);
    }

    #[test]
    fn a_known_path_with_another_method_is_told_apart() {
        let routes = Routes::new();
        assert!(matches!(
            routes.find("PATCH", "/highlevel-pit/contacts/x"),
            Match::WrongMethod
        ));
        assert!(matches!(
            routes.find("GET", "/highlevel-pit/nothing"),
            Match::NotFound
        ));
        assert!(matches!(routes.find("GET", "/contacts/"), Match::NotFound));
    }

    #[test]
    fn queries_decode_plus_and_escapes() {
        let pairs = query_pairs("a=1&query=john%40example.com&b=x+y&flag").unwrap();
        assert_eq!(
            pairs[1],
            ("query".to_owned(), "john@example.com".to_owned())
        );
        assert_eq!(pairs[2].1, "x y");
        assert_eq!(pairs[3], ("flag".to_owned(), String::new()));
    }
}
