//! The release decision: state, every code explained, the ten criteria with their records, and the
//! accepted-risk form.

use super::app_state;
use closeout_core::decision::{explain, Criterion, Decision};
use closeout_core::flow::inputs::documented_accepted_risk;
use closeout_core::input::Fields;
use closeout_core::json::Value;
use closeout_core::steps::StepId;
use leptos::prelude::*;

/// The decision of the live session at the sandbox clock.
#[component]
pub fn DecisionPanel() -> impl IntoView {
    let state = app_state();
    let decision = state.decision;
    let seq_of = move |id: &str| state.session.with(|s| s.log().by_id(id).map(|e| e.seq));
    view! {
        <div class="decision" data-testid="decision" data-state=move || decision.with(|d| d.state.code())>
            <p class="decision-state">
                <span class="state-label">{move || decision.with(|d| d.state.label())}</span>
                " "
                <code>{move || decision.with(|d| d.state.code())}</code>
                <span class="muted">{move || decision.with(|d| format!(" at {}", d.evaluated_at.isoformat()))}</span>
            </p>
            <CodeList title="Blocking" codes=Signal::derive(move || decision.with(|d| d.blocking.clone())) testid="decision-blocking"/>
            <CodeList title="Warnings" codes=Signal::derive(move || decision.with(|d| d.warnings.clone())) testid="decision-warnings"/>
        </div>
        <table class="criteria" data-testid="criteria">
            <caption>"The ten release criteria"</caption>
            <thead>
                <tr>
                    <th scope="col">"#"</th>
                    <th scope="col">"Criterion"</th>
                    <th scope="col">"Result"</th>
                    <th scope="col">"Records"</th>
                </tr>
            </thead>
            <tbody>
                {move || decision.with(|d: &Decision| d.criteria.clone()).into_iter().map(|c: Criterion| {
                    let refs = c.evidence_refs.clone();
                    view! {
                        <tr data-testid=format!("criterion-{}", c.number) data-status=c.status()>
                            <td>{c.number}</td>
                            <td>{c.name}</td>
                            <td class=c.status()>{criterion_result(&c)}</td>
                            <td>
                                {refs.into_iter().map(|id| {
                                    let href = seq_of(&id).map_or_else(String::new, |seq| format!("#entry-{seq}"));
                                    view! { <a class="ref" href=href>{id}</a> " " }
                                }).collect_view()}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <AcceptedRiskForm/>
    }
}

/// A criterion's result in words.
pub fn criterion_result(c: &Criterion) -> String {
    match c.status() {
        "fail" => format!("fail: {}", c.failed_by.join(", ")),
        "no_evidence" => "not yet evidenced".to_string(),
        _ => "pass".to_string(),
    }
}

/// A list of codes, each with its sentence.
#[component]
fn CodeList(
    title: &'static str,
    codes: Signal<Vec<&'static str>>,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <div class="codes" data-testid=testid>
            <h4>{title}</h4>
            {move || {
                let codes = codes.get();
                if codes.is_empty() {
                    view! { <p class="muted">"None."</p> }.into_any()
                } else {
                    view! {
                        <ul>
                            {codes.into_iter().map(|code| view! { <li><code>{code}</code>" " {explain(code)}</li> }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }
            }}
        </div>
    }
}

/// The accepted risk the decision weighs, validated by core before it is kept.
#[component]
fn AcceptedRiskForm() -> impl IntoView {
    let state = app_state();
    let current = state.session.with_untracked(|s| {
        s.input_for(StepId::FinalDecision)
            .get("accepted_risk")
            .cloned()
            .unwrap_or(Value::Null)
    });
    let field = |key: &str| RwSignal::new(current.str_at(key).to_string());
    let (owner, reason, expires_at, external_ref, control) = (
        field("owner"),
        field("reason"),
        field("expires_at"),
        field("external_ref"),
        field("compensating_control"),
    );
    let error = RwSignal::new(None::<String>);
    let save = move |_| {
        let text = |signal: RwSignal<String>| {
            let value = signal.get_untracked();
            if value.trim().is_empty() {
                Value::Null
            } else {
                Value::String(value)
            }
        };
        let risk = Value::object([
            ("owner", text(owner)),
            ("reason", text(reason)),
            ("expires_at", text(expires_at)),
            ("external_ref", text(external_ref)),
            ("compensating_control", text(control)),
        ]);
        let checked =
            Fields::new(&risk, "$.accepted_risk").and_then(|f| documented_accepted_risk(&f));
        match checked {
            Err(problem) => error.set(Some(problem.to_string())),
            Ok(risk) => {
                match state.record_risk(Some(&risk)) {
                    Ok(Some(id)) => {
                        error.set(None);
                        state.say(format!("Accepted risk recorded as {id} in the evidence log; the decision above rests on it."));
                    }
                    Ok(None) => {
                        error.set(None);
                        state.say("This accepted risk is already the one in force; nothing new was recorded.");
                    }
                    Err(problem) => error.set(Some(problem.to_string())),
                }
            }
        }
    };
    let remove = move |_| match state.record_risk(None) {
        Err(problem) => error.set(Some(problem.to_string())),
        Ok(Some(id)) => {
            error.set(None);
            state.say(format!(
                "Accepted risk withdrawn: {id} records the withdrawal in the evidence log."
            ));
        }
        Ok(None) => {
            error.set(None);
            state.say("No accepted risk was in force; nothing was recorded.");
        }
    };
    let input = |id: &'static str,
                 label: &'static str,
                 signal: RwSignal<String>,
                 kind: &'static str| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id data-testid=id type=kind prop:value=move || signal.get() on:input=move |ev| signal.set(event_target_value(&ev))/>
            </div>
        }
    };
    view! {
        <form class="risk-form" data-testid="risk-form" on:submit=move |ev| ev.prevent_default()>
            <fieldset>
                <legend>"Accepted risk"</legend>
                <p class="hint">
                    "Warnings block the release unless a named owner accepts the risk, with a reason and an expiry. A critical finding also needs an external reference and a compensating control."
                </p>
                {input("risk-owner", "Owner", owner, "text")}
                {input("risk-reason", "Reason", reason, "text")}
                {input("risk-expires", "Expires at (date)", expires_at, "text")}
                {input("risk-external-ref", "External reference", external_ref, "text")}
                {input("risk-control", "Compensating control", control, "text")}
                <button type="button" class="primary" data-testid="risk-save" on:click=save>"Save accepted risk"</button>
                <button type="button" data-testid="risk-remove" on:click=remove>"Remove"</button>
                {move || error.get().map(|e| view! { <p class="message error" data-testid="risk-error" role="alert">{e}</p> })}
            </fieldset>
        </form>
    }
}
