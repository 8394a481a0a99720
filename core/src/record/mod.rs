//! Records (`docs/domain.md#27-records`); being split into one concept per file.

mod kind;

pub use kind::*;
