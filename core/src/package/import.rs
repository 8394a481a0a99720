//! Importing a trial package (`docs/domain.md#7-the-trial-package`): at most [`MAX_PACKAGE_BYTES`],
//! strict JSON, the schema, the public-safe guard (`docs/domain.md#6-the-public-safe-guard`), then each
//! section checked against the [section table](super::sections). A step section that is absent reads
//! as `null`, its step not run (`docs/domain.md#d-16-an-absent-package-section-reads-as-null`); only a
//! malformed or unsafe package is refused. Unknown fields are kept.

use super::sections::{self, Field, Kind};
use super::{MAX_PACKAGE_BYTES, PACKAGE_SCHEMA};
use crate::guard::{check_value, UnsafeValue};
use crate::input::{Fields, InputError};
use crate::json::{self, JsonError, Value};
use crate::time::Timestamp;
use std::fmt;

/// Why a package was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PackageError {
    /// Larger than [`MAX_PACKAGE_BYTES`].
    TooLarge(usize),
    Json(JsonError),
    Invalid(InputError),
    Unsafe(UnsafeValue),
}

impl fmt::Display for PackageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PackageError::TooLarge(bytes) => write!(
                f,
                "the file is {:.1} MB; a trial package may be at most {} MB",
                *bytes as f64 / 1_048_576.0,
                MAX_PACKAGE_BYTES / 1_048_576
            ),
            PackageError::Json(e) => write!(f, "not valid JSON: {e}"),
            PackageError::Invalid(e) => write!(f, "not a valid trial package: {e}"),
            PackageError::Unsafe(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for PackageError {}

impl From<InputError> for PackageError {
    fn from(e: InputError) -> Self {
        PackageError::Invalid(e)
    }
}

/// A validated trial package. The document is kept whole, unknown fields included.
#[derive(Clone, Debug, PartialEq)]
pub struct TrialPackage {
    pub document: Value,
    pub generated_at: Timestamp,
}

impl TrialPackage {
    /// Parses, guards (`docs/domain.md#6-the-public-safe-guard`) and validates a package file.
    pub fn import(bytes: &[u8]) -> Result<TrialPackage, PackageError> {
        if bytes.len() > MAX_PACKAGE_BYTES {
            return Err(PackageError::TooLarge(bytes.len()));
        }
        let document = json::parse_bytes(bytes).map_err(PackageError::Json)?;
        TrialPackage::from_value(document)
    }

    /// Guards and validates a parsed package.
    pub fn from_value(document: Value) -> Result<TrialPackage, PackageError> {
        let root = Fields::new(&document, "$")?;
        let schema = root.str("schema_version")?;
        if schema != PACKAGE_SCHEMA {
            return Err(root
                .error(
                    "schema_version",
                    format!("{schema:?} is not {PACKAGE_SCHEMA:?}"),
                )
                .into());
        }
        check_value(&document, "$").map_err(PackageError::Unsafe)?;
        let generated_at = root.time("generated_at")?;
        for section in sections::in_import_order() {
            let value = match document.get(section.key) {
                Some(value) => value,
                // D-16: an absent step section reads as `null`, its step did not run, and the
                // decision gives that its blocking code. Refusing it would leave an incomplete
                // closeout undecided.
                None if section.step.is_some() => continue,
                // The scenario is no step and has no blocking code: read as `null`, its absence
                // would go unsaid. An explicit `null` is the package saying it has none.
                None => {
                    return Err(root
                        .error(
                            section.key,
                            "is missing (an object describing the run, or null)",
                        )
                        .into())
                }
            };
            if value.is_null() {
                continue;
            }
            let path = format!("$.{}", section.key);
            check_fields(&Fields::new(value, &path)?, section.fields)?;
        }
        Ok(TrialPackage {
            document,
            generated_at,
        })
    }

    /// The step sections the package leaves out, in the package's order: each reads as `null`, its
    /// step not run (`docs/domain.md#d-16-an-absent-package-section-reads-as-null`).
    pub fn absent_sections(&self) -> Vec<&'static str> {
        sections::TABLE
            .iter()
            .filter(|s| s.step.is_some() && self.document.get(s.key).is_none())
            .map(|s| s.key)
            .collect()
    }

    /// One line naming the absent step sections, `None` when every section is there.
    pub fn absent_note(&self) -> Option<String> {
        let absent = self.absent_sections();
        (!absent.is_empty())
            .then(|| format!("absent sections (read as not run): {}", absent.join(", ")))
    }
}

/// Which of the passes over an object checks a field.
fn pass(kind: Kind) -> u8 {
    match kind {
        Kind::Text => 0,
        Kind::OptionalText => 1,
        _ => 2,
    }
}

/// Checks an object's fields: the required texts, then the optional texts, then the rest, each in the
/// table's order. Import has always checked them so, and reports the first fault it meets.
fn check_fields(object: &Fields<'_>, fields: &[Field]) -> Result<(), InputError> {
    for round in 0..=2 {
        for field in fields.iter().filter(|f| pass(f.kind) == round) {
            check_field(object, *field)?;
        }
    }
    Ok(())
}

fn check_field(object: &Fields<'_>, field: Field) -> Result<(), InputError> {
    let key = field.key;
    match field.kind {
        Kind::Text => object.str(key).map(drop),
        Kind::OptionalText => object.opt_str(key).map(drop),
        Kind::Flag => object.bool(key).map(drop),
        Kind::Count => object.int(key, 0, i64::MAX).map(drop),
        Kind::Texts => object.strings(key).map(drop),
        Kind::Object(inner) => {
            let path = object.path_of(key);
            check_fields(&Fields::new(object.present(key)?, &path)?, inner)
        }
        Kind::OptionalObject(inner) => match object.raw(key) {
            None => Ok(()),
            Some(value) => {
                let path = object.path_of(key);
                check_fields(&Fields::new(value, &path)?, inner)
            }
        },
        Kind::Objects(inner) => {
            for (index, item) in object.array(key)?.iter().enumerate() {
                let path = format!("{}[{index}]", object.path_of(key));
                check_fields(&Fields::new(item, &path)?, inner)?;
            }
            Ok(())
        }
        Kind::Unchecked => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::pretty_string;
    use crate::package::export_session;
    use crate::scenario::Scenario;

    fn ready() -> Value {
        let scenario = Scenario::built_in("ready").unwrap();
        let now = scenario.generated_at;
        let mut session = crate::flow::Session::start(scenario);
        session.run_remaining(now);
        export_session(&session, now)
    }

    /// Applies `edits` (`section`, `key`, value) and returns the refusal.
    fn refusal(edits: &[(&str, &str, Value)]) -> String {
        let mut document = ready();
        for (section, key, value) in edits {
            let mut part = document.remove(section).unwrap();
            part.set(key, value.clone());
            document.set(section, part);
        }
        TrialPackage::from_value(document).unwrap_err().to_string()
    }

    #[test]
    fn a_complete_export_imports_and_every_section_may_be_null() {
        let document = ready();
        let bytes = pretty_string(&document).into_bytes();
        assert_eq!(TrialPackage::import(&bytes).unwrap().document, document);
        for section in sections::TABLE {
            let mut document = document.clone();
            document.set(section.key, Value::Null);
            assert!(
                TrialPackage::from_value(document).is_ok(),
                "{}",
                section.key
            );
        }
    }

    #[test]
    fn an_absent_step_section_imports_as_not_run_and_an_absent_scenario_is_refused() {
        let complete = TrialPackage::from_value(ready()).unwrap();
        assert!(complete.absent_sections().is_empty());
        assert_eq!(complete.absent_note(), None);
        for section in sections::TABLE {
            let mut document = ready();
            document.remove(section.key);
            let imported = TrialPackage::from_value(document);
            match section.step {
                Some(_) => {
                    let package = imported.unwrap();
                    assert_eq!(package.absent_sections(), [section.key]);
                    assert_eq!(
                        package.absent_note().unwrap(),
                        format!("absent sections (read as not run): {}", section.key)
                    );
                }
                None => assert_eq!(
                    imported.unwrap_err().to_string(),
                    "not a valid trial package: $.scenario: is missing (an object describing the \
                     run, or null)"
                ),
            }
        }
        // Several absent, named in the package's order; a null one is not absent.
        let mut document = ready();
        document.remove("retry_worker_run");
        document.remove("closeout_retry_plan");
        document.set("retention_health_report", Value::Null);
        let package = TrialPackage::from_value(document).unwrap();
        assert_eq!(
            package.absent_note().unwrap(),
            "absent sections (read as not run): closeout_retry_plan, retry_worker_run"
        );
    }

    #[test]
    fn each_kind_of_field_is_checked_as_the_table_says() {
        let number = || Value::from(5i64);
        let cases = [
            (
                ("final_readiness_bundle", "state", number()),
                "$.final_readiness_bundle.state: must be a string, found an integer",
            ),
            (
                ("retention_review", "notes", number()),
                "$.retention_review.notes: must be a string, found an integer",
            ),
            (
                ("retention_review", "legal_hold", Value::Null),
                "$.retention_review.legal_hold: is missing (true or false is required)",
            ),
            (
                (
                    "release_closeout_summary",
                    "blocker_count",
                    Value::from(-1i64),
                ),
                "$.release_closeout_summary.blocker_count: must be a whole number from 0 to",
            ),
            (
                (
                    "retry_worker_run",
                    "would_retry_delivery_ids",
                    strings_with_a_number(),
                ),
                "$.retry_worker_run.would_retry_delivery_ids[0]: must be a string, found an integer",
            ),
            (
                ("retention_health_report", "summary", Value::Null),
                "$.retention_health_report.summary: must be an object, found null",
            ),
            (
                ("release_decision", "accepted_risk", number()),
                "$.release_decision.accepted_risk: must be an object, found an integer",
            ),
            (
                (
                    "closeout_artifact_bundle",
                    "files",
                    Value::Array(vec![number()]),
                ),
                "$.closeout_artifact_bundle.files[0]: must be an object, found an integer",
            ),
        ];
        for ((section, key, value), expected) in cases {
            let error = refusal(&[(section, key, value)]);
            assert!(error.contains(expected), "expected {expected:?} in {error}");
        }
        // Optional texts may be absent or null; the export's time is kept unread.
        let mut document = ready();
        let mut decision = document.remove("release_decision").unwrap();
        decision.remove("state");
        decision.set("evaluated_at", number());
        document.set("release_decision", decision);
        assert!(TrialPackage::from_value(document).is_ok());
    }

    fn strings_with_a_number() -> Value {
        Value::Array(vec![Value::from(1i64), Value::from("d-1")])
    }

    #[test]
    fn the_first_fault_is_a_required_text_then_an_optional_text_then_the_rest() {
        // Written after `private_key_stored`, checked before it.
        let error = refusal(&[
            ("signed_archive_manifest", "private_key_stored", Value::Null),
            ("signed_archive_manifest", "manifest_digest", Value::Null),
        ]);
        assert!(
            error.contains("$.signed_archive_manifest.manifest_digest"),
            "{error}"
        );
        let error = refusal(&[
            ("retention_review", "legal_hold", Value::Null),
            ("retention_review", "notes", Value::from(1i64)),
        ]);
        assert!(error.contains("$.retention_review.notes"), "{error}");
        let error = refusal(&[
            ("retention_alert_delivery", "providers", Value::Null),
            (
                "retention_alert_delivery",
                "suppressed_reason",
                Value::from(1i64),
            ),
        ]);
        assert!(
            error.contains("$.retention_alert_delivery.suppressed_reason"),
            "{error}"
        );
        // Sections: every step's before the scenario's.
        let error = refusal(&[
            ("scenario", "name", Value::from(1i64)),
            ("release_decision", "criteria_document", Value::Null),
        ]);
        assert!(
            error.contains("$.release_decision.criteria_document"),
            "{error}"
        );
    }

    #[test]
    fn the_size_limit_comes_first() {
        let bytes = vec![b' '; MAX_PACKAGE_BYTES + 1];
        let error = TrialPackage::import(&bytes).unwrap_err();
        assert_eq!(error, PackageError::TooLarge(MAX_PACKAGE_BYTES + 1));
        assert_eq!(
            error.to_string(),
            "the file is 8.0 MB; a trial package may be at most 8 MB"
        );
    }
}
