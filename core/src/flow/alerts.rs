//! Step 7: retention alerts. An alert plan for the latest health report, delivered through the
//! simulated connector unless health is healthy (and not forced) or the operator suppressed it.

use super::connector::event::{alert_event, alert_public_summary};
use super::connector::{self, Event};
use super::inputs;
use super::{require, StepError};
use crate::evidence::EvidenceLog;
use crate::input::Fields;
use crate::json::{strings, Value};
use crate::record::{field, seal, RecordKind};
use crate::scenario::Scenario;
use crate::states::{DeliveryState, HealthLevel};
use crate::steps::StepId;
use crate::time::Timestamp;

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
        HealthLevel::parse(health.record.str_at(field::ALERT_LEVEL)) == Some(HealthLevel::Healthy);
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
            (field::HEALTH_ID, Value::from(health_id.as_str())),
            (field::GENERATED_AT, Value::from(now.isoformat())),
            (field::PROVIDER, Value::from(provider_names.join(","))),
            (field::SELECTED, strings(&selected)),
            (field::RELEASE_RECORD_REF, Value::from(reference)),
            (
                field::ALERT_LEVEL,
                Value::from(health.record.str_at(field::ALERT_LEVEL)),
            ),
            ("forced", Value::from(input.force)),
            (
                field::SUPPRESSED_REASON,
                Value::from(suppressed_reason.clone()),
            ),
        ]),
    );
    let plan_id = plan.str_at(field::PLAN_ID).to_string();
    if selected.is_empty() {
        log.append(RecordKind::AlertPlan, plan);
        return Ok(None);
    }
    let sent = alert_event(alert_public_summary(&plan, &health.record));
    log.append(RecordKind::AlertPlan, plan);
    let delivery = connector::deliver(
        &Event {
            event_id: &plan_id,
            event_type: "retention_alert",
            link: (field::PLAN_ID, &plan_id),
            release_record_ref: reference,
            sent: &sent,
        },
        &input.routing,
        |_| 0,
        now,
    );
    let state = delivery.str_at(field::DELIVERY_STATE).to_string();
    log.append(RecordKind::ConnectorDelivery, delivery);
    Ok(
        (DeliveryState::parse(&state) != Some(DeliveryState::Delivered))
            .then(|| format!("the alert delivery {}", state.replace('_', " "))),
    )
}
