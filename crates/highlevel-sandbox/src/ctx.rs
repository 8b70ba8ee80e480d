//! What a handler gets: the operation, its parameters and body, the store, and who is
//! calling; plus the checks every handler shares (location access, lookups, numbers).

use highlevel::Operation;
use hyper::StatusCode;
use serde_json::{Map, Value};

use crate::error::{ApiError, missing};
use crate::store::{Kind, Store, iso};

/// The token behind the connection a request uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token {
    /// An agency token of a company.
    Agency { company: String },
    /// A sub-account token of one location.
    SubAccount { location: String },
}

/// Who is calling: the connection and its token.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    pub(crate) connection: String,
    pub(crate) token: Token,
}

/// A successful answer.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) body: Value,
}

impl Reply {
    /// 200 with `body`.
    pub(crate) fn ok(body: Value) -> Result<Self, ApiError> {
        Ok(Self {
            status: StatusCode::OK,
            body,
        })
    }

    /// 201 with `body`.
    pub(crate) fn created(body: Value) -> Result<Self, ApiError> {
        Ok(Self {
            status: StatusCode::CREATED,
            body,
        })
    }
}

/// A handler of one operation.
pub(crate) type Handler = fn(&mut Ctx<'_>) -> Result<Reply, ApiError>;

/// One request, as a handler sees it. Required parameters and body fields, parameter types
/// and the body's schema have been checked before the handler runs.
pub(crate) struct Ctx<'a> {
    pub(crate) op: &'static Operation,
    pub(crate) params: Vec<(&'static str, String)>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) body: Value,
    pub(crate) store: &'a mut Store,
    /// `None` only for Maton's own operations, which need no HighLevel token.
    pub(crate) caller: Option<Caller>,
    /// Milliseconds since the Unix epoch.
    pub(crate) now: i64,
}

impl Ctx<'_> {
    /// A path parameter (always present: the route matched).
    pub(crate) fn path(&self, name: &str) -> &str {
        self.params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    }

    /// A query parameter, if given and not empty.
    pub(crate) fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, v)| n == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a repeated query parameter (`userIds=a&userIds=b`).
    pub(crate) fn query_all(&self, name: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// A whole, non-negative number from the query (page sizes, offsets, epoch times).
    pub(crate) fn query_number(&self, name: &str) -> Result<Option<i64>, ApiError> {
        let Some(text) = self.query(name) else {
            return Ok(None);
        };
        let number: f64 = text
            .parse()
            .map_err(|_| ApiError::unprocessable(vec![format!("{name} must be a number")]))?;
        if !number.is_finite() || number < 0.0 || number.fract() != 0.0 {
            let message = format!("{name} must be a whole number, not less than 0");
            return Err(ApiError::unprocessable(vec![message]));
        }
        Ok(Some(number as i64))
    }

    /// The JSON body as an object (empty when there is none).
    pub(crate) fn body(&self) -> &Map<String, Value> {
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        self.body
            .as_object()
            .unwrap_or_else(|| EMPTY.get_or_init(Map::new))
    }

    /// A string field of the body.
    pub(crate) fn body_str(&self, name: &str) -> Option<&str> {
        self.body().get(name).and_then(Value::as_str)
    }

    /// A new id.
    pub(crate) fn new_id(&mut self) -> String {
        self.store.new_id()
    }

    /// The current time in HighLevel's date format.
    pub(crate) fn now_iso(&self) -> String {
        iso(self.now)
    }

    /// Checks that location `id` exists and that the caller's token may act on it.
    pub(crate) fn location(&self, id: &str) -> Result<(), ApiError> {
        let location = self
            .store
            .get(Kind::Location, id)
            .ok_or_else(|| missing("Location", id))?;
        let Some(caller) = &self.caller else {
            return Ok(());
        };
        let allowed = match &caller.token {
            Token::SubAccount { location } => location == id,
            Token::Agency { company } => location["companyId"] == company.as_str(),
        };
        if !allowed {
            return Err(ApiError::forbidden(
                "The token does not have access to this location",
            ));
        }
        Ok(())
    }

    /// The location named by query parameter `name`, after checking the caller may act on
    /// it (presence was checked against the description already).
    pub(crate) fn query_location(&self, name: &str) -> Result<String, ApiError> {
        let id = self.query(name).unwrap_or_default().to_owned();
        self.location(&id)?;
        Ok(id)
    }

    /// The location an object belongs to: itself for a location, its `locationId` (or
    /// `altId`) field, or else the location of the object it hangs from.
    pub(crate) fn location_of(&self, kind: Kind, id: &str) -> Option<String> {
        if kind == Kind::Location {
            return Some(id.to_owned());
        }
        let object = self.store.get(kind, id)?;
        for field in ["locationId", "altId"] {
            if let Some(location) = object.get(field).and_then(Value::as_str) {
                return Some(location.to_owned());
            }
        }
        let scope = self.store.scope_of(kind, id)?;
        let parent = match kind {
            Kind::Note | Kind::Task => Kind::Contact,
            Kind::Message => Kind::Conversation,
            _ => return Some(scope.to_owned()),
        };
        self.location_of(parent, scope)
    }

    /// The object `id` of `kind`, after checking the caller may see its location. `what`
    /// names the kind in the 404 message (`Contact`).
    pub(crate) fn find(&self, kind: Kind, id: &str, what: &str) -> Result<Value, ApiError> {
        let object = self.store.get(kind, id).ok_or_else(|| missing(what, id))?;
        if let Some(location) = self.location_of(kind, id) {
            self.location(&location)?;
        }
        Ok(object.clone())
    }

    /// Like [`Ctx::find`], then copies the body's fields onto the object and stamps
    /// `dateUpdated` or `updatedAt` where the object has one. Returns the updated object.
    pub(crate) fn update(&mut self, kind: Kind, id: &str, what: &str) -> Result<Value, ApiError> {
        self.find(kind, id, what)?;
        let patch = self.body().clone();
        let now = self.now_iso();
        let object = self
            .store
            .get_mut(kind, id)
            .ok_or_else(|| missing(what, id))?;
        crate::store::merge(object, &patch);
        for stamp in ["dateUpdated", "updatedAt"] {
            if object.get(stamp).is_some() {
                object[stamp] = now.clone().into();
            }
        }
        Ok(object.clone())
    }

    /// Like [`Ctx::find`], then removes the object.
    pub(crate) fn delete(&mut self, kind: Kind, id: &str, what: &str) -> Result<Value, ApiError> {
        self.find(kind, id, what)?;
        self.store.remove(kind, id).ok_or_else(|| missing(what, id))
    }

    /// The body with a fresh `id` (and `locationId`, when given), ready to store: what
    /// HighLevel does on create, keeping every field the client sent.
    pub(crate) fn new_object(&mut self, location: Option<&str>) -> Map<String, Value> {
        let mut object = self.body().clone();
        object.insert("id".into(), self.new_id().into());
        if let Some(location) = location {
            object.insert("locationId".into(), location.into());
        }
        object
    }
}
