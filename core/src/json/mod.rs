//! JSON as CAVRA hashes it: a value type that keeps integers exact, a strict parser that names the path
//! of every problem, and the canonical writer (`docs/domain.md#21-canonical-json`: CPython's
//! `json.dumps(sort_keys=True)`).

mod canonical;
mod parse;
mod pretty;
mod value;

pub use canonical::{canonical_string, digest, python_float_repr};
pub use parse::{parse, parse_bytes, JsonError, MAX_DEPTH};
pub use pretty::{compact_string, pretty_string};
pub use value::{strings, Number, Value};
