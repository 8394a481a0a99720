//! The auditor's report: the decision, the criteria, the evidence chain with full digests and the
//! edition boundary, laid out to print (or save as PDF) on its own.

use super::app_state;
use super::decision::criterion_result;
use closeout_core::decision::explain;
use closeout_core::verification::pin_command;
use closeout_core::BOUNDARY_NOTE;
use leptos::prelude::*;

/// The printable report of the live session at the sandbox clock.
#[component]
pub fn AuditReport() -> impl IntoView {
    let state = app_state();
    let decision = state.decision;
    let print = move |_| {
        if let Some(window) = web_sys::window() {
            if window.print().is_err() {
                state.warn(
                    "This browser would not open its print dialog; use its own Print command.",
                );
            }
        }
    };
    view! {
        <div class="report-actions no-print">
            <button type="button" class="primary" data-testid="print-report" on:click=print>
                "Print the auditor's report (or save it as PDF)"
            </button>
            <p class="hint">"Printing shows this report alone, with every digest in full."</p>
        </div>
        <article class="report" data-testid="audit-report">
            <header>
                <h3>"Release governance final closeout: auditor's report"</h3>
                <p>
                    {move || {
                        state
                            .session
                            .with(|s| format!("Release {} · scenario {} · evaluated at {}", s.release_record_ref(), s.scenario.name, decision.with(|d| d.evaluated_at.isoformat())))
                    }}
                </p>
            </header>
            <section class="report-decision" data-testid="report-decision">
                <h4>"Decision"</h4>
                <p class="report-state"><code>{move || decision.with(|d| d.state.code())}</code></p>
                <ul>
                    {move || {
                        decision.with(|d| {
                            d.blocking
                                .iter()
                                .map(|c| ("blocking", *c))
                                .chain(d.warnings.iter().map(|c| ("warning", *c)))
                                .map(|(kind, code)| view! { <li>{format!("{kind}: ")}<code>{code}</code>" " {explain(code)}</li> })
                                .collect_view()
                        })
                    }}
                </ul>
                // The accepted risk the decision rests on (D-14): who owns it, why, until when, and its record.
                <p data-testid="report-risk">
                    {move || {
                        let recorded = state.session.with(|s| {
                            s.current_risk().map(|(entry, _)| (entry.actor_role.noun(), entry.record.str_at("recorded_by").to_string()))
                        });
                        decision.with(|d| match (&d.accepted_risk, &d.accepted_risk_id, recorded) {
                            (Some(risk), Some(id), Some((role, identity))) => format!(
                                "Accepted risk, record {id}, recorded by the {role} ({identity}). Owner: {}. Reason: {} Expires: {}.",
                                risk.owner,
                                if risk.reason.ends_with('.') { risk.reason.clone() } else { format!("{}.", risk.reason) },
                                risk.expires_at
                            ),
                            _ => "No accepted risk is recorded.".to_string(),
                        })
                    }}
                </p>
                // A recorded final decision that no longer holds says so here too (D-15).
                {move || {
                    let step = closeout_core::steps::StepId::FinalDecision;
                    match decision.with(|live| state.session.with(|s| s.shown_status_with(step, live))) {
                        closeout_core::flow::StepStatus::Stale(reason) => Some(view! {
                            <p class="message warn" data-testid="report-stale">{format!("The recorded final decision no longer holds: {reason}.")}</p>
                        }),
                        _ => None,
                    }
                }}
            </section>
            <section>
                <h4>"Release criteria"</h4>
                <table class="criteria">
                    <thead>
                        <tr><th scope="col">"#"</th><th scope="col">"Criterion"</th><th scope="col">"Result"</th><th scope="col">"Records"</th></tr>
                    </thead>
                    <tbody>
                        {move || decision.with(|d| d.criteria.clone()).into_iter().map(|c| view! {
                            <tr>
                                <td>{c.number}</td>
                                <td>{c.name}</td>
                                <td class=c.status()>{criterion_result(&c)}</td>
                                <td class="mono">{c.evidence_refs.join(" ")}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            <section class="report-chain">
                <h4>"Evidence chain"</h4>
                // A chain cut short still verifies (D-17): the head printed here is what a copy is checked against.
                <p data-testid="report-head">
                    {move || state.session.with(|s| {
                        let head = s.head_digest().to_string();
                        view! {
                            "Head to pin: "<span class="mono">{head.clone()}</span>
                            {format!(" after {} entries. To check a copy later: ", s.log().entries().len())}
                            <code class="mono">{pin_command(&head)}</code>
                        }
                    })}
                </p>
                <table>
                    <thead>
                        <tr><th scope="col">"Seq"</th><th scope="col">"Record"</th><th scope="col">"Digests (record, entry)"</th></tr>
                    </thead>
                    <tbody>
                        {move || state.session.with(|s| s.log().entries().to_vec()).into_iter().map(|e| view! {
                            <tr>
                                <td>{e.seq}</td>
                                <td>{e.kind.spec().name}<br/><span class="mono">{e.id().to_string()}</span></td>
                                <td class="mono">{e.record_digest.clone()}<br/>{e.entry_digest.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            <section>
                <h4>"Edition boundary"</h4>
                <p>{BOUNDARY_NOTE}</p>
                <p>"This report was produced by the Closeout Sandbox on synthetic evidence; nothing left the browser."</p>
            </section>
        </article>
    }
}
