//! The body each provider receives (`docs/domain.md#41-delivery-events`): one shape per provider, the
//! same for both events, filled with each event's strings.
//!
//! CAVRA gives the titles, Slack's text, Jira's summary, ServiceNow's short description, Splunk's
//! sourcetype and Sentinel's table exactly. The longer `text`, `summary` and `description` are
//! written here from the public summary alone (its executive summary, states and ids), so no secret or
//! credential can be in them.

use super::event::Pairs;
use crate::json::Value;
use crate::record::field;

/// One event's strings for the provider bodies.
pub(super) struct Texts {
    /// Datadog's and Teams' `title`.
    title: &'static str,
    /// Slack's `text`.
    slack: String,
    /// Jira's `summary`.
    jira_summary: String,
    /// ServiceNow's `short_description`.
    short_description: &'static str,
    /// Datadog's `text` and Teams' `summary`: one paragraph.
    text: String,
    /// Jira's and ServiceNow's `description`: the paragraph, then the details.
    description: String,
    /// Splunk's `sourcetype`.
    sourcetype: &'static str,
    /// Sentinel's `table`.
    table: &'static str,
}

/// A whole number under `key` (`0` when there is none).
fn count(value: &Value, key: &str) -> i64 {
    value.get(key).and_then(Value::as_i64).unwrap_or(0)
}

/// The closeout summary event's strings.
pub(super) fn closeout_texts(public_summary: &Value) -> Texts {
    let s = |key: &str| public_summary.str_at(key);
    let executive = public_summary
        .get("executive_summary")
        .unwrap_or(&Value::Null);
    let text = format!(
        "Closeout summary {} for {} is {}: {}; {}.",
        s(field::SUMMARY_ID),
        s(field::RELEASE_RECORD_REF),
        s(field::CLOSEOUT_STATE),
        executive.str_at("status"),
        executive.str_at("reason"),
    );
    let refs: Vec<&str> = public_summary
        .get(field::PUBLIC_EVIDENCE_REFS)
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let description = format!(
        "{text}\nReadiness bundle {}, archive manifest {} (signature {}): {} archive object(s), {} evidence record(s).\nEvidence: {}",
        s(field::BUNDLE_ID),
        s(field::MANIFEST_ID),
        s(field::SIGNATURE_STATE),
        count(public_summary, field::ARCHIVE_OBJECT_COUNT),
        count(public_summary, field::EVIDENCE_COUNT),
        refs.join(", "),
    );
    Texts {
        title: "CAVRA Go rollback drill closeout",
        slack: format!(
            "CAVRA Go rollback drill closeout {} is {}",
            s(field::SUMMARY_ID),
            s(field::CLOSEOUT_STATE)
        ),
        jira_summary: format!(
            "CAVRA Go rollback drill closeout {}",
            s(field::RELEASE_RECORD_REF)
        )
        .trim()
        .to_string(),
        short_description: "CAVRA Go rollback drill closeout",
        text,
        description,
        sourcetype: "cavra:go:rollback_drill:closeout",
        table: "CavraGoRollbackDrillCloseout_CL",
    }
}

/// The retention health alert event's strings.
pub(super) fn alert_texts(public_summary: &Value) -> Texts {
    let s = |key: &str| public_summary.str_at(key);
    let summary = public_summary.get(field::SUMMARY).unwrap_or(&Value::Null);
    let text = format!(
        "Retention health {} is {}: {} critical and {} warning finding(s), {} healthy check(s). Alert plan {}.",
        s(field::HEALTH_ID),
        s(field::ALERT_LEVEL),
        count(summary, "critical_findings"),
        count(summary, "warning_findings"),
        count(summary, "healthy_checks"),
        s(field::PLAN_ID),
    );
    let mut description = text.clone();
    for finding in public_summary
        .get(field::FINDINGS)
        .and_then(Value::as_array)
        .unwrap_or_default()
    {
        description.push_str(&format!(
            "\n- {} {}: {}",
            finding.str_at(field::SEVERITY),
            finding.str_at(field::CATEGORY),
            finding.str_at(field::MESSAGE),
        ));
    }
    Texts {
        title: "CAVRA closeout retention health",
        slack: format!(
            "CAVRA closeout retention health is {} for {}",
            s(field::ALERT_LEVEL),
            s(field::HEALTH_ID)
        ),
        jira_summary: "CAVRA closeout retention health alert".to_string(),
        short_description: "CAVRA closeout retention health alert",
        text,
        description,
        sourcetype: "cavra:go:rollback_drill:retention_health",
        table: "CavraGoRetentionHealth_CL",
    }
}

/// `provider_payloads`: the body of each of the simulated connector's providers, in
/// [`PROVIDERS`](crate::flow::inputs::PROVIDERS) order.
pub(super) fn provider_payloads(public_summary: Value, texts: &Texts) -> Value {
    let two = |a: &str, x: Value, b: &str, y: Value| {
        let mut body = Pairs::new();
        body.push(a, x);
        body.push(b, y);
        body.done()
    };
    let text = |t: &str| Value::from(t);
    let mut out = Pairs::new();
    out.push("webhook", public_summary.clone());
    out.push(
        "splunk",
        two(
            "event",
            public_summary.clone(),
            "sourcetype",
            text(texts.sourcetype),
        ),
    );
    out.push(
        "sentinel",
        two(
            "records",
            Value::Array(vec![public_summary]),
            "table",
            text(texts.table),
        ),
    );
    out.push(
        "datadog",
        two("title", text(texts.title), "text", text(&texts.text)),
    );
    let mut slack = Pairs::new();
    slack.push("text", text(&texts.slack));
    out.push("slack", slack.done());
    out.push(
        "teams",
        two("title", text(texts.title), "summary", text(&texts.text)),
    );
    out.push(
        "jira",
        two(
            "summary",
            text(&texts.jira_summary),
            "description",
            text(&texts.description),
        ),
    );
    out.push(
        "servicenow",
        two(
            "short_description",
            text(texts.short_description),
            "description",
            text(&texts.description),
        ),
    );
    out.done()
}
