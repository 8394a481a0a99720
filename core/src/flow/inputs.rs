//! The operator's inputs for each step, validated from JSON with paths that name each field.

use crate::guard::check_text;
use crate::input::{Fields, InputError};
use crate::json::Value;
use crate::states::RetentionDecisionState;
use crate::steps::StepId;
use crate::time::Timestamp;

/// The simulated connector's providers (`docs/domain.md#the-simulated-connector`).
pub const PROVIDERS: [&str; 8] = [
    "webhook",
    "splunk",
    "sentinel",
    "datadog",
    "slack",
    "teams",
    "jira",
    "servicenow",
];

/// What the simulated connector does for one provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Every call succeeds.
    Delivered,
    /// Every call fails.
    Failed,
    /// The first call fails, later calls succeed.
    FailOnce,
}

impl Outcome {
    pub const NAMES: [&'static str; 3] = ["delivered", "failed", "fail_once"];

    fn from_name(name: &str) -> Option<Outcome> {
        match name {
            "delivered" => Some(Outcome::Delivered),
            "failed" => Some(Outcome::Failed),
            "fail_once" => Some(Outcome::FailOnce),
            _ => None,
        }
    }
}

/// Providers with their scripted outcomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Routing {
    pub providers: Vec<(String, Outcome)>,
}

fn routing(fields: &Fields<'_>, allow_empty: bool) -> Result<Routing, InputError> {
    let names = fields.strings("providers")?;
    if names.is_empty() && !allow_empty {
        return Err(fields.error("providers", "choose at least one provider"));
    }
    let outcomes_value = fields.raw("outcomes");
    let outcomes_path = fields.path_of("outcomes");
    let outcomes = match outcomes_value {
        Some(value) => Some(Fields::new(value, &outcomes_path)?),
        None => None,
    };
    let mut providers = Vec::new();
    for (index, name) in names.into_iter().enumerate() {
        if !PROVIDERS.contains(&name) {
            return Err(InputError {
                path: format!("{}[{index}]", fields.path_of("providers")),
                problem: format!(
                    "{name:?} is not a provider (one of {})",
                    PROVIDERS.join(", ")
                ),
            });
        }
        if providers.iter().any(|(p, _)| p == name) {
            return Err(InputError {
                path: format!("{}[{index}]", fields.path_of("providers")),
                problem: format!("{name:?} is listed twice"),
            });
        }
        let outcome = match outcomes {
            Some(outcomes) => match outcomes.opt_str(name)? {
                Some(text) => Outcome::from_name(text).ok_or_else(|| {
                    outcomes.error(
                        name,
                        format!("{text:?} is not one of {}", Outcome::NAMES.join(", ")),
                    )
                })?,
                None => Outcome::Delivered,
            },
            None => Outcome::Delivered,
        };
        providers.push((name.to_string(), outcome));
    }
    Ok(Routing { providers })
}

/// A free-text input, refused when it holds a credential.
fn safe_text<'a>(fields: &Fields<'a>, key: &str) -> Result<Option<&'a str>, InputError> {
    let text = fields.opt_str(key)?;
    if let Some(text) = text {
        check_text(text, &fields.path_of(key)).map_err(|e| InputError {
            path: e.path.clone(),
            problem: format!("refused, it holds {}", e.looks_like),
        })?;
    }
    Ok(text)
}

/// Step 2: external signature metadata. Never key material.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestInput {
    pub signature: Option<String>,
    pub signature_key_id: String,
    pub signature_algorithm: String,
}

pub fn manifest(fields: &Fields<'_>) -> Result<ManifestInput, InputError> {
    let signature = safe_text(fields, "signature")?
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from);
    Ok(ManifestInput {
        signature,
        signature_key_id: safe_text(fields, "signature_key_id")?
            .unwrap_or_default()
            .to_string(),
        signature_algorithm: safe_text(fields, "signature_algorithm")?
            .unwrap_or_default()
            .to_string(),
    })
}

/// Step 3: where the closeout summary is delivered, and what the simulated connector does.
pub fn delivery(fields: &Fields<'_>) -> Result<Routing, InputError> {
    routing(fields, false)
}

/// Step 4: the retention review request and its decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetentionInput {
    pub retention_until: String,
    pub legal_hold: bool,
    pub review_reason: String,
    /// Read from the input trimmed, lowercased, `-` to `_`.
    pub decision: RetentionDecisionState,
    pub external_ref: String,
    pub notes: String,
}

/// The retention decisions an operator may choose, in the spec's order.
pub const RETENTION_DECISIONS: [&str; 4] = [
    RetentionDecisionState::Approved.as_str(),
    RetentionDecisionState::Denied.as_str(),
    RetentionDecisionState::Deferred.as_str(),
    RetentionDecisionState::Expired.as_str(),
];

pub fn retention(fields: &Fields<'_>) -> Result<RetentionInput, InputError> {
    let retention_until = fields.text("retention_until")?;
    fields.time("retention_until")?;
    let decision = fields
        .text("decision")?
        .trim()
        // ASCII is enough: no other character lowercases into one of the four decisions' letters.
        .to_ascii_lowercase()
        .replace('-', "_");
    let Some(decision) = RetentionDecisionState::parse(&decision) else {
        return Err(fields.error(
            "decision",
            format!(
                "{decision:?} is not one of {}",
                RETENTION_DECISIONS.join(", ")
            ),
        ));
    };
    Ok(RetentionInput {
        retention_until: retention_until.trim().to_string(),
        legal_hold: fields.bool("legal_hold")?,
        review_reason: safe_text(fields, "review_reason")?
            .unwrap_or_default()
            .to_string(),
        decision,
        // `decided_by` is no input (D-12): an old input that carries one is read without it, and the
        // decision names the security architect's identity.
        external_ref: safe_text(fields, "external_ref")?
            .unwrap_or_default()
            .to_string(),
        notes: safe_text(fields, "notes")?.unwrap_or_default().to_string(),
    })
}

/// Step 6: how close to expiry counts as a warning.
pub fn expiry_warning_days(fields: &Fields<'_>) -> Result<i64, InputError> {
    Ok(fields
        .opt_int("expiry_warning_days", 0, 3650)?
        .unwrap_or(30))
}

/// Step 7: alert routing, forcing, and an operator's suppression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlertInput {
    pub routing: Routing,
    pub force: bool,
    pub suppress_reason: Option<String>,
}

pub fn alerts(fields: &Fields<'_>) -> Result<AlertInput, InputError> {
    Ok(AlertInput {
        routing: routing(fields, false)?,
        force: fields.opt_bool("force")?.unwrap_or(false),
        suppress_reason: safe_text(fields, "suppress_reason")?
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from),
    })
}

/// Step 8: the retry policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    pub max_retry_attempts: i64,
    pub retry_delay_minutes: i64,
    pub allow_immediate_retry: bool,
}

pub fn retry_policy(fields: &Fields<'_>) -> Result<RetryPolicy, InputError> {
    Ok(RetryPolicy {
        max_retry_attempts: fields.opt_int("max_retry_attempts", 1, 100)?.unwrap_or(3),
        retry_delay_minutes: fields
            .opt_int("retry_delay_minutes", 0, 10_080)?
            .unwrap_or(15),
        allow_immediate_retry: fields.opt_bool("allow_immediate_retry")?.unwrap_or(false),
    })
}

/// Step 9: the retry worker's settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkerSettings {
    pub interval_minutes: i64,
    pub max_retry_deliveries: i64,
    pub dry_run: bool,
}

pub fn worker(fields: &Fields<'_>) -> Result<WorkerSettings, InputError> {
    Ok(WorkerSettings {
        interval_minutes: fields.opt_int("interval_minutes", 1, 10_080)?.unwrap_or(60),
        max_retry_deliveries: fields.opt_int("max_retry_deliveries", 1, 25)?.unwrap_or(5),
        dry_run: fields.opt_bool("dry_run")?.unwrap_or(true),
        // `approved_by` is no input (D-12, D-13): a live run rests on the release manager's approval
        // record, and an old input that names an approver is read without it.
    })
}

/// An accepted risk (`docs/domain.md#52-blocking-codes`: `undocumented_risk`, `accepted_risk_expired`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcceptedRisk {
    pub owner: String,
    pub reason: String,
    pub expires_at: String,
    pub external_ref: Option<String>,
    pub compensating_control: Option<String>,
}

impl AcceptedRisk {
    /// Documented: owner, reason and a parseable expiry.
    pub fn expiry(&self) -> Option<Timestamp> {
        if self.owner.trim().is_empty() || self.reason.trim().is_empty() {
            return None;
        }
        Timestamp::parse(&self.expires_at)
    }

    pub fn to_value(&self) -> Value {
        let mut pairs = vec![
            ("owner", Value::from(&self.owner)),
            ("reason", Value::from(&self.reason)),
            ("expires_at", Value::from(&self.expires_at)),
        ];
        if let Some(r) = &self.external_ref {
            pairs.push(("external_ref", Value::from(r)));
        }
        if let Some(c) = &self.compensating_control {
            pairs.push(("compensating_control", Value::from(c)));
        }
        Value::object(pairs)
    }
}

/// Reads an accepted risk loosely: missing parts make it undocumented, not invalid input, because the
/// decision reports an undocumented risk by its own code.
pub fn accepted_risk(fields: &Fields<'_>) -> Result<AcceptedRisk, InputError> {
    let optional = |key: &str| -> Result<Option<String>, InputError> {
        Ok(safe_text(fields, key)?
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from))
    };
    Ok(AcceptedRisk {
        owner: optional("owner")?.unwrap_or_default(),
        reason: optional("reason")?.unwrap_or_default(),
        expires_at: optional("expires_at")?.unwrap_or_default(),
        external_ref: optional("external_ref")?,
        compensating_control: optional("compensating_control")?,
    })
}

/// An accepted risk as the decision form submits it: owner, reason and a parseable expiry required.
pub fn documented_accepted_risk(fields: &Fields<'_>) -> Result<AcceptedRisk, InputError> {
    let risk = accepted_risk(fields)?;
    if risk.owner.is_empty() {
        return Err(fields.error("owner", "name who owns the risk"));
    }
    if risk.reason.is_empty() {
        return Err(fields.error("reason", "say why the risk is accepted"));
    }
    if Timestamp::parse(&risk.expires_at).is_none() {
        return Err(fields.error(
            "expires_at",
            format!("{:?} is not a date (use 2026-06-07)", risk.expires_at),
        ));
    }
    Ok(risk)
}

/// Step 10: the audit case and the accepted risk, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FinalInput {
    pub audit_case_ref: String,
    pub accepted_risk: Option<AcceptedRisk>,
}

pub fn final_decision(fields: &Fields<'_>) -> Result<FinalInput, InputError> {
    let accepted_risk = match fields.raw("accepted_risk") {
        None => None,
        Some(value) => {
            let path = fields.path_of("accepted_risk");
            Some(accepted_risk(&Fields::new(value, &path)?)?)
        }
    };
    Ok(FinalInput {
        audit_case_ref: safe_text(fields, "audit_case_ref")?
            .unwrap_or_default()
            .to_string(),
        accepted_risk,
    })
}

/// Checks one step's input as the step reads it, without running the step. A step that takes no input
/// accepts any.
pub fn check(step: StepId, fields: &Fields<'_>) -> Result<(), InputError> {
    match step {
        StepId::ReadinessBundle | StepId::ArtifactBundle => Ok(()),
        StepId::ArchiveManifest => manifest(fields).map(drop),
        StepId::CloseoutSummary => delivery(fields).map(drop),
        StepId::RetentionReview => retention(fields).map(drop),
        StepId::RetentionHealth => expiry_warning_days(fields).map(drop),
        StepId::RetentionAlerts => alerts(fields).map(drop),
        StepId::RetryPlan => retry_policy(fields).map(drop),
        StepId::RetryWorker => worker(fields).map(drop),
        StepId::FinalDecision => final_decision(fields).map(drop),
    }
}

/// Validates every step's input in a scenario's `inputs` section, in step order.
pub fn validate_all(inputs: &Fields<'_>) -> Result<(), InputError> {
    for step in StepId::ALL {
        let Some(key) = step.input_key() else {
            continue;
        };
        let path = inputs.path_of(key);
        let value = inputs.present(key)?;
        check(step, &Fields::new(value, &path)?)?;
    }
    Ok(())
}
