//! One link of the chain: a record with its own digest and the digest that ties it to the entry before.

use crate::json::{digest, Value};
use crate::record::RecordKind;

/// The `prev_entry_digest` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One link of the chain.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub seq: usize,
    pub kind: RecordKind,
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
            ("record", self.record.clone()),
            ("record_digest", Value::from(&self.record_digest)),
            ("prev_entry_digest", Value::from(&self.prev_entry_digest)),
            ("entry_digest", Value::from(&self.entry_digest)),
        ])
    }
}

pub(super) fn entry_digest_of(
    seq: &Value,
    kind: &Value,
    record: &Value,
    record_digest: &Value,
    prev: &Value,
) -> String {
    digest(&Value::object([
        ("seq", seq.clone()),
        ("kind", kind.clone()),
        ("record", record.clone()),
        ("record_digest", record_digest.clone()),
        ("prev_entry_digest", prev.clone()),
    ]))
}
