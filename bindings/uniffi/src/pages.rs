//! Pagination as an object with an async `next()`: each call gives the next page, or
//! nothing after the last one. The core fetches the page after the current one while the
//! caller works on it; Kotlin's `Flow` and Swift's `AsyncSequence` wrappers are written on
//! top of `next()` in those languages.

use std::sync::Arc;

use serde_json::{Map, Value};
use tokio::sync::Mutex;

use crate::error::HighLevelError;
use crate::runtime;

/// One page of a paginated operation.
#[derive(Debug, Clone, uniffi::Record)]
pub struct Page {
    /// The page's items, each as JSON text.
    pub items_json: Vec<String>,
    /// The whole answer, items included, as JSON text.
    pub body_json: String,
}

/// The pages of a paginated call. Calls to `next` are taken one at a time.
#[derive(uniffi::Object)]
pub struct Pages {
    /// `None` once the walk is over.
    walk: Arc<Mutex<Option<highlevel::Pages>>>,
}

impl Pages {
    /// Starts the walk on the SDK's runtime; the core refuses an unknown operation or one
    /// that does not paginate before any request.
    pub(crate) fn start(
        client: &highlevel::Client,
        operation: &str,
        params: Map<String, Value>,
    ) -> Result<Arc<Self>, HighLevelError> {
        let pages = runtime::enter(|| client.pages(operation, params))??;
        Ok(Arc::new(Self {
            walk: Arc::new(Mutex::new(Some(pages))),
        }))
    }
}

#[uniffi::export]
impl Pages {
    /// The next page, or `null`/`nil` after the last one. After an error the walk is over.
    pub async fn next(&self) -> Result<Option<Page>, HighLevelError> {
        let walk = self.walk.clone();
        runtime::run(async move {
            let mut walk = walk.lock().await;
            let Some(pages) = walk.as_mut() else {
                return Ok(None);
            };
            match pages.next().await {
                Some(Ok(page)) => Ok(Some(Page {
                    items_json: page.items.iter().map(Value::to_string).collect(),
                    body_json: page.body.to_string(),
                })),
                Some(Err(error)) => {
                    *walk = None;
                    Err(error.into())
                }
                None => {
                    *walk = None;
                    Ok(None)
                }
            }
        })
        .await
    }
}
