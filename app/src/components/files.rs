//! Files in and out: downloads of the bundle, chain and trial package; import of a trial package; and
//! verification of a downloaded chain or bundle zip, all in the page.

use super::app_state;
use super::decision::criterion_result;
use crate::browser;
use closeout_core::bundle::{bundle_json, bundle_zip};
use closeout_core::decision::{explain, Decision};
use closeout_core::evidence::ChainReport;
use closeout_core::json::pretty_string;
use closeout_core::package::{export_session, TrialPackage};
use closeout_core::record::RecordKind;
use closeout_core::share;
use closeout_core::verification::{compare_chains, verify_file};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// What an imported package decides.
#[derive(Clone)]
struct Imported {
    file: String,
    scenario: String,
    stated: Option<String>,
    decision: Decision,
    /// The step sections the package leaves out (each read as a step that did not run).
    absent: Vec<&'static str>,
}

/// Downloads, import and verification.
#[component]
pub fn FilesPanel() -> impl IntoView {
    let state = app_state();
    // The latest artifact bundle, found once per change of the session for the buttons and downloads.
    let artifact = Memo::new(move |_| {
        state.session.with(|s| {
            s.log()
                .latest(RecordKind::ArtifactBundle, s.release_record_ref())
                .map(|e| e.record.clone())
        })
    });
    let no_artifact = move || artifact.with(Option::is_none);
    let offer = move |name: &str, media: &str, bytes: Result<Vec<u8>, String>| match bytes
        .and_then(|b| browser::download(name, media, &b))
    {
        Ok(()) => {
            // Opening the files counts towards the walkthrough's "which artifacts are public-safe".
            state.opened("files");
            state.say(format!("Downloaded {name}."));
        }
        Err(error) => state.warn(format!("Could not download {name}: {error}")),
    };
    let export = move |_| {
        let package = state
            .session
            .with_untracked(|s| export_session(s, state.clock.get_untracked()));
        offer(
            "trial-package.json",
            "application/json",
            Ok(pretty_string(&package).into_bytes()),
        );
    };
    let download_chain = move |_| {
        let chain = state
            .session
            .with_untracked(|s| s.log().to_chain_value(s.release_record_ref()));
        offer(
            "evidence-chain.json",
            "application/json",
            Ok(pretty_string(&chain).into_bytes()),
        );
    };
    let download_zip = move |_| match artifact.get_untracked() {
        Some(record) => offer(
            "closeout-artifact-bundle.zip",
            "application/zip",
            bundle_zip(&record).map_err(|e| e.to_string()),
        ),
        None => state.warn("There is no artifact bundle yet: run step 5 first."),
    };
    let download_json = move |_| match artifact.get_untracked() {
        Some(record) => offer(
            "closeout-artifact-bundle.json",
            "application/json",
            Ok(pretty_string(&bundle_json(&record)).into_bytes()),
        ),
        None => state.warn("There is no artifact bundle yet: run step 5 first."),
    };
    view! {
        <div class="file-actions">
            <button type="button" data-testid="export-package" on:click=export>"Download trial package (.json)"</button>
            <button type="button" data-testid="download-chain" on:click=download_chain>"Download evidence chain (.json)"</button>
            <button type="button" data-testid="download-bundle" prop:disabled=no_artifact on:click=download_zip>
                "Download artifact bundle (.zip)"
            </button>
            <button type="button" data-testid="download-bundle-json" prop:disabled=no_artifact on:click=download_json>
                "Download artifact bundle (.json)"
            </button>
            <Show when=no_artifact>
                <p class="hint">"The artifact bundle appears after step 5, which needs an approved retention review."</p>
            </Show>
        </div>
        <ShareLink/>
        <div class="file-inputs">
            <ImportPackage/>
            <VerifyFile/>
        </div>
    }
}

/// A link that carries the scenario, what was done and the clock, for opening this session elsewhere.
#[component]
fn ShareLink() -> impl IntoView {
    let state = app_state();
    let link = RwSignal::new(None::<String>);
    let make = move |_| {
        let snapshot = state.snapshot();
        if !share::can_share(&snapshot.session) {
            state.warn("This session was saved before share links existed, so it cannot be replayed; start fresh to share.");
            return;
        }
        let fragment = share::encode(&snapshot);
        let base = web_sys::window()
            .and_then(|w| {
                Some(format!(
                    "{}{}",
                    w.location().origin().ok()?,
                    w.location().pathname().ok()?
                ))
            })
            .unwrap_or_default();
        let url = format!("{base}#{fragment}");
        browser::copy_text(&url);
        link.set(Some(url));
    };
    view! {
        <div class="share">
            <button type="button" data-testid="share-create" on:click=make>"Make a share link"</button>
            <span class="hint">
                "It carries the scenario, what you did and the clock (not the records); opening it replays the session to the same digests. Nothing is sent anywhere."
            </span>
            {move || link.get().map(|url| view! {
                <label class="visually-hidden" for="share-link">"Share link"</label>
                <input id="share-link" type="text" readonly data-testid="share-link" prop:value=url/>
            })}
        </div>
    }
}

fn chosen_input(ev: &leptos::ev::Event) -> Option<web_sys::HtmlInputElement> {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
}

/// Import a trial package and see its decision; a refused file leaves everything as it was.
#[component]
fn ImportPackage() -> impl IntoView {
    let imported = RwSignal::new(None::<Imported>);
    let error = RwSignal::new(None::<String>);
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = chosen_input(&ev) else {
            return;
        };
        leptos::task::spawn_local(async move {
            match browser::read_chosen_file(&input).await {
                Ok(Some((name, bytes))) => match TrialPackage::import(&bytes) {
                    Ok(package) => {
                        error.set(None);
                        imported.set(Some(Imported {
                            file: name,
                            scenario: package
                                .document
                                .get("scenario")
                                .map(|s| s.str_at("name").to_string())
                                .unwrap_or_default(),
                            stated: package.stated_state().map(String::from),
                            decision: package.decide(None),
                            absent: package.absent_sections(),
                        }));
                    }
                    Err(problem) => {
                        imported.set(None);
                        error.set(Some(format!("{name} was not imported: {problem}")));
                    }
                },
                Ok(None) => {}
                Err(problem) => error.set(Some(problem)),
            }
            input.set_value("");
        });
    };
    view! {
        <section class="file-box">
            <h4><label for="import-file">"Import a trial package"</label></h4>
            <p class="hint">"A cavra.final_closeout_trial.v1 file, such as the published sample or one you exported. It is checked and decided here; your session is not changed."</p>
            <input id="import-file" type="file" accept=".json,application/json" data-testid="import-file" on:change=on_change/>
            {move || error.get().map(|e| view! { <p class="message error" data-testid="import-error" role="alert">{e}</p> })}
            {move || imported.get().map(|i| {
                let state_code = i.decision.state.code();
                view! {
                    <div class="imported" data-testid="imported-decision">
                        <p>
                            {format!("{} (scenario {}): computed ", i.file, if i.scenario.is_empty() { "unnamed" } else { &i.scenario })}
                            <code>{state_code}</code>
                            {format!("; the package states {}.", i.stated.clone().unwrap_or_else(|| "nothing".into()))}
                        </p>
                        {(!i.absent.is_empty()).then(|| view! {
                            <p data-testid="imported-absent">
                                {format!("This package leaves out {} section(s): ", i.absent.len())}
                                {i.absent.iter().map(|key| view! { <code>{*key}</code>" " }).collect_view()}
                                "A section left out is read as a step that did not run, so the decision gives that step's blocking code instead of refusing the file."
                            </p>
                        })}
                        <ul>
                            {i.decision.blocking.iter().chain(&i.decision.warnings).map(|code| view! { <li><code>{*code}</code>" " {explain(code)}</li> }).collect_view()}
                        </ul>
                        <table class="criteria" data-testid="imported-criteria">
                            <caption>"Release criteria of the imported package"</caption>
                            <tbody>
                                {i.decision.criteria.iter().map(|c| view! {
                                    <tr data-status=c.status()>
                                        <td>{c.number}</td>
                                        <td>{c.name}</td>
                                        <td class=c.status()>{criterion_result(c)}</td>
                                        <td>{c.evidence_refs.join(", ")}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
            })}
        </section>
    }
}

/// What the page shows of a verified file.
#[derive(Clone)]
struct Verified {
    intact: bool,
    text: String,
    /// What an intact chain cannot show by itself (D-17), when it ends without a final decision.
    warning: Option<String>,
    /// An intact chain, compared with this session's as the session changes.
    chain: Option<ChainReport>,
}

/// Verify a downloaded evidence chain (.json) or artifact bundle (.zip) in the page, and compare a
/// chain with this session's.
#[component]
fn VerifyFile() -> impl IntoView {
    let state = app_state();
    let result = RwSignal::new(None::<Verified>);
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = chosen_input(&ev) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let outcome = match browser::read_chosen_file(&input).await {
                Ok(Some((name, bytes))) => {
                    let verified = verify_file(&bytes);
                    Some(Verified {
                        intact: verified.is_intact(),
                        text: if verified.is_intact() {
                            format!("{name}: {}.", verified.message())
                        } else {
                            format!("{name}: {}", verified.message())
                        },
                        warning: verified.warning(),
                        chain: verified.chain().cloned(),
                    })
                }
                Ok(None) => None,
                Err(problem) => Some(Verified {
                    intact: false,
                    text: problem,
                    warning: None,
                    chain: None,
                }),
            };
            if outcome.is_some() {
                result.set(outcome);
            }
            input.set_value("");
        });
    };
    let comparison = move || {
        result.with(|r| {
            let chain = r.as_ref()?.chain.as_ref()?;
            Some(
                state
                    .session
                    .with(|s| compare_chains(chain, s.log()).sentence()),
            )
        })
    };
    view! {
        <section class="file-box">
            <h4><label for="verify-file">"Verify a downloaded file"</label></h4>
            <p class="hint">"An evidence-chain.json or a closeout-artifact-bundle.zip: every digest and link is recomputed here, and a chain is compared with this session's."</p>
            <input id="verify-file" type="file" accept=".json,.zip,application/json,application/zip" data-testid="verify-file" on:change=on_change/>
            {move || result.get().map(|v| view! {
                <p class=if v.intact { "message ok" } else { "message error" } data-testid="verify-result" data-intact=v.intact.to_string() role="status">{v.text}</p>
                {v.warning.map(|w| view! { <p class="message warn" data-testid="verify-warning">{w}</p> })}
            })}
            {move || comparison().map(|c| view! { <p data-testid="verify-comparison">{c}</p> })}
        </section>
    }
}
