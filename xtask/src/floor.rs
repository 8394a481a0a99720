//! `cargo xtask size --floor`: the least the first load can weigh, whatever the app's own UI does.
//!
//! Builds `bench/floor` (crate `closeout-floor`) for the web three times, with the release profile the
//! app ships with: Leptos alone, the step engine alone, and both. Each build goes through wasm-bindgen
//! as the app's does; the Wasm and its JS glue are gzipped at level 9 and summed. Adding the app's page,
//! stylesheet and icon (from `dist/`) gives the smallest first load a usable first screen can have.

use crate::shell;
use crate::size::{self, FileSize, FIRST_LOAD_BUDGET};
use std::path::{Path, PathBuf};

/// One variant of the probe: its cargo features and what it stands for.
const VARIANTS: [(&str, &str); 3] = [
    ("leptos", "Leptos alone (a page with one button)"),
    (
        "engine",
        "the step engine alone (start, ten steps, decision, save and load)",
    ),
    (
        "leptos,engine",
        "Leptos and the step engine (no UI of the app's own)",
    ),
];

/// What one variant weighs after wasm-bindgen, gzip -9.
pub struct Floor {
    pub what: &'static str,
    pub wasm: u64,
    pub glue: u64,
}

/// Builds and measures every variant.
pub fn measure() -> Result<Vec<Floor>, String> {
    let mut floors = Vec::new();
    for (features, what) in VARIANTS {
        let out = build(features)?;
        let sizes = size::measure(&out)?;
        let gzip_of = |suffix: &str| -> u64 {
            sizes
                .iter()
                .filter(|f| f.name.ends_with(suffix))
                .map(|f| f.gzip)
                .sum()
        };
        floors.push(Floor {
            what,
            wasm: gzip_of("_bg.wasm"),
            glue: gzip_of(".js"),
        });
    }
    Ok(floors)
}

/// `cargo build` of the probe with `features`, then wasm-bindgen into its own directory.
fn build(features: &str) -> Result<PathBuf, String> {
    shell::step(&format!(
        "the first-load floor: closeout-floor with `{features}` (release, wasm32, wasm-bindgen)"
    ));
    // The app's wasm32 flags without `--emit-relocs`: the app's split drops the relocations it needs,
    // and wasm-bindgen alone would keep them in the probe's Wasm. Its own target directory, so the
    // app's build keeps its cache.
    let target_dir = shell::target_dir().join("floor-build");
    shell::run_inherited(
        shell::cargo_wasm_release("closeout-floor")
            .env("RUSTFLAGS", "--cfg erase_components")
            .env("CARGO_TARGET_DIR", &target_dir)
            .args(["--no-default-features", "--features", features]),
        "cargo build (closeout-floor)",
    )?;
    let wasm = target_dir.join("wasm32-unknown-unknown/release/closeout_floor.wasm");
    let out = shell::target_dir()
        .join("floor")
        .join(features.replace(',', "-"));
    // A fresh directory: a file left by an earlier build would be counted.
    if out.exists() {
        std::fs::remove_dir_all(&out)
            .map_err(|e| format!("cannot clear {}: {e}", out.display()))?;
    }
    shell::wasm_bindgen_web(&wasm, &out, "wasm-bindgen (closeout-floor)")?;
    Ok(out)
}

/// The files of the app's first load that are not Wasm or its glue: the page, the stylesheet, the icon.
pub fn page_files(files: &[FileSize]) -> u64 {
    files
        .iter()
        .filter(|f| !f.on_demand() && !f.name.ends_with(".wasm") && !f.name.ends_with(".js"))
        .map(|f| f.gzip)
        .sum()
}

/// A markdown table of the floors, each with the app's page files added, against the budget and the
/// app's first load now.
pub fn table(floors: &[Floor], files: &[FileSize]) -> String {
    let page = page_files(files);
    let mut out = format!(
        "| what the first load holds | Wasm | JS glue | + page, CSS, icon ({} B) | budget {} |\n|---|---:|---:|---:|---|\n",
        size::group(page),
        size::group(FIRST_LOAD_BUDGET)
    );
    for floor in floors {
        let total = floor.wasm + floor.glue + page;
        out.push_str(&format!(
            "| {} | {} | {} | **{}** | {} |\n",
            floor.what,
            size::group(floor.wasm),
            size::group(floor.glue),
            size::group(total),
            verdict(total)
        ));
    }
    let app = size::first_load(files);
    out.push_str(&format!(
        "| the sandbox's first load now (Leptos, the engine, the first screen's UI) | | | **{}** | {} |\n",
        size::group(app),
        verdict(app)
    ));
    out
}

fn verdict(total: u64) -> String {
    if total <= FIRST_LOAD_BUDGET {
        format!("{} B to spare", size::group(FIRST_LOAD_BUDGET - total))
    } else {
        format!("**{} B over**", size::group(total - FIRST_LOAD_BUDGET))
    }
}

/// `cargo xtask size --floor`: builds the probe, prints the table. Needs the app's release build in
/// `dist` for the page files.
pub fn run(dist: &Path) -> Result<(), String> {
    let files = size::measure(dist)?;
    let floors = measure()?;
    println!("\n{}", table(&floors, &files));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, gzip: u64) -> FileSize {
        FileSize {
            name: name.into(),
            raw: gzip * 3,
            gzip,
        }
    }

    #[test]
    fn the_table_adds_the_page_files_and_says_what_is_over() {
        let files = [
            file("app_bg.wasm", 200_000),
            file("app.js", 8_000),
            file("index.html", 1_000),
            file("main.css", 4_000),
            file("lazy-split_files-1.wasm", 90_000),
        ];
        assert_eq!(page_files(&files), 5_000);
        let floors = [
            Floor {
                what: "small",
                wasm: 40_000,
                glue: 5_000,
            },
            Floor {
                what: "large",
                wasm: 145_000,
                glue: 5_000,
            },
        ];
        let table = table(&floors, &files);
        assert!(table.contains("| small | 40,000 | 5,000 | **50,000** | 100,000 B to spare |"));
        assert!(table.contains("| large | 145,000 | 5,000 | **155,000** | **5,000 B over** |"));
        assert!(
            table.contains("| **213,000** | **63,000 B over** |"),
            "{table}"
        );
    }
}
