//! How a form shows each field of a step's input, and how the text typed into it becomes JSON. The app's
//! generic input editor renders what this says; the step still validates the JSON when it runs and
//! names any wrong field, so a form never decides what is valid.

use super::inputs::{Outcome, RETENTION_DECISIONS};
use crate::json::{python_float_repr, Number, Value};

/// What kind of field a form shows for one key of a step's input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// Edited by its own validated form (the accepted risk, in the decision panel), so a generic form
    /// leaves it out.
    EditedElsewhere,
    /// An object: a group of fields, one per key.
    Group,
    /// A yes/no switch.
    Switch,
    /// A whole number.
    Number,
    /// A list of names, typed as comma-separated text.
    List,
    /// One of a fixed set of options.
    Choice(&'static [&'static str]),
    /// Free prose, given room for more than a line.
    Prose,
    /// A date or timestamp in one of the spec's forms (typed as text: a timestamp does not fit a date
    /// picker).
    Date,
    /// One line of text.
    Text,
}

/// Top-level keys that have their own form.
const EDITED_ELSEWHERE: [&str; 1] = ["accepted_risk"];
/// Keys that hold prose.
const PROSE: [&str; 4] = ["notes", "review_reason", "reason", "suppress_reason"];
/// Keys that hold a date or timestamp.
const DATES: [&str; 2] = ["retention_until", "expires_at"];

/// The kind of the field at `path` (its keys from the input's top) whose current value is `current`.
/// The value's JSON type decides first, because the form edits the JSON as it is: a number stays a
/// number box even where the step would also read a string. Text fields are told apart by their key.
pub fn field_kind<S: AsRef<str>>(path: &[S], current: &Value) -> FieldKind {
    let key = path.last().map_or("", AsRef::as_ref);
    if path.len() == 1 && EDITED_ELSEWHERE.contains(&key) {
        return FieldKind::EditedElsewhere;
    }
    match current {
        Value::Object(_) => FieldKind::Group,
        Value::Bool(_) => FieldKind::Switch,
        Value::Number(_) => FieldKind::Number,
        Value::Array(_) => FieldKind::List,
        _ => {
            // Each provider's scripted outcome sits under `outcomes`, keyed by the provider's name.
            let parent = path.len().checked_sub(2).map(|i| path[i].as_ref());
            if parent == Some("outcomes") {
                FieldKind::Choice(&Outcome::NAMES)
            } else if key == "decision" {
                FieldKind::Choice(&RETENTION_DECISIONS)
            } else if PROSE.contains(&key) {
                FieldKind::Prose
            } else if DATES.contains(&key) {
                FieldKind::Date
            } else {
                FieldKind::Text
            }
        }
    }
}

/// Whether a form over `input` has anything to edit: some top-level key not edited elsewhere.
pub fn has_fields(input: &Value) -> bool {
    input.as_object().is_some_and(|pairs| {
        pairs
            .iter()
            .any(|(key, value)| field_kind(&[key], value) != FieldKind::EditedElsewhere)
    })
}

impl FieldKind {
    /// The JSON a field's typed text stands for. Empty text is `null` (the step's default applies); a
    /// number that does not parse is kept as text, so the step names the field when it runs. A switch
    /// and a group are not typed as text: their text is read as a string.
    pub fn value_from_text(self, text: &str) -> Value {
        match self {
            FieldKind::Number => match text.trim() {
                "" => Value::Null,
                trimmed => trimmed
                    .parse::<i64>()
                    .map(Value::from)
                    .unwrap_or_else(|_| Value::String(text.to_string())),
            },
            FieldKind::List => Value::Array(
                text.split(',')
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(Value::from)
                    .collect(),
            ),
            _ if text.is_empty() => Value::Null,
            _ => Value::String(text.to_string()),
        }
    }
}

/// The text a field shows for its current value: a list as comma-separated names, a float as the
/// canonical JSON writes it (Python's repr, like every other view of the evidence), nothing for `null`.
pub fn field_text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(Number::Int(digits))) => digits.clone(),
        Some(Value::Number(Number::Float(x))) => python_float_repr(*x),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::Session;
    use crate::scenario::Scenario;
    use crate::steps::StepId;

    fn kind(path: &[&str], input: &Value) -> FieldKind {
        let mut value = input;
        for key in path {
            value = value.get(key).unwrap_or(&Value::Null);
        }
        field_kind(path, value)
    }

    #[test]
    fn each_built_in_input_field_has_the_kind_its_step_reads() {
        let session = Session::start(Scenario::built_in("accepted-risk").unwrap());
        let review = session.input_for(StepId::RetentionReview);
        assert_eq!(kind(&["retention_until"], &review), FieldKind::Date);
        assert_eq!(kind(&["legal_hold"], &review), FieldKind::Switch);
        assert_eq!(kind(&["review_reason"], &review), FieldKind::Prose);
        assert_eq!(kind(&["notes"], &review), FieldKind::Prose);
        assert_eq!(
            kind(&["decision"], &review),
            FieldKind::Choice(&["approved", "denied", "deferred", "expired"])
        );
        assert_eq!(kind(&["decided_by"], &review), FieldKind::Text);
        let delivery = session.input_for(StepId::CloseoutSummary);
        assert_eq!(kind(&["providers"], &delivery), FieldKind::List);
        let health = session.input_for(StepId::RetentionHealth);
        assert_eq!(kind(&["expiry_warning_days"], &health), FieldKind::Number);
        let alerts = session.input_for(StepId::RetentionAlerts);
        assert_eq!(kind(&["suppress_reason"], &alerts), FieldKind::Prose);
        let decision = session.input_for(StepId::FinalDecision);
        assert_eq!(
            kind(&["accepted_risk"], &decision),
            FieldKind::EditedElsewhere
        );
        assert_eq!(kind(&["audit_case_ref"], &decision), FieldKind::Text);
        assert!(has_fields(&decision));
    }

    #[test]
    fn outcomes_are_choices_under_their_group_and_only_the_top_accepted_risk_is_elsewhere() {
        let routing = Value::object([(
            "outcomes",
            Value::object([("webhook", Value::from("failed"))]),
        )]);
        assert_eq!(kind(&["outcomes"], &routing), FieldKind::Group);
        assert_eq!(
            kind(&["outcomes", "webhook"], &routing),
            FieldKind::Choice(&["delivered", "failed", "fail_once"])
        );
        // An outcome cleared to `null` is still a choice; a number under `outcomes` is a number box.
        assert_eq!(
            field_kind(&["outcomes", "slack"], &Value::Null),
            FieldKind::Choice(&Outcome::NAMES)
        );
        assert_eq!(
            field_kind(&["outcomes", "slack"], &Value::from(3i64)),
            FieldKind::Number
        );
        assert_eq!(
            field_kind(&["group", "accepted_risk"], &Value::Object(Vec::new())),
            FieldKind::Group
        );
        // The JSON type decides before the key: a cleared number box shows as text.
        assert_eq!(
            field_kind(&["expiry_warning_days"], &Value::Null),
            FieldKind::Text
        );
        assert_eq!(
            field_kind(&["legal_hold"], &Value::from("yes")),
            FieldKind::Text
        );
        assert_eq!(field_kind::<&str>(&[], &Value::Null), FieldKind::Text);
    }

    #[test]
    fn a_form_without_fields_says_the_step_takes_no_input() {
        assert!(!has_fields(&Value::Object(Vec::new())));
        assert!(!has_fields(&Value::Null));
        assert!(!has_fields(&Value::object([(
            "accepted_risk",
            Value::Object(Vec::new())
        )])));
        assert!(has_fields(&Value::object([("force", Value::from(true))])));
    }

    #[test]
    fn typed_text_becomes_the_json_the_step_reads() {
        assert_eq!(
            FieldKind::Number.value_from_text(" 45 "),
            Value::from(45i64)
        );
        assert_eq!(FieldKind::Number.value_from_text("  "), Value::Null);
        assert_eq!(
            FieldKind::Number.value_from_text("4x "),
            Value::String("4x ".into())
        );
        assert_eq!(
            FieldKind::List.value_from_text(" webhook, ,slack "),
            Value::Array(vec![Value::from("webhook"), Value::from("slack")])
        );
        assert_eq!(
            FieldKind::List.value_from_text(""),
            Value::Array(Vec::new())
        );
        for kind in [
            FieldKind::Text,
            FieldKind::Prose,
            FieldKind::Date,
            FieldKind::Choice(&Outcome::NAMES),
        ] {
            assert_eq!(kind.value_from_text(""), Value::Null);
            assert_eq!(kind.value_from_text(" a "), Value::String(" a ".into()));
        }
    }

    #[test]
    fn a_field_shows_its_value_as_text() {
        assert_eq!(field_text(Some(&Value::from("x"))), "x");
        assert_eq!(field_text(Some(&Value::from(30i64))), "30");
        assert_eq!(field_text(Some(&Value::Number(Number::Float(0.1)))), "0.1");
        assert_eq!(
            field_text(Some(&Value::Array(vec![
                Value::from("webhook"),
                Value::from(1i64),
                Value::from("slack")
            ]))),
            "webhook, slack"
        );
        assert_eq!(field_text(Some(&Value::Bool(true))), "");
        assert_eq!(field_text(None), "");
    }
}
