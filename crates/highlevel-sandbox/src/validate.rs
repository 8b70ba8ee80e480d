//! Checking a request against its operation's description before the handler sees it, and
//! answering as HighLevel does when it does not fit: required parameters and body fields,
//! parameter types, and the body's schema.

use bytes::Bytes;
use highlevel::{Operation, ParamPlace};
use serde_json::Value;

use crate::error::ApiError;
use crate::server::OpRuntime;

/// The parsed body (`Null` when the operation takes none), or the answer refusing the
/// request.
pub(crate) fn request(
    op: &Operation,
    runtime: &OpRuntime,
    query: &[(String, String)],
    body: &Bytes,
) -> Result<Value, ApiError> {
    required_params(op, query)?;
    param_types(runtime, query)?;

    let Some(required) = op.body_required else {
        return Ok(Value::Null);
    };
    let json = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Default::default())
    } else {
        serde_json::from_slice(body)
            .map_err(|e| ApiError::http_exception(format!("the body is not valid JSON: {e}")))?
    };
    let Some(object) = json.as_object() else {
        return Err(ApiError::unprocessable(vec![
            "the body must be a JSON object".into(),
        ]));
    };

    let missing: Vec<String> = required
        .iter()
        .filter(|f| object.get(**f).is_none_or(Value::is_null))
        .map(|f| format!("{f} should not be empty"))
        .collect();
    if !missing.is_empty() {
        return Err(ApiError::unprocessable(missing));
    }

    if let Some(validator) = &runtime.body_validator {
        let problems: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| {
                let at = e.instance_path().to_string();
                let field = at.trim_start_matches('/').replace('/', ".");
                if field.is_empty() {
                    e.to_string()
                } else {
                    format!("{field}: {e}")
                }
            })
            .collect();
        if !problems.is_empty() {
            return Err(ApiError::unprocessable(problems));
        }
    }
    Ok(json)
}

fn required_params(op: &Operation, query: &[(String, String)]) -> Result<(), ApiError> {
    let given = |name: &str| query.iter().any(|(n, v)| n == name && !v.is_empty());
    let mut missing = Vec::new();
    for param in op
        .params
        .iter()
        .filter(|p| p.place == ParamPlace::Query && p.required)
    {
        if given(param.name) {
            continue;
        }
        // HighLevel's own words for the parameter it asks for most.
        if matches!(param.name, "locationId" | "location_id") {
            return Err(ApiError::unprocessable_one("LocationId can't be undefined"));
        }
        missing.push(format!("{} should not be empty", param.name));
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(ApiError::unprocessable(missing))
    }
}

fn param_types(runtime: &OpRuntime, query: &[(String, String)]) -> Result<(), ApiError> {
    let mut problems = Vec::new();
    for (name, value) in query {
        let Some(schema) = runtime.query_schemas.get(name) else {
            continue;
        };
        if let Some(problem) = check_value(name, value, schema) {
            problems.push(problem);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::unprocessable(problems))
    }
}

/// What is wrong with one query value, if anything.
fn check_value(name: &str, value: &str, schema: &Value) -> Option<String> {
    let schema = if schema["type"] == "array" {
        &schema["items"]
    } else {
        schema
    };
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.iter().any(|a| a.as_str() == Some(value)) {
            let list: Vec<&str> = allowed.iter().filter_map(Value::as_str).collect();
            return Some(format!(
                "{name} must be one of the following values: {}",
                list.join(", ")
            ));
        }
        return None;
    }
    match schema["type"].as_str() {
        Some("integer") => {
            let ok = value
                .parse::<f64>()
                .is_ok_and(|n| n.is_finite() && n.fract() == 0.0);
            (!ok).then(|| format!("{name} must be an integer number"))
        }
        Some("number") => {
            let ok = value.parse::<f64>().is_ok_and(f64::is_finite);
            (!ok).then(|| format!("{name} must be a number"))
        }
        Some("boolean") => {
            (!matches!(value, "true" | "false")).then(|| format!("{name} must be a boolean value"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn query_values_are_checked_against_their_schema() {
        assert_eq!(check_value("limit", "20", &json!({"type": "number"})), None);
        assert!(
            check_value("limit", "lots", &json!({"type": "number"}))
                .unwrap()
                .contains("number")
        );
        assert!(check_value("page", "1.5", &json!({"type": "integer"})).is_some());
        assert!(check_value("x", "yes", &json!({"type": "boolean"})).is_some());
        let altype = json!({"type": "string", "enum": ["location"]});
        assert_eq!(check_value("altType", "location", &altype), None);
        assert!(
            check_value("altType", "agency", &altype)
                .unwrap()
                .contains("location")
        );
        assert_eq!(
            check_value("q", "anything", &json!({"type": "string"})),
            None
        );
    }
}
