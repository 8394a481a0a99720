//! Project automation, run as `cargo xtask <command>` (see `.cargo/config.toml`).
//!
//! - `serve`: install what the web build needs, build the sandbox and serve it on http://127.0.0.1:8080.
//! - `test`: install what the tests need, then run every check CI runs, stopping at the first failure.
//! - `bench`: the benchmarks (native and browser), printed as one table and written into BENCHMARKS.md.
//! - `size`: the first-load size against its budget.
//!
//! Everything a fresh machine lacks is installed here, so README's Quick start is the whole setup.

mod bench;
mod checks;
mod csp;
mod floor;
mod setup;
mod shell;
mod size;
mod split;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  serve [--port N]   install what is missing, build the sandbox and serve it on http://127.0.0.1:8080
  test               install what is missing, then run every check CI runs (fmt, clippy, native and
                     browser tests, release build, Playwright); ends with `N passed, N failed`
  build              install what is missing and make the release build in dist/
  size [--ceiling | --floor]
                     the release build's first-load size (gzip -9, exact) against the 150 KB budget
                     (--ceiling: against the interim ceiling CI holds the build to; --floor: what
                     Leptos and the step engine weigh on their own, built from bench/floor)
  bench [--quick]    native (criterion) and browser benchmarks, budgets and sizes in one table;
                     writes the numbers into BENCHMARKS.md (--quick: 10 and 1,000 records only)
  post-build         (Trunk's post-build hook) split a release build's Wasm into the first load and
                     the parts loaded on demand, then add the Content-Security-Policy";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(&args[1..]),
        Some("test") => checks::run_all(),
        Some("post-build") => post_build(),
        Some("size") => size::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("build") => setup::web_tools().and_then(|()| checks::release_build().map(|_| ())),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
        None => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Trunk's post-build hook: a release build is split (the parts a visitor reaches later load on demand)
/// and gets its Content-Security-Policy; a debug build (`trunk serve`) is left as Trunk made it.
fn post_build() -> Result<(), String> {
    if std::env::var("TRUNK_PROFILE").as_deref() != Ok("release") {
        return Ok(());
    }
    let staging = std::env::var_os("TRUNK_STAGING_DIR")
        .map(std::path::PathBuf::from)
        .ok_or("post-build: TRUNK_STAGING_DIR is not set; this runs as a Trunk hook")?;
    split::run(&staging)?;
    csp::run(&staging)
}

fn serve(args: &[String]) -> Result<(), String> {
    let port = match args {
        [] => "8080".to_string(),
        [flag, port] if flag == "--port" && port.parse::<u16>().is_ok() => port.clone(),
        _ => return Err("usage: cargo xtask serve [--port N]".to_string()),
    };
    setup::web_tools()?;
    shell::step(
        "building and serving the sandbox (first build compiles the app, later ones are quick)",
    );
    println!("\n    Closeout Sandbox will be at  http://127.0.0.1:{port}/  (Ctrl-C stops it)\n");
    let mut trunk = shell::command("trunk");
    trunk.args([
        "serve",
        "--offline",
        "--skip-version-check",
        "--address",
        "127.0.0.1",
        "--port",
        &port,
    ]);
    shell::run_inherited(&mut trunk, "trunk serve")
}
