//! Who may append each kind of record (D-12, D-13), and the fields that name who acted.
//!
//! The table is the spec's role table read per record: verification checks every entry's `actor_role`
//! against it, so a chain in which, say, the release manager decided their own retention review does
//! not verify.

use super::{field, RecordKind};
use crate::roles::Role;

/// The fields of a record that hold the identity of the role that appended it (D-12). A worker run's
/// `approved_by` is not one: it names the release manager whose approval record the run rests on.
pub const ACTOR_FIELDS: [&str; 5] = [
    field::REQUESTED_BY,
    field::DECIDED_BY,
    field::GENERATED_BY,
    field::RECORDED_BY,
    field::ATTESTED_BY,
];

/// The roles that may append a record of this kind.
pub fn appended_by(kind: RecordKind) -> &'static [Role] {
    use RecordKind::*;
    match kind {
        // The release manager brings the upstream evidence into the closeout and runs steps 1-3, 5, 6 and
        // 10; step 4's request is theirs too.
        ReadinessSummary
        | ReadinessApproval
        | ReleaseRecordAttachment
        | ClosurePacketVerification
        | AuditorExport
        | ArchiveReference
        | ArchiveHealth
        | ReadinessBundle
        | ArchiveManifest
        | CloseoutSummary
        | RetentionReview
        | ArtifactBundle
        | RetentionHealth
        | FinalDecision => &[Role::ReleaseManager],
        // Nobody decides their own request (D-13): the security architect decides step 4.
        RetentionDecision => &[Role::SecurityArchitect],
        // Step 3 delivers the summary (release manager); steps 7 and 9 deliver alerts and retries.
        ConnectorDelivery => &[Role::ReleaseManager, Role::PlatformOwner],
        AlertPlan | RetryPlan | WorkerRun | Execution => &[Role::PlatformOwner],
        // Final acceptance of a residual risk is the release manager's; an exception for a critical
        // finding is the security architect's.
        AcceptedRisk => &[Role::ReleaseManager, Role::SecurityArchitect],
        RedeliveryApproval => &[Role::ReleaseManager],
        Attestation => &[Role::Auditor],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_someone_who_may_append_it_and_the_auditor_only_attests() {
        for kind in RecordKind::ALL {
            assert!(!appended_by(kind).is_empty(), "{kind:?}");
            assert_eq!(
                appended_by(kind).contains(&Role::Auditor),
                kind == RecordKind::Attestation,
                "{kind:?}"
            );
            assert!(!appended_by(kind).contains(&Role::TrialOwner), "{kind:?}");
        }
    }
}
