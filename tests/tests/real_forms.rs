//! The services' real forms, taken from their source or reference material, decode with the
//! generated client types and leave no member undeclared.
//!
//! Each fixture in `tests/corpus/real/` is one corrected shape; `fixtures.tsv` names its spec, its
//! schema and its source (`tests/validate_specs.py` checks the same fixtures against the schema).
//! Undeclared members are found with `serde_ignored`, which sees every key the generated types skip.

mod common;

use std::collections::BTreeSet;

use mailapi_support::Nullable;
use onlyoffice_client::types as onlyoffice;
use outreach_client::types as outreach;
use serde::de::DeserializeOwned;

/// The fixture decoded into `T`; panics on a decode error or on members `T` does not declare.
#[track_caller]
fn decode<T: DeserializeOwned>(fixture: &str) -> T {
    let path = common::root().join("tests/corpus/real").join(fixture);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut undeclared = Vec::new();
    let mut json = serde_json::Deserializer::from_str(&text);
    let value = serde_ignored::deserialize(&mut json, |member| undeclared.push(member.to_string()))
        .unwrap_or_else(|e| panic!("{fixture}: does not decode into `{}`: {e}", std::any::type_name::<T>()));
    assert!(undeclared.is_empty(), "{fixture}: members the spec does not declare: {undeclared:?}");
    value
}

/// The fixtures this file checks; `every_fixture_has_a_test` keeps it equal to `fixtures.tsv`.
const TESTED: [&str; 3] =
    ["onlyoffice-error-not-admin.json", "onlyoffice-mail-server.json", "outreach-mailbox-unset-updater.json"];

#[test]
fn every_fixture_has_a_test() {
    let tsv = std::fs::read_to_string(common::root().join("tests/corpus/real/fixtures.tsv")).expect("fixtures.tsv");
    let listed: BTreeSet<&str> = tsv.lines().skip(1).filter_map(|row| row.split('\t').next()).collect();
    assert_eq!(listed, BTreeSet::from(TESTED));
}

/// An unset to-one relationship is `{"data": null}` (JSON:API 1.0 resource linkage); source in
/// fixtures.tsv.
#[test]
fn outreach_unset_updater_is_a_null_linkage() {
    let doc: outreach::MailboxDocument = decode("outreach-mailbox-unset-updater.json");
    let relationships = doc.data.relationships.expect("relationships");
    assert_eq!(relationships.updater.expect("updater").data, Nullable::Null);
    let creator = relationships.creator.expect("creator").data;
    assert_eq!(
        creator,
        Nullable::Present(serde_json::from_value(serde_json::json!({"type": "user", "id": 1})).unwrap())
    );
    let attributes = doc.data.attributes.expect("attributes");
    assert_eq!(attributes.provider_type, Nullable::Present("gmail".into()));
    assert_eq!(attributes.send_permanent_error_at, Nullable::Null);
}

/// The mail server as ONLYOFFICE sends it: camelCase members, `dns.isVerified`, the envelope's
/// `count` and `statusCode`; source in fixtures.tsv.
#[test]
fn onlyoffice_mail_server_is_camel_case_in_the_full_envelope() {
    let body: onlyoffice::MailServerResponse = decode("onlyoffice-mail-server.json");
    assert_eq!((body.count, body.status, body.status_code), (Some(1), onlyoffice::ApiStatus::Ok, Some(200)));
    assert!(!body.response.dns.is_verified);
    assert_eq!(body.response.in_server.type_, onlyoffice::MailServerSettingsType::Imap);
    assert_eq!(body.response.out_server.socket_type, onlyoffice::MailServerSettingsSocketType::StartTls);
}

/// A failed call carries `error` in the envelope (403 for a non-administrator); source in
/// fixtures.tsv.
#[test]
fn onlyoffice_error_envelope_carries_error() {
    let body: onlyoffice::ErrorEnvelope = decode("onlyoffice-error-not-admin.json");
    assert_eq!((body.status, body.status_code), (onlyoffice::ApiStatus::Error, Some(403)));
    assert_eq!(body.error.message.as_deref(), Some("Need admin privileges."));
    assert_eq!(body.error.hresult, Some(-2_146_233_078));
}
