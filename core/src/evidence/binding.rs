//! The actor checks of a format 2 chain (D-12, D-13): each entry's role may append its kind, each `*_by`
//! field holds that role's identity, and nobody decides their own request.

use crate::json::Value;
use crate::record::actors::{appended_by, ACTOR_FIELDS};
use crate::record::{field, RecordKind};
use crate::roles::{Identities, Role};
use std::collections::HashMap;

/// The records verified so far, by id.
pub(super) type Seen = HashMap<String, (RecordKind, Value)>;

/// Checks one entry's record against the role that appended it; the problem in plain words otherwise.
pub(super) fn check(
    kind: RecordKind,
    actor: Role,
    record: &Value,
    identities: &Identities,
    seen: &Seen,
) -> Result<(), String> {
    let allowed = appended_by(kind);
    if !allowed.contains(&actor) {
        let who: Vec<&str> = allowed.iter().map(|role| role.id()).collect();
        return Err(format!(
            "actor_role {} may not append a {} record (only {})",
            actor.id(),
            kind.spec().name,
            who.join(" or ")
        ));
    }
    let identity = identities.of(actor);
    for key in ACTOR_FIELDS {
        if let Some(named) = record.get(key).and_then(Value::as_str) {
            if named != identity {
                return Err(format!(
                    "{key} is {named:?}, but the entry was appended by the {} ({identity:?})",
                    actor.noun()
                ));
            }
        }
    }
    match kind {
        RecordKind::RedeliveryApproval => {
            let approved_by = record.str_at(field::APPROVED_BY);
            if approved_by != identity {
                return Err(format!(
                    "approved_by is {approved_by:?}, but the approval was appended by the {} ({identity:?})",
                    actor.noun()
                ));
            }
        }
        RecordKind::WorkerRun => {
            // A run's approver is the one its approval record names, never a typed name.
            let named = record.get(field::APPROVED_BY).and_then(Value::as_str);
            let approval = record
                .get(field::APPROVAL_ID)
                .and_then(Value::as_str)
                .and_then(|id| seen.get(id));
            let approver = approval.map(|(_, a)| a.str_at(field::APPROVED_BY));
            if named != approver {
                return Err(format!(
                    "approved_by is {named:?}, but the approval record it rests on names {approver:?}"
                ));
            }
        }
        RecordKind::RetentionDecision => {
            let request = seen.get(record.str_at(field::REVIEW_ID));
            let requested_by = request.map(|(_, r)| r.str_at(field::REQUESTED_BY));
            if requested_by == Some(record.str_at(field::DECIDED_BY)) {
                return Err(
                    "decided_by is the same identity that requested the review: nobody decides their own request (D-13)"
                        .into(),
                );
            }
        }
        _ => {}
    }
    Ok(())
}
