//! Media type comparison, shared by both sides.

/// The type/subtype of a media type, parameters dropped (`application/json; api-version=1.0`
/// -> `application/json`). Compare it with [`same_essence`] or ignoring ASCII case.
pub fn essence(media_type: &str) -> &str {
    media_type.split(';').next().unwrap_or_default().trim()
}

/// Whether two media types have the same essence, as RFC 9110 compares them (case-insensitive).
pub fn same_essence(a: &str, b: &str) -> bool {
    essence(a).eq_ignore_ascii_case(essence(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_and_case_do_not_matter() {
        assert!(same_essence("Application/JSON; api-version=1.0", "application/json"));
        assert!(!same_essence("application/json", "application/vnd.api+json"));
        assert_eq!(essence(" text/xml ;charset=utf-8"), "text/xml");
    }
}
