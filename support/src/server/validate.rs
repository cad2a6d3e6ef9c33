//! Limits serde cannot check (lengths, bounds, counts, patterns), collected with the JSON
//! pointer or parameter name of every violation and answered as one 422 problem.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, PoisonError};

use serde_json::{Value, json};

use crate::problem::Problem;
use crate::wrappers::{Nullable, Secret};

/// A value that can check its own limits; generated for every type that has any.
pub trait Validate {
    /// Records each violation under `at`, the JSON pointer of `self`.
    fn validate(&self, at: &str, violations: &mut Violations);
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, at: &str, violations: &mut Violations) {
        for (i, item) in self.iter().enumerate() {
            item.validate(&format!("{at}/{i}"), violations);
        }
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate(&self, at: &str, violations: &mut Violations) {
        for (key, value) in self {
            value.validate(&Violations::at(at, key), violations);
        }
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate(&self, at: &str, violations: &mut Violations) {
        (**self).validate(at, violations);
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, at: &str, violations: &mut Violations) {
        if let Some(value) = self {
            value.validate(at, violations);
        }
    }
}

impl<T: Validate> Validate for Nullable<T> {
    fn validate(&self, at: &str, violations: &mut Violations) {
        if let Some(value) = self.as_option() {
            value.validate(at, violations);
        }
    }
}

impl<T: Validate> Validate for Secret<T> {
    fn validate(&self, at: &str, violations: &mut Violations) {
        self.expose().validate(at, violations);
    }
}

/// A number a bound can be checked on.
pub trait Numeric {
    /// The value as `f64` (bounds in specs are written as JSON numbers).
    fn as_f64(&self) -> f64;
}

macro_rules! numeric {
    ($($t:ty),*) => {$(
        impl Numeric for $t {
            fn as_f64(&self) -> f64 {
                *self as f64
            }
        }
    )*};
}
numeric!(i32, i64, u32, u64, f32, f64);

/// Something with a number of items or properties.
pub trait Counted {
    /// How many items or properties.
    fn count(&self) -> usize;
}

impl<T> Counted for Vec<T> {
    fn count(&self) -> usize {
        self.len()
    }
}

impl<T> Counted for BTreeMap<String, T> {
    fn count(&self) -> usize {
        self.len()
    }
}

/// JSON text with every object's members sorted, so that equal values have equal text.
fn canonical(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_by_key(|(k, _)| *k);
            let inner: Vec<String> =
                members.iter().map(|(k, v)| format!("{}:{}", Value::from(k.as_str()), canonical(v))).collect();
            format!("{{{}}}", inner.join(","))
        }
        Value::Array(items) => format!("[{}]", items.iter().map(canonical).collect::<Vec<_>>().join(",")),
        other => other.to_string(),
    }
}

/// The violations found in one request.
#[derive(Debug, Default)]
pub struct Violations(Vec<(String, String)>);

impl Violations {
    /// The pointer of member `key` under `at`.
    pub fn at(at: &str, key: &str) -> String {
        format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"))
    }

    /// Where a parameter's violation is reported.
    pub fn parameter(name: &str) -> String {
        format!("parameter:{name}")
    }

    fn push(&mut self, at: &str, message: String) {
        self.0.push((at.to_owned(), message));
    }

    /// `minLength`/`maxLength`, counted in characters.
    pub fn length(&mut self, at: &str, value: &str, min: Option<u64>, max: Option<u64>) {
        let len = value.chars().count() as u64;
        if min.is_some_and(|min| len < min) || max.is_some_and(|max| len > max) {
            self.push(at, format!("length {len} is outside {}", bounds(min, max)));
        }
    }

    /// `minimum`/`maximum`, possibly exclusive.
    pub fn range(
        &mut self,
        at: &str,
        value: &impl Numeric,
        min: Option<f64>,
        max: Option<f64>,
        exclusive_min: bool,
        exclusive_max: bool,
    ) {
        let v = value.as_f64();
        let low = min.is_some_and(|m| if exclusive_min { v <= m } else { v < m });
        let high = max.is_some_and(|m| if exclusive_max { v >= m } else { v > m });
        if low || high {
            let min = min.map(|m| format!("{}{m}", if exclusive_min { ">" } else { ">=" }));
            let max = max.map(|m| format!("{}{m}", if exclusive_max { "<" } else { "<=" }));
            let limits: Vec<String> = min.into_iter().chain(max).collect();
            self.push(at, format!("{v} is not {}", limits.join(" and ")));
        }
    }

    /// `multipleOf`.
    pub fn multiple_of(&mut self, at: &str, value: &impl Numeric, factor: f64) {
        let quotient = value.as_f64() / factor;
        if (quotient - quotient.round()).abs() > 1e-9 {
            self.push(at, format!("{} is not a multiple of {factor}", value.as_f64()));
        }
    }

    /// `minItems`/`maxItems`/`minProperties`/`maxProperties`.
    pub fn count(&mut self, at: &str, value: &impl Counted, min: Option<u64>, max: Option<u64>) {
        let n = value.count() as u64;
        if min.is_some_and(|min| n < min) || max.is_some_and(|max| n > max) {
            self.push(at, format!("{n} items is outside {}", bounds(min, max)));
        }
    }

    /// `uniqueItems`: no two items are equal as JSON values (objects whatever their member order).
    /// Each item is compared by its canonical JSON text, so a long array costs `n log n`, not `n²`.
    pub fn unique<T: serde::Serialize>(&mut self, at: &str, items: &[T]) {
        let mut seen = HashMap::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let Ok(value) = serde_json::to_value(item) else { continue };
            if let Some(first) = seen.insert(canonical(&value), i) {
                self.push(at, format!("items {first} and {i} are equal; the items must be unique"));
                return;
            }
        }
    }

    /// `pattern` (ECMA-262 regular expressions, as far as `regex-lite` reads them).
    pub fn pattern(&mut self, at: &str, value: &str, pattern: &str) {
        match matches(pattern, value) {
            Some(true) => {}
            Some(false) => self.push(at, format!("does not match the pattern `{pattern}`")),
            None => tracing::warn!(pattern, "pattern is not a valid regular expression; not checked"),
        }
    }

    /// `Ok` when nothing was found, else a 422 problem listing every violation.
    pub fn into_result(self) -> Result<(), Problem> {
        let Some((first_at, first)) = self.0.first().cloned() else { return Ok(()) };
        let errors: Vec<Value> = self.0.iter().map(|(at, message)| json!({ "at": at, "detail": message })).collect();
        let problem = Problem::unprocessable(format!("{first_at}: {first}")).with_extension("errors", errors);
        Err(match first_at.strip_prefix("parameter:") {
            Some(name) => problem.with_parameter(name),
            None => problem.with_pointer(first_at),
        })
    }
}

fn bounds(min: Option<u64>, max: Option<u64>) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("{min}..={max}"),
        (Some(min), None) => format!("{min}.."),
        (None, Some(max)) => format!("..={max}"),
        (None, None) => "..".to_owned(),
    }
}

/// Compiled patterns, shared by all requests; `None` for a pattern that does not compile.
fn matches(pattern: &str, value: &str) -> Option<bool> {
    static CACHE: Mutex<Option<HashMap<String, Option<regex_lite::Regex>>>> = Mutex::new(None);
    let mut cache = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
    let regex = cache
        .get_or_insert_with(HashMap::new)
        .entry(pattern.to_owned())
        .or_insert_with(|| regex_lite::Regex::new(pattern).ok());
    regex.as_ref().map(|r| r.is_match(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_limit_is_reported_with_its_place() {
        let mut v = Violations::default();
        v.length("/name", "ab", Some(3), Some(5));
        v.length("/ok", "abc", Some(3), None);
        v.range("/n", &10_i64, Some(0.0), Some(10.0), false, true);
        v.range("/m", &10_u64, Some(0.0), Some(10.0), false, false);
        v.count("/list", &vec![1, 2], None, Some(1));
        v.pattern("/p", "a b", "^[a-z]+$");
        v.multiple_of("/q", &7_i32, 2.0);
        v.length(&Violations::parameter("page"), "", Some(1), None);
        let problem = v.into_result().unwrap_err();
        let body = serde_json::to_value(&problem).unwrap();
        let places: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["at"].as_str().unwrap()).collect();
        assert_eq!(places, ["/name", "/n", "/list", "/p", "/q", "parameter:page"]);
        assert_eq!(body["status"], 422);
        assert_eq!(body["pointer"], "/name");
    }

    #[test]
    fn unique_items_compare_as_json_values() {
        let check = |items: Vec<Value>| {
            let mut v = Violations::default();
            v.unique("/tags", &items);
            v.into_result().err().map(|p| p.detail.unwrap_or_default())
        };
        assert_eq!(check(vec![json!("a"), json!("b")]), None);
        assert_eq!(
            check(vec![json!("a"), json!("b"), json!("a")]).as_deref(),
            Some("/tags: items 0 and 2 are equal; the items must be unique")
        );
        let (ab, ba) =
            (json!({ "a": 1, "b": [1, { "c": 2, "d": 3 }] }), json!({ "b": [1, { "d": 3, "c": 2 }], "a": 1 }));
        assert!(check(vec![ab.clone(), ba]).is_some());
        assert_eq!(check(vec![ab, json!({ "a": 1 })]), None);
    }

    #[test]
    fn no_violations_is_ok() {
        let mut v = Violations::default();
        v.length("/a", "héllo", Some(5), Some(5));
        assert!(v.into_result().is_ok());
    }
}
