//! The ten closeout steps (`docs/domain.md#4-the-ten-steps`): one table of each step's facts (its number, name, owner,
//! input, the records it appends and the steps it rests on), keyed by [`StepId`].
//!
//! A step number is parsed once, where a URL, a share link or a command line gives one
//! ([`StepId::from_number`]); everything inside passes a `StepId`. What is written per step elsewhere
//! (its guide, talk track, walkthrough task, input check and run) is an exhaustive `match` over
//! `StepId`, so a new step does not compile until each of them says what it does.

use crate::record::RecordKind;
use crate::roles::Role;

/// One of the ten closeout steps, named as the spec names it. Ordered as the flow runs them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StepId {
    ReadinessBundle,
    ArchiveManifest,
    CloseoutSummary,
    RetentionReview,
    ArtifactBundle,
    RetentionHealth,
    RetentionAlerts,
    RetryPlan,
    RetryWorker,
    FinalDecision,
}

/// A kind of record a step appends, and the link field that tells its records from another step's
/// records of the same kind (connector deliveries are made by step 3 and by step 7).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepRecord {
    pub kind: RecordKind,
    /// When set, only records carrying this link field are the step's.
    pub linked_by: Option<&'static str>,
}

const fn record(kind: RecordKind) -> StepRecord {
    StepRecord {
        kind,
        linked_by: None,
    }
}

const fn record_linked_by(kind: RecordKind, field: &'static str) -> StepRecord {
    StepRecord {
        kind,
        linked_by: Some(field),
    }
}

/// One of the ten closeout steps, as the flow lists it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    pub id: StepId,
    /// 1 to 10, the order in which the flow runs.
    pub number: u8,
    /// The step's name in the spec's words.
    pub name: &'static str,
    /// The name where space is short (the flow diagram's boxes).
    pub short_name: &'static str,
    /// The role that runs the step (`docs/domain.md#11-who-runs-each-step`); steps 4 and 9 take a second
    /// role too (`flow::Act`).
    pub owner: Role,
    /// The key of the step's input in a scenario's `inputs` and in a session; `None`: it takes none.
    pub input_key: Option<&'static str>,
    /// The kinds of record the step appends, the main one first (for showing a step's result).
    pub records: &'static [StepRecord],
    /// The earlier steps whose records this one rests on (from the cross-links and prerequisites).
    pub rests_on: &'static [StepId],
}

/// The ten steps in order (`docs/domain.md#4-the-ten-steps`). Steps 1-6 and 10 belong to the release manager, 7-9 to the
/// platform owner. Row `i` is the step whose `StepId` is `StepId::ALL[i]`.
pub const STEPS: [Step; 10] = [
    Step {
        id: StepId::ReadinessBundle,
        number: 1,
        name: "Final readiness bundle",
        short_name: "Readiness bundle",
        owner: Role::ReleaseManager,
        input_key: None,
        records: &[record(RecordKind::ReadinessBundle)],
        rests_on: &[],
    },
    Step {
        id: StepId::ArchiveManifest,
        number: 2,
        name: "Signed archive manifest",
        short_name: "Archive manifest",
        owner: Role::ReleaseManager,
        input_key: Some("signed_archive_manifest"),
        records: &[record(RecordKind::ArchiveManifest)],
        rests_on: &[StepId::ReadinessBundle],
    },
    Step {
        id: StepId::CloseoutSummary,
        number: 3,
        name: "Closeout summary and delivery",
        short_name: "Summary, delivery",
        owner: Role::ReleaseManager,
        input_key: Some("closeout_summary"),
        records: &[
            record(RecordKind::CloseoutSummary),
            record_linked_by(RecordKind::ConnectorDelivery, "summary_id"),
        ],
        rests_on: &[StepId::ReadinessBundle, StepId::ArchiveManifest],
    },
    Step {
        id: StepId::RetentionReview,
        number: 4,
        name: "Retention review",
        short_name: "Retention review",
        owner: Role::ReleaseManager,
        input_key: Some("retention_review"),
        records: &[
            record(RecordKind::RetentionReview),
            record(RecordKind::RetentionDecision),
        ],
        rests_on: &[StepId::CloseoutSummary],
    },
    Step {
        id: StepId::ArtifactBundle,
        number: 5,
        name: "Closeout artifact bundle",
        short_name: "Artifact bundle",
        owner: Role::ReleaseManager,
        input_key: None,
        records: &[record(RecordKind::ArtifactBundle)],
        rests_on: &[StepId::CloseoutSummary, StepId::RetentionReview],
    },
    Step {
        id: StepId::RetentionHealth,
        number: 6,
        name: "Retention health",
        short_name: "Retention health",
        owner: Role::ReleaseManager,
        input_key: Some("retention_health"),
        records: &[record(RecordKind::RetentionHealth)],
        rests_on: &[StepId::ArtifactBundle],
    },
    Step {
        id: StepId::RetentionAlerts,
        number: 7,
        name: "Retention alerts",
        short_name: "Retention alerts",
        owner: Role::PlatformOwner,
        input_key: Some("retention_alerts"),
        records: &[
            record(RecordKind::AlertPlan),
            record_linked_by(RecordKind::ConnectorDelivery, "plan_id"),
        ],
        rests_on: &[StepId::RetentionHealth],
    },
    Step {
        id: StepId::RetryPlan,
        number: 8,
        name: "Retry plan",
        short_name: "Retry plan",
        owner: Role::PlatformOwner,
        input_key: Some("retry_plan"),
        records: &[record(RecordKind::RetryPlan)],
        rests_on: &[StepId::CloseoutSummary],
    },
    Step {
        id: StepId::RetryWorker,
        number: 9,
        name: "Retry worker",
        short_name: "Retry worker",
        owner: Role::PlatformOwner,
        input_key: Some("retry_worker"),
        records: &[
            record(RecordKind::WorkerRun),
            record(RecordKind::Execution),
            record(RecordKind::RedeliveryApproval),
        ],
        rests_on: &[StepId::RetryPlan],
    },
    Step {
        id: StepId::FinalDecision,
        number: 10,
        name: "Final decision, linked",
        short_name: "Final decision",
        owner: Role::ReleaseManager,
        input_key: Some("final_decision"),
        records: &[
            record(RecordKind::FinalDecision),
            record(RecordKind::AcceptedRisk),
        ],
        rests_on: &[
            StepId::RetentionHealth,
            StepId::RetentionAlerts,
            StepId::RetryWorker,
        ],
    },
];

impl StepId {
    /// Every step, in the order the flow runs them.
    pub const ALL: [StepId; 10] = [
        StepId::ReadinessBundle,
        StepId::ArchiveManifest,
        StepId::CloseoutSummary,
        StepId::RetentionReview,
        StepId::ArtifactBundle,
        StepId::RetentionHealth,
        StepId::RetentionAlerts,
        StepId::RetryPlan,
        StepId::RetryWorker,
        StepId::FinalDecision,
    ];

    /// The step numbered `number` (1 to 10), or `None`. The one place a step number becomes a step.
    pub fn from_number(number: u8) -> Option<StepId> {
        STEPS
            .iter()
            .find(|step| step.number == number)
            .map(|step| step.id)
    }

    /// The step's row in [`STEPS`].
    pub fn step(self) -> &'static Step {
        &STEPS[self.index()]
    }

    /// The step's position in the flow, from 0 (for per-step lists such as a session's statuses).
    pub fn index(self) -> usize {
        self as usize
    }

    /// 1 to 10, as the spec and the page number the steps.
    pub fn number(self) -> u8 {
        self.step().number
    }

    /// The step's name in the spec's words.
    pub fn name(self) -> &'static str {
        self.step().name
    }

    /// The role that runs the step.
    pub fn owner(self) -> Role {
        self.step().owner
    }

    /// The key of the step's input, or `None` when it takes none.
    pub fn input_key(self) -> Option<&'static str> {
        self.step().input_key
    }

    /// The kinds of record the step appends, the main one first.
    pub fn records(self) -> &'static [StepRecord] {
        self.step().records
    }
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
        assert_eq!(
            StepId::from_number(10).map(StepId::name),
            Some("Final decision, linked")
        );
        assert!(StepId::from_number(0).is_none() && StepId::from_number(11).is_none());
    }

    #[test]
    fn the_table_is_in_step_order_and_numbers_round_trip() {
        for (index, id) in StepId::ALL.into_iter().enumerate() {
            assert_eq!(STEPS[index].id, id);
            assert_eq!(id.index(), index);
            assert_eq!(id.step().id, id);
            assert_eq!(StepId::from_number(id.number()), Some(id));
        }
        let mut sorted = StepId::ALL;
        sorted.sort();
        assert_eq!(sorted, StepId::ALL);
    }

    #[test]
    fn steps_rest_only_on_earlier_steps_and_say_what_they_append() {
        for step in STEPS {
            assert!(step.rests_on.iter().all(|earlier| *earlier < step.id));
            assert!(!step.records.is_empty(), "{:?}", step.id);
        }
        let without_input: Vec<u8> = STEPS
            .iter()
            .filter(|s| s.input_key.is_none())
            .map(|s| s.number)
            .collect();
        assert_eq!(without_input, vec![1, 5]);
        // Connector deliveries are told apart by what they deliver: a summary (3) or an alert plan (7).
        let deliveries: Vec<(u8, Option<&str>)> = STEPS
            .iter()
            .flat_map(|s| s.records.iter().map(move |r| (s.number, r)))
            .filter(|(_, r)| r.kind == RecordKind::ConnectorDelivery)
            .map(|(n, r)| (n, r.linked_by))
            .collect();
        assert_eq!(
            deliveries,
            vec![(3, Some("summary_id")), (7, Some("plan_id"))]
        );
        // The links the flow diagram draws, in its order.
        let links: Vec<(u8, u8)> = STEPS
            .iter()
            .flat_map(|s| s.rests_on.iter().map(move |from| (from.number(), s.number)))
            .collect();
        assert_eq!(
            links,
            [
                (1, 2),
                (1, 3),
                (2, 3),
                (3, 4),
                (3, 5),
                (4, 5),
                (5, 6),
                (6, 7),
                (3, 8),
                (8, 9),
                (6, 10),
                (7, 10),
                (9, 10)
            ]
        );
    }
}
