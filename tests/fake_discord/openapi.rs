//! Validates request bodies against Discord's OpenAPI 3.1 description (a copy of the project's
//! `shared/discord/openapi.json` under `tests/data/discord/`, with its MIT licence, so a
//! checkout on its own can run the suite): finds the operation by method and path template, then checks the JSON body
//! against its `application/json` schema with the JSON Schema keywords the description uses
//! ($ref, type, const, enum, properties, required, additionalProperties, items, allOf, anyOf,
//! oneOf, min/max length, items, properties, minimum/maximum, uniqueItems, pattern).

use std::sync::OnceLock;

use serde_json::Value;

pub const SPEC_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/discord/openapi.json"
);

/// The parsed description; panics (failing the test loudly) when the file is missing.
pub fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let text = std::fs::read_to_string(SPEC_PATH).unwrap_or_else(|e| {
            panic!("Discord's OpenAPI description is required at {SPEC_PATH}: {e}")
        });
        let spec: Value = serde_json::from_str(&text).expect("openapi.json is JSON");
        assert!(spec["paths"].is_object(), "openapi.json has no paths");
        spec
    })
}

/// Errors of a request `method path` with JSON `body` (`Null` when there is none).
pub fn check_request(method: &str, path: &str, body: &Value) -> Vec<String> {
    let spec = spec();
    let Some((template, operation)) = find_operation(spec, method, path) else {
        return vec![format!(
            "no operation {method} {path} in Discord's API description"
        )];
    };
    let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
    if schema.is_null() {
        if body.is_null() {
            return Vec::new();
        }
        return vec![format!("{template} takes no JSON body")];
    }
    if body.is_null() {
        if operation["requestBody"]["required"].as_bool() == Some(true) {
            return vec![format!("{template} requires a body")];
        }
        return Vec::new();
    }
    let mut errors = Vec::new();
    validate(spec, schema, body, "$", &mut errors);
    errors
}

fn find_operation<'a>(spec: &'a Value, method: &str, path: &str) -> Option<(String, &'a Value)> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let mut best: Option<(usize, String, &Value)> = None;
    for (template, item) in spec["paths"].as_object()? {
        let parts: Vec<&str> = template.trim_matches('/').split('/').collect();
        if parts.len() != segments.len() {
            continue;
        }
        let mut literal = 0;
        let fits = parts.iter().zip(&segments).all(|(p, s)| {
            if p.starts_with('{') && p.ends_with('}') {
                !s.is_empty()
            } else if p == s {
                literal += 1;
                true
            } else {
                false
            }
        });
        let Some(operation) = item.get(method.to_lowercase()) else {
            continue;
        };
        if fits && best.as_ref().is_none_or(|(l, _, _)| literal > *l) {
            best = Some((literal, template.clone(), operation));
        }
    }
    best.map(|(_, t, o)| (t, o))
}

fn resolve<'a>(spec: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    spec.pointer(pointer)
}

fn type_matches(kind: &str, value: &Value) -> bool {
    match kind {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "number" => value.is_number(),
        "integer" => {
            value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => false,
    }
}

fn pattern_matches(pattern: &str, text: &str) -> Option<bool> {
    match pattern {
        "^(0|[1-9][0-9]*)$" => Some(
            text == "0"
                || (!text.is_empty()
                    && !text.starts_with('0')
                    && text.chars().all(|c| c.is_ascii_digit())),
        ),
        "^#(([0-9a-fA-F]{2}){3}|([0-9a-fA-F]){3})$" => {
            Some(text.strip_prefix('#').is_some_and(|h| {
                (h.len() == 6 || h.len() == 3) && h.chars().all(|c| c.is_ascii_hexdigit())
            }))
        }
        _ => None,
    }
}

fn validate(spec: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let Some(schema_map) = schema.as_object() else {
        if schema == &Value::Bool(false) {
            errors.push(format!("{at}: not allowed"));
        }
        return;
    };
    if let Some(reference) = schema_map.get("$ref").and_then(Value::as_str) {
        match resolve(spec, reference) {
            Some(target) => validate(spec, target, value, at, errors),
            None => errors.push(format!("{at}: unresolvable $ref {reference}")),
        }
    }
    if let Some(kind) = schema_map.get("type") {
        let ok = match kind {
            Value::String(k) => type_matches(k, value),
            Value::Array(ks) => ks
                .iter()
                .filter_map(Value::as_str)
                .any(|k| type_matches(k, value)),
            _ => true,
        };
        if !ok {
            errors.push(format!("{at}: {value} is not of type {kind}"));
            return;
        }
    }
    if let Some(c) = schema_map.get("const") {
        if !same(c, value) {
            errors.push(format!("{at}: {value} is not {c}"));
        }
    }
    if let Some(Value::Array(allowed)) = schema_map.get("enum") {
        if !allowed.iter().any(|a| same(a, value)) {
            errors.push(format!("{at}: {value} is not one of {allowed:?}"));
        }
    }
    if let Value::String(text) = value {
        let len = text.chars().count() as u64;
        if let Some(max) = schema_map.get("maxLength").and_then(Value::as_u64) {
            if len > max {
                errors.push(format!("{at}: {len} characters, more than {max}"));
            }
        }
        if let Some(min) = schema_map.get("minLength").and_then(Value::as_u64) {
            if len < min {
                errors.push(format!("{at}: {len} characters, fewer than {min}"));
            }
        }
        if let Some(pattern) = schema_map.get("pattern").and_then(Value::as_str) {
            match pattern_matches(pattern, text) {
                Some(true) => {}
                Some(false) => errors.push(format!("{at}: {text:?} does not match {pattern}")),
                None => errors.push(format!(
                    "{at}: the validator does not know pattern {pattern}"
                )),
            }
        }
    }
    if let Some(n) = value.as_f64() {
        if let Some(min) = schema_map.get("minimum").and_then(Value::as_f64) {
            if n < min {
                errors.push(format!("{at}: {n} is below {min}"));
            }
        }
        if let Some(max) = schema_map.get("maximum").and_then(Value::as_f64) {
            if n > max {
                errors.push(format!("{at}: {n} is above {max}"));
            }
        }
    }
    if let Value::Array(items) = value {
        if let Some(max) = schema_map.get("maxItems").and_then(Value::as_u64) {
            if items.len() as u64 > max {
                errors.push(format!("{at}: {} items, more than {max}", items.len()));
            }
        }
        if let Some(min) = schema_map.get("minItems").and_then(Value::as_u64) {
            if (items.len() as u64) < min {
                errors.push(format!("{at}: {} items, fewer than {min}", items.len()));
            }
        }
        if schema_map.get("uniqueItems") == Some(&Value::Bool(true)) {
            for (i, a) in items.iter().enumerate() {
                if items[..i].iter().any(|b| same(a, b)) {
                    errors.push(format!("{at}: items are not unique"));
                    break;
                }
            }
        }
        if let Some(item_schema) = schema_map.get("items") {
            for (i, item) in items.iter().enumerate() {
                validate(spec, item_schema, item, &format!("{at}[{i}]"), errors);
            }
        }
    }
    if let Value::Object(object) = value {
        let properties = schema_map.get("properties").and_then(Value::as_object);
        if let Some(Value::Array(required)) = schema_map.get("required") {
            for key in required.iter().filter_map(Value::as_str) {
                if !object.contains_key(key) {
                    errors.push(format!("{at}: missing required property {key}"));
                }
            }
        }
        if let Some(max) = schema_map.get("maxProperties").and_then(Value::as_u64) {
            if object.len() as u64 > max {
                errors.push(format!(
                    "{at}: {} properties, more than {max}",
                    object.len()
                ));
            }
        }
        for (key, v) in object {
            let path = format!("{at}.{key}");
            match properties.and_then(|p| p.get(key)) {
                Some(s) => validate(spec, s, v, &path, errors),
                None => {
                    if let Some(extra) = schema_map.get("additionalProperties") {
                        validate(spec, extra, v, &path, errors);
                    }
                }
            }
        }
    }
    if let Some(Value::Array(all)) = schema_map.get("allOf") {
        for s in all {
            validate(spec, s, value, at, errors);
        }
    }
    if let Some(Value::Array(any)) = schema_map.get("anyOf") {
        let results: Vec<Vec<String>> = any.iter().map(|s| sub(spec, s, value, at)).collect();
        if !results.iter().any(Vec::is_empty) {
            errors.push(format!(
                "{at}: matches none of anyOf; closest: {:?}",
                closest(&results)
            ));
        }
    }
    if let Some(Value::Array(one)) = schema_map.get("oneOf") {
        let results: Vec<Vec<String>> = one.iter().map(|s| sub(spec, s, value, at)).collect();
        let matched = results.iter().filter(|r| r.is_empty()).count();
        if matched != 1 {
            errors.push(format!(
                "{at}: matches {matched} of oneOf (exactly one needed); closest: {:?}",
                closest(&results)
            ));
        }
    }
}

fn sub(spec: &Value, schema: &Value, value: &Value, at: &str) -> Vec<String> {
    let mut errors = Vec::new();
    validate(spec, schema, value, at, &mut errors);
    errors
}

fn closest(results: &[Vec<String>]) -> Vec<String> {
    results
        .iter()
        .filter(|r| !r.is_empty())
        .min_by_key(|r| r.len())
        .cloned()
        .unwrap_or_default()
}

/// JSON equality that treats 1 and 1.0 alike.
fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}
