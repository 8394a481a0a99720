//! A closeout summary's deliveries as the log holds them (its first delivery and every redelivery):
//! the calls per provider (D-5), the providers still failing (D-8) and the summary's delivery state.

use super::connector;
use crate::evidence::{Entry, EvidenceLog};
use crate::record::{field, RecordKind};
use crate::states::DeliveryState;
use crate::time::Timestamp;
use std::collections::BTreeMap;

/// The delivery records of a summary (first delivery and redeliveries), oldest first.
pub fn closeout_deliveries<'a>(
    log: &'a EvidenceLog,
    reference: &'a str,
    summary_id: &str,
) -> impl Iterator<Item = &'a Entry> {
    log.linked(
        RecordKind::ConnectorDelivery,
        reference,
        field::SUMMARY_ID,
        summary_id,
    )
}

/// How many delivery calls a summary had for a provider (D-5: calls, not the connector's own tries).
pub fn closeout_calls(
    log: &EvidenceLog,
    reference: &str,
    summary_id: &str,
    provider: &str,
) -> usize {
    closeout_deliveries(log, reference, summary_id)
        .map(|e| {
            connector::calls(&e.record)
                .iter()
                .filter(|(p, _)| p == provider)
                .count()
        })
        .sum()
}

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
                    entry.record.str_at(field::GENERATED_AT).to_string(),
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
