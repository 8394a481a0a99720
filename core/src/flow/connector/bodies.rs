//! A delivery's calls as the step panel shows them: for each provider, the request with its credential
//! redacted, the exact body it received (`provider_payloads[provider]`), and where a real connector
//! would cross the Community/Enterprise line.

use super::event::payload_for;
use crate::json::{pretty_string, Value};
use crate::record::field;

/// One provider's call in a delivery record.
#[derive(Clone, Debug, PartialEq)]
pub struct ProviderBody {
    /// The provider's key (`splunk`).
    pub provider: String,
    /// Its name for people (`Splunk`).
    pub title: &'static str,
    /// What the simulated call did: `delivered, status 202` or `failed, status 503 after 3 tries`.
    pub outcome: String,
    /// The request line: `POST https://…`.
    pub request: String,
    /// The request's headers as `name: value`, credentials shown as `REDACTED`.
    pub headers: Vec<String>,
    /// The body, formatted JSON; `None` for a delivery made before the sandbox kept its event.
    pub body: Option<String>,
    /// The sha256 of the body's canonical JSON, as the delivery record holds it.
    pub body_sha256: String,
    /// What a real connector for this provider needs, and who holds it.
    pub boundary: String,
}

/// A provider's name, and the secret a real connector to it holds.
fn provider_terms(provider: &str) -> (&'static str, &'static str) {
    match provider {
        "webhook" => (
            "Webhook",
            "the endpoint's signing secret or bearer credential",
        ),
        "splunk" => ("Splunk", "an HTTP Event Collector token"),
        "sentinel" => (
            "Microsoft Sentinel",
            "the Log Analytics workspace's shared key",
        ),
        "datadog" => ("Datadog", "an API key (the DD-API-KEY header)"),
        "slack" => (
            "Slack",
            "an incoming-webhook URL, whose path is itself the secret",
        ),
        "teams" => (
            "Microsoft Teams",
            "an incoming-webhook URL, whose query is itself the secret",
        ),
        "jira" => ("Jira", "an API token for a service account"),
        "servicenow" => ("ServiceNow", "an integration user's credentials"),
        _ => ("Connector", "a credential"),
    }
}

/// Each provider call of a delivery record, in the order the record lists them.
pub fn provider_bodies(delivery: &Value) -> Vec<ProviderBody> {
    let event = delivery.get(field::EVENT);
    delivery
        .get(field::PROVIDERS)
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .map(|call| {
            let provider = call.str_at(field::PROVIDER).to_string();
            let (title, secret) = provider_terms(&provider);
            let request = call.get("request").unwrap_or(&Value::Null);
            let headers = request
                .get("headers")
                .and_then(Value::as_object)
                .unwrap_or_default()
                .iter()
                .map(|(name, value)| format!("{name}: {}", value.as_str().unwrap_or_default()))
                .collect();
            let delivered = call.get(field::SUCCESS).and_then(Value::as_bool) == Some(true);
            let status = call.get("status_code").and_then(Value::as_i64).unwrap_or(0);
            let tries = call.get("attempt_count").and_then(Value::as_i64).unwrap_or(0);
            let outcome = if delivered {
                format!("delivered, status {status}")
            } else {
                format!("failed, status {status} after {tries} tries")
            };
            ProviderBody {
                body: event
                    .and_then(|event| payload_for(event, &provider))
                    .map(pretty_string),
                body_sha256: request.str_at("body_sha256").to_string(),
                request: format!("{} {}", request.str_at("method"), request.str_at("url")),
                headers,
                outcome,
                boundary: format!(
                    "Community shows this body and sends it to a simulated connector only. A real {title} connector needs {secret}: shown here as REDACTED, never stored; Enterprise or an operator-owned connector holds it and delivers."
                ),
                title,
                provider,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::Session;
    use crate::record::RecordKind;
    use crate::scenario::Scenario;

    #[test]
    fn each_call_shows_its_body_redacted_request_and_boundary() {
        let scenario = Scenario::built_in("accepted-risk").unwrap();
        let now = scenario.generated_at;
        let mut session = Session::start(scenario);
        session.run_remaining(now);
        let delivery = session
            .log()
            .entries()
            .iter()
            .find(|e| e.kind == RecordKind::ConnectorDelivery)
            .unwrap();
        let bodies = provider_bodies(&delivery.record);
        let splunk = bodies.iter().find(|b| b.provider == "splunk").unwrap();
        assert_eq!(splunk.title, "Splunk");
        assert!(splunk.outcome.starts_with("delivered"));
        assert!(splunk
            .headers
            .contains(&"Authorization: REDACTED".to_string()));
        let body = splunk.body.as_deref().unwrap();
        assert!(
            body.contains("\"sourcetype\": \"cavra:go:rollback_drill:closeout\""),
            "{body}"
        );
        assert!(splunk.boundary.contains("Enterprise") && splunk.boundary.contains("REDACTED"));
        let webhook = bodies.iter().find(|b| b.provider == "webhook").unwrap();
        assert!(webhook.outcome.starts_with("failed"), "{}", webhook.outcome);
        // A delivery made before events were kept shows its calls without a body.
        let mut old = delivery.record.clone();
        old.remove(field::EVENT);
        assert!(provider_bodies(&old).iter().all(|b| b.body.is_none()));
    }
}
