//! Chains for the verification tests: a finished session's, and one cut short the way a careful editor
//! would cut it.

use crate::evidence::GENESIS;
use crate::flow::Session;
use crate::json::{pretty_string, Value};
use crate::record::RecordKind;
use crate::scenario::Scenario;

/// A session of the `ready` scenario with all ten steps run.
pub fn ran() -> Session {
    let scenario = Scenario::built_in("ready").unwrap();
    let now = scenario.generated_at;
    let mut session = Session::start(scenario);
    session.run_remaining(now);
    session
}

/// The session's chain file.
pub fn chain_value(session: &Session) -> Value {
    session.log().to_chain_value(session.release_record_ref())
}

/// The session's chain file, as downloaded.
pub fn chain_bytes(session: &Session) -> Vec<u8> {
    pretty_string(&chain_value(session)).into_bytes()
}

/// The chain cut after its first `keep` entries, with `entry_count` and `head_digest` mended so that it
/// verifies.
pub fn cut(chain: &Value, keep: usize) -> Value {
    let entries = chain.get("entries").and_then(Value::as_array).unwrap();
    let kept = entries[..keep].to_vec();
    let head = kept
        .last()
        .map_or(GENESIS, |e| e.str_at("entry_digest"))
        .to_string();
    let mut cut = chain.clone();
    cut.set("entry_count", Value::from(keep));
    cut.set("head_digest", Value::from(head));
    cut.set("entries", Value::Array(kept));
    cut
}

/// The session's latest artifact bundle as the `.zip` a user downloads.
pub fn bundle_zip_of(session: &Session) -> Vec<u8> {
    let record = &session
        .log()
        .latest(RecordKind::ArtifactBundle, session.release_record_ref())
        .unwrap()
        .record;
    crate::bundle::bundle_zip(record).unwrap()
}
