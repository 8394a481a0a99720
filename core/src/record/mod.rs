//! Records (`docs/domain.md#27-records`): a record is a JSON object built by a step and appended to the
//! evidence log.
//!
//! - `kind`: every kind of record, its name, id field, prefix, hash field and material;
//! - `identity`: a record's material, the id and hash derived from it, and sealing a record with them;
//! - `links`: the cross-links verification follows;
//! - `field`: the keys of record fields, named once;
//! - `actors`: who may append each kind (D-12, D-13) and the fields naming who acted.

pub mod actors;
pub mod field;
mod identity;
mod kind;
mod links;

pub use identity::{connector_delivery_id, identity_of, material_of, seal, slug};
pub use kind::{KindSpec, Material, RecordKind};
pub use links::{CrossLink, CROSS_LINKS};
