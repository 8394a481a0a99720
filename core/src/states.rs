//! The state vocabularies of `docs/domain.md` sections 4 and 5, one enum each. Each state's string is spelt here
//! once: builders write records with `as_str()`, and the facts the release decision reads are parsed
//! with `parse` where they are gathered (from a live log or a trial package), so every rule compares
//! enums. `parse` gives `None` for a string the vocabulary does not name; each reader decides what
//! that means, as the rule it feeds always has (an unknown signature state is not an attached one).

/// Declares a state vocabulary: the enum, `ALL`, `as_str` and `parse`.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident => $text:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$variant_meta])* $variant,)+
        }

        impl $name {
            /// Every state, in the spec's order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The string records and packages carry.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The state a record or package string names; `None` for one the spec does not name.
            pub fn parse(text: &str) -> Option<$name> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

vocabulary! {
    /// The upstream readiness approval's `approval_state` (`docs/domain.md#3-upstream-evidence`). Only
    /// an approved one lets step 1 close; any other string is a blocker.
    ApprovalState {
        Approved => "approved",
    }
}

vocabulary! {
    /// An `accepted_risk` record's `risk_action` (D-14).
    RiskAction {
        Accepted => "accepted",
        Changed => "changed",
        Withdrawn => "withdrawn",
    }
}

vocabulary! {
    /// The upstream release record attachment's `attachment_state`.
    AttachmentState {
        Attached => "attached",
    }
}

vocabulary! {
    /// The upstream closure packet verification's `verification_state`.
    VerificationState {
        Verified => "verified",
    }
}

vocabulary! {
    /// A readiness bundle's `closeout_state` (step 1).
    ReadinessState {
        /// No blockers.
        ReadyForCloseout => "ready_for_closeout",
        Incomplete => "incomplete",
    }
}

impl ReadinessState {
    /// A trial package's word for a ready bundle (its `final_readiness_bundle.state`).
    const PACKAGE_READY: &'static str = "ready";

    /// The trial package's `final_readiness_bundle.state`: `ready` or `incomplete`.
    pub const fn package_str(self) -> &'static str {
        match self {
            ReadinessState::ReadyForCloseout => Self::PACKAGE_READY,
            ReadinessState::Incomplete => ReadinessState::Incomplete.as_str(),
        }
    }

    /// Reads a trial package's `final_readiness_bundle.state`; `None` for anything but its two words.
    pub fn parse_package(text: &str) -> Option<ReadinessState> {
        ReadinessState::ALL
            .iter()
            .copied()
            .find(|state| state.package_str() == text)
    }
}

vocabulary! {
    /// A signed archive manifest's `signature_state` (step 2).
    SignatureState {
        /// A signature reference was given.
        ExternalSignatureAttached => "external_signature_attached",
        ExternalSignatureRequired => "external_signature_required",
    }
}

vocabulary! {
    /// A closeout summary's `closeout_state` (step 3).
    CloseoutState {
        /// No summary blockers.
        Closed => "closed",
        Open => "open",
    }
}

vocabulary! {
    /// The delivery state of a delivery record, and of a summary from every call's latest result per
    /// provider (step 3); a trial package's alert providers use `delivered` and `failed`.
    DeliveryState {
        Delivered => "delivered",
        PartialFailure => "partial_failure",
        Failed => "failed",
        /// There was nothing to deliver to.
        NotDelivered => "not_delivered",
    }
}

impl DeliveryState {
    /// `failed` or `partial_failure`: at least one provider's delivery failed.
    pub const fn failed(self) -> bool {
        matches!(self, DeliveryState::Failed | DeliveryState::PartialFailure)
    }

    /// `delivered` or `partial_failure`: at least one provider received it.
    pub const fn reached_a_provider(self) -> bool {
        matches!(
            self,
            DeliveryState::Delivered | DeliveryState::PartialFailure
        )
    }
}

vocabulary! {
    /// A retention decision's `decision_state` (step 4).
    RetentionDecisionState {
        Approved => "approved",
        Denied => "denied",
        Deferred => "deferred",
        Expired => "expired",
    }
}

vocabulary! {
    /// A retention health report's `alert_level` and each finding's `severity` (step 6); also the
    /// upstream archive health's `alert_level` (`docs/domain.md#3-upstream-evidence`).
    HealthLevel {
        Healthy => "healthy",
        Warning => "warning",
        Critical => "critical",
    }
}

vocabulary! {
    /// A retry plan decision (step 8).
    RetryAction {
        /// Eligible for closeout redelivery.
        Retry => "retry",
        /// The retry delay window has not elapsed.
        Wait => "wait",
        /// The maximum number of attempts was reached.
        Suppress => "suppress",
    }
}

vocabulary! {
    /// A retry worker run's `mode` (step 9); `dry_run` is also the reason an execution was skipped.
    WorkerMode {
        /// No delivery; executions are `skipped` (D-6).
        DryRun => "dry_run",
        /// Redelivery through the simulated connector, only after a completed dry run (D-7).
        Live => "live",
    }
}

impl WorkerMode {
    /// The mode of a run whose `dry_run` flag is `dry_run`.
    pub const fn of_dry_run(dry_run: bool) -> WorkerMode {
        if dry_run {
            WorkerMode::DryRun
        } else {
            WorkerMode::Live
        }
    }
}

vocabulary! {
    /// A retry worker run's `state` (step 9): a run is recorded once it has completed.
    WorkerRunState {
        Completed => "completed",
    }
}

vocabulary! {
    /// An execution record's `status` (step 9).
    ExecutionStatus {
        Delivered => "delivered",
        Failed => "failed",
        /// A dry run's execution: not a failure (D-6).
        Skipped => "skipped",
    }
}

vocabulary! {
    /// The release state (`docs/domain.md#54-state`).
    ReleaseState {
        ReadyForRelease => "ready_for_release",
        ReadyWithAcceptedRisk => "ready_with_accepted_risk",
        Blocked => "blocked",
    }
}

impl ReleaseState {
    /// The spec string, under the name the decision's callers use (the same as [`ReleaseState::as_str`]).
    pub const fn code(self) -> &'static str {
        self.as_str()
    }

    /// The state in words, for people.
    pub const fn label(self) -> &'static str {
        match self {
            ReleaseState::ReadyForRelease => "Ready for release",
            ReleaseState::ReadyWithAcceptedRisk => "Ready with accepted risk",
            ReleaseState::Blocked => "Blocked",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant's string parses back to it, and the strings of one vocabulary differ.
    fn round_trips<T: Copy + PartialEq + std::fmt::Debug>(
        all: &[T],
        as_str: fn(T) -> &'static str,
        parse: fn(&str) -> Option<T>,
    ) {
        for (index, state) in all.iter().enumerate() {
            assert_eq!(parse(as_str(*state)), Some(*state), "{state:?}");
            for other in &all[index + 1..] {
                assert_ne!(as_str(*state), as_str(*other));
            }
        }
        for unknown in ["", "unknown", "none", "not_attached", "APPROVED", " closed"] {
            assert_eq!(parse(unknown), None, "{unknown:?}");
        }
    }

    #[test]
    fn every_vocabulary_round_trips_and_refuses_unknown_strings() {
        round_trips(
            ApprovalState::ALL,
            ApprovalState::as_str,
            ApprovalState::parse,
        );
        round_trips(
            AttachmentState::ALL,
            AttachmentState::as_str,
            AttachmentState::parse,
        );
        round_trips(
            VerificationState::ALL,
            VerificationState::as_str,
            VerificationState::parse,
        );
        round_trips(
            ReadinessState::ALL,
            ReadinessState::as_str,
            ReadinessState::parse,
        );
        round_trips(
            SignatureState::ALL,
            SignatureState::as_str,
            SignatureState::parse,
        );
        round_trips(
            CloseoutState::ALL,
            CloseoutState::as_str,
            CloseoutState::parse,
        );
        round_trips(
            DeliveryState::ALL,
            DeliveryState::as_str,
            DeliveryState::parse,
        );
        round_trips(
            RetentionDecisionState::ALL,
            RetentionDecisionState::as_str,
            RetentionDecisionState::parse,
        );
        round_trips(HealthLevel::ALL, HealthLevel::as_str, HealthLevel::parse);
        round_trips(RetryAction::ALL, RetryAction::as_str, RetryAction::parse);
        round_trips(WorkerMode::ALL, WorkerMode::as_str, WorkerMode::parse);
        round_trips(
            WorkerRunState::ALL,
            WorkerRunState::as_str,
            WorkerRunState::parse,
        );
        round_trips(
            ExecutionStatus::ALL,
            ExecutionStatus::as_str,
            ExecutionStatus::parse,
        );
        round_trips(ReleaseState::ALL, ReleaseState::as_str, ReleaseState::parse);
        round_trips(
            ReadinessState::ALL,
            ReadinessState::package_str,
            ReadinessState::parse_package,
        );
    }

    /// A vocabulary's strings, in order.
    fn strings<T: Copy>(all: &[T], as_str: fn(T) -> &'static str) -> Vec<&'static str> {
        all.iter().map(|state| as_str(*state)).collect()
    }

    #[test]
    fn the_strings_are_the_specs() {
        assert_eq!(
            strings(ReadinessState::ALL, ReadinessState::as_str),
            ["ready_for_closeout", "incomplete"]
        );
        assert_eq!(
            strings(ReadinessState::ALL, ReadinessState::package_str),
            ["ready", "incomplete"]
        );
        assert_eq!(
            strings(SignatureState::ALL, SignatureState::as_str),
            ["external_signature_attached", "external_signature_required"]
        );
        assert_eq!(
            strings(CloseoutState::ALL, CloseoutState::as_str),
            ["closed", "open"]
        );
        assert_eq!(
            strings(DeliveryState::ALL, DeliveryState::as_str),
            ["delivered", "partial_failure", "failed", "not_delivered"]
        );
        assert_eq!(
            strings(RetentionDecisionState::ALL, RetentionDecisionState::as_str),
            ["approved", "denied", "deferred", "expired"]
        );
        assert_eq!(
            strings(HealthLevel::ALL, HealthLevel::as_str),
            ["healthy", "warning", "critical"]
        );
        assert_eq!(
            strings(RetryAction::ALL, RetryAction::as_str),
            ["retry", "wait", "suppress"]
        );
        assert_eq!(
            strings(WorkerMode::ALL, WorkerMode::as_str),
            ["dry_run", "live"]
        );
        assert_eq!(
            strings(WorkerRunState::ALL, WorkerRunState::as_str),
            ["completed"]
        );
        assert_eq!(
            strings(ExecutionStatus::ALL, ExecutionStatus::as_str),
            ["delivered", "failed", "skipped"]
        );
        assert_eq!(
            strings(ReleaseState::ALL, ReleaseState::code),
            ["ready_for_release", "ready_with_accepted_risk", "blocked"]
        );
        assert_eq!(
            strings(ReleaseState::ALL, ReleaseState::label),
            ["Ready for release", "Ready with accepted risk", "Blocked"]
        );
    }

    #[test]
    fn delivery_failure_and_reach_are_the_rules_two_sets() {
        use DeliveryState::*;
        let failed: Vec<_> = DeliveryState::ALL.iter().filter(|s| s.failed()).collect();
        assert_eq!(failed, [&PartialFailure, &Failed]);
        let reached: Vec<_> = DeliveryState::ALL
            .iter()
            .filter(|s| s.reached_a_provider())
            .collect();
        assert_eq!(reached, [&Delivered, &PartialFailure]);
        assert_eq!(WorkerMode::of_dry_run(true), WorkerMode::DryRun);
        assert_eq!(WorkerMode::of_dry_run(false), WorkerMode::Live);
    }
}
