//! Reading typed fields out of JSON with errors that name the path: the one way every file and every
//! step input is validated.

use crate::json::Value;
use crate::time::Timestamp;
use std::fmt;

/// The longest text a field may hold, in characters.
pub const MAX_TEXT_CHARS: usize = 65_536;

/// A field that is missing, of the wrong type or out of range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// The JSON path, for example `$.inputs.retention_review.retention_until`.
    pub path: String,
    pub problem: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.problem)
    }
}

impl std::error::Error for InputError {}

/// An object being read, with its path.
#[derive(Clone, Copy)]
pub struct Fields<'a> {
    pub value: &'a Value,
    pub path: &'a str,
}

impl<'a> Fields<'a> {
    /// Reads `value` as an object; an error when it is anything else.
    pub fn new(value: &'a Value, path: &'a str) -> Result<Fields<'a>, InputError> {
        match value {
            Value::Object(_) => Ok(Fields { value, path }),
            other => Err(InputError {
                path: path.to_string(),
                problem: format!("must be an object, found {}", other.type_name()),
            }),
        }
    }

    pub fn path_of(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }

    pub fn error(&self, key: &str, problem: impl Into<String>) -> InputError {
        InputError {
            path: self.path_of(key),
            problem: problem.into(),
        }
    }

    fn wrong(&self, key: &str, expected: &str, found: &Value) -> InputError {
        self.error(
            key,
            format!("must be {expected}, found {}", found.type_name()),
        )
    }

    /// The raw value; `None` when absent or null.
    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        self.value.get(key).filter(|v| !v.is_null())
    }

    /// A required value of any type (null is allowed and returned).
    pub fn present(&self, key: &str) -> Result<&'a Value, InputError> {
        self.value
            .get(key)
            .ok_or_else(|| self.error(key, "is missing"))
    }

    pub fn opt_str(&self, key: &str) -> Result<Option<&'a str>, InputError> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::String(s)) if s.chars().nth(MAX_TEXT_CHARS).is_some() => Err(self.error(
                key,
                format!("is longer than the {MAX_TEXT_CHARS} characters a field may hold"),
            )),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.wrong(key, "a string", other)),
        }
    }

    pub fn str(&self, key: &str) -> Result<&'a str, InputError> {
        self.opt_str(key)?
            .ok_or_else(|| self.error(key, "is missing (a string is required)"))
    }

    /// A required string that is not empty once trimmed.
    pub fn text(&self, key: &str) -> Result<&'a str, InputError> {
        let text = self.str(key)?;
        if text.trim().is_empty() {
            Err(self.error(key, "must not be empty"))
        } else {
            Ok(text)
        }
    }

    pub fn opt_bool(&self, key: &str) -> Result<Option<bool>, InputError> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(self.wrong(key, "true or false", other)),
        }
    }

    pub fn bool(&self, key: &str) -> Result<bool, InputError> {
        self.opt_bool(key)?
            .ok_or_else(|| self.error(key, "is missing (true or false is required)"))
    }

    /// An optional integer within `min..=max`.
    pub fn opt_int(&self, key: &str, min: i64, max: i64) -> Result<Option<i64>, InputError> {
        match self.raw(key) {
            None => Ok(None),
            Some(value @ Value::Number(_)) => match value.as_i64() {
                Some(n) if (min..=max).contains(&n) => Ok(Some(n)),
                _ => Err(self.error(key, format!("must be a whole number from {min} to {max}"))),
            },
            Some(other) => Err(self.wrong(key, "a whole number", other)),
        }
    }

    pub fn int(&self, key: &str, min: i64, max: i64) -> Result<i64, InputError> {
        self.opt_int(key, min, max)?
            .ok_or_else(|| self.error(key, "is missing (a whole number is required)"))
    }

    pub fn opt_array(&self, key: &str) -> Result<Option<&'a [Value]>, InputError> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Array(items)) => Ok(Some(items)),
            Some(other) => Err(self.wrong(key, "an array", other)),
        }
    }

    pub fn array(&self, key: &str) -> Result<&'a [Value], InputError> {
        self.opt_array(key)?
            .ok_or_else(|| self.error(key, "is missing (an array is required)"))
    }

    /// An array of strings.
    pub fn strings(&self, key: &str) -> Result<Vec<&'a str>, InputError> {
        self.array(key)?
            .iter()
            .enumerate()
            .map(|(index, item)| {
                item.as_str().ok_or_else(|| InputError {
                    path: format!("{}[{index}]", self.path_of(key)),
                    problem: format!("must be a string, found {}", item.type_name()),
                })
            })
            .collect()
    }

    /// A timestamp in one of the accepted forms (`docs/domain.md#23-timestamps`).
    pub fn opt_time(&self, key: &str) -> Result<Option<Timestamp>, InputError> {
        match self.opt_str(key)? {
            None => Ok(None),
            Some(text) => Timestamp::parse(text).map(Some).ok_or_else(|| {
                self.error(
                    key,
                    format!(
                        "{text:?} is not a date or time (use 2027-05-31 or 2027-05-31T08:30:00Z)"
                    ),
                )
            }),
        }
    }

    pub fn time(&self, key: &str) -> Result<Timestamp, InputError> {
        self.opt_time(key)?
            .ok_or_else(|| self.error(key, "is missing (a date or time is required)"))
    }

    /// One of a fixed set of strings.
    pub fn choice(&self, key: &str, allowed: &[&str]) -> Result<&'a str, InputError> {
        let text = self.str(key)?;
        if allowed.contains(&text) {
            Ok(text)
        } else {
            Err(self.error(
                key,
                format!("{text:?} is not one of {}", allowed.join(", ")),
            ))
        }
    }
}
