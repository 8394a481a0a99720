//! One link of the chain: a record with its own digest and the digest that ties it to the entry before.

use crate::json::{digest, Value};
use crate::record::RecordKind;
use crate::roles::Role;

/// The `prev_entry_digest` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One link of the chain.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub seq: usize,
    pub kind: RecordKind,
    /// The role that appended the record (D-12): the sandbox's sign-in when it was appended.
    pub actor_role: Role,
    pub record: Value,
    pub record_digest: String,
    pub prev_entry_digest: String,
    pub entry_digest: String,
}

impl Entry {
    /// The record's id (the value of its kind's id field).
    pub fn id(&self) -> &str {
        self.record.str_at(self.kind.spec().id_field)
    }

    /// The entry as JSON, in the chain file's field order.
    pub fn to_value(&self) -> Value {
        Value::object([
            ("seq", Value::from(self.seq)),
            ("kind", Value::from(self.kind.spec().name)),
            ("actor_role", Value::from(self.actor_role.id())),
            ("record", self.record.clone()),
            ("record_digest", Value::from(&self.record_digest)),
            ("prev_entry_digest", Value::from(&self.prev_entry_digest)),
            ("entry_digest", Value::from(&self.entry_digest)),
        ])
    }
}

/// The fields an entry digest covers: every field of the entry but the digest itself, and (format 2)
/// the chain's `actors`, so that no role's identity can be edited without breaking every entry. Both
/// are `None` for a format 1 entry, which had neither.
pub(super) struct DigestedFields<'a> {
    pub seq: &'a Value,
    pub kind: &'a Value,
    pub actor_role: Option<&'a Value>,
    pub actors: Option<&'a Value>,
    pub record: &'a Value,
    pub record_digest: &'a Value,
    pub prev: &'a Value,
}

pub(super) fn entry_digest_of(fields: &DigestedFields<'_>) -> String {
    let mut pairs = vec![
        ("seq", fields.seq.clone()),
        ("kind", fields.kind.clone()),
        ("record", fields.record.clone()),
        ("record_digest", fields.record_digest.clone()),
        ("prev_entry_digest", fields.prev.clone()),
    ];
    if let Some(actor_role) = fields.actor_role {
        pairs.push(("actor_role", actor_role.clone()));
    }
    if let Some(actors) = fields.actors {
        pairs.push(("actors", actors.clone()));
    }
    digest(&Value::object(pairs))
}
