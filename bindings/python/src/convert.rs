//! JSON values to Python objects and back: dicts, lists, strings, numbers, booleans and
//! `None`, with every field kept.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

/// A Python object as JSON; anything JSON cannot hold is refused, naming its type and
/// where it was found (`body.tags[2]`).
pub(crate) fn to_json(object: &Bound<'_, PyAny>, at: &str) -> PyResult<Value> {
    if object.is_none() {
        return Ok(Value::Null);
    }
    // `bool` is a subclass of `int`, so it is asked about first.
    if let Ok(flag) = object.cast::<PyBool>() {
        return Ok(Value::Bool(flag.is_true()));
    }
    if object.is_instance_of::<PyInt>() {
        if let Ok(n) = object.extract::<i64>() {
            return Ok(Value::from(n));
        }
        if let Ok(n) = object.extract::<u64>() {
            return Ok(Value::from(n));
        }
        return Err(PyTypeError::new_err(format!(
            "{at} is an integer too large for JSON"
        )));
    }
    if let Ok(number) = object.cast::<PyFloat>() {
        return Number::from_f64(number.value())
            .map(Value::Number)
            .ok_or_else(|| PyTypeError::new_err(format!("{at} is not a finite number")));
    }
    if let Ok(text) = object.cast::<PyString>() {
        return Ok(Value::String(text.to_cow()?.into_owned()));
    }
    if let Ok(dict) = object.cast::<PyDict>() {
        let mut map = Map::new();
        for (key, value) in dict.iter() {
            let key: String = key.extract().map_err(|_| {
                PyTypeError::new_err(format!("{at} has a key that is not a string: {key}"))
            })?;
            let value = to_json(&value, &format!("{at}.{key}"))?;
            map.insert(key, value);
        }
        return Ok(Value::Object(map));
    }
    if object.is_instance_of::<PyList>() || object.is_instance_of::<PyTuple>() {
        let mut items = Vec::new();
        for (index, item) in object.try_iter()?.enumerate() {
            items.push(to_json(&item?, &format!("{at}[{index}]"))?);
        }
        return Ok(Value::Array(items));
    }
    let kind = object.get_type().name()?;
    Err(PyTypeError::new_err(format!(
        "{at} is a {kind}, which JSON cannot hold; use a dict, list, str, int, float, bool \
         or None"
    )))
}

/// The JSON object a dict of parameters stands for.
pub(crate) fn to_map(object: Option<&Bound<'_, PyAny>>, at: &str) -> PyResult<Map<String, Value>> {
    match object.map(|o| to_json(o, at)).transpose()? {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(map)) => Ok(map),
        Some(_) => Err(PyTypeError::new_err(format!("{at} must be a dict"))),
    }
}

/// A JSON value as plain Python data.
pub(crate) fn to_python<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(flag) => PyBool::new(py, *flag).to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any(),
            _ => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(text) => PyString::new(py, text).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_python(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (key, value) in map {
                dict.set_item(key, to_python(py, value)?)?;
            }
            dict.into_any()
        }
    })
}
