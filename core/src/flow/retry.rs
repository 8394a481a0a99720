//! Steps 8 and 9: retries of failed closeout deliveries. The retry plan decides per failed provider
//! (retry, wait or suppress); the retry worker carries out the plan's retries, dry run first (D-7).

use super::connector::{self, Event};
use super::delivery::{closeout_calls, closeout_deliveries, failed_deliveries};
use super::governance;
use super::inputs::{self, Outcome, Routing};
use super::summary::closeout_delivery_event;
use super::{require, StepError};
use crate::evidence::EvidenceLog;
use crate::input::Fields;
use crate::json::{strings, Value};
use crate::record::{field, seal, RecordKind};
use crate::scenario::Scenario;
use crate::states::{DeliveryState, ExecutionStatus, RetryAction, WorkerMode, WorkerRunState};
use crate::steps::StepId;
use crate::time::Timestamp;
use std::collections::BTreeMap;

/// Step 8: one retry decision per failed closeout delivery.
pub fn retry_plan(
    log: &mut EvidenceLog,
    scenario: &Scenario,
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
                (field::DELIVERY_ID, Value::from(failed.delivery_id)),
                (field::SUMMARY_ID, Value::from(failed.summary_id)),
                (field::PROVIDER, Value::from(failed.provider)),
                ("attempts", Value::from(failed.attempts)),
                ("age_minutes", Value::from(age)),
                (field::DECISION, Value::from(decision.as_str())),
                (field::REASON, Value::from(reason)),
            ])
        })
        .collect();
    let record = Value::object([
        (field::GENERATED_AT, Value::from(now.isoformat())),
        (field::GENERATED_BY, Value::from(log.actor_identity())),
        (field::DECISIONS, Value::Array(decisions)),
        (field::RELEASE_RECORD_REF, Value::from(reference)),
        (field::MODE, Value::from("dry_run_first")),
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
        .linked(
            RecordKind::WorkerRun,
            reference,
            field::RETRY_PLAN_ID,
            &plan_id,
        )
        .filter(|run| run.record.get(field::DRY_RUN).and_then(Value::as_bool) == Some(true))
        .last()
        .map(|run| run.id().to_string());
    if !settings.dry_run && dry_run_before.is_none() {
        return Err(StepError::Refused {
            step: StepId::RetryWorker,
            reason: "a live run needs a completed dry run of the same retry plan first (D-7)"
                .into(),
        });
    }
    // A live run rests on the release manager's approval record of this plan (D-13), never a typed name.
    let approval = if settings.dry_run {
        None
    } else {
        let approval = governance::approval_of(log, reference, &plan_id).ok_or_else(|| {
            StepError::Refused {
                step: StepId::RetryWorker,
                reason: "a live redelivery needs the release manager's approval of this retry plan first: act as the release manager and choose \"Approve live redelivery\"".into(),
            }
        })?;
        Some((
            approval.id().to_string(),
            approval.record.str_at(field::APPROVED_BY).to_string(),
        ))
    };
    let selected: Vec<Value> = plan
        .record
        .get(field::DECISIONS)
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .filter(|d| RetryAction::parse(d.str_at(field::DECISION)) == Some(RetryAction::Retry))
        .take(usize::try_from(settings.max_retry_deliveries).unwrap_or(5))
        .cloned()
        .collect();
    let mode = WorkerMode::of_dry_run(settings.dry_run);
    let run = seal(
        RecordKind::WorkerRun,
        Value::object([
            (
                field::WINDOW_START,
                Value::from(now.plus_minutes(-settings.interval_minutes).isoformat()),
            ),
            (field::GENERATED_BY, Value::from(log.actor_identity())),
            (field::DRY_RUN, Value::from(settings.dry_run)),
            (field::RETRY_PLAN_ID, Value::from(plan_id.as_str())),
            (
                field::SELECTED,
                strings(selected.iter().map(|d| d.str_at(field::DELIVERY_ID))),
            ),
            (field::RELEASE_RECORD_REF, Value::from(reference)),
            (field::MODE, Value::from(mode.as_str())),
            (
                field::STATE,
                Value::from(WorkerRunState::Completed.as_str()),
            ),
            ("started_at", Value::from(now.isoformat())),
            (
                field::APPROVED_BY,
                Value::from(approval.as_ref().map(|(_, by)| by.as_str())),
            ),
            (
                "preceded_by_dry_run_id",
                Value::from(if settings.dry_run {
                    None
                } else {
                    dry_run_before
                }),
            ),
            ("live_connector_used", Value::from(false)),
            (field::SIMULATED, Value::from(!settings.dry_run)),
        ]),
    );
    let mut run = run;
    if let Some((approval_id, _)) = &approval {
        // Named only on a live run, so the cross-link to the approval is followed exactly then.
        run.set(field::APPROVAL_ID, Value::from(approval_id.as_str()));
    }
    let run_id = run.str_at(field::RUN_ID).to_string();
    log.append(RecordKind::WorkerRun, run);
    let outcomes = connector_outcomes(scenario);
    let mut failures = 0;
    for decision in &selected {
        let status = if settings.dry_run {
            ExecutionStatus::Skipped
        } else {
            let provider = decision.str_at(field::PROVIDER).to_string();
            let summary_id = decision.str_at(field::SUMMARY_ID).to_string();
            let outcome = outcomes
                .get(&provider)
                .copied()
                .unwrap_or(Outcome::Delivered);
            let routing = Routing {
                providers: vec![(provider.clone(), outcome)],
            };
            // The summary the decision names is in the log: its deliveries made the decision.
            let summary = log
                .by_id(&summary_id)
                .map_or(Value::Null, |e| e.record.clone());
            let generated_by = log.actor_identity().to_string();
            let sent = closeout_delivery_event(log, &summary, &generated_by, now);
            let prior = |p: &str| closeout_calls(log, reference, &summary_id, p);
            let delivery = connector::deliver(
                &Event {
                    event_id: &summary_id,
                    event_type: "closeout_redelivery",
                    link: (field::SUMMARY_ID, &summary_id),
                    release_record_ref: reference,
                    sent: &sent,
                },
                &routing,
                prior,
                now,
            );
            let delivered = DeliveryState::parse(delivery.str_at(field::DELIVERY_STATE))
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
            (field::RUN_ID, Value::from(run_id.as_str())),
            (
                field::DELIVERY_ID,
                Value::from(decision.str_at(field::DELIVERY_ID)),
            ),
            (field::EXECUTED_AT, Value::from(now.isoformat())),
            (field::STATUS, Value::from(status.as_str())),
            (
                field::REASON,
                // A skipped execution's reason is the run's mode.
                Value::from(settings.dry_run.then_some(WorkerMode::DryRun.as_str())),
            ),
            (
                field::PROVIDER,
                Value::from(decision.str_at(field::PROVIDER)),
            ),
            (field::RELEASE_RECORD_REF, Value::from(reference)),
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
