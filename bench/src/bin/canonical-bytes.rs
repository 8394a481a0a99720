//! Writes the canonical JSON of an N-record synthetic chain to a file, so `cargo xtask bench` can time
//! `sha256sum` on exactly the bytes `canonical_digest` hashes (the physical reference).
//!
//!     canonical-bytes <records> <out file>

use closeout_bench::Fixture;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [records, out] = args.as_slice() else {
        eprintln!("usage: canonical-bytes <records> <out file>");
        return ExitCode::from(2);
    };
    let Ok(records) = records.parse::<usize>() else {
        eprintln!("canonical-bytes: {records:?} is not a record count");
        return ExitCode::from(2);
    };
    let fixture = match Fixture::new(records) {
        Ok(fixture) => fixture,
        Err(error) => {
            eprintln!("canonical-bytes: {error}");
            return ExitCode::FAILURE;
        }
    };
    let bytes = fixture.canonical_bytes();
    if let Err(error) = std::fs::write(out, &bytes) {
        eprintln!("canonical-bytes: cannot write {out}: {error}");
        return ExitCode::FAILURE;
    }
    println!("{}", bytes.len());
    ExitCode::SUCCESS
}
