//! The ten release criteria (`docs/domain.md#5-the-release-decision`): each fails on its blocking codes
//! and cites the records it rests on.

use crate::json::{strings, Value};

/// The ten release criteria, each with the blocking codes that fail it.
pub const CRITERIA: [(&str, &[&str]); 10] = [
    ("Final readiness bundle is ready", &["readiness_incomplete"]),
    (
        "Archive manifest has an external signature and no key material",
        &["signature_missing", "private_key_stored"],
    ),
    ("Closeout summary is closed", &["closeout_open"]),
    (
        "Retention is approved and in force",
        &["retention_not_approved", "retention_expired"],
    ),
    (
        "Closeout artifact bundle is complete",
        &["artifact_bundle_incomplete"],
    ),
    (
        "Retention health is reported with no uncovered critical finding",
        &["retention_health_missing", "critical_health_finding"],
    ),
    (
        "Alerts were delivered or their suppression recorded",
        &["alert_not_delivered"],
    ),
    (
        "Every failed delivery has a retry decision",
        &["failed_delivery_without_retry_plan"],
    ),
    (
        "Retries ran, dry run before live",
        &["retry_worker_missing", "live_retry_without_dry_run"],
    ),
    (
        "Any accepted risk is documented and current",
        &["undocumented_risk", "accepted_risk_expired"],
    ),
];

/// One release criterion's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Criterion {
    pub number: u8,
    pub name: &'static str,
    pub passed: bool,
    /// The blocking codes that failed it.
    pub failed_by: Vec<&'static str>,
    /// The records (or package sections) it rests on.
    pub evidence_refs: Vec<String>,
}

impl Criterion {
    /// `pass`, `fail`, or `no_evidence` when nothing failed it only because the records it rests on do
    /// not exist yet (criterion 10, on the accepted risk, rests on no record).
    pub fn status(&self) -> &'static str {
        if !self.passed {
            "fail"
        } else if self.evidence_refs.is_empty() && self.number != 10 {
            "no_evidence"
        } else {
            "pass"
        }
    }

    /// The criterion as the final decision record lists it.
    pub fn to_value(&self) -> Value {
        Value::object([
            ("criterion", Value::from(self.number as u32)),
            ("name", Value::from(self.name)),
            ("passed", Value::from(self.passed)),
            ("failed_by", strings(&self.failed_by)),
            ("evidence_refs", strings(&self.evidence_refs)),
        ])
    }
}

/// The ten criteria's results from the decision's blocking codes; `evidence_refs[i]` is what criterion
/// `i + 1` rests on.
pub fn criteria(blocking: &[&'static str], evidence_refs: &[Vec<String>]) -> Vec<Criterion> {
    CRITERIA
        .iter()
        .enumerate()
        .map(|(index, (name, codes))| {
            let failed_by: Vec<&'static str> = blocking
                .iter()
                .copied()
                .filter(|code| codes.contains(code))
                .collect();
            Criterion {
                number: index as u8 + 1,
                name,
                passed: failed_by.is_empty(),
                failed_by,
                evidence_refs: evidence_refs.get(index).cloned().unwrap_or_default(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decision::BLOCKING_CODES;

    #[test]
    fn every_blocking_code_fails_exactly_one_criterion() {
        for code in BLOCKING_CODES {
            let failing: Vec<u8> = criteria(&[code], &[])
                .iter()
                .filter(|c| !c.passed)
                .map(|c| c.number)
                .collect();
            assert_eq!(failing.len(), 1, "{code}: {failing:?}");
        }
    }

    #[test]
    fn a_criterion_lists_the_codes_that_failed_it_and_the_records_it_rests_on() {
        let mut refs = vec![Vec::new(); 10];
        refs[1] = vec!["manifest-1".to_string()];
        let results = criteria(&["readiness_incomplete", "private_key_stored"], &refs);
        assert_eq!(results.len(), 10);
        assert_eq!(
            results.iter().map(|c| c.number).collect::<Vec<_>>(),
            (1..=10).collect::<Vec<_>>()
        );
        assert_eq!(results[1].failed_by, ["private_key_stored"]);
        assert_eq!(results[1].evidence_refs, ["manifest-1"]);
        assert_eq!(results[0].status(), "fail");
        assert_eq!(results[1].status(), "fail");
        // Nothing failed it, but it rests on nothing yet.
        assert_eq!(results[2].status(), "no_evidence");
        // Criterion 10, on the accepted risk, rests on no record.
        assert_eq!(results[9].status(), "pass");
        let value = results[1].to_value();
        assert_eq!(value.str_at("name"), CRITERIA[1].0);
        assert_eq!(value.get("passed"), Some(&Value::from(false)));
    }
}
