//! Indented JSON for people: key order as written, non-ASCII kept as is. Never hashed.

use super::canonical::python_float_repr;
use super::value::{Number, Value};

/// The value indented by two spaces per level, with a trailing newline.
pub fn pretty_string(value: &Value) -> String {
    let mut out = String::new();
    write(&mut out, value, Some(0));
    out.push('\n');
    out
}

/// The value on one line, keys in the order written: for storage, where order must survive a round trip.
pub fn compact_string(value: &Value) -> String {
    let mut out = String::new();
    write(&mut out, value, None);
    out
}

/// Writes `value`; `depth` is `None` for compact output.
fn write(out: &mut String, value: &Value, depth: Option<usize>) {
    let inner = depth.map(|d| d + 1);
    match value {
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                separate(out, index, inner);
                write(out, item, inner);
            }
            close(out, depth);
            out.push(']');
        }
        Value::Object(pairs) if !pairs.is_empty() => {
            out.push('{');
            for (index, (key, item)) in pairs.iter().enumerate() {
                separate(out, index, inner);
                write_string(out, key);
                out.push_str(if depth.is_some() { ": " } else { ":" });
                write(out, item, inner);
            }
            close(out, depth);
            out.push('}');
        }
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(Number::Int(digits)) => out.push_str(digits),
        Value::Number(Number::Float(x)) => out.push_str(&python_float_repr(*x)),
        Value::String(s) => write_string(out, s),
    }
}

/// Before the `index`th item: a comma after the first, and in pretty output a new indented line.
fn separate(out: &mut String, index: usize, depth: Option<usize>) {
    if index > 0 {
        out.push(',');
    }
    if let Some(depth) = depth {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    }
}

/// Before a closing bracket: in pretty output, a new line at the container's own depth.
fn close(out: &mut String, depth: Option<usize>) {
    if let Some(depth) = depth {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    }
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            c if let Some(escape) = super::canonical::short_escape(c) => out.push_str(escape),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
