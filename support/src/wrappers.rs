//! The wrappers generated fields use: `Secret` (never printed), `Nullable` (absent vs `null`),
//! `Base64Bytes` (`format: byte`).

use std::fmt;

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value that must never be logged: `writeOnly` fields, passwords, tokens.
///
/// `Debug` prints `Secret(***)` and `Display` prints `***`. Serde sees the
/// inner value unchanged, so the wire format is that of `T`.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps a value.
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// Borrows the value; call sites show where a secret is read.
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// Unwraps the value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl<T> fmt::Display for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl<T> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret<String> {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// A field that is both optional and nullable: absent, `null`, or a value.
///
/// The containing struct must skip `Absent` itself:
///
/// ```
/// # use mailapi_support::Nullable;
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Patch {
///     #[serde(default, skip_serializing_if = "Nullable::is_absent")]
///     subject: Nullable<String>,
/// }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Nullable<T> {
    /// The field was not present.
    #[default]
    Absent,
    /// The field was present and `null`.
    Null,
    /// The field was present with a value.
    Present(T),
}

impl<T> Nullable<T> {
    /// True when the field was not present; used by `skip_serializing_if`.
    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// True when the field was present and `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// The value, if one was present.
    pub fn as_option(&self) -> Option<&T> {
        match self {
            Self::Present(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// The value, if one was present, dropping the absent/null distinction.
    pub fn into_option(self) -> Option<T> {
        match self {
            Self::Present(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    /// `None` becomes `Null`: an explicit `Option` is a decision to send.
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Null, Self::Present)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Present(value) => value.serialize(serializer),
            // Absent is skipped by the struct; if it gets here, null is the closest.
            Self::Absent | Self::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Self::from)
    }
}

/// Bytes carried in JSON as standard base64 (`format: byte`).
///
/// Decoding accepts input with or without `=` padding.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Base64Bytes(pub Vec<u8>);

const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

impl Base64Bytes {
    /// Encodes the bytes as padded standard base64.
    pub fn encode(&self) -> String {
        BASE64.encode(&self.0)
    }

    /// Decodes standard base64, padded or not.
    pub fn decode(text: &str) -> Result<Self, base64::DecodeError> {
        BASE64.decode(text).map(Self)
    }
}

impl From<Vec<u8>> for Base64Bytes {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl Serialize for Base64Bytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.encode())
    }
}

impl<'de> Deserialize<'de> for Base64Bytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::decode(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secret_never_prints_its_value() {
        let secret: Secret<String> = Secret::from("hunter2");
        assert_eq!(format!("{secret:?}"), "Secret(***)");
        assert_eq!(format!("{secret}"), "***");
        assert_eq!(format!("{:#?}", Some(&secret)), "Some(\n    Secret(***),\n)");
        assert_eq!(secret.expose(), "hunter2");
    }

    #[test]
    fn secret_serializes_transparently() {
        let secret = Secret::new("pw".to_owned());
        assert_eq!(serde_json::to_value(&secret).unwrap(), json!("pw"));
        let back: Secret<String> = serde_json::from_value(json!("pw")).unwrap();
        assert_eq!(back, secret);
        assert_eq!(back.into_inner(), "pw");
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Patch {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        name: Nullable<String>,
    }

    #[test]
    fn nullable_round_trips_all_three_states() {
        let cases = [
            (json!({}), Nullable::Absent),
            (json!({ "name": null }), Nullable::Null),
            (json!({ "name": "x" }), Nullable::Present("x".to_owned())),
        ];
        for (wire, state) in cases {
            let parsed: Patch = serde_json::from_value(wire.clone()).unwrap();
            assert_eq!(parsed, Patch { name: state });
            assert_eq!(serde_json::to_value(&parsed).unwrap(), wire);
        }
    }

    #[test]
    fn nullable_from_option_and_accessors() {
        assert_eq!(Nullable::from(Some(1)), Nullable::Present(1));
        assert!(Nullable::<i32>::from(None).is_null());
        assert!(Nullable::<i32>::default().is_absent());
        assert_eq!(Nullable::Present(2).into_option(), Some(2));
        assert_eq!(Nullable::<i32>::Null.as_option(), None);
    }

    #[test]
    fn base64_round_trips_and_accepts_missing_padding() {
        let bytes = Base64Bytes(b"hello?>".to_vec());
        let wire = serde_json::to_value(&bytes).unwrap();
        assert_eq!(wire, json!("aGVsbG8/Pg=="));
        assert_eq!(serde_json::from_value::<Base64Bytes>(wire).unwrap(), bytes);
        let unpadded: Base64Bytes = serde_json::from_value(json!("aGVsbG8/Pg")).unwrap();
        assert_eq!(unpadded, bytes);
        assert_eq!(Base64Bytes::decode("").unwrap(), Base64Bytes::default());
    }

    #[test]
    fn base64_rejects_invalid_input_as_serde_error() {
        let err = serde_json::from_value::<Base64Bytes>(json!("not base64!")).unwrap_err();
        assert!(err.to_string().contains("Invalid"), "{err}");
        assert!(serde_json::from_value::<Base64Bytes>(json!(12)).is_err());
    }
}
