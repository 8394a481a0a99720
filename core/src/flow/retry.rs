//! Steps 6 to 9: retention health, retention alerts, the retry plan and the retry worker.

use super::connector::{self, Event};
use super::readiness::{closeout_calls, closeout_deliveries};
use super::inputs::{self, Outcome, Routing};
use super::{require, StepError};
use crate::evidence::EvidenceLog;
use crate::input::Fields;
use crate::json::{strings, Value};
use crate::record::{seal, RecordKind};
use crate::roles::Role;
use crate::scenario::Scenario;
use crate::states::{
    DeliveryState, ExecutionStatus, HealthLevel, RetentionDecisionState, RetryAction, WorkerMode,
    WorkerRunState,
};
use crate::steps::StepId;
use crate::time::Timestamp;
use std::collections::BTreeMap;

/// One provider whose latest closeout delivery call failed (D-8: no later call succeeded).
pub struct FailedDelivery {
    pub summary_id: String,
    pub delivery_id: String,
    pub provider: String,
    /// Delivery calls for this summary and provider (D-5).
    pub attempts: usize,
    /// When the failing call was made; `None` when its time does not parse (an unknown age retries).
    pub failed_at: Option<Timestamp>,
}

/// The providers whose latest delivery of the latest closed summary failed.
pub fn failed_deliveries(log: &EvidenceLog, reference: &str) -> Vec<FailedDelivery> {
    let Some(summary) = log.latest(RecordKind::CloseoutSummary, reference) else {
        return Vec::new();
    };
    let summary_id = summary.id().to_string();
    let mut latest: BTreeMap<String, (bool, String, String)> = BTreeMap::new();
    for entry in closeout_deliveries(log, reference, &summary_id) {
        for (provider, success) in connector::calls(&entry.record) {
            latest.insert(
                provider,
                (
                    success,
                    entry.id().to_string(),
                    entry.record.str_at("generated_at").to_string(),
                ),
            );
        }
    }
    latest
        .into_iter()
        .filter(|(_, (success, _, _))| !success)
        .map(|(provider, (_, delivery_id, at))| FailedDelivery {
            attempts: closeout_calls(log, reference, &summary_id, &provider),
            summary_id: summary_id.clone(),
            delivery_id,
            failed_at: Timestamp::parse(&at),
            provider,
        })
        .collect()
}

/// Per-summary delivery state from every call's latest result per provider.
pub fn summary_delivery_state(
    log: &EvidenceLog,
    reference: &str,
    summary_id: &str,
) -> DeliveryState {
    let mut latest: BTreeMap<String, bool> = BTreeMap::new();
    for entry in closeout_deliveries(log, reference, summary_id) {
        for (provider, success) in connector::calls(&entry.record) {
            latest.insert(provider, success);
        }
    }
    connector::delivery_state(latest.values().filter(|s| **s).count(), latest.len())
}

struct Finding {
    severity: HealthLevel,
    category: &'static str,
    message: String,
    artifact_bundle_id: Option<String>,
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
    let bundles: Vec<Value> = log
        .all(RecordKind::ArtifactBundle, reference)
        .map(|e| e.record.clone())
        .collect();
    if bundles.is_empty() {
        return Err(StepError::MissingPrerequisite {
            step: StepId::RetentionHealth,
            missing: "a closeout artifact bundle (step 5)".into(),
        });
    }
    let mut findings = Vec::new();
    let mut statuses = Vec::new();
    for bundle in &bundles {
        let bundle_id = bundle.str_at("artifact_bundle_id").to_string();
        let decision = log
            .by_id(bundle.str_at("retention_decision_id"))
            .map(|e| e.record.clone());
        let review = decision
            .as_ref()
            .and_then(|d| log.by_id(d.str_at("review_id")))
            .map(|e| e.record.clone());
        let until_text = review
            .as_ref()
            .map(|r| r.str_at("retention_until").to_string())
            .unwrap_or_default();
        let until = Timestamp::parse(&until_text);
        let approved = decision.as_ref().is_some_and(|d| {
            RetentionDecisionState::parse(d.str_at("decision_state"))
                == Some(RetentionDecisionState::Approved)
        });
        let finding = if !approved {
            Some((
                HealthLevel::Critical,
                "retention_approval_missing",
                "The retention decision for this bundle is not approved.".to_string(),
            ))
        } else if let Some(until) = until {
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
        } else {
            Some((
                HealthLevel::Warning,
                "retention_expiry_missing",
                "The retention review has no parseable retention_until.".to_string(),
            ))
        };
        statuses.push(Value::object([
            ("artifact_bundle_id", Value::from(bundle_id.as_str())),
            ("retention_until", Value::from(until_text.as_str())),
            (
                "status",
                Value::from(
                    finding
                        .as_ref()
                        .map_or(HealthLevel::Healthy.as_str(), |f| f.1),
                ),
            ),
        ]));
        if let Some((severity, category, message)) = finding {
            findings.push(Finding {
                severity,
                category,
                message,
                artifact_bundle_id: Some(bundle_id),
            });
        }
    }
    let failed = failed_deliveries(log, reference);
    if !failed.is_empty() {
        let providers: Vec<&str> = failed.iter().map(|f| f.provider.as_str()).collect();
        findings.push(Finding {
            severity: HealthLevel::Warning,
            category: "failed_closeout_delivery",
            message: format!(
                "The closeout delivery to {} failed and has not been redelivered.",
                providers.join(", ")
            ),
            artifact_bundle_id: None,
        });
    }
    let alert_level = if findings.iter().any(|f| f.severity == HealthLevel::Critical) {
        HealthLevel::Critical
    } else if findings.is_empty() {
        HealthLevel::Healthy
    } else {
        HealthLevel::Warning
    };
    // Strings, like the other sorted lists: one sort instantiation serves them all.
    let mut categories: Vec<String> = findings.iter().map(|f| f.category.to_string()).collect();
    categories.sort();
    categories.dedup();
    let findings_value: Vec<Value> = findings
        .iter()
        .enumerate()
        .map(|(index, f)| {
            Value::object([
                (
                    "finding_id",
                    Value::from(format!("finding-{}-{}", index + 1, f.category)),
                ),
                ("severity", Value::from(f.severity.as_str())),
                ("category", Value::from(f.category)),
                ("message", Value::from(f.message.as_str())),
                (
                    "artifact_bundle_id",
                    Value::from(f.artifact_bundle_id.clone()),
                ),
            ])
        })
        .collect();
    let healthy_checks = statuses
        .iter()
        .filter(|s| s.str_at("status") == HealthLevel::Healthy.as_str())
        .count()
        + usize::from(failed.is_empty());
    let record = Value::object([
        ("generated_at", Value::from(now.isoformat())),
        ("bundle_statuses", Value::Array(statuses)),
        ("finding_categories", strings(&categories)),
        ("release_record_ref", Value::from(reference)),
        ("alert_level", Value::from(alert_level.as_str())),
        ("expiry_warning_days", Value::from(warning_days)),
        ("findings", Value::Array(findings_value)),
        (
            "summary",
            Value::object([
                (
                    "critical_findings",
                    Value::from(
                        findings
                            .iter()
                            .filter(|f| f.severity == HealthLevel::Critical)
                            .count(),
                    ),
                ),
                (
                    "warning_findings",
                    Value::from(
                        findings
                            .iter()
                            .filter(|f| f.severity == HealthLevel::Warning)
                            .count(),
                    ),
                ),
                ("healthy_checks", Value::from(healthy_checks)),
            ]),
        ),
    ]);
    log.append_sealed(RecordKind::RetentionHealth, record);
    Ok(None)
}

/// Step 7: retention alerts for the latest health report.
pub fn retention_alerts(
    log: &mut EvidenceLog,
    scenario: &Scenario,
    fields: &Fields<'_>,
    now: Timestamp,
) -> Result<Option<String>, StepError> {
    let input = inputs::alerts(fields)?;
    let reference = scenario.release_record_ref.as_str();
    let health = require(
        log,
        RecordKind::RetentionHealth,
        reference,
        StepId::RetentionAlerts,
        "a retention health report (step 6)",
    )?;
    let health_id = health.id().to_string();
    let healthy =
        HealthLevel::parse(health.record.str_at("alert_level")) == Some(HealthLevel::Healthy);
    let provider_names: Vec<&str> = input
        .routing
        .providers
        .iter()
        .map(|(p, _)| p.as_str())
        .collect();
    let (selected, suppressed_reason): (Vec<&str>, Option<String>) =
        if let Some(reason) = &input.suppress_reason {
            (Vec::new(), Some(format!("operator: {reason}")))
        } else if healthy && !input.force {
            (Vec::new(), Some("health_healthy".to_string()))
        } else {
            (provider_names.clone(), None)
        };
    let plan = seal(
        RecordKind::AlertPlan,
        Value::object([
            ("health_id", Value::from(health_id.as_str())),
            ("generated_at", Value::from(now.isoformat())),
            ("provider", Value::from(provider_names.join(","))),
            ("selected", strings(&selected)),
            ("release_record_ref", Value::from(reference)),
            (
                "alert_level",
                Value::from(health.record.str_at("alert_level")),
            ),
            ("forced", Value::from(input.force)),
            ("suppressed_reason", Value::from(suppressed_reason.clone())),
        ]),
    );
    let plan_id = plan.str_at("plan_id").to_string();
    log.append(RecordKind::AlertPlan, plan);
    if selected.is_empty() {
        return Ok(None);
    }
    let delivery = connector::deliver(
        &Event {
            event_id: &plan_id,
            event_type: "retention_alert",
            link: ("plan_id", &plan_id),
            release_record_ref: reference,
        },
        &input.routing,
        |_| 0,
        now,
    );
    let state = delivery.str_at("delivery_state").to_string();
    log.append(RecordKind::ConnectorDelivery, delivery);
    Ok(
        (DeliveryState::parse(&state) != Some(DeliveryState::Delivered))
            .then(|| format!("the alert delivery {}", state.replace('_', " "))),
    )
}

/// Step 8: one retry decision per failed closeout delivery.
pub fn retry_plan(
    log: &mut EvidenceLog,
    scenario: &Scenario,
    role: Role,
    fields: &Fields<'_>,
    now: Timestamp,
) -> Result<Option<String>, StepError> {
    let policy = inputs::retry_policy(fields)?;
    let reference = scenario.release_record_ref.as_str();
    let summary = require(
        log,
        RecordKind::CloseoutSummary,
        reference,
        StepId::RetryPlan,
        "a delivered closeout summary (step 3)",
    )?;
    if closeout_deliveries(log, reference, summary.id())
        .next()
        .is_none()
    {
        return Err(StepError::MissingPrerequisite {
            step: StepId::RetryPlan,
            missing: "a delivery of the closeout summary (step 3)".into(),
        });
    }
    let decisions: Vec<Value> = failed_deliveries(log, reference)
        .into_iter()
        .map(|failed| {
            let age = failed.failed_at.map(|at| now.minutes_since(at));
            let (decision, reason) = if failed.attempts as i64 >= policy.max_retry_attempts {
                (RetryAction::Suppress, "max_retry_attempts_reached")
            } else if policy.allow_immediate_retry
                || age.is_none_or(|age| age >= policy.retry_delay_minutes)
            {
                (RetryAction::Retry, "eligible_for_closeout_redelivery")
            } else {
                (RetryAction::Wait, "retry_delay_window_not_elapsed")
            };
            Value::object([
                ("delivery_id", Value::from(failed.delivery_id)),
                ("summary_id", Value::from(failed.summary_id)),
                ("provider", Value::from(failed.provider)),
                ("attempts", Value::from(failed.attempts)),
                ("age_minutes", Value::from(age)),
                ("decision", Value::from(decision.as_str())),
                ("reason", Value::from(reason)),
            ])
        })
        .collect();
    let record = Value::object([
        ("generated_at", Value::from(now.isoformat())),
        ("generated_by", Value::from(role.id())),
        ("decisions", Value::Array(decisions)),
        ("release_record_ref", Value::from(reference)),
        ("mode", Value::from("dry_run_first")),
        ("max_retry_attempts", Value::from(policy.max_retry_attempts)),
        (
            "retry_delay_minutes",
            Value::from(policy.retry_delay_minutes),
        ),
        (
            "allow_immediate_retry",
            Value::from(policy.allow_immediate_retry),
        ),
        (
            "target_resolution_date",
            Value::from(now.plus_days(7).date()),
        ),
    ]);
    log.append_sealed(RecordKind::RetryPlan, record);
    Ok(None)
}

/// Step 9: the retry worker, dry run by default; live only after a completed dry run of the same plan
/// (D-7) and with the release manager's approval, through the simulated connector.
pub fn retry_worker(
    log: &mut EvidenceLog,
    scenario: &Scenario,
    role: Role,
    fields: &Fields<'_>,
    now: Timestamp,
) -> Result<Option<String>, StepError> {
    let settings = inputs::worker(fields)?;
    let reference = scenario.release_record_ref.as_str();
    let plan = require(
        log,
        RecordKind::RetryPlan,
        reference,
        StepId::RetryWorker,
        "a retry plan (step 8)",
    )?;
    let plan_id = plan.id().to_string();
    let dry_run_before = log
        .linked(RecordKind::WorkerRun, reference, "retry_plan_id", &plan_id)
        .filter(|run| run.record.get("dry_run").and_then(Value::as_bool) == Some(true))
        .last()
        .map(|run| run.id().to_string());
    if !settings.dry_run {
        if dry_run_before.is_none() {
            return Err(StepError::Refused {
                step: StepId::RetryWorker,
                reason: "a live run needs a completed dry run of the same retry plan first (D-7)"
                    .into(),
            });
        }
        if settings.approved_by.is_none() {
            return Err(StepError::Input(fields.error(
                "approved_by",
                "a live redelivery needs the release manager's approval; name it",
            )));
        }
    }
    let selected: Vec<Value> = plan
        .record
        .get("decisions")
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .filter(|d| RetryAction::parse(d.str_at("decision")) == Some(RetryAction::Retry))
        .take(usize::try_from(settings.max_retry_deliveries).unwrap_or(5))
        .cloned()
        .collect();
    let mode = WorkerMode::of_dry_run(settings.dry_run);
    let run = seal(
        RecordKind::WorkerRun,
        Value::object([
            (
                "window_start",
                Value::from(now.plus_minutes(-settings.interval_minutes).isoformat()),
            ),
            ("generated_by", Value::from(role.id())),
            ("dry_run", Value::from(settings.dry_run)),
            ("retry_plan_id", Value::from(plan_id.as_str())),
            (
                "selected",
                strings(selected.iter().map(|d| d.str_at("delivery_id"))),
            ),
            ("release_record_ref", Value::from(reference)),
            ("mode", Value::from(mode.as_str())),
            ("state", Value::from(WorkerRunState::Completed.as_str())),
            ("started_at", Value::from(now.isoformat())),
            ("approved_by", Value::from(settings.approved_by.clone())),
            (
                "preceded_by_dry_run_id",
                Value::from(if settings.dry_run {
                    None
                } else {
                    dry_run_before
                }),
            ),
            ("live_connector_used", Value::from(false)),
            ("simulated", Value::from(!settings.dry_run)),
        ]),
    );
    let run_id = run.str_at("run_id").to_string();
    log.append(RecordKind::WorkerRun, run);
    let outcomes = connector_outcomes(scenario);
    let mut failures = 0;
    for decision in &selected {
        let status = if settings.dry_run {
            ExecutionStatus::Skipped
        } else {
            let provider = decision.str_at("provider").to_string();
            let summary_id = decision.str_at("summary_id").to_string();
            let outcome = outcomes
                .get(&provider)
                .copied()
                .unwrap_or(Outcome::Delivered);
            let routing = Routing {
                providers: vec![(provider.clone(), outcome)],
            };
            let prior = |p: &str| closeout_calls(log, reference, &summary_id, p);
            let delivery = connector::deliver(
                &Event {
                    event_id: &summary_id,
                    event_type: "closeout_redelivery",
                    link: ("summary_id", &summary_id),
                    release_record_ref: reference,
                },
                &routing,
                prior,
                now,
            );
            let delivered = DeliveryState::parse(delivery.str_at("delivery_state"))
                == Some(DeliveryState::Delivered);
            log.append(RecordKind::ConnectorDelivery, delivery);
            if delivered {
                ExecutionStatus::Delivered
            } else {
                failures += 1;
                ExecutionStatus::Failed
            }
        };
        let execution = Value::object([
            ("run_id", Value::from(run_id.as_str())),
            ("delivery_id", Value::from(decision.str_at("delivery_id"))),
            ("executed_at", Value::from(now.isoformat())),
            ("status", Value::from(status.as_str())),
            (
                "reason",
                // A skipped execution's reason is the run's mode.
                Value::from(settings.dry_run.then_some(WorkerMode::DryRun.as_str())),
            ),
            ("provider", Value::from(decision.str_at("provider"))),
            ("release_record_ref", Value::from(reference)),
        ]);
        log.append_sealed(RecordKind::Execution, execution);
    }
    Ok((failures > 0).then(|| format!("{failures} live redelivery(ies) failed again")))
}

/// The scenario's scripted connector outcome for each provider of the closeout delivery.
fn connector_outcomes(scenario: &Scenario) -> BTreeMap<String, Outcome> {
    let value = scenario.input_for("closeout_summary");
    Fields::new(&value, "$.inputs.closeout_summary")
        .and_then(|fields| inputs::delivery(&fields))
        // Inserted one by one: collecting sorts first, and that sort was one more copy of the
        // standard library's sort in the app's first load.
        .map(|routing| {
            let mut outcomes = BTreeMap::new();
            for (provider, outcome) in routing.providers {
                outcomes.insert(provider, outcome);
            }
            outcomes
        })
        .unwrap_or_default()
}
