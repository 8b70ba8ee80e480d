//! Walking paginated operations, in each of HighLevel's styles, as streams of pages and of
//! items. The next page is fetched while the caller works on the current one, at most two
//! pages are held, the walk stops at the real end, and a service that repeats a cursor ends
//! it with an error instead of a loop.
//!
//! The walk itself reads of each page only what it needs to ask for the next one (see
//! [`Outline`]) and hands the page on as the text that arrived. Whoever takes the page
//! builds its values: [`Pages::next`] parses it on the caller's task, so that parsing one
//! page overlaps fetching the next, and the bindings take the text itself
//! ([`Pages::next_raw`]) to build their own language's objects from it directly.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use tokio::sync::mpsc;

use crate::Client;
use crate::call::{find, parse};
use crate::error::{Error, ErrorKind};
use crate::operation::{CursorSource, Operation, Pagination, PaginationStyle};

/// One page of a paginated operation.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Page {
    /// The page's items.
    pub items: Vec<Value>,
    /// The whole answer, items included, with every field the service sent.
    pub body: Value,
}

/// One page as the service sent it: its JSON text, not parsed yet, and where its items are.
#[derive(Clone)]
#[non_exhaustive]
pub struct RawPage {
    /// The answer's JSON text, exactly as it arrived.
    pub text: Bytes,
    /// The dotted path of the items within it (`contacts`, `messages.messages`).
    pub items_at: &'static str,
    op: &'static Operation,
    status: u16,
}

impl fmt::Debug for RawPage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawPage")
            .field("operation", &self.op.id)
            .field("items_at", &self.items_at)
            .field("bytes", &self.text.len())
            .finish()
    }
}

impl RawPage {
    /// The page parsed: its items and the whole answer.
    pub fn parse(self) -> Result<Page, Error> {
        let body = parse(self.op, self.status, &self.text)?;
        let items = at(&body, self.items_at)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        Ok(Page { items, body })
    }

    /// The page's items alone, taken out of the parsed answer without copying them.
    pub fn into_items(self) -> Result<Vec<Value>, Error> {
        let mut body = parse(self.op, self.status, &self.text)?;
        let found = self
            .items_at
            .split('.')
            .try_fold(&mut body, |value, key| value.get_mut(key));
        Ok(match found.map(Value::take) {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        })
    }
}

/// The pages of a paginated call; a [`Stream`](futures_core::Stream), and
/// [`Pages::next`] for use without stream helpers.
pub struct Pages {
    receiver: mpsc::Receiver<Result<RawPage, Error>>,
}

/// The items of a paginated call, page after page.
pub struct Items {
    pages: Pages,
    current: VecDeque<Value>,
}

impl Client {
    /// The pages of `operation`, which must paginate, starting from `params`. The walk runs
    /// on the current tokio runtime and stops when the stream is dropped.
    pub fn pages(&self, operation: &str, params: Map<String, Value>) -> Result<Pages, Error> {
        let op = find(operation)?;
        let paging = op.pagination.as_ref().ok_or_else(|| {
            let message = format!("{} does not paginate", op.id);
            Error::new(ErrorKind::InvalidArgument, Some(op.id), message)
        })?;

        // One slot: the walk fetches a page only once the previous one has been taken, so
        // the caller's page and the one being fetched are all that is held.
        let (sender, receiver) = mpsc::channel(1);
        tokio::spawn(walk(self.clone(), op, paging, params, sender));
        Ok(Pages { receiver })
    }

    /// The items of `operation`, page after page; see [`Client::pages`].
    pub fn items(&self, operation: &str, params: Map<String, Value>) -> Result<Items, Error> {
        Ok(Items {
            pages: self.pages(operation, params)?,
            current: VecDeque::new(),
        })
    }
}

impl Pages {
    /// The next page, or `None` after the last one.
    pub async fn next(&mut self) -> Option<Result<Page, Error>> {
        Some(self.receiver.recv().await?.and_then(RawPage::parse))
    }

    /// The next page as the service sent it, or `None` after the last one.
    pub async fn next_raw(&mut self) -> Option<Result<RawPage, Error>> {
        self.receiver.recv().await
    }
}

impl futures_core::Stream for Pages {
    type Item = Result<Page, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.receiver
            .poll_recv(cx)
            .map(|next| next.map(|page| page.and_then(RawPage::parse)))
    }
}

impl Items {
    /// The next item, or `None` after the last one.
    pub async fn next(&mut self) -> Option<Result<Value, Error>> {
        loop {
            if let Some(item) = self.current.pop_front() {
                return Some(Ok(item));
            }
            match self.pages.next_raw().await?.and_then(RawPage::into_items) {
                Ok(items) => self.current.extend(items),
                Err(error) => return Some(Err(error)),
            }
        }
    }
}

impl futures_core::Stream for Items {
    type Item = Result<Value, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some(item) = self.current.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            let page = match self.pages.receiver.poll_recv(cx) {
                Poll::Ready(Some(page)) => page,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            };
            match page.and_then(RawPage::into_items) {
                Ok(items) => self.current.extend(items),
                Err(error) => return Poll::Ready(Some(Err(error))),
            }
        }
    }
}

/// Fetches page after page into `sender` until the end, an error, or a dropped receiver.
async fn walk(
    client: Client,
    op: &'static Operation,
    paging: &'static Pagination,
    mut params: Map<String, Value>,
    sender: mpsc::Sender<Result<RawPage, Error>>,
) {
    let mut seen = HashSet::new();
    loop {
        let Ok(slot) = sender.reserve().await else {
            return;
        };
        let (status, _, text) = match client.exchange(op, &params, None).await {
            Ok(answer) => answer,
            Err(error) => return slot.send(Err(error)),
        };
        let outline = match Outline::of(op, status, &text, paging.items) {
            Ok(outline) => outline,
            Err(error) => return slot.send(Err(error)),
        };
        let next = next_params(op, paging, &params, &outline, &mut seen);
        slot.send(Ok(RawPage {
            text,
            items_at: paging.items,
            op,
            status,
        }));

        match next {
            Ok(Some(next)) => params = next,
            Ok(None) => return,
            Err(error) => {
                if let Ok(slot) = sender.reserve().await {
                    slot.send(Err(error));
                }
                return;
            }
        }
    }
}

/// What the walk needs of a page to ask for the next: the answer without its items, how
/// many items there were and the last of them. Skipping over the items instead of building
/// them makes reading a page several times cheaper.
struct Outline {
    /// The answer, with `null` where its items were.
    rest: Value,
    count: usize,
    last: Option<Value>,
}

impl Outline {
    fn of(op: &Operation, status: u16, text: &[u8], items_at: &str) -> Result<Self, Error> {
        let path: Vec<&str> = items_at.split('.').collect();
        let mut outline = Outline {
            rest: Value::Null,
            count: 0,
            last: None,
        };
        if text.iter().all(u8::is_ascii_whitespace) {
            return Ok(outline);
        }

        let mut reader = serde_json::Deserializer::from_slice(text);
        let skim = Skim {
            path: &path,
            count: &mut outline.count,
            last: &mut outline.last,
        };
        if let Ok(rest) = skim.deserialize(&mut reader)
            && reader.end().is_ok()
        {
            outline.rest = rest;
            return Ok(outline);
        }

        // Not the shape the description gives (items that are not a list, say): the whole
        // answer is parsed instead, which also names any fault in the JSON itself.
        let body = parse(op, status, text)?;
        let items = at(&body, items_at).and_then(Value::as_array);
        Ok(Outline {
            count: items.map_or(0, Vec::len),
            last: items.and_then(|items| items.last()).cloned(),
            rest: body,
        })
    }
}

/// Reads a JSON value into a [`Value`], except at `path` below it, where the items are
/// counted and only the last is kept.
struct Skim<'a> {
    path: &'a [&'a str],
    count: &'a mut usize,
    last: &'a mut Option<Value>,
}

impl<'de> DeserializeSeed<'de> for Skim<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, reader: D) -> Result<Value, D::Error> {
        match self.path.split_first() {
            None => {
                let items = ItemsVisitor {
                    count: self.count,
                    last: self.last,
                };
                reader.deserialize_any(items).map(|()| Value::Null)
            }
            Some((key, path)) => reader.deserialize_map(ObjectVisitor {
                key,
                path,
                count: self.count,
                last: self.last,
            }),
        }
    }
}

/// An object whose field `key` leads on to the items.
struct ObjectVisitor<'a> {
    key: &'a str,
    path: &'a [&'a str],
    count: &'a mut usize,
    last: &'a mut Option<Value>,
}

impl<'de> Visitor<'de> for ObjectVisitor<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object with the field `{}`", self.key)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = if key == self.key {
                map.next_value_seed(Skim {
                    path: self.path,
                    count: &mut *self.count,
                    last: &mut *self.last,
                })?
            } else {
                map.next_value()?
            };
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// The items themselves: a list, or `null` for none.
struct ItemsVisitor<'a> {
    count: &'a mut usize,
    last: &'a mut Option<Value>,
}

impl<'de> Visitor<'de> for ItemsVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of items")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        // Each item is only looked over, borrowed from the text; only the last is built.
        let mut last: Option<&'de RawValue> = None;
        while let Some(item) = seq.next_element()? {
            *self.count += 1;
            last = Some(item);
        }
        if let Some(item) = last {
            *self.last = Some(serde_json::from_str(item.get()).map_err(de::Error::custom)?);
        }
        Ok(())
    }
}

/// The parameters of the page after this one, `None` at the end.
fn next_params(
    op: &Operation,
    paging: &Pagination,
    params: &Map<String, Value>,
    page: &Outline,
    seen: &mut HashSet<String>,
) -> Result<Option<Map<String, Value>>, Error> {
    if page.count == 0 {
        return Ok(None);
    }
    let body = &page.rest;
    let mut next = params.clone();

    match paging.style {
        PaginationStyle::Cursor => {
            if let Some(flag) = paging.has_more
                && at(body, flag) == Some(&Value::Bool(false))
            {
                return Ok(None);
            }
            let mut any = false;
            for cursor in paging.cursor {
                let value = match cursor.source {
                    CursorSource::Response(path) => at(body, path),
                    CursorSource::LastItem(field) => page.last.as_ref().and_then(|i| at(i, field)),
                };
                match value.filter(|v| !v.is_null()) {
                    Some(value) => {
                        next.insert(cursor.param.to_owned(), value.clone());
                        any = true;
                    }
                    None => {
                        next.remove(cursor.param);
                    }
                }
            }
            if !any {
                return Ok(None);
            }
            let key: Vec<String> = paging
                .cursor
                .iter()
                .map(|c| next.get(c.param).map(Value::to_string).unwrap_or_default())
                .collect();
            if !seen.insert(key.join("|")) {
                let message = format!(
                    "the service repeated a cursor of {}; stopping instead of looping",
                    op.id
                );
                return Err(Error::new(ErrorKind::Decode, Some(op.id), message));
            }
        }
        PaginationStyle::Page => {
            let param = paging.page_param.unwrap_or("page");
            let Some(number) = paging
                .next_page
                .and_then(|p| at(body, p))
                .and_then(Value::as_f64)
            else {
                return Ok(None);
            };
            let current = params.get(param).and_then(number_of).unwrap_or(1.0);
            if number <= current {
                let message = format!("{} named page {number} after page {current}", op.id);
                return Err(Error::new(ErrorKind::Decode, Some(op.id), message));
            }
            next.insert(param.to_owned(), Value::from(number as u64));
        }
        PaginationStyle::Offset | PaginationStyle::Skip => {
            let param = paging.offset_param.unwrap_or("offset");
            let offset = params.get(param).and_then(number_of).unwrap_or(0.0) as u64;
            let reached = offset + page.count as u64;
            let limit = paging
                .limit_param
                .and_then(|l| params.get(l))
                .and_then(number_of);
            if limit.is_some_and(|limit| (page.count as f64) < limit) {
                return Ok(None);
            }
            let total = paging
                .total
                .and_then(|t| at(body, t))
                .and_then(Value::as_u64);
            if total.is_some_and(|total| reached >= total) {
                return Ok(None);
            }
            // Keep the type the description gives the parameter: some take numbers as text.
            let value = match params.get(param) {
                Some(Value::String(_)) => Value::String(reached.to_string()),
                _ => Value::from(reached),
            };
            next.insert(param.to_owned(), value);
        }
    }
    Ok(Some(next))
}

/// The value at a dotted path (`meta.startAfterId`).
fn at<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(value, |v, key| v.get(key))
}

/// A number, whether JSON holds it as a number or as text.
fn number_of(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn outline(text: &str, items_at: &str) -> Result<Outline, Error> {
        let op = find("listContacts").expect("the description has listContacts");
        Outline::of(op, 200, text.as_bytes(), items_at)
    }

    #[test]
    fn a_skimmed_page_keeps_the_rest_and_the_last_item() {
        let text = r#"{"messages":{"messages":[{"id":"a"},{"id":"b"}],"lastMessageId":"b"},
                       "meta":{"total":2}}"#;
        let page = outline(text, "messages.messages").unwrap();

        assert_eq!(page.count, 2);
        assert_eq!(page.last, Some(json!({"id": "b"})));
        assert_eq!(page.rest["messages"]["lastMessageId"], "b");
        assert_eq!(page.rest["messages"]["messages"], Value::Null);
        assert_eq!(page.rest["meta"]["total"], 2);
    }

    #[test]
    fn missing_null_or_odd_items_count_as_none() {
        for text in [
            r#"{"meta":{}}"#,
            r#"{"contacts":null}"#,
            r#"{"contacts":{"not":"a list"}}"#,
            r#"[1, 2]"#,
            "  ",
        ] {
            let page = outline(text, "contacts").unwrap();
            assert_eq!((page.count, page.last), (0, None), "{text}");
        }
    }

    #[test]
    fn text_that_is_not_json_is_a_decode_error() {
        for text in [
            r#"{"contacts":[{"id":"a"},]}"#,
            r#"{"contacts":[]} trailing"#,
        ] {
            let error = outline(text, "contacts").err().expect(text);
            assert_eq!(error.kind(), ErrorKind::Decode, "{text}");
        }
    }

    #[test]
    fn a_raw_page_parses_to_the_same_page_and_items() {
        let page = RawPage {
            text: Bytes::from_static(br#"{"contacts":[{"id":"a"},{"id":"b"}],"meta":{}}"#),
            items_at: "contacts",
            op: find("listContacts").unwrap(),
            status: 200,
        };

        let parsed = page.clone().parse().unwrap();
        assert_eq!(parsed.items, vec![json!({"id": "a"}), json!({"id": "b"})]);
        assert_eq!(parsed.body["contacts"][1]["id"], "b");
        assert_eq!(page.into_items().unwrap(), parsed.items);
    }
}
