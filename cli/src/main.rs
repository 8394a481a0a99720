//! `closeout`: the Closeout Sandbox's engine on the command line, so an auditor can check on their own
//! machine what the browser produced. Every rule lives in `closeout-core`; this file only reads files,
//! writes files and maps results to exit codes.

use clap::{Parser, Subcommand};
use closeout_core::bundle::{bundle_json, bundle_zip};
use closeout_core::flow::Session;
use closeout_core::json::{self, pretty_string, Value};
use closeout_core::package::{export_session, TrialPackage};
use closeout_core::record::RecordKind;
use closeout_core::scenario::{Scenario, BUILT_IN};
use closeout_core::status_json;
use closeout_core::time::Timestamp;
use closeout_core::verification::{
    verify_file, verify_file_against, ExpectedHead, FileVerification,
};
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "closeout",
    version,
    about = "Run, decide and verify CAVRA release governance final closeouts"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run all ten steps headlessly and write evidence-chain.json, the artifact bundle and trial-package.json.
    Run {
        /// A built-in scenario (ready, accepted-risk, blocked) or a scenario JSON file.
        #[arg(long)]
        scenario: String,
        /// The sandbox clock (RFC 3339 or a date); defaults to the scenario's generated_at.
        #[arg(long)]
        now: Option<String>,
        /// Where to write the files (created if missing).
        #[arg(long)]
        out: PathBuf,
    },
    /// Print the release decision of a cavra.final_closeout_trial.v1 package (exit 0, whatever it
    /// decides); a step section it leaves out reads as not run and is named on stderr.
    Decide {
        file: PathBuf,
        /// When to evaluate; defaults to the package's generated_at.
        #[arg(long)]
        now: Option<String>,
    },
    /// Verify an evidence chain (.json) or an artifact bundle (.zip): exit 0 intact, 1 tampered (or not at
    /// the expected --head), 2 unreadable.
    ///
    /// A chain cut short, with entry_count and head_digest rewritten, still verifies: an intact chain that
    /// ends without a final decision gets a warning line, and --head pins the head it must have.
    Verify {
        file: PathBuf,
        /// The head digest the chain must have (64 lowercase hex), as the auditor's report prints it.
        #[arg(long, value_name = "HEX")]
        head: Option<String>,
    },
    /// Print the 64-hex canonical digest of a JSON document.
    Digest { file: PathBuf },
}

/// What went wrong, and the exit code it maps to.
enum CliError {
    /// Unreadable, malformed or unsafe input, or a file that cannot be written: exit 2.
    Input(String),
    /// A chain or bundle that was changed: exit 1.
    Tampered(String),
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Input(message) | CliError::Tampered(message) => f.write_str(message),
        }
    }
}

fn input(message: impl fmt::Display) -> CliError {
    CliError::Input(message.to_string())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run { scenario, now, out } => run(&scenario, now.as_deref(), &out),
        Command::Decide { file, now } => decide(&file, now.as_deref()),
        Command::Verify { file, head } => verify(&file, head.as_deref()),
        Command::Digest { file } => digest(&file),
    };
    match result {
        Ok(output) => {
            println!("{output}");
            ExitCode::SUCCESS
        }
        Err(CliError::Tampered(message)) => {
            println!("{message}");
            ExitCode::from(1)
        }
        Err(CliError::Input(message)) => {
            // One line, whatever the message holds.
            eprintln!("closeout: {}", message.replace('\n', " "));
            ExitCode::from(2)
        }
    }
}

fn read(path: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(|e| input(format!("{}: cannot read: {e}", path.display())))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    std::fs::write(path, bytes).map_err(|e| input(format!("{}: cannot write: {e}", path.display())))
}

fn parse_now(text: Option<&str>) -> Result<Option<Timestamp>, CliError> {
    text.map(|t| {
        Timestamp::parse(t).ok_or_else(|| {
            input(format!(
                "--now {t:?} is not a date or time (use 2026-06-08T12:00:00Z)"
            ))
        })
    })
    .transpose()
}

fn load_scenario(arg: &str) -> Result<Scenario, CliError> {
    if BUILT_IN.iter().any(|(name, _)| *name == arg) {
        return Scenario::built_in(arg).map_err(input);
    }
    let path = Path::new(arg);
    if !path.exists() {
        return Err(input(format!(
            "no built-in scenario or file {arg:?} (built in: ready, accepted-risk, blocked)"
        )));
    }
    Scenario::parse(&read(path)?).map_err(|e| input(format!("{}: {e}", path.display())))
}

fn run(scenario_arg: &str, now: Option<&str>, out: &Path) -> Result<String, CliError> {
    let scenario = load_scenario(scenario_arg)?;
    let now = parse_now(now)?.unwrap_or(scenario.generated_at);
    if now < scenario.generated_at {
        return Err(input(format!(
            "--now is before the scenario's generated_at ({})",
            scenario.generated_at
        )));
    }
    std::fs::create_dir_all(out)
        .map_err(|e| input(format!("{}: cannot create: {e}", out.display())))?;
    let mut session = Session::start(scenario);
    let results = session.run_remaining(now);
    let reference = session.release_record_ref().to_string();
    write(
        &out.join("evidence-chain.json"),
        pretty_string(&session.log().to_chain_value(&reference)).as_bytes(),
    )?;
    write(
        &out.join("trial-package.json"),
        pretty_string(&export_session(&session, now)).as_bytes(),
    )?;
    let artifact = session
        .log()
        .latest(RecordKind::ArtifactBundle, &reference)
        .map(|e| e.record.clone());
    let mut files = vec!["evidence-chain.json", "trial-package.json"];
    if let Some(record) = &artifact {
        write(
            &out.join("closeout-artifact-bundle.zip"),
            &bundle_zip(record).map_err(input)?,
        )?;
        write(
            &out.join("closeout-artifact-bundle.json"),
            pretty_string(&bundle_json(record)).as_bytes(),
        )?;
        files.extend([
            "closeout-artifact-bundle.zip",
            "closeout-artifact-bundle.json",
        ]);
    } else {
        eprintln!("closeout: no artifact bundle was made (step 5 is blocked), so closeout-artifact-bundle.zip is not written");
    }
    // Each step ran as its owner (step 4's decision as the security architect): the records say so.
    eprintln!("closeout: {}", results.who_ran_what());
    // A recorded decision that no longer holds at `now` is listed as stale (D-15).
    let steps = status_json::steps_value(&session.shown_statuses(now));
    let mut decision = session.decision(now).summary_value();
    decision.set("release_record_ref", Value::from(reference.as_str()));
    decision.set("steps", steps);
    decision.set(
        "files",
        json::strings(files.iter().map(|f| out.join(f).display().to_string())),
    );
    Ok(pretty_string(&decision).trim_end().to_string())
}

fn decide(path: &Path, now: Option<&str>) -> Result<String, CliError> {
    let package = TrialPackage::import(&read(path)?)
        .map_err(|e| input(format!("{}: {e}", path.display())))?;
    let now = parse_now(now)?;
    // Said beside the JSON, on stderr, so that stdout stays one JSON document (which names them
    // too, as `absent_sections`).
    if let Some(note) = package.absent_note() {
        eprintln!("closeout: {}: {note}", path.display());
    }
    Ok(pretty_string(&package.decision_value(now))
        .trim_end()
        .to_string())
}

fn verify(path: &Path, head: Option<&str>) -> Result<String, CliError> {
    let expected = head
        .map(|hex| ExpectedHead::parse(hex).map_err(|e| input(format!("--head: {e}"))))
        .transpose()?;
    let bytes = read(path)?;
    let name = path.display();
    let outcome = match &expected {
        Some(expected) => verify_file_against(&bytes, expected),
        None => verify_file(&bytes),
    };
    let warning = outcome.warning();
    match outcome {
        FileVerification::Intact(file) => Ok(match warning {
            Some(warning) => format!("intact: {file}\nwarning: {warning}"),
            None => format!("intact: {file}"),
        }),
        failed @ (FileVerification::Tampered(_) | FileVerification::HeadDiffers { .. }) => {
            Err(CliError::Tampered(format!("{name}: {}", failed.message())))
        }
        failed @ (FileVerification::Unreadable(_) | FileVerification::NoHeadToCompare) => {
            Err(input(format!("{name}: {}", failed.message())))
        }
    }
}

fn digest(path: &Path) -> Result<String, CliError> {
    let value = json::parse_bytes(&read(path)?)
        .map_err(|e| input(format!("{}: not valid JSON: {e}", path.display())))?;
    Ok(json::digest(&value))
}
