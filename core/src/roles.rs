//! The five roles (`docs/domain.md#1-roles`) and what each may do.

use crate::json::Value;
use std::fmt;

/// A person's role in the closeout (`docs/domain.md#1-roles`). The id strings are the spec's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Runs the closeout, updates the release record, gives final acceptance.
    ReleaseManager,
    /// Owns connectors, delivery routing and retries.
    PlatformOwner,
    /// Reviews retention health, exceptions and the Community/Enterprise boundary.
    SecurityArchitect,
    /// Reviews and downloads the artifact bundle and the evidence chain.
    Auditor,
    /// Explains what Community records versus what Enterprise enforces.
    TrialOwner,
}

impl Role {
    /// Every role, in the spec's order.
    pub const ALL: [Role; 5] = [
        Role::ReleaseManager,
        Role::PlatformOwner,
        Role::SecurityArchitect,
        Role::Auditor,
        Role::TrialOwner,
    ];

    /// The spec's id, for example `release-manager`.
    pub fn id(self) -> &'static str {
        match self {
            Role::ReleaseManager => "release-manager",
            Role::PlatformOwner => "platform-owner",
            Role::SecurityArchitect => "security-architect",
            Role::Auditor => "auditor",
            Role::TrialOwner => "trial-owner",
        }
    }

    /// The human name, for example `Release manager`.
    pub fn title(self) -> &'static str {
        match self {
            Role::ReleaseManager => "Release manager",
            Role::PlatformOwner => "Platform owner",
            Role::SecurityArchitect => "Security architect",
            Role::Auditor => "Auditor",
            Role::TrialOwner => "Trial owner",
        }
    }

    /// The role's place in [`Role::ALL`].
    pub fn index(self) -> usize {
        match self {
            Role::ReleaseManager => 0,
            Role::PlatformOwner => 1,
            Role::SecurityArchitect => 2,
            Role::Auditor => 3,
            Role::TrialOwner => 4,
        }
    }

    /// The role in a sentence, for example `release manager`. (Spelt out rather than lowercased: Unicode's
    /// case tables would join the first load for five ASCII names.)
    pub fn noun(self) -> &'static str {
        match self {
            Role::ReleaseManager => "release manager",
            Role::PlatformOwner => "platform owner",
            Role::SecurityArchitect => "security architect",
            Role::Auditor => "auditor",
            Role::TrialOwner => "trial owner",
        }
    }

    /// Parses a role id; `None` for anything that is not one of the five ids.
    pub fn from_id(id: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.id() == id)
    }
}

/// Each role's identity in a session (D-12): what every `*_by` field of a record the role appends holds.
/// The scenario gives them (`identities`); a role it leaves out is `demo-{role id}`. No two roles share
/// one, so a record's identity always names exactly one role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identities([String; 5]);

/// Why a set of identities was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdentityError {
    /// A key that is not one of the five role ids.
    UnknownRole(String),
    /// An identity that is not a non-empty string.
    NotAName(Role),
    /// Two roles given the same identity.
    Shared {
        identity: String,
        first: Role,
        second: Role,
    },
}

impl fmt::Display for IdentityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdentityError::UnknownRole(key) => write!(
                f,
                "{key:?} is not a role; the roles are release-manager, platform-owner, security-architect, auditor and trial-owner"
            ),
            IdentityError::NotAName(role) => {
                write!(f, "the {} needs an identity: a non-empty name", role.noun())
            }
            IdentityError::Shared {
                identity,
                first,
                second,
            } => write!(
                f,
                "the {} and the {} share the identity {identity:?}; give each role its own, so a record always names who acted",
                first.noun(),
                second.noun()
            ),
        }
    }
}

impl Identities {
    /// `demo-{role id}` for every role.
    pub fn demo() -> Identities {
        Identities(Role::ALL.map(|role| format!("demo-{}", role.id())))
    }

    /// Reads `{role id: identity}`; a role left out keeps its demo identity.
    pub fn from_value(value: &Value) -> Result<Identities, IdentityError> {
        let mut identities = Identities::demo();
        for (key, identity) in value.as_object().unwrap_or_default() {
            let role = Role::from_id(key).ok_or_else(|| IdentityError::UnknownRole(key.clone()))?;
            let name = identity
                .as_str()
                .map(str::trim)
                .filter(|name| !name.is_empty())
                .ok_or(IdentityError::NotAName(role))?;
            identities.0[role.index()] = name.to_string();
        }
        for (i, first) in Role::ALL.into_iter().enumerate() {
            for second in Role::ALL.into_iter().skip(i + 1) {
                if identities.of(first) == identities.of(second) {
                    return Err(IdentityError::Shared {
                        identity: identities.of(first).to_string(),
                        first,
                        second,
                    });
                }
            }
        }
        Ok(identities)
    }

    /// `{role id: identity}`, in the roles' order.
    pub fn to_value(&self) -> Value {
        Value::object(Role::ALL.map(|role| (role.id(), Value::from(self.of(role)))))
    }

    /// The role's identity.
    pub fn of(&self, role: Role) -> &str {
        &self.0[role.index()]
    }

    /// The role whose identity this is.
    pub fn role_of(&self, identity: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|role| self.of(*role) == identity)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_unknown_ids_are_refused() {
        for role in Role::ALL {
            assert_eq!(Role::from_id(role.id()), Some(role));
        }
        assert_eq!(Role::from_id("admin"), None);
        assert_eq!(Role::from_id("Release-Manager"), None);
        for (index, role) in Role::ALL.into_iter().enumerate() {
            assert_eq!(role.index(), index);
            assert_eq!(role.noun(), role.title().to_lowercase());
        }
    }

    #[test]
    fn identities_default_to_demo_names_and_are_never_shared() {
        let demo = Identities::demo();
        assert_eq!(demo.of(Role::SecurityArchitect), "demo-security-architect");
        assert_eq!(demo.role_of("demo-auditor"), Some(Role::Auditor));
        let given = crate::json::parse(r#"{"auditor": "ines.audit"}"#).unwrap();
        let identities = Identities::from_value(&given).unwrap();
        assert_eq!(identities.of(Role::Auditor), "ines.audit");
        assert_eq!(identities.of(Role::ReleaseManager), "demo-release-manager");
        assert_eq!(
            Identities::from_value(&identities.to_value()),
            Ok(identities)
        );
        let shared = crate::json::parse(r#"{"auditor": "sam", "trial-owner": "sam"}"#).unwrap();
        let error = Identities::from_value(&shared).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the auditor and the trial owner share the identity \"sam\"; give each role its own, so a record always names who acted"
        );
        let unknown = crate::json::parse(r#"{"admin": "root"}"#).unwrap();
        assert!(matches!(
            Identities::from_value(&unknown),
            Err(IdentityError::UnknownRole(_))
        ));
        let empty = crate::json::parse(r#"{"auditor": " "}"#).unwrap();
        assert_eq!(
            Identities::from_value(&empty),
            Err(IdentityError::NotAName(Role::Auditor))
        );
    }
}
