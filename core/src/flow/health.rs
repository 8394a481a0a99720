//! Step 6: retention health. Each artifact bundle's retention is checked (first match wins), a closeout
//! delivery still failing is a finding of its own (D-8), and the report's level is the worst finding's.

use super::delivery::{failed_deliveries, FailedDelivery};
use super::inputs;
use super::StepError;
use crate::evidence::EvidenceLog;
use crate::input::Fields;
use crate::json::{strings, Value};
use crate::record::{field, RecordKind};
use crate::scenario::Scenario;
use crate::states::{HealthLevel, RetentionDecisionState};
use crate::steps::StepId;
use crate::time::Timestamp;

/// One finding of a retention health report.
#[derive(Debug, PartialEq)]
struct Finding {
    severity: HealthLevel,
    category: &'static str,
    message: String,
    /// The bundle it is about; `None` for a finding about deliveries.
    artifact_bundle_id: Option<String>,
}

/// One artifact bundle's retention, as the report lists it.
#[derive(Debug, PartialEq)]
struct BundleStatus {
    artifact_bundle_id: String,
    /// The retention review's date as written (empty when there is no review).
    retention_until: String,
    /// What is wrong with its retention; `None` when it is healthy.
    finding: Option<Finding>,
}

impl BundleStatus {
    /// The bundle's entry in `bundle_statuses`: its status is the finding's category, or `healthy`.
    fn to_value(&self) -> Value {
        let status = self
            .finding
            .as_ref()
            .map_or(HealthLevel::Healthy.as_str(), |f| f.category);
        Value::object([
            (
                field::ARTIFACT_BUNDLE_ID,
                Value::from(self.artifact_bundle_id.as_str()),
            ),
            (
                field::RETENTION_UNTIL,
                Value::from(self.retention_until.as_str()),
            ),
            (field::STATUS, Value::from(status)),
        ])
    }
}

/// Step 6: retention health of every artifact bundle, first match wins, plus failed deliveries (D-8).
pub fn retention_health(
    log: &mut EvidenceLog,
    scenario: &Scenario,
    fields: &Fields<'_>,
    now: Timestamp,
) -> Result<Option<String>, StepError> {
    let warning_days = inputs::expiry_warning_days(fields)?;
    let reference = scenario.release_record_ref.as_str();
    let statuses: Vec<BundleStatus> = log
        .all(RecordKind::ArtifactBundle, reference)
        .map(|bundle| bundle_status(log, &bundle.record, now, warning_days))
        .collect();
    if statuses.is_empty() {
        return Err(StepError::MissingPrerequisite {
            step: StepId::RetentionHealth,
            missing: "a closeout artifact bundle (step 5)".into(),
        });
    }
    let failed = failed_deliveries(log, reference);
    let record = health_record(reference, now, warning_days, &statuses, &failed);
    log.append_sealed(RecordKind::RetentionHealth, record);
    Ok(None)
}

/// One bundle's status, its retention read through the decision it rests on and that decision's review.
fn bundle_status(
    log: &EvidenceLog,
    bundle: &Value,
    now: Timestamp,
    warning_days: i64,
) -> BundleStatus {
    let artifact_bundle_id = bundle.str_at(field::ARTIFACT_BUNDLE_ID).to_string();
    let decision = log
        .by_id(bundle.str_at(field::RETENTION_DECISION_ID))
        .map(|e| &e.record);
    let review = decision
        .and_then(|d| log.by_id(d.str_at(field::REVIEW_ID)))
        .map(|e| &e.record);
    let retention_until = review
        .map(|r| r.str_at(field::RETENTION_UNTIL).to_string())
        .unwrap_or_default();
    let approved = decision.is_some_and(|d| {
        RetentionDecisionState::parse(d.str_at(field::DECISION_STATE))
            == Some(RetentionDecisionState::Approved)
    });
    let until = Timestamp::parse(&retention_until);
    let finding = retention_finding(approved, until, now, warning_days).map(
        |(severity, category, message)| Finding {
            severity,
            category,
            message,
            artifact_bundle_id: Some(artifact_bundle_id.clone()),
        },
    );
    BundleStatus {
        artifact_bundle_id,
        retention_until,
        finding,
    }
}

/// What is wrong with a bundle's retention, first match wins: `(severity, category, message)`, or
/// `None` when it is approved and ends after the warning window.
fn retention_finding(
    approved: bool,
    until: Option<Timestamp>,
    now: Timestamp,
    warning_days: i64,
) -> Option<(HealthLevel, &'static str, String)> {
    if !approved {
        return Some((
            HealthLevel::Critical,
            "retention_approval_missing",
            "The retention decision for this bundle is not approved.".to_string(),
        ));
    }
    let Some(until) = until else {
        return Some((
            HealthLevel::Warning,
            "retention_expiry_missing",
            "The retention review has no parseable retention_until.".to_string(),
        ));
    };
    if until <= now {
        Some((
            HealthLevel::Critical,
            "retention_expired",
            format!(
                "Retention ended on {}; the evidence is past its approved retention.",
                until.date()
            ),
        ))
    } else if until <= now.plus_days(warning_days) {
        Some((
            HealthLevel::Warning,
            "retention_expiring",
            format!(
                "Retention ends on {}, within {warning_days} days.",
                until.date()
            ),
        ))
    } else {
        None
    }
}

/// The finding for closeout deliveries still failing (D-8), naming their providers; `None` when none
/// is.
fn failed_delivery_finding(failed: &[FailedDelivery]) -> Option<Finding> {
    if failed.is_empty() {
        return None;
    }
    let providers: Vec<&str> = failed.iter().map(|f| f.provider.as_str()).collect();
    Some(Finding {
        severity: HealthLevel::Warning,
        category: "failed_closeout_delivery",
        message: format!(
            "The closeout delivery to {} failed and has not been redelivered.",
            providers.join(", ")
        ),
        artifact_bundle_id: None,
    })
}

/// The report's level: `critical` if any finding is, `healthy` if there is none, else `warning`.
fn alert_level(findings: &[&Finding]) -> HealthLevel {
    if findings.iter().any(|f| f.severity == HealthLevel::Critical) {
        HealthLevel::Critical
    } else if findings.is_empty() {
        HealthLevel::Healthy
    } else {
        HealthLevel::Warning
    }
}

/// The findings' categories, sorted and unique.
fn finding_categories(findings: &[&Finding]) -> Vec<String> {
    // Strings, like the other sorted lists: one sort instantiation serves them all.
    let mut categories: Vec<String> = findings.iter().map(|f| f.category.to_string()).collect();
    categories.sort();
    categories.dedup();
    categories
}

/// The `findings` list: each numbered in order and named by its category.
fn findings_value(findings: &[&Finding]) -> Vec<Value> {
    findings
        .iter()
        .enumerate()
        .map(|(index, f)| {
            Value::object([
                (
                    "finding_id",
                    Value::from(format!("finding-{}-{}", index + 1, f.category)),
                ),
                (field::SEVERITY, Value::from(f.severity.as_str())),
                ("category", Value::from(f.category)),
                ("message", Value::from(f.message.as_str())),
                (
                    field::ARTIFACT_BUNDLE_ID,
                    Value::from(f.artifact_bundle_id.clone()),
                ),
            ])
        })
        .collect()
}

/// The report's `summary`: findings per severity, and the checks that passed (each healthy bundle, and
/// the deliveries when none is failing).
fn health_summary(findings: &[&Finding], healthy_checks: usize) -> Value {
    let count = |level: HealthLevel| findings.iter().filter(|f| f.severity == level).count();
    Value::object([
        (
            "critical_findings",
            Value::from(count(HealthLevel::Critical)),
        ),
        ("warning_findings", Value::from(count(HealthLevel::Warning))),
        ("healthy_checks", Value::from(healthy_checks)),
    ])
}

/// The retention health record (unsealed): the bundles' statuses and every finding, bundles first.
fn health_record(
    reference: &str,
    now: Timestamp,
    warning_days: i64,
    statuses: &[BundleStatus],
    failed: &[FailedDelivery],
) -> Value {
    let delivery_finding = failed_delivery_finding(failed);
    let findings: Vec<&Finding> = statuses
        .iter()
        .filter_map(|s| s.finding.as_ref())
        .chain(delivery_finding.as_ref())
        .collect();
    let healthy_checks = statuses.iter().filter(|s| s.finding.is_none()).count()
        + usize::from(delivery_finding.is_none());
    // Strings, like the other sorted lists: one instantiation of `strings` and the sort serves them all.
    let categories = finding_categories(&findings);
    Value::object([
        (field::GENERATED_AT, Value::from(now.isoformat())),
        (
            field::BUNDLE_STATUSES,
            Value::Array(statuses.iter().map(BundleStatus::to_value).collect()),
        ),
        (field::FINDING_CATEGORIES, strings(&categories)),
        (field::RELEASE_RECORD_REF, Value::from(reference)),
        (
            field::ALERT_LEVEL,
            Value::from(alert_level(&findings).as_str()),
        ),
        ("expiry_warning_days", Value::from(warning_days)),
        (field::FINDINGS, Value::Array(findings_value(&findings))),
        ("summary", health_summary(&findings, healthy_checks)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        Timestamp::parse("2026-03-01T12:00:00+00:00").unwrap()
    }

    fn category(approved: bool, until: Option<Timestamp>) -> Option<&'static str> {
        retention_finding(approved, until, now(), 30).map(|(_, category, _)| category)
    }

    fn failed(provider: &str) -> FailedDelivery {
        FailedDelivery {
            summary_id: "summary-1".into(),
            delivery_id: "delivery-1".into(),
            provider: provider.into(),
            attempts: 1,
            failed_at: Some(now()),
        }
    }

    fn status(id: &str, finding: Option<(HealthLevel, &'static str)>) -> BundleStatus {
        BundleStatus {
            artifact_bundle_id: id.into(),
            retention_until: "2027-03-01".into(),
            finding: finding.map(|(severity, category)| Finding {
                severity,
                category,
                message: String::new(),
                artifact_bundle_id: Some(id.into()),
            }),
        }
    }

    #[test]
    fn an_unapproved_retention_is_critical_whatever_its_date() {
        for until in [None, Some(now()), Some(now().plus_days(365))] {
            let finding = retention_finding(false, until, now(), 30).unwrap();
            assert_eq!(finding.0, HealthLevel::Critical);
            assert_eq!(finding.1, "retention_approval_missing");
        }
    }

    #[test]
    fn an_approved_retention_is_judged_by_its_date() {
        assert_eq!(category(true, None), Some("retention_expiry_missing"));
        assert_eq!(category(true, Some(now())), Some("retention_expired"));
        assert_eq!(
            category(true, Some(now().plus_days(-1))),
            Some("retention_expired")
        );
        assert_eq!(
            category(true, Some(now().plus_days(30))),
            Some("retention_expiring")
        );
        assert_eq!(category(true, Some(now().plus_days(31))), None);
        let (severity, _, message) =
            retention_finding(true, Some(now().plus_days(10)), now(), 30).unwrap();
        assert_eq!(severity, HealthLevel::Warning);
        assert_eq!(message, "Retention ends on 2026-03-11, within 30 days.");
        let (severity, _, message) = retention_finding(true, Some(now()), now(), 30).unwrap();
        assert_eq!(severity, HealthLevel::Critical);
        assert_eq!(
            message,
            "Retention ended on 2026-03-01; the evidence is past its approved retention."
        );
    }

    #[test]
    fn failing_deliveries_are_one_warning_naming_every_provider() {
        assert_eq!(failed_delivery_finding(&[]), None);
        let finding = failed_delivery_finding(&[failed("jira"), failed("slack")]).unwrap();
        assert_eq!(finding.severity, HealthLevel::Warning);
        assert_eq!(finding.category, "failed_closeout_delivery");
        assert_eq!(
            finding.message,
            "The closeout delivery to jira, slack failed and has not been redelivered."
        );
        assert_eq!(finding.artifact_bundle_id, None);
    }

    #[test]
    fn the_level_is_the_worst_finding() {
        let warning = status("b", Some((HealthLevel::Warning, "retention_expiring")));
        let critical = status("c", Some((HealthLevel::Critical, "retention_expired")));
        fn findings<'a>(all: &[&'a BundleStatus]) -> Vec<&'a Finding> {
            all.iter().filter_map(|s| s.finding.as_ref()).collect()
        }
        assert_eq!(alert_level(&[]), HealthLevel::Healthy);
        assert_eq!(alert_level(&findings(&[&warning])), HealthLevel::Warning);
        assert_eq!(
            alert_level(&findings(&[&warning, &critical])),
            HealthLevel::Critical
        );
    }

    #[test]
    fn a_bundles_status_is_its_findings_category_or_healthy() {
        let healthy = status("a", None).to_value();
        assert_eq!(healthy.str_at("status"), "healthy");
        assert_eq!(healthy.str_at("artifact_bundle_id"), "a");
        assert_eq!(healthy.str_at("retention_until"), "2027-03-01");
        let expiring = status("b", Some((HealthLevel::Warning, "retention_expiring")));
        assert_eq!(expiring.to_value().str_at("status"), "retention_expiring");
    }

    #[test]
    fn the_report_lists_bundle_findings_first_and_counts_the_checks_that_passed() {
        let statuses = vec![
            status("a", None),
            status("b", Some((HealthLevel::Warning, "retention_expiring"))),
            status(
                "c",
                Some((HealthLevel::Critical, "retention_approval_missing")),
            ),
        ];
        let record = health_record("REL-1", now(), 30, &statuses, &[failed("jira")]);
        assert_eq!(record.str_at("alert_level"), "critical");
        let ids: Vec<&str> = record
            .get("findings")
            .and_then(Value::as_array)
            .unwrap()
            .iter()
            .map(|f| f.str_at("finding_id"))
            .collect();
        assert_eq!(
            ids,
            [
                "finding-1-retention_expiring",
                "finding-2-retention_approval_missing",
                "finding-3-failed_closeout_delivery"
            ]
        );
        assert_eq!(
            record.get("finding_categories"),
            Some(&strings([
                "failed_closeout_delivery",
                "retention_approval_missing",
                "retention_expiring"
            ]))
        );
        let summary = record.get("summary").unwrap();
        let count = |key| summary.get(key).and_then(Value::as_i64);
        assert_eq!(count("critical_findings"), Some(1));
        assert_eq!(count("warning_findings"), Some(2));
        assert_eq!(count("healthy_checks"), Some(1));
        // With no delivery failing, the deliveries are a check that passed.
        let record = health_record("REL-1", now(), 30, &[status("a", None)], &[]);
        assert_eq!(record.str_at("alert_level"), "healthy");
        let summary = record.get("summary").unwrap();
        assert_eq!(
            summary.get("healthy_checks").and_then(Value::as_i64),
            Some(2)
        );
    }
}
