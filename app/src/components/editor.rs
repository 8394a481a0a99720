//! A form over a step's input, generated from the input's JSON as core describes each field
//! (`closeout_core::flow::form`): text, dates, prose, numbers, switches, lists and choices. It only
//! edits the JSON; core validates it when the step runs and names any wrong field.

use closeout_core::flow::form::{field_kind, field_text, has_fields, FieldKind};
use closeout_core::json::Value;
use closeout_core::steps::StepId;
use leptos::prelude::*;

/// The editor for one step's input.
pub fn input_editor(step: StepId, value: RwSignal<Value>) -> AnyView {
    if !value.with_untracked(has_fields) {
        return view! { <p class="muted">"This step takes no input: it works from the records already in the evidence log."</p> }.into_any();
    }
    let pairs = value.with_untracked(|v| {
        v.as_object()
            .map(<[(String, Value)]>::to_vec)
            .unwrap_or_default()
    });
    pairs
        .into_iter()
        .filter(|(key, current)| field_kind(&[key], current) != FieldKind::EditedElsewhere)
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

/// One field of the step's input at `path`, of the kind core gives it.
fn field(step: StepId, signal: RwSignal<Value>, path: Vec<String>, current: &Value) -> AnyView {
    let id = format!("input-{}-{}", step.number(), path.join("-"));
    let label = humanize(path.last().map_or("", String::as_str));
    let read_path = path.clone();
    let read = move || signal.with(|v| field_text(get_at(v, &read_path)));
    let write_path = path.clone();
    let write = move |new: Value| signal.update(|v| set_at(v, &write_path, new));
    let kind = field_kind(&path, current);
    match (kind, current) {
        (FieldKind::EditedElsewhere, _) => ().into_any(),
        (FieldKind::Group, Value::Object(pairs)) => {
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
        (FieldKind::Switch, _) => {
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
        (FieldKind::Number, _) => view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input
                    type="number"
                    id=id.clone()
                    data-testid=id
                    prop:value=read
                    on:input=move |ev| write(kind.value_from_text(&event_target_value(&ev)))
                />
            </div>
        }
        .into_any(),
        (FieldKind::List, _) => view! {
            <div class="field">
                <label for=id.clone()>{label} <span class="hint">" (comma-separated)"</span></label>
                <input
                    type="text"
                    id=id.clone()
                    data-testid=id
                    prop:value=read
                    on:change=move |ev| write(kind.value_from_text(&event_target_value(&ev)))
                />
            </div>
        }
        .into_any(),
        (kind, _) => {
            let on_text =
                move |ev: leptos::ev::Event| write(kind.value_from_text(&event_target_value(&ev)));
            let control = match kind {
                FieldKind::Choice(options) => view! {
                    <select id=id.clone() data-testid=id.clone() prop:value=read on:change=on_text>
                        {options.iter().map(|o| view! { <option value=*o>{*o}</option> }).collect_view()}
                    </select>
                }
                .into_any(),
                FieldKind::Prose => view! { <textarea id=id.clone() data-testid=id.clone() rows="2" prop:value=read on:input=on_text></textarea> }.into_any(),
                // A date is typed as text too: the spec's timestamps do not fit a date picker.
                _ => view! { <input type="text" id=id.clone() data-testid=id.clone() prop:value=read on:input=on_text/> }.into_any(),
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
