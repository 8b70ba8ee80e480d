//! What the description says about each operation beyond its Rust signature: the token type
//! it needs, the `Version` header HighLevel expects, where its location id travels and how
//! it pages. The table itself is generated (`generated/operations.rs`); the types that make
//! it up are here.

use reqwest::Method;

use crate::generated::operations::OPERATIONS;

/// Every operation of the description, sorted by [`Operation::name`].
pub fn operations() -> &'static [Operation] {
    OPERATIONS
}

/// One operation of the description.
#[derive(Debug)]
#[non_exhaustive]
pub struct Operation {
    /// The operationId, such as `listContacts`.
    pub id: &'static str,
    /// The name of its method on the generated client, such as `list_contacts`.
    pub name: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template, relative to the server (`/contacts/{contactId}`).
    pub path: &'static str,
    /// Which base URL the path is relative to.
    pub server: Server,
    /// The resource group the operation belongs to, such as `contacts`.
    pub tag: &'static str,
    /// A one-line summary.
    pub summary: &'static str,
    /// The kind of token the operation needs.
    pub token: TokenType,
    /// The `Version` header HighLevel expects; `None` for Maton's own operations.
    pub version: Option<&'static str>,
    /// Where the location id travels, when the operation carries one.
    pub location: Option<LocationParam>,
    /// How the operation pages, when it does.
    pub pagination: Option<Pagination>,
    /// The path and query parameters.
    pub params: &'static [Param],
    /// The required fields of the JSON body, or `None` when the operation takes no body.
    pub body_required: Option<&'static [&'static str]>,
}

impl Operation {
    /// The operation whose generated method is called `name`.
    pub fn find(name: &str) -> Option<&'static Operation> {
        let index = OPERATIONS.binary_search_by(|op| op.name.cmp(name)).ok()?;
        Some(&OPERATIONS[index])
    }

    /// Whether the operation changes data on the server (create, update or delete).
    pub fn is_write(&self) -> bool {
        self.method != Method::GET && self.method != Method::HEAD
    }
}

/// The base URL an operation's path is relative to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    /// Maton's HighLevel proxy (or HighLevel itself, in direct mode).
    Proxy,
    /// Maton's control API, which manages connections.
    Maton,
}

/// The kind of token an operation needs, which decides the `Maton-Connection` to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenType {
    /// An agency token: location management and snapshots.
    Agency,
    /// A sub-account (location) token: everything inside one location.
    SubAccount,
    /// Either kind is accepted.
    Either,
    /// Only the Maton API key; no HighLevel token is involved.
    Maton,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamPlace {
    /// In the query string.
    Query,
    /// In the path.
    Path,
    /// As a field of the JSON body.
    Body,
}

/// A path or query parameter.
#[derive(Debug)]
#[non_exhaustive]
pub struct Param {
    /// The parameter's name on the wire.
    pub name: &'static str,
    /// Where it travels.
    pub place: ParamPlace,
    /// Whether the service refuses a request without it.
    pub required: bool,
}

/// The parameter or body field that carries an operation's location id.
#[derive(Debug)]
#[non_exhaustive]
pub struct LocationParam {
    /// Where it travels.
    pub place: ParamPlace,
    /// Its name, such as `locationId`, `location_id` or `altId`.
    pub name: &'static str,
}

/// How a paginated operation pages.
///
/// Every field that names a place in a response is a dotted path into its JSON body, such
/// as `meta.startAfterId` or `messages.messages`.
#[derive(Debug)]
#[non_exhaustive]
pub struct Pagination {
    /// The pagination style.
    pub style: PaginationStyle,
    /// The array holding one page's items.
    pub items: &'static str,
    /// The query parameter that sets the page size.
    pub limit_param: Option<&'static str>,
    /// The largest page size the service accepts, where it is known.
    pub max_limit: Option<u32>,
    /// Cursor style: the query parameters of the next request and where their values come
    /// from.
    pub cursor: &'static [CursorParam],
    /// A boolean in the response saying whether another page exists.
    pub has_more: Option<&'static str>,
    /// Page style: the query parameter holding the 1-based page number.
    pub page_param: Option<&'static str>,
    /// Page style: the response field holding the next page's number.
    pub next_page: Option<&'static str>,
    /// Offset and skip styles: the query parameter holding how many items to skip.
    pub offset_param: Option<&'static str>,
    /// The response field holding the total number of items, where there is one.
    pub total: Option<&'static str>,
}

/// The ways HighLevel pages through lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaginationStyle {
    /// The next request names the last item seen (contacts, conversations, messages).
    Cursor,
    /// The next request asks for a page number (opportunity search).
    Page,
    /// The next request skips items with `offset` (products, invoices, payments, funnels,
    /// media).
    Offset,
    /// The next request skips items with `skip` (locations, businesses, forms, surveys,
    /// social categories).
    Skip,
}

/// One query parameter of the next page's request, in cursor style.
#[derive(Debug)]
#[non_exhaustive]
pub struct CursorParam {
    /// The query parameter to set.
    pub param: &'static str,
    /// Where its value comes from.
    pub source: CursorSource,
}

/// Where a cursor's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CursorSource {
    /// A field of the response body, such as `meta.startAfterId`.
    Response(&'static str),
    /// A field of the page's last item, such as `lastMessageDate`.
    LastItem(&'static str),
}
