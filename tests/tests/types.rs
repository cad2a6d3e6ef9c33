//! The corpus types behave as the spec says on the wire: one test per schema feature.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use spec_tests::*;

/// `json` deserializes into `T` and serializes back to the same JSON.
fn round_trip<T: DeserializeOwned + Serialize>(json: Value) -> T {
    let value: T = serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("{json}: {e}"));
    assert_eq!(serde_json::to_value(&value).unwrap(), json);
    value
}

fn rejects<T: DeserializeOwned + std::fmt::Debug>(json: Value) -> String {
    serde_json::from_value::<T>(json.clone()).map(|v| panic!("{json} was accepted as {v:?}")).unwrap_err().to_string()
}

#[test]
fn optional_nullable_fields_tell_absent_from_null() {
    use mailapi_support::Nullable;
    let absent: nullable::Patch = round_trip(json!({"id": 1, "label": null}));
    assert_eq!(absent.expires, Nullable::Absent);
    let null: nullable::Patch = round_trip(json!({"id": 1, "label": null, "expires": null}));
    assert_eq!(null.expires, Nullable::Null);
    let set: nullable::Patch = round_trip(json!({"id": 1, "label": "x", "expires": "soon", "parent": {"id": "p"}}));
    assert_eq!(set.expires, Nullable::Present("soon".to_string()));
    assert!(matches!(set.parent, Nullable::Present(ref p) if p.id.as_deref() == Some("p")));
}

#[test]
fn required_fields_are_required_even_when_nullable() {
    assert!(rejects::<nullable::Patch>(json!({"label": null})).contains("missing field `id`"));
    assert!(rejects::<nullable::Patch>(json!({"id": 1})).contains("missing field `label`"));
}

#[test]
fn string_enums_keep_unknown_values() {
    let known: enums::Status = round_trip(json!("pending-review"));
    assert_eq!(known, enums::Status::PendingReview);
    let unknown: enums::Status = round_trip(json!("archived"));
    assert_eq!(unknown, enums::Status::Unknown("archived".into()));
    assert_eq!(unknown.to_string(), "archived");
}

#[test]
fn enum_values_that_collide_after_case_conversion_stay_distinct() {
    assert_eq!(round_trip::<enums::Signs>(json!("1")), enums::Signs::V1);
    assert_eq!(round_trip::<enums::Signs>(json!("-1")), enums::Signs::Minus1);
    assert_eq!(round_trip::<enums::Signs>(json!("")), enums::Signs::Empty);
    assert_eq!(round_trip::<enums::Signs>(json!("a b")), enums::Signs::AB);
    assert_eq!(round_trip::<enums::Signs>(json!("A_B")), enums::Signs::AB2);
}

#[test]
fn integer_enums_are_integers_on_the_wire() {
    assert_eq!(round_trip::<enums::Tls>(json!(2)), enums::Tls::IfAvailable);
    assert_eq!(round_trip::<enums::Level>(json!(-1)), enums::Level::Minus1);
    assert_eq!(round_trip::<enums::Level>(json!(7)), enums::Level::Unknown(7));
}

#[test]
fn sixty_four_bit_integers_keep_full_precision() {
    let n: integers::Numbers = round_trip(json!({"a": i32::MIN, "b": i64::MIN, "c": u32::MAX, "d": u64::MAX}));
    assert_eq!(n.d, u64::MAX);
    assert!(rejects::<integers::Numbers>(json!({"a": 1, "b": 1, "c": -1, "d": 1})).contains("invalid value"));
}

#[test]
fn timestamps_keep_their_offset_and_bytes_are_base64() {
    let f: formats::Formats =
        round_trip(json!({"at": "2026-11-25T17:36:00+01:00", "on": "2026-11-25", "blob": "aGk="}));
    assert_eq!(f.at.offset().local_minus_utc(), 3600);
    assert_eq!(f.blob.as_ref().map(|b| b.0.as_slice()), Some(b"hi".as_slice()));
    assert!(rejects::<formats::Formats>(json!({"at": "yesterday", "on": "2026-11-25"})).contains("input"));
}

#[test]
fn additional_properties_are_kept_beside_declared_fields() {
    let open: maps::Open = round_trip(json!({"name": "n", "a": 1, "b": 2}));
    assert_eq!(open.additional_properties.len(), 2);
    let counts: maps::Counts = round_trip(json!({"x": 9007199254740993_i64}));
    assert_eq!(counts["x"], 9007199254740993);
    round_trip::<maps::Anything>(json!({"any": ["thing", 1]}));
}

#[test]
fn additional_properties_false_rejects_unknown_fields() {
    round_trip::<maps::Closed>(json!({"name": "n"}));
    assert!(rejects::<maps::Closed>(json!({"name": "n", "extra": 1})).contains("unknown field `extra`"));
}

#[test]
fn discriminated_unions_dispatch_on_the_tag_and_keep_it() {
    let pet: unions::Pet = round_trip(json!({"kind": "cat", "lives": 9}));
    assert!(matches!(pet, unions::Pet::Cat(ref c) if c.lives == 9 && c.kind == "cat"));
    assert!(matches!(round_trip::<unions::Pet>(json!({"kind": "dog"})), unions::Pet::Dog(_)));
    assert!(rejects::<unions::Pet>(json!({"kind": "cow"})).contains("unknown `kind`"));
}

#[test]
fn untagged_unions_pick_the_member_that_fits() {
    assert_eq!(round_trip::<unions::IdOrName>(json!(5)), unions::IdOrName::Integer(5));
    assert_eq!(round_trip::<unions::IdOrName>(json!("five")), unions::IdOrName::String("five".into()));
    assert!(matches!(round_trip::<unions::Shape>(json!({"side": 2.0})), unions::Shape::Square(_)));
}

#[test]
fn all_of_merges_into_one_struct() {
    let m: all_of::Mailbox = round_trip(json!({"id": "1", "address": "a@b", "quota": 5}));
    assert_eq!((m.id.as_str(), m.address.as_str(), m.quota), ("1", "a@b", Some(5)));
    // `created` is read-only: a request may leave it out although the server always sends it.
    assert!(m.created.is_none());
}

#[test]
fn secrets_never_show_in_debug_output() {
    let login: secrets::Login =
        round_trip(json!({"user": "u", "password": "hunter2", "apiKey": "k-123", "hash": "h4sh"}));
    let debug = format!("{login:?}");
    for secret in ["hunter2", "k-123", "h4sh"] {
        assert!(!debug.contains(secret), "{debug}");
    }
    assert_eq!(login.password.as_ref().map(|p| p.expose().as_str()), Some("hunter2"));
    // A `format: password` member of a oneOf is a Secret too.
    let credential: secrets::Credential = round_trip(json!("s3cret"));
    assert!(!format!("{credential:?}").contains("s3cret"), "{credential:?}");
}

#[test]
fn spec_names_survive_rust_naming() {
    let t: names::Type =
        round_trip(json!({"type": "t", "self": "s", "2fa": true, "fooBar": "1", "foo_bar": "2", "FooBar": "3"}));
    assert_eq!(
        (t.foo_bar.as_deref(), t.foo_bar_2.as_deref(), t.foo_bar_3.as_deref()),
        (Some("1"), Some("2"), Some("3"))
    );
    let node: names::Node = round_trip(json!({"next": {"children": [{}]}}));
    assert_eq!(node.next.and_then(|n| n.children).map(|c| c.len()), Some(1));
}

#[test]
fn inline_schemas_become_named_types() {
    let r: inline::GetThingResponse = round_trip(json!({"owner": {"name": "o"}, "items": [{"n": 1}]}));
    assert_eq!(r.items.map(|i| i[0].n), Some(Some(1)));
    round_trip::<inline::GetThingError404>(json!({"error": "gone"}));
    assert_eq!(round_trip::<inline::GetThingMode>(json!("fast")), inline::GetThingMode::Fast);
}
