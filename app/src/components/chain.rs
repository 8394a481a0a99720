//! The evidence chain: every record in order with its digests, a verify action, and a tamper
//! demonstration on a copy.

use super::app_state;
use closeout_core::evidence::verify_chain;
use closeout_core::json::{pretty_string, Value};
use leptos::prelude::*;

fn short(digest: &str) -> String {
    digest.chars().take(12).collect()
}

/// The chain table, verification and the tamper demonstration.
#[component]
pub fn ChainPanel() -> impl IntoView {
    let state = app_state();
    let chain = Memo::new(move |_| {
        state
            .session
            .with(|s| s.log().to_chain_value(s.release_record_ref()))
    });
    let verify_result = RwSignal::new(None::<(bool, String)>);
    let verify = move |_| {
        let result = chain.with(verify_chain);
        verify_result.set(Some(match result {
            Ok(report) => (
                true,
                format!(
                    "Intact: {} entries verified; head {}",
                    report.entries, report.head_digest
                ),
            ),
            Err(error) => (false, error.to_string()),
        }));
    };
    Effect::new(move |_| {
        chain.track();
        verify_result.set(None);
    });
    view! {
        <div class="chain-actions">
            <button type="button" class="primary" data-testid="verify-chain" on:click=verify>"Verify chain"</button>
            {move || (state.role.get() == closeout_core::Role::Auditor).then(|| view! {
                <button type="button" data-testid="attest" on:click=move |_| state.attest()>"Verify and attest as the auditor"</button>
            })}
            {move || verify_result.get().map(|(ok, text)| view! {
                <p class=if ok { "message ok" } else { "message error" } data-testid="chain-verify-result" role="status">{text}</p>
            })}
        </div>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Evidence log table (scrolls sideways)">
            <table class="chain" data-testid="chain-table">
                <caption>"Evidence log: appended, never edited"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Seq"</th>
                        <th scope="col">"Kind"</th>
                        <th scope="col">"Appended by"</th>
                        <th scope="col">"Record id"</th>
                        <th scope="col">"Record digest"</th>
                        <th scope="col">"Previous entry"</th>
                        <th scope="col">"Entry digest"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || state.session.with(|s| s.log().entries().to_vec()).into_iter().map(|entry| {
                        view! {
                            <tr id=format!("entry-{}", entry.seq) data-testid=format!("entry-{}", entry.seq)>
                                <td>{entry.seq}</td>
                                <td>{entry.kind.spec().name}</td>
                                <td data-testid="entry-actor">{entry.actor_role.title()}</td>
                                <td><code>{entry.id().to_string()}</code></td>
                                <td><code title=entry.record_digest.clone()>{short(&entry.record_digest)}</code></td>
                                <td><code title=entry.prev_entry_digest.clone()>{short(&entry.prev_entry_digest)}</code></td>
                                <td><code title=entry.entry_digest.clone()>{short(&entry.entry_digest)}</code></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <TamperDemo chain=chain/>
    }
}

/// Edit one value of a copy of the chain and watch verification fail at that entry.
#[component]
fn TamperDemo(chain: Memo<Value>) -> impl IntoView {
    let entry = RwSignal::new(0usize);
    let field = RwSignal::new(String::new());
    let new_value = RwSignal::new(String::from("edited"));
    let result = RwSignal::new(None::<(bool, String)>);
    let fields = move || {
        chain.with(|c| {
            c.get("entries")
                .and_then(Value::as_array)
                .and_then(|entries| entries.get(entry.get()))
                .and_then(|e| e.get("record"))
                .and_then(Value::as_object)
                .map(|pairs| {
                    pairs
                        .iter()
                        .filter(|(_, v)| {
                            matches!(v, Value::String(_) | Value::Bool(_) | Value::Number(_))
                        })
                        .map(|(k, _)| k.clone())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let tamper = move |_| {
        let mut copy = chain.get_untracked();
        let index = entry.get_untracked();
        let key = field.get_untracked();
        let key = if key.is_empty() {
            fields().into_iter().next().unwrap_or_default()
        } else {
            key
        };
        if let Value::Object(pairs) = &mut copy {
            if let Some((_, Value::Array(entries))) = pairs.iter_mut().find(|(k, _)| k == "entries")
            {
                if let Some(target) = entries.get_mut(index) {
                    let mut record = target.get("record").cloned().unwrap_or(Value::Null);
                    record.set(&key, Value::String(new_value.get_untracked()));
                    target.set("record", record);
                }
            }
        }
        result.set(Some(match verify_chain(&copy) {
            Ok(_) => (
                true,
                "The copy still verifies: the new value equals the old one. Try another value."
                    .to_string(),
            ),
            Err(error) => (
                false,
                format!("Verification of the tampered copy failed, as it should: {error}"),
            ),
        }));
    };
    view! {
        <details class="tamper">
            <summary>"Tamper demonstration"</summary>
            <p class="hint">"Change one value in a copy of the chain (your session is not touched) and verify the copy."</p>
            <div class="tamper-controls">
                <div class="field">
                    <label for="tamper-entry">"Entry"</label>
                    <select id="tamper-entry" data-testid="tamper-entry" on:change=move |ev| {
                        entry.set(event_target_value(&ev).parse().unwrap_or(0));
                        field.set(String::new());
                    }>
                        {move || chain.with(|c| c.get("entries").and_then(Value::as_array).unwrap_or_default().iter().enumerate().map(|(i, e)| {
                            view! { <option value=i.to_string()>{format!("{i}: {}", e.str_at("kind"))}</option> }
                        }).collect_view())}
                    </select>
                </div>
                <div class="field">
                    <label for="tamper-field">"Field"</label>
                    <select id="tamper-field" data-testid="tamper-field" on:change=move |ev| field.set(event_target_value(&ev))>
                        {move || fields().into_iter().map(|k| { let label = k.clone(); view! { <option value=k>{label}</option> } }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="tamper-value">"New value"</label>
                    <input id="tamper-value" data-testid="tamper-value" type="text" prop:value=move || new_value.get() on:input=move |ev| new_value.set(event_target_value(&ev))/>
                </div>
                <button type="button" data-testid="tamper-verify" on:click=tamper>"Tamper with a copy and verify it"</button>
            </div>
            {move || result.get().map(|(ok, text)| view! {
                <p class=if ok { "message warn" } else { "message error" } data-testid="tamper-result" role="status">{text}</p>
            })}
            <details>
                <summary>"The chain as JSON"</summary>
                <pre class="json" tabindex="0">{move || chain.with(pretty_string)}</pre>
            </details>
        </details>
    }
}
