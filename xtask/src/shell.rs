//! Running commands: with output shown as it comes, and with test counts read from it.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// Cargo's target directory: `CARGO_TARGET_DIR` when set, else `target/` in the workspace root.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// A command that runs in the workspace root.
pub fn command(program: &str) -> Command {
    let mut command = Command::new(program);
    command.current_dir(root());
    command
}

/// Prints a progress heading.
pub fn step(what: &str) {
    println!("\n==> {what}");
}

/// Runs a command with the terminal's own output; an error names the command and its exit status.
pub fn run_inherited(command: &mut Command, what: &str) -> Result<(), String> {
    let status = command.status().map_err(|error| {
        format!(
            "{what}: could not start {:?}: {error}",
            command.get_program()
        )
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// `cargo build --quiet --release --target wasm32-unknown-unknown -p <package> --lib`, to which a caller
/// adds features or environment; the Wasm lands in `<target dir>/wasm32-unknown-unknown/release/`.
pub fn cargo_wasm_release(package: &str) -> Command {
    let mut command = command("cargo");
    command.args([
        "build",
        "--quiet",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        package,
        "--lib",
    ]);
    command
}

/// `wasm-bindgen --target web --no-typescript --out-dir <out> <wasm>`: the Wasm and its JS glue, for a
/// page that loads them as an ES module.
pub fn wasm_bindgen_web(
    wasm: &std::path::Path,
    out: &std::path::Path,
    what: &str,
) -> Result<(), String> {
    run_inherited(
        command("wasm-bindgen")
            .args(["--target", "web", "--no-typescript", "--out-dir"])
            .arg(out)
            .arg(wasm),
        what,
    )
}

/// Runs a command and returns its trimmed standard output, or `None` when it cannot run or fails.
pub fn output_of(program: &str, args: &[&str]) -> Option<String> {
    stdout_of(Command::new(program).args(args))
}

/// Like [`output_of`], run in `dir`.
pub fn output_of_in(dir: &std::path::Path, program: &str, args: &[&str]) -> Option<String> {
    stdout_of(Command::new(program).current_dir(dir).args(args))
}

fn stdout_of(command: &mut Command) -> Option<String> {
    let output = command.output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// How many tests a runner said passed and failed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
}

impl Counts {
    /// Adds what one closing line of a test runner says: cargo's `test result: ... N passed; M failed`
    /// and node's `# pass N` / `# fail N`.
    pub fn read_line(&mut self, line: &str) {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("test result:") {
            self.passed += number_before(rest, " passed");
            self.failed += number_before(rest, " failed");
        } else if let Some(n) = line
            .strip_prefix("# pass ")
            .or_else(|| line.strip_prefix("ℹ pass "))
        {
            self.passed += n.trim().parse::<u64>().unwrap_or(0);
        } else if let Some(n) = line
            .strip_prefix("# fail ")
            .or_else(|| line.strip_prefix("ℹ fail "))
        {
            self.failed += n.trim().parse::<u64>().unwrap_or(0);
        }
    }
}

fn number_before(text: &str, label: &str) -> u64 {
    text.find(label)
        .and_then(|end| text[..end].rsplit(|c: char| !c.is_ascii_digit()).next())
        .and_then(|digits| digits.parse().ok())
        .unwrap_or(0)
}

/// Runs a command, echoing its output as it comes, and counts the tests its runner reports.
pub fn run_counted(command: &mut Command, what: &str) -> Result<(Counts, bool), String> {
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().map_err(|error| {
        format!(
            "{what}: could not start {:?}: {error}",
            command.get_program()
        )
    })?;
    let (sender, lines) = mpsc::channel::<String>();
    let mut readers = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        readers.push(forward(stdout, sender.clone(), false));
    }
    if let Some(stderr) = child.stderr.take() {
        readers.push(forward(stderr, sender.clone(), true));
    }
    drop(sender);
    let mut counts = Counts::default();
    for line in lines {
        counts.read_line(&line);
    }
    for reader in readers {
        let _ = reader.join();
    }
    let status = child.wait().map_err(|error| format!("{what}: {error}"))?;
    Ok((counts, status.success()))
}

fn forward<R: Read + Send + 'static>(
    stream: R,
    sender: mpsc::Sender<String>,
    to_stderr: bool,
) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if to_stderr {
                eprintln!("{line}");
            } else {
                println!("{line}");
            }
            if sender.send(line).is_err() {
                break;
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cargo_and_node_closing_lines() {
        let mut counts = Counts::default();
        counts.read_line(
            "test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out",
        );
        counts.read_line("test result: FAILED. 3 passed; 2 failed; 0 ignored");
        counts.read_line("# pass 4");
        counts.read_line("# fail 1");
        counts.read_line("ℹ pass 2");
        counts.read_line("running 12 tests");
        assert_eq!(
            counts,
            Counts {
                passed: 21,
                failed: 3
            }
        );
    }
}
