//! The flow as a diagram: the ten steps and the records that link them, with live states. Each step is
//! a button that opens its panel.

use super::app_state;
use closeout_core::steps::{StepId, STEPS};
use leptos::prelude::*;

const WIDTH: f64 = 170.0;
const HEIGHT: f64 = 56.0;

/// Where a step's box sits: two rows of five, the second running right to left like the flow.
fn position(step: StepId) -> (f64, f64) {
    let index = f64::from(step.number() - 1);
    if step.number() <= 5 {
        (20.0 + index * 200.0, 20.0)
    } else {
        (20.0 + (9.0 - index) * 200.0, 170.0)
    }
}

fn center(step: StepId) -> (f64, f64) {
    let (x, y) = position(step);
    (x + WIDTH / 2.0, y + HEIGHT / 2.0)
}

/// The SVG path of a link, from box edge to box edge: straight between neighbours and across rows,
/// an arc over (or under) the boxes it would otherwise cross.
fn link_path(from: StepId, to: StepId) -> String {
    let ((x1, y1), (x2, y2)) = (center(from), center(to));
    let same_row = (y1 - y2).abs() < f64::EPSILON;
    let neighbours = (x1 - x2).abs() <= 200.0 + f64::EPSILON;
    if same_row && !neighbours {
        let (edge, bulge) = if y1 < 100.0 {
            (y1 - HEIGHT / 2.0, -40)
        } else {
            (y1 + HEIGHT / 2.0, 40)
        };
        let (x1, x2, edge) = (whole(x1), whole(x2), whole(edge));
        return format!(
            "M {x1} {edge} Q {} {} {x2} {edge}",
            (x1 + x2) / 2,
            edge + bulge
        );
    }
    let clip = |(cx, cy): (f64, f64), (dx, dy): (f64, f64)| {
        let t = ((WIDTH / 2.0) / dx.abs().max(f64::EPSILON))
            .min((HEIGHT / 2.0) / dy.abs().max(f64::EPSILON));
        (cx + t * dx, cy + t * dy)
    };
    let (sx, sy) = clip((x1, y1), (x2 - x1, y2 - y1));
    let (ex, ey) = clip((x2, y2), (x1 - x2, y1 - y2));
    format!(
        "M {} {} L {} {}",
        whole(sx),
        whole(sy),
        whole(ex),
        whole(ey)
    )
}

/// A coordinate in whole SVG units (a fraction of a unit does not show at the diagram's size). The
/// diagram writes no float: formatting one would put the standard library's float printing (about
/// 4 KB gzip) into the first load for the diagram alone.
fn whole(coordinate: f64) -> i32 {
    coordinate.round() as i32
}

/// The SVG diagram of the flow.
#[component]
pub fn FlowDiagram() -> impl IntoView {
    let state = app_state();
    view! {
        <svg
            class="flow-diagram"
            data-testid="flow-diagram"
            viewBox="0 -30 1000 310"
            role="group"
            aria-label="The ten steps and the records that link them"
        >
            <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead"></path>
                </marker>
            </defs>
            // Each step's links from the steps it rests on, in step order.
            {STEPS
                .iter()
                .flat_map(|step| step.rests_on.iter().map(move |from| (*from, step.id)))
                .map(|(from, to)| view! { <path class="link" d=link_path(from, to) marker-end="url(#arrow)"></path> })
                .collect_view()}
            {STEPS
                .iter()
                .map(|step| {
                    let (id, number) = (step.id, step.number);
                    let (x, y) = position(id);
                    let (x, y) = (whole(x), whole(y));
                    let status = move || {
                        state.decision.with(|live| {
                            state.session.with(|s| s.shown_status_with(id, live).code())
                        })
                    };
                    view! {
                        <g
                            class="node"
                            tabindex="0"
                            role="button"
                            data-testid=format!("diagram-step-{number}")
                            data-state=status
                            on:click=move |_| {
                                state.selected.set(id);
                                state.viewed(id);
                            }
                            on:keydown=move |ev| {
                                if ev.key() == "Enter" || ev.key() == " " {
                                    ev.prevent_default();
                                    state.selected.set(id);
                                    state.viewed(id);
                                }
                            }
                        >
                            <rect x=x y=y width=whole(WIDTH) height=whole(HEIGHT) rx="8"></rect>
                            <text x=x + 12 y=y + 24 class="node-title">{format!("{number}. {} ", step.short_name)}</text>
                            <text x=x + 12 y=y + 44 class="node-state">{status}</text>
                        </g>
                    }
                })
                .collect_view()}
        </svg>
    }
}
