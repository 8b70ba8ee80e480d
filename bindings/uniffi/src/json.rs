//! Moving values between JSON and the typed records, for the generated code.
//!
//! Reading never loses anything: a documented field whose value has an unexpected type is
//! left in the record's `extra_json` together with the fields the description does not name.
//! Writing puts the documented fields under their wire names, over what `extra_json` holds.

use serde_json::{Map, Value};

use crate::error::HighLevelError;

/// A type that can be read from a JSON value, when the value has its shape.
pub(crate) trait FromJson: Sized {
    fn from_json(value: &Value) -> Option<Self>;
}

/// A type that can be written as JSON; `Err` says what is wrong with it.
pub(crate) trait ToJson {
    fn to_json(&self) -> Result<Value, String>;
}

impl FromJson for String {
    fn from_json(value: &Value) -> Option<Self> {
        value.as_str().map(str::to_owned)
    }
}

impl FromJson for bool {
    fn from_json(value: &Value) -> Option<Self> {
        value.as_bool()
    }
}

impl FromJson for f64 {
    fn from_json(value: &Value) -> Option<Self> {
        value.as_f64()
    }
}

impl FromJson for i64 {
    fn from_json(value: &Value) -> Option<Self> {
        value.as_i64()
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value) -> Option<Self> {
        // All or nothing: a list with one odd item stays whole in `extra_json`.
        value.as_array()?.iter().map(T::from_json).collect()
    }
}

impl ToJson for String {
    fn to_json(&self) -> Result<Value, String> {
        Ok(Value::String(self.clone()))
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Result<Value, String> {
        Ok(Value::Bool(*self))
    }
}

impl ToJson for i64 {
    fn to_json(&self) -> Result<Value, String> {
        Ok(Value::from(*self))
    }
}

impl ToJson for f64 {
    fn to_json(&self) -> Result<Value, String> {
        number(*self).ok_or_else(|| format!("{self} is not a number JSON can hold"))
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Result<Value, String> {
        self.iter().map(T::to_json).collect()
    }
}

/// A whole number as a JSON integer (`20`, not `20.0`, which a query string would carry as
/// `20.0`), anything else as a JSON float.
pub(crate) fn number(value: f64) -> Option<Value> {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    if value.fract() == 0.0 && value.abs() < EXACT {
        return Some(Value::from(value as i64));
    }
    serde_json::Number::from_f64(value).map(Value::Number)
}

/// The fields of an object, or `None` when `value` is not an object.
pub(crate) fn object(value: &Value) -> Option<Map<String, Value>> {
    value.as_object().cloned()
}

/// Takes the documented field `key` out of `map` when it has the expected type, and leaves
/// it for `extra_json` otherwise. `null` is taken as `None`.
pub(crate) fn take<T: FromJson>(map: &mut Map<String, Value>, key: &str) -> Option<T> {
    let value = map.get(key)?;
    if value.is_null() {
        map.remove(key);
        return None;
    }
    let typed = T::from_json(value)?;
    map.remove(key);
    Some(typed)
}

/// Takes a field the records keep as JSON text (free-form objects, values of any type).
pub(crate) fn take_raw(map: &mut Map<String, Value>, key: &str) -> Option<String> {
    let value = map.remove(key)?;
    (!value.is_null()).then(|| value.to_string())
}

/// Takes a list of free-form values, each as JSON text.
pub(crate) fn take_raw_list(map: &mut Map<String, Value>, key: &str) -> Option<Vec<String>> {
    let Value::Array(items) = map.get(key)? else {
        return None;
    };
    let items = items.iter().map(Value::to_string).collect();
    map.remove(key);
    Some(items)
}

/// What is left of an object after its documented fields were taken, as JSON text.
pub(crate) fn rest(map: Map<String, Value>) -> Option<String> {
    (!map.is_empty()).then(|| Value::Object(map).to_string())
}

/// The fields of a record's `extra_json`, where writing a record starts.
pub(crate) fn extra(record: &str, extra_json: Option<&str>) -> Result<Map<String, Value>, String> {
    let Some(text) = extra_json else {
        return Ok(Map::new());
    };
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(format!("{record}.extra_json must be a JSON object")),
        Err(e) => Err(format!("{record}.extra_json is not JSON: {e}")),
    }
}

/// Puts a documented field under its wire name, when it is set.
pub(crate) fn put<T: ToJson>(
    map: &mut Map<String, Value>,
    key: &str,
    value: Option<&T>,
) -> Result<(), String> {
    if let Some(value) = value {
        let json = value.to_json().map_err(|e| format!("`{key}`: {e}"))?;
        map.insert(key.to_owned(), json);
    }
    Ok(())
}

/// Puts a field kept as JSON text.
pub(crate) fn put_raw(
    map: &mut Map<String, Value>,
    key: &str,
    value: Option<&String>,
) -> Result<(), String> {
    if let Some(text) = value {
        let json = parse(text).map_err(|e| format!("`{key}` is not JSON: {e}"))?;
        map.insert(key.to_owned(), json);
    }
    Ok(())
}

/// Puts a list of values kept as JSON text.
pub(crate) fn put_raw_list(
    map: &mut Map<String, Value>,
    key: &str,
    value: Option<&Vec<String>>,
) -> Result<(), String> {
    if let Some(items) = value {
        let items = items
            .iter()
            .map(|text| parse(text))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("an item of `{key}` is not JSON: {e}"))?;
        map.insert(key.to_owned(), Value::Array(items));
    }
    Ok(())
}

/// An answer read into its record, or a `decode` error when it is not the object the
/// description promises.
pub(crate) fn answer<T: FromJson>(operation: &str, value: &Value) -> Result<T, HighLevelError> {
    T::from_json(value).ok_or_else(|| {
        let shown: String = value.to_string().chars().take(200).collect();
        HighLevelError::decode(
            operation,
            format!("the answer is not the object the description promises: {shown}"),
        )
    })
}

fn parse(text: &str) -> Result<Value, serde_json::Error> {
    serde_json::from_str(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_of_the_wrong_type_stays_in_the_rest() {
        let mut map = object(&serde_json::json!({"id": 7, "name": "Ada", "x": null, "z": 1}))
            .unwrap_or_default();
        let id: Option<String> = take(&mut map, "id");
        let name: Option<String> = take(&mut map, "name");
        let x: Option<String> = take(&mut map, "x");
        assert_eq!((id, name.as_deref(), x), (None, Some("Ada"), None));
        assert_eq!(rest(map).as_deref(), Some(r#"{"id":7,"z":1}"#));
    }

    #[test]
    fn whole_numbers_are_written_as_integers() {
        assert_eq!(number(20.0), Some(Value::from(20)));
        assert_eq!(number(2.5).map(|v| v.to_string()).as_deref(), Some("2.5"));
        assert_eq!(number(f64::NAN), None);
    }
}
