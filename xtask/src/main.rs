//! Project automation, run as `cargo xtask <command>` (see `.cargo/config.toml`).
//!
//! - `serve`: install what the web build needs, build the sandbox and serve it on http://127.0.0.1:8080.
//! - `test`: install what the tests need, then run every check CI runs, stopping at the first failure
//!   (`--quick`: format, clippy and the native tests only, for the loop between edits).
//! - `bench`: the benchmarks (native and browser), printed as one table and written into BENCHMARKS.md.
//! - `size`: the first-load size against its budget.
//!
//! Everything a fresh machine lacks is installed here, so README's Quick start is the whole setup.

mod bench;
mod checks;
mod compress;
mod csp;
// The app's list of parts loaded on demand, compiled here as well: the split is checked against it.
#[path = "../../app/src/lazy/parts.rs"]
#[allow(dead_code)] // xtask reads the list; the app's compile-time check is for the app
mod deferred_parts;
mod dist;
mod floor;
mod headers;
mod offline;
mod page;
mod setup;
mod shell;
mod site;
mod size;
mod split;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  serve [--port N]   install what is missing, build the sandbox and serve it on http://127.0.0.1:8080
  test [--quick]     install what is missing, then run every check CI runs (fmt, clippy, native and
                     browser tests, release build, Playwright); ends with `N passed, N failed`
                     (--quick: fmt, clippy native and wasm32, native tests; no browser, no release
                     build: the loop between edits)
  build [--base-path /path/] [--frame-ancestors SOURCES] [--site-url URL] [--dist DIR]
                     install what is missing and make the release build in dist/ (split), to be
                     served under the base path (default /); with its service worker, manifest,
                     _headers (the CSP's frame-ancestors: SOURCES, default 'self') and .br/.gz
                     copies; --site-url (ending in the base path) makes link previews absolute
  size [--budget | --floor]
                     the release build's first-load size (gzip -9, exact) against the ceiling CI
                     holds the build to (--budget: against the 150 KB budget; --floor: what
                     Leptos and the step engine weigh on their own, built from bench/floor)
  bench [--quick]    native (criterion) and browser benchmarks, budgets and sizes in one table;
                     writes the numbers into BENCHMARKS.md (--quick: 10 and 1,000 records only)
  post-build         (Trunk's post-build hook) split a Wasm built with the app's `split` feature into
                     the first load and the parts loaded on demand; a release build then gets what
                     publishing needs: manifest link and service worker, Content-Security-Policy,
                     _headers, precompressed copies";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(&args[1..]),
        Some("test") => match &args[1..] {
            [] => checks::run_all(),
            [flag] if flag == "--quick" => checks::run_quick(),
            _ => Err("usage: cargo xtask test [--quick]".to_string()),
        },
        Some("post-build") => post_build(),
        Some("size") => size::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("build") => site::BuildRequest::parse(&args[1..]).and_then(|request| {
            setup::web_tools()?;
            site::release_build(&request).map(|_| ())
        }),
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

/// Trunk's post-build hook: a Wasm built with the app's `split` feature is split (the parts a visitor
/// reaches later load on demand; split.rs reads that from the Wasm, not from the profile), and a
/// release build gets what publishing it needs, in this order, since each step reads what the one
/// before wrote: the manifest link and the service worker's registration in the page (page.rs), the
/// Content-Security-Policy with the hashes of the page's inline scripts (csp.rs), the service worker
/// with the integrity of every file (offline.rs), `_headers` (headers.rs) and the precompressed
/// copies (compress.rs). A debug build (`cargo xtask serve`) gets none of it: `trunk serve`'s reload
/// script is inline, and development should never meet a cached build.
fn post_build() -> Result<(), String> {
    let hook_env = |name: &str| {
        std::env::var(name)
            .map_err(|_| format!("post-build: {name} is not set; this runs as Trunk's hook"))
    };
    let build = split::TrunkBuild {
        staging: hook_env("TRUNK_STAGING_DIR")?.into(),
        profile: hook_env("TRUNK_PROFILE")?,
        public_url: hook_env("TRUNK_PUBLIC_URL")?,
    };
    split::run(&build)?;
    if build.profile == "release" {
        let site = site::Site::from_hook(&build.public_url)?;
        page::run(&build.staging, &site)?;
        let policy = csp::run(&build.staging)?;
        offline::run(&build.staging)?;
        headers::run(&build.staging, &site, &policy)?;
        compress::run(&build.staging)?;
    }
    Ok(())
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
