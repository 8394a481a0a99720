//! The first-load size budget: every file of the release build the page fetches on first load (the
//! page, Trunk's loader, the main Wasm and the loader of the deferred parts, the stylesheet, the icon,
//! the web app manifest and the service worker), gzip-compressed at level 9, summed. The deferred parts
//! (`lazy-*.wasm`, fetched only when a visitor reaches or opens them, see app/src/lazy.rs) are listed
//! apart and not counted, and so are the files the page never fetches (dist.rs): the install icons,
//! the link preview's image, `_headers` and the precompressed copies.
//! Sizes are exact bytes, so the check is deterministic; times are never checked.

use crate::dist::Role;
use crate::shell;
use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::Write;
use std::path::Path;

/// The budget from issue 6: at most 150 KB gzip transferred on first load.
pub const FIRST_LOAD_BUDGET: u64 = 150 * 1000;
/// What CI holds the build to until the budget is met: the first-load size as last measured (see
/// BENCHMARKS.md), so the build can only shrink. Lower it whenever the build gets smaller; once the build
/// fits the budget this becomes `FIRST_LOAD_BUDGET`.
// Raised from 245,800 B on purpose (issue 13 and part of issue 14): the step table, the state
// vocabularies and the section table (+81 B), and the clock's limit with its plain-words errors
// (`TimeError`, `ClockError`) and the chain-ending checks (+1,820 B): 247,701 B measured.
// Raised again by 2,289 B on purpose (issue 17, a public sandbox), the files a published build adds to
// the first load: the service worker (`sw.js`, 1,291 B: its code and the build's file list), the web
// app manifest (303 B), and in the page the link-preview tags, the manifest link and the worker's
// registration with the new-version notice (+695 B): 249,990 B measured.
// Raised again on purpose (issues 19 and 14), to 265,681 B measured: what each connector receives
// (issue 19: CAVRA's delivery events and every provider's body, built when a step runs, so in the first
// load; +4,451 B as measured on its branch), and records that say truly who acted (issue 14: chain
// format 2 with `actor_role`, role identities, the two-role steps 4 and 9, accepted-risk, approval and
// attestation records, stale step 10, the role duties, act labels and both roles of steps 4 and 9 in the step list, and the migration of version 1
// sessions, which must run at start; about +9,900 B after `Role::noun` kept Unicode's case tables out,
// which `to_lowercase` had brought back for 10.8 KB). Issue 18 owns bringing it down.
pub const FIRST_LOAD_CEILING: u64 = 265_780;

/// One file of the build: its name, raw and gzip-9 sizes.
pub struct FileSize {
    pub name: String,
    pub raw: u64,
    pub gzip: u64,
}

/// How the size table groups the files, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    /// Fetched on first load: counted.
    FirstLoad,
    /// A deferred part, fetched when reached or opened.
    OnDemand,
    /// Never fetched by the page (dist.rs): install icons, the link preview, host files, copies.
    NotFetched,
}

impl FileSize {
    /// Which group of the table this file is in.
    pub fn group(&self) -> Group {
        match Role::of(&self.name) {
            Role::FirstLoad => Group::FirstLoad,
            Role::OnDemand => Group::OnDemand,
            Role::Install | Role::Preview | Role::HostConfig | Role::Precompressed => {
                Group::NotFetched
            }
        }
    }

    /// Whether the page fetches this file only on demand (a deferred part), not on first load.
    pub fn on_demand(&self) -> bool {
        self.group() == Group::OnDemand
    }
}

/// The gzip total of the files fetched on first load.
pub fn first_load(files: &[FileSize]) -> u64 {
    files
        .iter()
        .filter(|f| f.group() == Group::FirstLoad)
        .map(|f| f.gzip)
        .sum()
}

/// The files of `dist` with their sizes, largest first.
pub fn measure(dist: &Path) -> Result<Vec<FileSize>, String> {
    let entries = std::fs::read_dir(dist).map_err(|e| {
        format!(
            "cannot read the release build in {}: {e} (run `cargo xtask build`)",
            dist.display()
        )
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot list {}: {e}", dist.display()))?;
        let path = entry.path();
        if !path.is_file() {
            continue;
        }
        let bytes =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        files.push(FileSize {
            name: entry.file_name().to_string_lossy().into_owned(),
            raw: bytes.len() as u64,
            gzip: gzip_len(&bytes)?,
        });
    }
    if files.is_empty() {
        return Err(format!("{} holds no files", dist.display()));
    }
    files.sort_by_key(|f| (f.group(), std::cmp::Reverse(f.gzip)));
    Ok(files)
}

fn gzip_len(bytes: &[u8]) -> Result<u64, String> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .map(|out| out.len() as u64)
        .map_err(|e| format!("gzip failed: {e}"))
}

/// Prints the files and the total against `limit` (the budget, or CI's ceiling); an error when the
/// total is over it.
pub fn check(dist: &Path, limit: u64, what: &str) -> Result<(), String> {
    let files = measure(dist)?;
    print!("{}", table(&files));
    let total = first_load(&files);
    if total > limit {
        return Err(format!(
            "first load is {} B gzip, over the {what} of {} B by {} B",
            group(total),
            group(limit),
            group(total - limit)
        ));
    }
    println!(
        "first load {} B gzip, within the {what} of {} B ({} B to spare)",
        group(total),
        group(limit),
        group(limit - total)
    );
    if total > FIRST_LOAD_BUDGET {
        println!(
            "(still {} B over the issue-6 budget of {} B)",
            group(total - FIRST_LOAD_BUDGET),
            group(FIRST_LOAD_BUDGET)
        );
    }
    Ok(())
}

/// A markdown table of the files: the first load and its total, then the parts loaded on demand, then
/// the files the page never fetches.
pub fn table(files: &[FileSize]) -> String {
    let mut out = String::from("| file | bytes | gzip -9 |\n|---|---:|---:|\n");
    for group in [Group::FirstLoad, Group::OnDemand, Group::NotFetched] {
        let part: Vec<&FileSize> = files.iter().filter(|f| f.group() == group).collect();
        if part.is_empty() {
            continue;
        }
        for file in &part {
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                file.name,
                self::group(file.raw),
                self::group(file.gzip)
            ));
        }
        let raw: u64 = part.iter().map(|f| f.raw).sum();
        let gzip: u64 = part.iter().map(|f| f.gzip).sum();
        let label = match group {
            Group::FirstLoad => format!("**first load** (budget {})", self::group(FIRST_LOAD_BUDGET)),
            Group::OnDemand => "loaded on demand (not in the first load)".to_string(),
            Group::NotFetched => "never fetched by the page (install icons, link preview, host files, .br/.gz copies)".to_string(),
        };
        out.push_str(&format!(
            "| {label} | {} | **{}** |\n",
            self::group(raw),
            self::group(gzip)
        ));
    }
    out
}

/// 1234567 -> "1,234,567".
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `cargo xtask size`: the release build's first-load size against CI's ceiling, the check `cargo
/// xtask test` makes (`--budget`: against the issue-6 budget, which the build does not meet yet;
/// `--floor`: the least it could be, floor.rs).
pub fn run(args: &[String]) -> Result<(), String> {
    let dist = shell::root().join("dist");
    match args {
        [] => check(&dist, FIRST_LOAD_CEILING, "CI ceiling"),
        [flag] if flag == "--budget" => check(&dist, FIRST_LOAD_BUDGET, "budget"),
        [flag] if flag == "--floor" => crate::floor::run(&dist),
        _ => Err("usage: cargo xtask size [--budget | --floor]".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1,000");
        assert_eq!(group(1234567), "1,234,567");
    }

    #[test]
    fn a_build_over_the_budget_fails_and_one_under_passes() {
        let dir = std::env::temp_dir().join(format!("closeout-size-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        // Incompressible bytes: gzip cannot shrink them below the budget.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let noise: Vec<u8> = (0..FIRST_LOAD_BUDGET + 10_000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        std::fs::write(dir.join("big.wasm"), &noise).expect("write");
        let over = check(&dir, FIRST_LOAD_BUDGET, "budget");
        std::fs::write(dir.join("big.wasm"), b"small").expect("write");
        let under = check(&dir, FIRST_LOAD_BUDGET, "budget");
        // A deferred part, however big, is not part of the first load, nor is what the page never
        // fetches; the service worker is.
        std::fs::write(
            dir.join(format!("{}part-0.wasm", crate::split::LAZY_PREFIX)),
            &noise,
        )
        .expect("write");
        for never in [
            "preview.png",
            "icon-512.png",
            "big.wasm.br",
            "big.wasm.gz",
            "_headers",
        ] {
            std::fs::write(dir.join(never), &noise).expect("write");
        }
        let deferred = check(&dir, FIRST_LOAD_BUDGET, "budget");
        std::fs::write(dir.join("sw.js"), &noise).expect("write");
        let worker = check(&dir, FIRST_LOAD_BUDGET, "budget");
        let _ = std::fs::remove_dir_all(&dir);
        assert!(over.is_err_and(|e| e.contains("over the budget")));
        assert_eq!(under, Ok(()));
        assert_eq!(deferred, Ok(()));
        assert!(
            worker.is_err(),
            "the service worker is part of the first load"
        );
    }
}
