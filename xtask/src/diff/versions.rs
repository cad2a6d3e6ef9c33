//! The checked-in version of each generated crate (`specs/versions.json`), and the bump a diff
//! requires of it.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::Serialize;

use super::{ApiDiff, Class};

/// Where the record lives, relative to the root; `templates/Cargo.toml.j2` reads it.
pub const RECORD: &str = "specs/versions.json";

/// The version of a crate missing from the record.
pub const INITIAL: Version = Version { major: 0, minor: 1, patch: 0 };

/// Crate name -> version.
pub type Record = BTreeMap<String, Version>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl Version {
    pub fn parse(s: &str) -> Option<Version> {
        let mut parts = s.split('.').map(|p| p.parse::<u64>().ok());
        let v = Version { major: parts.next()??, minor: parts.next()??, patch: parts.next()?? };
        parts.next().is_none().then_some(v)
    }

    /// The smallest version after `self` that a change of this size allows.
    pub fn bumped(self, bump: Bump) -> Version {
        let Version { major, minor, patch } = self;
        match bump {
            Bump::None => self,
            Bump::Patch => Version { major, minor, patch: patch + 1 },
            Bump::Minor => Version { major, minor: minor + 1, patch: 0 },
            Bump::Major => Version { major: major + 1, minor: 0, patch: 0 },
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl Serialize for Version {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    /// Cargo's rules: below 1.0 a breaking change bumps the minor number, anything else the patch.
    pub fn required(effect: Option<Class>, base: Version) -> Bump {
        match effect {
            None => Bump::None,
            Some(Class::Breaking) if base.major == 0 => Bump::Minor,
            Some(Class::Breaking) => Bump::Major,
            Some(_) => Bump::Patch,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// Parses the record; `file` names it in errors.
pub fn parse(text: &str, file: &str) -> Result<Record, String> {
    let raw: BTreeMap<String, String> = serde_json::from_str(text).map_err(|e| format!("{file}: {e}"))?;
    raw.into_iter()
        .map(|(name, v)| {
            Version::parse(&v)
                .map(|v| (name.clone(), v))
                .ok_or(format!("{file}: `{name}`: `{v}` is not a version `x.y.z`"))
        })
        .collect()
}

/// The record in the working tree (empty when there is none).
pub fn load(root: &Path) -> Result<Record, String> {
    match std::fs::read_to_string(root.join(RECORD)) {
        Ok(text) => parse(&text, RECORD),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Record::new()),
        Err(e) => Err(format!("{RECORD}: {e}")),
    }
}

pub fn render(record: &Record) -> String {
    let map: BTreeMap<&String, String> = record.iter().map(|(k, v)| (k, v.to_string())).collect();
    serde_json::to_string_pretty(&map).unwrap_or_default() + "\n"
}

pub fn version_of(record: &Record, crate_name: &str) -> Version {
    record.get(crate_name).copied().unwrap_or(INITIAL)
}

/// One generated crate's versions around a diff.
#[derive(Debug, Clone, Serialize)]
pub struct CrateVersion {
    pub name: String,
    /// The worst effect of the changes on its public API (absent: unchanged).
    pub effect: Option<Class>,
    pub bump: Bump,
    /// The version at the base revision.
    pub base: Version,
    /// The version in the working tree's record (absent when comparing two files).
    pub current: Option<Version>,
    /// The least version the changes require.
    pub required: Version,
}

impl CrateVersion {
    pub fn bumped_enough(&self) -> bool {
        self.current.is_none_or(|v| v >= self.required)
    }
}

/// The client and server crate of one API diff, against the base record and, when there is one,
/// the current record.
pub fn crates(diff: &ApiDiff, base: &Record, current: Option<&Record>) -> Vec<CrateVersion> {
    ["client", "server"]
        .iter()
        .map(|side| {
            let name = format!("{}-{side}", diff.name);
            let effect = diff.crate_effect(*side == "server");
            let base_version = version_of(base, &name);
            let bump = Bump::required(effect, base_version);
            let current = current.map(|r| version_of(r, &name));
            CrateVersion { required: base_version.bumped(bump), name, effect, bump, base: base_version, current }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(effect: Option<Class>, base: &str, expected: &str) {
        let base = Version::parse(base).expect("a version");
        let bump = Bump::required(effect, base);
        assert_eq!(base.bumped(bump).to_string(), expected, "{effect:?} from {base}");
    }

    #[test]
    fn cargo_rules_below_and_above_one() {
        check(Some(Class::Breaking), "0.1.3", "0.2.0");
        check(Some(Class::NonBreaking), "0.1.3", "0.1.4");
        check(Some(Class::Information), "0.1.3", "0.1.4");
        check(None, "0.1.3", "0.1.3");
        check(Some(Class::Breaking), "1.2.3", "2.0.0");
    }

    #[test]
    fn record_round_trips_and_rejects_non_versions() {
        let record = parse("{\"a-client\": \"0.2.1\"}", "v.json").expect("valid");
        assert_eq!(render(&record), "{\n  \"a-client\": \"0.2.1\"\n}\n");
        assert!(parse("{\"a-client\": \"0.2\"}", "v.json").unwrap_err().contains("`0.2` is not a version"));
    }
}
