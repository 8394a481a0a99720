//! The ten closeout steps (`docs/domain.md#4-the-ten-steps`): their order, names and owners.

use crate::roles::Role;

/// One of the ten closeout steps, as the flow lists it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// 1 to 10, the order in which the flow runs.
    pub number: u8,
    /// The step's name in the spec's words.
    pub name: &'static str,
    /// The role that runs the step (`docs/domain.md#11-who-runs-each-step`).
    pub owner: Role,
}

/// The ten steps in order (`docs/domain.md#4-the-ten-steps`). Steps 1-6 and 10 belong to the release
/// manager, 7-9 to the platform owner.
pub const STEPS: [Step; 10] = [
    Step {
        number: 1,
        name: "Final readiness bundle",
        owner: Role::ReleaseManager,
    },
    Step {
        number: 2,
        name: "Signed archive manifest",
        owner: Role::ReleaseManager,
    },
    Step {
        number: 3,
        name: "Closeout summary and delivery",
        owner: Role::ReleaseManager,
    },
    Step {
        number: 4,
        name: "Retention review",
        owner: Role::ReleaseManager,
    },
    Step {
        number: 5,
        name: "Closeout artifact bundle",
        owner: Role::ReleaseManager,
    },
    Step {
        number: 6,
        name: "Retention health",
        owner: Role::ReleaseManager,
    },
    Step {
        number: 7,
        name: "Retention alerts",
        owner: Role::PlatformOwner,
    },
    Step {
        number: 8,
        name: "Retry plan",
        owner: Role::PlatformOwner,
    },
    Step {
        number: 9,
        name: "Retry worker",
        owner: Role::PlatformOwner,
    },
    Step {
        number: 10,
        name: "Final decision, linked",
        owner: Role::ReleaseManager,
    },
];

/// The step with this number, or `None` outside 1..=10.
pub fn step(number: u8) -> Option<&'static Step> {
    STEPS.iter().find(|step| step.number == number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_steps_numbered_in_order_with_spec_owners() {
        assert_eq!(STEPS.len(), 10);
        for (index, step) in STEPS.iter().enumerate() {
            assert_eq!(usize::from(step.number), index + 1);
        }
        let platform: Vec<u8> = STEPS
            .iter()
            .filter(|s| s.owner == Role::PlatformOwner)
            .map(|s| s.number)
            .collect();
        assert_eq!(platform, vec![7, 8, 9]);
        assert_eq!(step(10).map(|s| s.name), Some("Final decision, linked"));
        assert!(step(0).is_none() && step(11).is_none());
    }
}
