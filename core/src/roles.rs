//! The five roles (`docs/domain.md#1-roles`) and what each may do.

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

    /// Parses a role id; `None` for anything that is not one of the five ids.
    pub fn from_id(id: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.id() == id)
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
    }
}
