//! A strict JSON parser (RFC 8259) that names the JSON path and position of every problem.
//!
//! Stricter than most on purpose, because it guards imports: duplicate keys, a byte-order mark, lone
//! surrogates, `NaN`/`Infinity` and numbers beyond the float range are refused, and nesting deeper than
//! [`MAX_DEPTH`] is an error, never a stack overflow.

use super::value::Value;
use std::fmt;

mod number;
mod string;

/// How deep arrays and objects may nest.
pub const MAX_DEPTH: usize = 128;

/// Why a document is not acceptable JSON, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// The JSON path of the value being read, for example `$.retention_review.notes`.
    pub path: String,
    /// 1-based line and column of the offending byte.
    pub line: usize,
    pub column: usize,
    /// What is wrong, in words a user can act on.
    pub message: String,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} (line {}, column {})",
            self.path, self.message, self.line, self.column
        )
    }
}

impl std::error::Error for JsonError {}

/// Parses a document from bytes, refusing invalid UTF-8 and a byte-order mark.
pub fn parse_bytes(bytes: &[u8]) -> Result<Value, JsonError> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(JsonError {
            path: "$".into(),
            line: 1,
            column: 1,
            message: "the file starts with a byte-order mark; save it as UTF-8 without BOM".into(),
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text),
        Err(error) => {
            let offset = error.valid_up_to();
            let (line, column) = position(&bytes[..offset]);
            Err(JsonError {
                path: "$".into(),
                line,
                column,
                message: format!("the file is not valid UTF-8 (bad byte at offset {offset})"),
            })
        }
    }
}

/// Parses one JSON document; only white space may follow it.
pub fn parse(text: &str) -> Result<Value, JsonError> {
    if text.starts_with('\u{feff}') {
        return parse_bytes(text.as_bytes());
    }
    let mut parser = Parser {
        bytes: text.as_bytes(),
        at: 0,
        path: Vec::new(),
    };
    parser.skip_space();
    let value = parser.value(0)?;
    parser.skip_space();
    if parser.at < parser.bytes.len() {
        return Err(parser.error("unexpected text after the end of the JSON document"));
    }
    Ok(value)
}

fn position(consumed: &[u8]) -> (usize, usize) {
    let line = consumed.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = consumed
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&consumed[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

enum Segment {
    Key(String),
    Index(usize),
}

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
    path: Vec<Segment>,
}

impl Parser<'_> {
    fn path_string(&self) -> String {
        let mut path = String::from("$");
        for segment in &self.path {
            match segment {
                Segment::Key(key) if is_plain_key(key) => {
                    path.push('.');
                    path.push_str(key);
                }
                Segment::Key(key) => {
                    path.push_str("[\"");
                    path.extend(key.chars().take(40).flat_map(char::escape_default));
                    path.push_str("\"]");
                }
                Segment::Index(index) => path.push_str(&format!("[{index}]")),
            }
        }
        path
    }

    fn error(&self, message: impl Into<String>) -> JsonError {
        let (line, column) = position(&self.bytes[..self.at.min(self.bytes.len())]);
        JsonError {
            path: self.path_string(),
            line,
            column,
            message: message.into(),
        }
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        match self.peek() {
            None => Err(self.error("the document ends where a value was expected")),
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'N' | b'I') => Err(self.error("NaN and Infinity are not JSON numbers")),
            Some(_) => Err(self.error(format!("unexpected character {}", self.char_here()))),
        }
    }

    fn char_here(&self) -> String {
        let rest = std::str::from_utf8(&self.bytes[self.at..]).ok();
        let ch = rest.and_then(|r| r.chars().next()).unwrap_or('?');
        format!("{:?}", ch)
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, JsonError> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error(format!(
                "unexpected character {} (did you mean {word}?)",
                self.char_here()
            )))
        }
    }

    fn enter(&self, depth: usize) -> Result<(), JsonError> {
        if depth > MAX_DEPTH {
            Err(self.error(format!("nesting deeper than {MAX_DEPTH} levels")))
        } else {
            Ok(())
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.enter(depth)?;
        self.at += 1;
        let mut pairs: Vec<(String, Value)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Value::Object(pairs));
        }
        loop {
            self.skip_space();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a quoted key"));
            }
            let key = self.string()?;
            if !seen.insert(key.clone()) {
                self.path.push(Segment::Key(key.clone()));
                let error = self.error(format!("duplicate key {key:?}"));
                self.path.pop();
                return Err(error);
            }
            self.skip_space();
            if self.peek() != Some(b':') {
                return Err(self.error(format!("expected ':' after the key {key:?}")));
            }
            self.at += 1;
            self.skip_space();
            self.path.push(Segment::Key(key.clone()));
            let value = self.value(depth)?;
            self.path.pop();
            pairs.push((key, value));
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Object(pairs));
                }
                None => return Err(self.error("the document ends inside an object (missing '}')")),
                Some(_) => return Err(self.error("expected ',' or '}' in an object")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.enter(depth)?;
        self.at += 1;
        let mut items = Vec::new();
        self.skip_space();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_space();
            self.path.push(Segment::Index(items.len()));
            let value = self.value(depth)?;
            self.path.pop();
            items.push(value);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                None => return Err(self.error("the document ends inside an array (missing ']')")),
                Some(_) => return Err(self.error("expected ',' or ']' in an array")),
            }
        }
    }
}

fn is_plain_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !key.starts_with(|c: char| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::value::Number;

    fn error_of(text: &str) -> JsonError {
        parse(text).expect_err(text)
    }

    #[test]
    fn parses_every_kind_of_value_and_keeps_key_order() {
        let value =
            parse(r#" {"b": [1, -0, 2.5, true, false, null], "a": "x\u00e9\ud83d\ude00\n"} "#)
                .unwrap();
        let pairs = value.as_object().unwrap();
        assert_eq!(pairs[0].0, "b");
        assert_eq!(pairs[1].1, Value::String("xé😀\n".into()));
        let items = value.get("b").unwrap().as_array().unwrap();
        assert_eq!(items[1], Value::Number(Number::Int("0".into())));
        assert_eq!(items[2], Value::Number(Number::Float(2.5)));
    }

    #[test]
    fn names_the_path_of_the_problem() {
        let error = error_of(r#"{"a": {"list": [1, {"k": tru}]}}"#);
        assert_eq!(error.path, "$.a.list[1].k");
        assert!(error.message.contains("true"), "{error}");
        let error = error_of("{\n  \"x\": 1,\n  \"x\": 2\n}");
        assert_eq!(error.path, "$.x");
        assert_eq!(error.line, 3);
        assert!(error.message.contains("duplicate key"));
    }

    #[test]
    fn refuses_what_python_would_accept_but_is_not_json() {
        for text in [
            "NaN",
            "[Infinity]",
            "-Infinity",
            "1e400",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "\"\\ud800\"",
            "\"\\udc00x\"",
        ] {
            assert!(parse(text).is_err(), "{text} should be refused");
        }
        assert!(parse_bytes(b"\xEF\xBB\xBF{}")
            .unwrap_err()
            .message
            .contains("byte-order mark"));
        assert!(parse_bytes(b"{\"a\": \"\xff\"}")
            .unwrap_err()
            .message
            .contains("UTF-8"));
        assert!(error_of("\"a\tb\"").message.contains("control character"));
        assert!(error_of("{} x").message.contains("after the end"));
        assert!(error_of("{\"a\": [1, 2")
            .message
            .contains("ends inside an array"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        assert!(error_of(&deep).message.contains("nesting deeper"));
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
        let too_deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert!(parse(&too_deep).is_err());
    }
}
