//! Walking paginated operations, in each of HighLevel's styles, as streams of pages and of
//! items. The next page is fetched while the caller works on the current one, at most two
//! pages are held, the walk stops at the real end, and a service that repeats a cursor ends
//! it with an error instead of a loop.

use std::collections::{HashSet, VecDeque};
use std::pin::Pin;
use std::task::{Context, Poll};

use serde_json::{Map, Value};
use tokio::sync::mpsc;

use crate::Client;
use crate::call::find;
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

/// The pages of a paginated call; a [`Stream`](futures_core::Stream), and
/// [`Pages::next`] for use without stream helpers.
pub struct Pages {
    receiver: mpsc::Receiver<Result<Page, Error>>,
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
        self.receiver.recv().await
    }
}

impl futures_core::Stream for Pages {
    type Item = Result<Page, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.receiver.poll_recv(cx)
    }
}

impl Items {
    /// The next item, or `None` after the last one.
    pub async fn next(&mut self) -> Option<Result<Value, Error>> {
        loop {
            if let Some(item) = self.current.pop_front() {
                return Some(Ok(item));
            }
            match self.pages.next().await? {
                Ok(page) => self.current.extend(page.items),
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
            match self.pages.receiver.poll_recv(cx) {
                Poll::Ready(Some(Ok(page))) => self.current.extend(page.items),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
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
    sender: mpsc::Sender<Result<Page, Error>>,
) {
    let mut seen = HashSet::new();
    loop {
        let Ok(slot) = sender.reserve().await else {
            return;
        };
        let body = match client.call(op.name, &params, None).await {
            Ok(answer) => answer.body,
            Err(error) => return slot.send(Err(error)),
        };
        let items = at(&body, paging.items)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let next = next_params(op, paging, &params, &body, &items, &mut seen);
        slot.send(Ok(Page { items, body }));

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

/// The parameters of the page after this one, `None` at the end.
fn next_params(
    op: &Operation,
    paging: &Pagination,
    params: &Map<String, Value>,
    body: &Value,
    items: &[Value],
    seen: &mut HashSet<String>,
) -> Result<Option<Map<String, Value>>, Error> {
    if items.is_empty() {
        return Ok(None);
    }
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
                    CursorSource::LastItem(field) => items.last().and_then(|i| at(i, field)),
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
            let reached = offset + items.len() as u64;
            let limit = paging
                .limit_param
                .and_then(|l| params.get(l))
                .and_then(number_of);
            if limit.is_some_and(|limit| (items.len() as f64) < limit) {
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
