//! A step's status as JSON, written one way for the storage envelope and the CLI's run summary:
//! `{"status": "pending" | "done" | "blocked" | "waiting" | "stale", "reason": <why, or null>}`.

use crate::flow::StepStatus;
use crate::json::Value;
use crate::steps::STEPS;

/// `{"status", "reason"}` for one step.
pub fn status_value(status: &StepStatus) -> Value {
    let reason = status.reason().map_or(Value::Null, Value::from);
    Value::object([("status", Value::from(status.code())), ("reason", reason)])
}

/// Reads what [`status_value`] wrote. Storage is digest-checked before this, so anything else is read
/// as pending rather than refused, and a blocked step without a reason gets an empty one.
pub fn status_from_value(value: &Value) -> StepStatus {
    match value.str_at("status") {
        "done" => StepStatus::Done,
        "blocked" => StepStatus::Blocked(value.str_at("reason").to_string()),
        "waiting" => StepStatus::Waiting(value.str_at("reason").to_string()),
        // Stale is derived, never stored: a stored one is read as what was stored, done.
        "stale" => StepStatus::Done,
        _ => StepStatus::Pending,
    }
}

/// Every step's number, name and status, steps 1 to 10: `[{"step", "name", "status", "reason"}]`.
pub fn steps_value(statuses: &[StepStatus]) -> Value {
    Value::Array(
        STEPS
            .iter()
            .zip(statuses)
            .map(|(step, status)| {
                let mut item = Value::object([
                    ("step", Value::from(u32::from(step.number))),
                    ("name", Value::from(step.name)),
                ]);
                if let Value::Object(pairs) = status_value(status) {
                    for (key, value) in pairs {
                        item.set(&key, value);
                    }
                }
                item
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    fn all_three() -> [StepStatus; 3] {
        [
            StepStatus::Pending,
            StepStatus::Done,
            StepStatus::Blocked("the retention review was denied".into()),
        ]
    }

    #[test]
    fn each_status_is_written_with_its_reason_and_read_back() {
        let written: Vec<String> = all_three()
            .iter()
            .map(|s| json::compact_string(&status_value(s)))
            .collect();
        assert_eq!(
            written,
            [
                r#"{"status":"pending","reason":null}"#,
                r#"{"status":"done","reason":null}"#,
                r#"{"status":"blocked","reason":"the retention review was denied"}"#,
            ]
        );
        for status in all_three() {
            assert_eq!(status_from_value(&status_value(&status)), status);
        }
    }

    #[test]
    fn what_was_never_written_reads_as_pending() {
        let read = |text: &str| status_from_value(&json::parse(text).unwrap());
        assert_eq!(read(r#"{"status":"later"}"#), StepStatus::Pending);
        assert_eq!(read("{}"), StepStatus::Pending);
        assert_eq!(read("null"), StepStatus::Pending);
        assert_eq!(
            read(r#"{"status":"blocked"}"#),
            StepStatus::Blocked(String::new())
        );
    }

    #[test]
    fn the_steps_list_numbers_and_names_each_step() {
        let mut statuses = vec![StepStatus::Done; 3];
        statuses.push(StepStatus::Blocked("denied".into()));
        statuses.resize(10, StepStatus::Pending);
        let steps = steps_value(&statuses);
        let items = steps.as_array().unwrap();
        assert_eq!(items.len(), 10);
        assert_eq!(
            json::compact_string(&items[3]),
            format!(
                r#"{{"step":4,"name":"{}","status":"blocked","reason":"denied"}}"#,
                STEPS[3].name
            )
        );
        assert_eq!(items[9].str_at("status"), "pending");
    }
}
