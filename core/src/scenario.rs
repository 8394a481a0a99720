//! Scenarios as data: the release, its upstream evidence and the operator's inputs for each step.
//!
//! The three built-in scenarios are JSON files loaded through the same validated parser as a user's file.

use crate::flow::inputs;
use crate::guard::{check_value, UnsafeValue};
use crate::input::{Fields, InputError};
use crate::json::{self, JsonError, Value};
use crate::roles::{Identities, IdentityError};
use crate::time::Timestamp;
use std::fmt;

/// The schema a scenario file declares.
pub const SCENARIO_SCHEMA: &str = "closeout.scenario.v1";

/// The built-in scenarios, by name: `ready`, `accepted-risk`, `blocked`.
pub const BUILT_IN: [(&str, &str); 3] = [
    ("ready", include_str!("../scenarios/ready.json")),
    (
        "accepted-risk",
        include_str!("../scenarios/accepted-risk.json"),
    ),
    ("blocked", include_str!("../scenarios/blocked.json")),
];

/// A validated scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub title: String,
    pub description: String,
    pub release_record_ref: String,
    /// Where the sandbox clock starts (D-1).
    pub generated_at: Timestamp,
    /// Whether the scenario's evidence is regulated (legal hold expected).
    pub regulated_evidence: bool,
    /// Each role's identity (D-12): what every `*_by` field of a record that role appends holds.
    pub identities: Identities,
    /// The upstream evidence section, validated.
    pub upstream: Value,
    /// The operator's inputs for each step, by step key, validated.
    pub inputs: Value,
    /// The whole document as read, so nothing is lost on the way out.
    pub document: Value,
}

/// Why a scenario file was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScenarioError {
    Json(JsonError),
    Invalid(InputError),
    Unsafe(UnsafeValue),
    UnknownBuiltIn(String),
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScenarioError::Json(e) => write!(f, "not valid JSON: {e}"),
            ScenarioError::Invalid(e) => write!(f, "not a valid scenario: {e}"),
            ScenarioError::Unsafe(e) => e.fmt(f),
            ScenarioError::UnknownBuiltIn(name) => {
                write!(f, "no built-in scenario {name:?} (choose ready, accepted-risk or blocked, or give a file)")
            }
        }
    }
}

impl std::error::Error for ScenarioError {}

impl From<InputError> for ScenarioError {
    fn from(e: InputError) -> Self {
        ScenarioError::Invalid(e)
    }
}

impl Scenario {
    /// A built-in scenario by name.
    pub fn built_in(name: &str) -> Result<Scenario, ScenarioError> {
        let (_, text) = BUILT_IN
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| ScenarioError::UnknownBuiltIn(name.to_string()))?;
        Scenario::parse(text.as_bytes())
    }

    /// Parses and validates a scenario file.
    pub fn parse(bytes: &[u8]) -> Result<Scenario, ScenarioError> {
        let document = json::parse_bytes(bytes).map_err(ScenarioError::Json)?;
        Scenario::from_value(document)
    }

    /// Validates a parsed scenario document.
    pub fn from_value(document: Value) -> Result<Scenario, ScenarioError> {
        check_value(&document, "$").map_err(ScenarioError::Unsafe)?;
        let root = Fields::new(&document, "$")?;
        let schema = root.str("schema_version")?;
        if schema != SCENARIO_SCHEMA {
            return Err(root
                .error(
                    "schema_version",
                    format!("{schema:?} is not {SCENARIO_SCHEMA:?}"),
                )
                .into());
        }
        let upstream_value = root.present("upstream")?;
        let upstream = Fields::new(upstream_value, "$.upstream")?;
        for key in [
            "readiness_state",
            "approval_state",
            "attachment_state",
            "verification_state",
        ] {
            upstream.str(key)?;
        }
        upstream.bool("auditor_export")?;
        upstream.opt_str("archive_health")?;
        for (index, reference) in upstream.array("archive_references")?.iter().enumerate() {
            let path = format!("$.upstream.archive_references[{index}]");
            let reference = Fields::new(reference, &path)?;
            reference.text("archive_ref")?;
            reference.text("archive_provider")?;
            reference.str("archive_hash")?;
            reference.opt_str("retention_until")?;
            reference.bool("legal_hold")?;
        }
        let identities = match document.get("identities") {
            None | Some(Value::Null) => Identities::demo(),
            Some(value) if value.as_object().is_some() => {
                Identities::from_value(value).map_err(|error| {
                    let path = match &error {
                        IdentityError::NotAName(role) => format!("$.identities.{}", role.id()),
                        _ => "$.identities".to_string(),
                    };
                    ScenarioError::Invalid(InputError {
                        path,
                        problem: error.to_string(),
                    })
                })?
            }
            Some(_) => {
                return Err(root
                    .error("identities", "must be an object: {role id: identity}")
                    .into())
            }
        };
        let inputs_value = root.present("inputs")?;
        let inputs = Fields::new(inputs_value, "$.inputs")?;
        inputs::validate_all(&inputs)?;
        Ok(Scenario {
            name: root.text("name")?.to_string(),
            title: root.opt_str("title")?.unwrap_or_default().to_string(),
            description: root.opt_str("description")?.unwrap_or_default().to_string(),
            release_record_ref: root.text("release_record_ref")?.to_string(),
            generated_at: root.time("generated_at")?,
            regulated_evidence: root.opt_bool("regulated_evidence")?.unwrap_or(false),
            identities,
            upstream: upstream_value.clone(),
            inputs: inputs_value.clone(),
            document: document.clone(),
        })
    }

    /// The scenario's input for one step (an empty object when it has none).
    pub fn input_for(&self, step_key: &str) -> Value {
        self.inputs
            .get(step_key)
            .cloned()
            .unwrap_or_else(|| Value::Object(Vec::new()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_scenario_loads() {
        for (name, _) in BUILT_IN {
            let scenario = Scenario::built_in(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(scenario.name, name);
        }
        assert!(matches!(
            Scenario::built_in("nope"),
            Err(ScenarioError::UnknownBuiltIn(_))
        ));
    }

    #[test]
    fn a_wrong_field_is_named_by_its_path() {
        let mut document = crate::json::parse(include_str!("../scenarios/ready.json")).unwrap();
        let mut inputs = document.get("inputs").unwrap().clone();
        let mut review = inputs.get("retention_review").unwrap().clone();
        review.set("legal_hold", Value::from("no"));
        inputs.set("retention_review", review);
        document.set("inputs", inputs);
        let error = Scenario::from_value(document).unwrap_err().to_string();
        assert!(
            error.contains("$.inputs.retention_review.legal_hold"),
            "{error}"
        );
        let error = Scenario::parse(b"{\"schema_version\": 2}")
            .unwrap_err()
            .to_string();
        assert!(error.contains("$.schema_version"), "{error}");
    }
}
