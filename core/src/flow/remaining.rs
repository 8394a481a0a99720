//! What "Run remaining steps" did: each act, as whom, and a sentence that says who ran what.

use super::act::Act;
use super::{StepError, StepOutcome};
use crate::roles::Role;
use crate::steps::StepId;

/// One act "Run remaining steps" did.
#[derive(Clone, Debug, PartialEq)]
pub struct ActRun {
    pub step: StepId,
    pub role: Role,
    pub act: Act,
    pub result: Result<StepOutcome, StepError>,
}

/// Everything "Run remaining steps" did, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct RemainingRun {
    pub acts: Vec<ActRun>,
}

impl RemainingRun {
    /// The acts that could not run, with why.
    pub fn refused(&self) -> impl Iterator<Item = (&ActRun, &StepError)> {
        self.acts
            .iter()
            .filter_map(|run| run.result.as_ref().err().map(|error| (run, error)))
    }

    /// Who ran what, whatever role is acting: "Steps 1-3, 5, 6 and 10 ran as the release manager; step 4
    /// was decided by the security architect; steps 7-9 ran as the platform owner."
    pub fn who_ran_what(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        for role in Role::ALL {
            let steps: Vec<u8> = self
                .acts
                .iter()
                .filter(|run| run.role == role && run.result.is_ok())
                .filter(|run| !matches!(run.act, Act::DecideReview | Act::ApproveRedelivery))
                .map(|run| run.step.number())
                .collect();
            let mut steps = steps;
            steps.dedup();
            if !steps.is_empty() {
                parts.push(format!("{} ran as the {}", step_list(&steps), role.noun()));
            }
            for run in self.acts.iter().filter(|run| {
                run.role == role
                    && run.result.is_ok()
                    && matches!(run.act, Act::DecideReview | Act::ApproveRedelivery)
            }) {
                parts.push(format!(
                    "the {} {}",
                    role.noun(),
                    run.act.done_words(run.step)
                ));
            }
        }
        if parts.is_empty() {
            return "No step ran.".to_string();
        }
        let mut sentence = parts.join("; ");
        if let Some(first) = sentence.get(..1) {
            sentence = first.to_ascii_uppercase() + &sentence[1..];
        }
        sentence + "."
    }
}

/// "step 4", "steps 1-3", "steps 1-3, 5, 6 and 10".
fn step_list(steps: &[u8]) -> String {
    let mut ranges: Vec<(u8, u8)> = Vec::new();
    for &n in steps {
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 == n => *end = n,
            _ => ranges.push((n, n)),
        }
    }
    let words: Vec<String> = ranges
        .iter()
        .map(|&(a, b)| match b - a {
            0 => a.to_string(),
            1 => format!("{a}, {b}"),
            _ => format!("{a}-{b}"),
        })
        .collect();
    let noun = if steps.len() == 1 { "step" } else { "steps" };
    match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            format!("{noun} {} and {last}", rest.join(", "))
        }
        _ => format!("{noun} {}", words.join("")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_lists_read_as_people_write_them() {
        assert_eq!(step_list(&[4]), "step 4");
        assert_eq!(step_list(&[7, 8, 9]), "steps 7-9");
        assert_eq!(step_list(&[1, 2, 3, 5, 6, 10]), "steps 1-3, 5, 6 and 10");
        assert_eq!(step_list(&[5, 6]), "steps 5, 6");
    }
}
