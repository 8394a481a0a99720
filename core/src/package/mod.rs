//! The trial package `cavra.final_closeout_trial.v1` (`docs/domain.md#7-the-trial-package`): its
//! [sections](sections) and their fields in one table, validated [import](TrialPackage::import) that
//! keeps unknown fields and reads an absent step section as not run, the [facts](TrialPackage::facts) and release decision of a package, and
//! [export](export_session) of a session with real digests.

mod export;
mod facts;
mod import;
pub mod sections;

pub use export::export_session;
pub use import::{PackageError, TrialPackage};

/// The schema a trial package declares.
pub const PACKAGE_SCHEMA: &str = "cavra.final_closeout_trial.v1";
/// Where the release criteria are written down.
pub const CRITERIA_DOCUMENT: &str = "docs/release-governance-final-closeout-release-criteria.md";

/// The step sections, in the order import checks them, then the scenario. Each is an object, or `null`
/// when its step did not run; a step section that is absent reads as `null` (D-16), an absent scenario
/// is refused.
pub const SECTIONS: [&str; 11] = sections::keys_in_import_order();

/// The largest package file accepted.
pub const MAX_PACKAGE_BYTES: usize = 8 * 1024 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_section_keys_are_the_tables_in_import_order() {
        assert_eq!(
            SECTIONS,
            [
                "final_readiness_bundle",
                "signed_archive_manifest",
                "release_closeout_summary",
                "retention_review",
                "closeout_artifact_bundle",
                "retention_health_report",
                "retention_alert_delivery",
                "closeout_retry_plan",
                "retry_worker_run",
                "release_decision",
                "scenario",
            ]
        );
    }
}
