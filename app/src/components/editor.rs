//! A form over a step's input, generated from the input's JSON: text, numbers, switches, lists and
//! choices. It only edits the JSON; core validates it when the step runs and names any wrong field.

use closeout_core::flow::inputs::{Outcome, RETENTION_DECISIONS};
use closeout_core::json::{Number, Value};
use leptos::prelude::*;

/// Keys edited elsewhere (the accepted risk has its own validated form in the decision panel).
const EDITED_ELSEWHERE: [&str; 1] = ["accepted_risk"];
/// Keys that hold prose and get a multi-line box.
const PROSE: [&str; 4] = ["notes", "review_reason", "reason", "suppress_reason"];

/// The editor for one step's input.
pub fn input_editor(step: u8, value: RwSignal<Value>) -> AnyView {
    let pairs = value.with_untracked(|v| {
        v.as_object()
            .map(<[(String, Value)]>::to_vec)
            .unwrap_or_default()
    });
    if pairs
        .iter()
        .all(|(k, _)| EDITED_ELSEWHERE.contains(&k.as_str()))
    {
        return view! { <p class="muted">"This step takes no input: it works from the records already in the evidence log."</p> }.into_any();
    }
    pairs
        .into_iter()
        .filter(|(k, _)| !EDITED_ELSEWHERE.contains(&k.as_str()))
        .map(|(key, current)| field(step, value, vec![key], &current))
        .collect_view()
        .into_any()
}

/// A field's label from its key: `decided_by` reads "Decided by". Keys are ASCII snake case (the spec's
/// field names), so an ASCII capital is enough; Unicode case mapping would add its 12 KB table to the
/// first load for nothing.
fn humanize(key: &str) -> String {
    let mut text = key.replace('_', " ");
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    text
}

fn get_at<'a>(value: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, key| v.get(key))
}

fn set_at(value: &mut Value, path: &[String], new: Value) {
    match path {
        [] => *value = new,
        [key] => value.set(key, new),
        [key, rest @ ..] => {
            let mut child = value
                .get(key)
                .cloned()
                .unwrap_or_else(|| Value::Object(Vec::new()));
            set_at(&mut child, rest, new);
            value.set(key, child);
        }
    }
}

fn choices(path: &[String]) -> Option<&'static [&'static str]> {
    match path {
        [.., parent, _] if parent == "outcomes" => Some(&Outcome::NAMES),
        [.., key] if key == "decision" => Some(&RETENTION_DECISIONS),
        _ => None,
    }
}

fn text_of(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(Number::Int(d))) => d.clone(),
        // As the canonical JSON writes it (Python's repr), like every other view of the evidence.
        Some(Value::Number(Number::Float(x))) => closeout_core::json::python_float_repr(*x),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    }
}

fn field(step: u8, signal: RwSignal<Value>, path: Vec<String>, current: &Value) -> AnyView {
    let id = format!("input-{step}-{}", path.join("-"));
    let label = humanize(path.last().map_or("", String::as_str));
    let read_path = path.clone();
    let read = move || signal.with(|v| text_of(get_at(v, &read_path)));
    let write_path = path.clone();
    let write = move |new: Value| signal.update(|v| set_at(v, &write_path, new));
    match current {
        Value::Object(pairs) => {
            let children = pairs.iter().map(|(k, v)| {
                let mut child = path.clone();
                child.push(k.clone());
                field(step, signal, child, v)
            });
            view! {
                <fieldset class="field-group">
                    <legend>{label}</legend>
                    {children.collect_view()}
                </fieldset>
            }
            .into_any()
        }
        Value::Bool(_) => {
            let checked_path = path.clone();
            view! {
                <div class="field check">
                    <input
                        type="checkbox"
                        id=id.clone()
                        data-testid=id.clone()
                        prop:checked=move || signal.with(|v| get_at(v, &checked_path).and_then(Value::as_bool) == Some(true))
                        on:change=move |ev| write(Value::Bool(event_target_checked(&ev)))
                    />
                    <label for=id>{label}</label>
                </div>
            }
            .into_any()
        }
        Value::Number(_) => view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input
                    type="number"
                    id=id.clone()
                    data-testid=id
                    prop:value=read
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        write(text.trim().parse::<i64>().map(Value::from).unwrap_or(if text.trim().is_empty() { Value::Null } else { Value::String(text) }))
                    }
                />
            </div>
        }
        .into_any(),
        Value::Array(_) => view! {
            <div class="field">
                <label for=id.clone()>{label} <span class="hint">" (comma-separated)"</span></label>
                <input
                    type="text"
                    id=id.clone()
                    data-testid=id
                    prop:value=read
                    on:change=move |ev| {
                        let items = event_target_value(&ev)
                            .split(',')
                            .map(str::trim)
                            .filter(|s| !s.is_empty())
                            .map(Value::from)
                            .collect();
                        write(Value::Array(items))
                    }
                />
            </div>
        }
        .into_any(),
        _ => {
            let on_text = move |ev: leptos::ev::Event| {
                let text = event_target_value(&ev);
                write(if text.is_empty() { Value::Null } else { Value::String(text) })
            };
            let key = path.last().cloned().unwrap_or_default();
            let control = if let Some(options) = choices(&path) {
                view! {
                    <select id=id.clone() data-testid=id.clone() prop:value=read on:change=on_text>
                        {options.iter().map(|o| view! { <option value=*o>{*o}</option> }).collect_view()}
                    </select>
                }
                .into_any()
            } else if PROSE.contains(&key.as_str()) {
                view! { <textarea id=id.clone() data-testid=id.clone() rows="2" prop:value=read on:input=on_text></textarea> }.into_any()
            } else {
                view! { <input type="text" id=id.clone() data-testid=id.clone() prop:value=read on:input=on_text/> }.into_any()
            };
            view! {
                <div class="field">
                    <label for=id>{label}</label>
                    {control}
                </div>
            }
            .into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::humanize;

    #[test]
    fn labels_read_as_words_with_a_capital() {
        assert_eq!(humanize("decided_by"), "Decided by");
        assert_eq!(humanize("legal_hold"), "Legal hold");
        assert_eq!(humanize(""), "");
        // A key that does not start with ASCII keeps its first letter as it is.
        assert_eq!(humanize("été_key"), "été key");
    }
}
