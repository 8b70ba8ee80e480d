//! Page sizes and page cuts shared by the list handlers, with HighLevel's limits.

use indexmap::IndexMap;
use serde_json::Value;

use crate::ctx::Ctx;
use crate::error::ApiError;

/// The page size the caller asked for through the operation's limit parameter, or
/// `default`; more than the operation's documented maximum is refused as HighLevel does.
pub(crate) fn limit(ctx: &Ctx<'_>, default: usize) -> Result<usize, ApiError> {
    let paging = ctx.op.pagination.as_ref();
    let Some(param) = paging.and_then(|p| p.limit_param).or(Some("limit")) else {
        return Ok(default);
    };
    let Some(asked) = ctx.query_number(param)? else {
        return Ok(default);
    };

    // An empty page would look like the end of the list to a client.
    if asked == 0 {
        return Err(ApiError::unprocessable(vec![format!(
            "{param} must not be less than 1"
        )]));
    }
    if let Some(max) = paging.and_then(|p| p.max_limit)
        && asked > i64::from(max)
    {
        return Err(ApiError::unprocessable(vec![format!(
            "{param} must not be greater than {max}"
        )]));
    }
    Ok(asked as usize)
}

/// The `skip` or `offset` the caller asked for, 0 when absent.
pub(crate) fn offset(ctx: &Ctx<'_>) -> Result<usize, ApiError> {
    let param = ctx
        .op
        .pagination
        .as_ref()
        .and_then(|p| p.offset_param)
        .unwrap_or("offset");
    Ok(ctx.query_number(param)?.unwrap_or(0) as usize)
}

/// Up to `limit` items that pass `keep`, after skipping `offset` of them.
pub(crate) fn by_offset<'a>(
    items: impl Iterator<Item = &'a Value>,
    offset: usize,
    limit: usize,
    keep: impl Fn(&Value) -> bool,
) -> Vec<Value> {
    items
        .filter(|v| keep(v))
        .skip(offset)
        .take(limit)
        .cloned()
        .collect()
}

/// Up to `limit` items that pass `keep`, starting after the item whose id is `after`.
/// An unknown cursor is refused rather than read as "from the start", which would loop.
pub(crate) fn after_id(
    items: &IndexMap<String, Value>,
    after: Option<&str>,
    limit: usize,
    keep: impl Fn(&Value) -> bool,
) -> Result<Vec<Value>, ApiError> {
    let start = match after {
        None => 0,
        Some(id) => {
            let index = items.get_index_of(id).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "the cursor {id} does not name an item of this list"
                ))
            })?;
            index + 1
        }
    };
    let page = items
        .values()
        .skip(start)
        .filter(|v| keep(v))
        .take(limit)
        .cloned()
        .collect();
    Ok(page)
}

/// Whether `object`'s string `field` contains `needle`, ignoring case.
pub(crate) fn contains(object: &Value, field: &str, needle: &str) -> bool {
    object[field]
        .as_str()
        .is_some_and(|v| v.to_lowercase().contains(&needle.to_lowercase()))
}
