//! `cargo xtask bench`: the native benchmarks (criterion), the same cases in the browser (Wasm), the
//! app's load and interaction timings, the first-load size and the `sha256sum` reference, printed as one
//! report and written into BENCHMARKS.md between its markers.
//!
//! Times are reported, never asserted. `--quick` runs 10 and 1,000 records only (a few minutes).

use crate::{floor, setup, shell, site, size};
use closeout_core::json::{self, Value};
use std::path::{Path, PathBuf};
use std::time::Instant;

const SIZES: [usize; 3] = [10, 1_000, 100_000];
const BEGIN: &str = "<!-- bench:begin -->";
const END: &str = "<!-- bench:end -->";

/// One case as the native and browser halves measured it.
struct Row {
    case: String,
    records: usize,
    native_ns: Option<f64>,
    wasm_ns: Option<f64>,
    /// Bytes (or records, for cases that report no bytes) one run processed.
    work: Option<f64>,
    bytes: bool,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let quick = match args {
        [] => false,
        [flag] if flag == "--quick" => true,
        _ => return Err("usage: cargo xtask bench [--quick]".into()),
    };
    let sizes: Vec<usize> = if quick {
        SIZES[..2].to_vec()
    } else {
        SIZES.to_vec()
    };
    let size_list = sizes
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(",");
    setup::test_tools()?;
    let root = shell::root();
    let out_dir = shell::target_dir().join("bench");
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;

    site::release_build(&site::BuildRequest::default())?;
    let bench_web = wasm_bench_build()?;
    let floors = floor::measure()?;

    shell::step("native benchmarks (criterion)");
    let mut criterion = shell::command("cargo");
    criterion
        .args([
            "bench",
            "--quiet",
            "-p",
            "closeout-bench",
            "--bench",
            "native",
        ])
        .env("CLOSEOUT_BENCH_SIZES", &size_list);
    shell::run_inherited(&mut criterion, "cargo bench")?;

    shell::step("browser benchmarks (headless Chromium): the app, then the core cases in Wasm");
    let browser_json = out_dir.join("browser.json");
    let mut node = shell::command("node");
    node.current_dir(root.join("tests"))
        .arg("bench/run.mjs")
        .arg(root.join("dist"))
        .arg(&bench_web)
        .arg(&browser_json)
        .env("CLOSEOUT_BENCH_SIZES", &size_list)
        .env("CHROMIUM", setup::CHROMIUM);
    shell::run_inherited(&mut node, "browser benchmarks")?;
    let browser = read_json(&browser_json)?;

    shell::step("sha256sum on the canonical bytes (the physical reference)");
    let reference = sha256sum_reference(&root, &out_dir, &sizes)?;

    let rows = rows(&browser, &sizes);
    let files = size::measure(&root.join("dist"))?;
    let report = report(&rows, &reference, &browser, &files, &floors);
    println!("\n{report}");
    let report_path = out_dir.join("report.md");
    std::fs::write(&report_path, &report)
        .map_err(|e| format!("cannot write {}: {e}", report_path.display()))?;
    if quick {
        println!(
            "(--quick: BENCHMARKS.md left as it is; the report is in {})",
            report_path.display()
        );
        Ok(())
    } else {
        update_benchmarks_md(&root.join("BENCHMARKS.md"), &report)
    }
}

/// The bench crate as Wasm with its JS glue, plus a blank page to load it from.
fn wasm_bench_build() -> Result<PathBuf, String> {
    shell::step("the benchmark cases as Wasm (cargo build --release, wasm-bindgen --target web)");
    shell::run_inherited(
        &mut shell::cargo_wasm_release("closeout-bench"),
        "cargo build (bench, wasm32)",
    )?;
    let out = shell::target_dir().join("bench-web");
    let wasm = shell::target_dir().join("wasm32-unknown-unknown/release/closeout_bench.wasm");
    shell::wasm_bindgen_web(&wasm, &out, "wasm-bindgen (bench)")?;
    std::fs::write(
        out.join("index.html"),
        "<!doctype html><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><title>closeout-bench</title>\n",
    )
    .map_err(|e| format!("cannot write the bench page: {e}"))?;
    Ok(out)
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    json::parse(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))
}

fn number(value: Option<&Value>) -> Option<f64> {
    value.and_then(|v| json::compact_string(v).parse().ok())
}

/// criterion's median for a case at a size, in ns, and the throughput it was told (bytes or elements).
fn criterion_result(case: &str, records: usize) -> (Option<f64>, Option<(f64, bool)>) {
    let dir = shell::target_dir().join(format!("criterion/closeout/{case}/{records}/new"));
    let median = read_json(&dir.join("estimates.json"))
        .ok()
        .and_then(|v| number(v.get("median").and_then(|m| m.get("point_estimate"))));
    let throughput = read_json(&dir.join("benchmark.json")).ok().and_then(|v| {
        let t = v.get("throughput")?;
        number(t.get("Bytes"))
            .map(|b| (b, true))
            .or_else(|| number(t.get("Elements")).map(|e| (e, false)))
    });
    (median, throughput)
}

fn rows(browser: &Value, sizes: &[usize]) -> Vec<Row> {
    let cases = browser.get("core").and_then(|c| c.get("cases"));
    let names: Vec<String> = cases
        .and_then(Value::as_object)
        .map(|pairs| pairs.iter().map(|(k, _)| k.clone()).collect())
        .unwrap_or_default();
    let mut rows = Vec::new();
    for name in &names {
        for &records in sizes {
            let measured = cases
                .and_then(|c| c.get(name))
                .and_then(|c| c.get(&records.to_string()));
            let (native_ns, throughput) = criterion_result(name, records);
            let wasm_ns =
                number(measured.and_then(|m| m.get("median_ms"))).map(|ms| ms * 1_000_000.0);
            let actual =
                number(measured.and_then(|m| m.get("records"))).map_or(records, |r| r as usize);
            rows.push(Row {
                case: name.clone(),
                records: actual,
                native_ns,
                wasm_ns,
                // criterion was told each case's unit; zero means the case has no rate.
                work: throughput.map(|t| t.0),
                bytes: throughput.is_none_or(|t| t.1),
            });
        }
    }
    rows
}

/// (records, canonical bytes, median seconds) of `sha256sum` per size.
fn sha256sum_reference(
    root: &Path,
    out_dir: &Path,
    sizes: &[usize],
) -> Result<Vec<(usize, u64, f64)>, String> {
    let mut results = Vec::new();
    for &records in sizes {
        let file = out_dir.join(format!("canonical-{records}.json"));
        let written = shell::output_of_in(
            root,
            "cargo",
            &[
                "run",
                "--quiet",
                "--release",
                "-p",
                "closeout-bench",
                "--bin",
                "canonical-bytes",
                "--",
                &records.to_string(),
                &file.to_string_lossy(),
            ],
        )
        .ok_or("could not write the canonical bytes (cargo run --bin canonical-bytes)")?;
        let bytes: u64 = written
            .trim()
            .parse()
            .map_err(|_| format!("canonical-bytes printed {written:?}, not a byte count"))?;
        let mut times = Vec::new();
        for _ in 0..7 {
            let start = Instant::now();
            shell::output_of("sha256sum", &[&file.to_string_lossy()])
                .ok_or("sha256sum is missing or failed")?;
            times.push(start.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        results.push((records, bytes, times[times.len() / 2]));
    }
    Ok(results)
}

fn duration(ns: Option<f64>) -> String {
    match ns {
        None => "—".into(),
        Some(ns) if ns < 1_000.0 => format!("{ns:.0} ns"),
        Some(ns) if ns < 1_000_000.0 => format!("{:.1} µs", ns / 1e3),
        Some(ns) if ns < 1_000_000_000.0 => format!("{:.2} ms", ns / 1e6),
        Some(ns) => format!("{:.2} s", ns / 1e9),
    }
}

fn rate(work: Option<f64>, ns: Option<f64>, bytes: bool) -> String {
    match (work, ns) {
        (Some(work), Some(ns)) if ns > 0.0 && work > 0.0 => {
            let per_second = work / (ns / 1e9);
            if bytes {
                format!("{:.1} MB/s", per_second / 1e6)
            } else {
                format!("{} rec/s", size::group(per_second as u64))
            }
        }
        _ => "—".into(),
    }
}

fn ms(value: Option<f64>) -> String {
    value.map_or("—".into(), |v| format!("{v:.1} ms"))
}

fn report(
    rows: &[Row],
    reference: &[(usize, u64, f64)],
    browser: &Value,
    files: &[size::FileSize],
    floors: &[floor::Floor],
) -> String {
    let app = browser.get("app");
    let get = |key: &str| number(app.and_then(|a| a.get(key)));
    let mb = |bytes: Option<f64>| bytes.map_or("—".into(), |b| format!("{:.2} MB", b / 1e6));
    let memory = match (get("js_heap_bytes"), get("wasm_memory_bytes")) {
        (Some(js), Some(wasm)) => Some(js + wasm),
        _ => None,
    };
    let verdict = |value: Option<f64>, budget: f64| match value {
        Some(v) if v <= budget => "within",
        Some(_) => "**over**",
        None => "—",
    };
    let gzip_total = size::first_load(files);
    let mut out = String::new();
    out.push_str(&format!(
        "Measured {} on {}.\n\n",
        machine_date(),
        machine()
    ));
    out.push_str("### Budgets (release build, loopback, headless Chromium)\n\n");
    out.push_str(&format!(
        "Medians of {} cold loads (fresh context, cache disabled, files served gzip-9).\n\n",
        get("loads").map_or(0, |n| n as u64)
    ));
    out.push_str("| what | budget | measured | |\n|---|---:|---:|---|\n");
    out.push_str(&format!(
        "| first load, gzip -9 of every file it fetches (exact) | 150,000 B | {} B | {} |\n",
        size::group(gzip_total),
        verdict(Some(gzip_total as f64), 150_000.0)
    ));
    out.push_str(&format!(
        "| first load, bytes on the wire | 150,000 B | {} B | {} |\n",
        get("transfer_bytes").map_or("—".into(), |b| size::group(b as u64)),
        verdict(get("transfer_bytes"), 150_000.0)
    ));
    for (label, key, budget) in [
        ("navigation to the ten steps on screen", "nav_ms", 250.0),
        (
            "\"Run remaining steps\" (accepted-risk) to the decision on screen",
            "run_all_ms",
            50.0,
        ),
        (
            "one step (step 1, the first click) to its state on screen",
            "step_ms",
            10.0,
        ),
        (
            "the next step (step 2) to its state on screen",
            "second_step_ms",
            10.0,
        ),
        (
            "saving the session to storage (median of every save)",
            "save_ms",
            5.0,
        ),
    ] {
        out.push_str(&format!(
            "| {label} | {budget:.0} ms | {} | {} |\n",
            ms(get(key)),
            verdict(get(key), budget)
        ));
    }
    out.push_str(&format!(
        "| an on-demand part (files, {} B on the wire) from its trigger to on screen | none | {} | what a first step would wait for if the engine loaded on demand |\n",
        get("part_bytes").map_or("—".into(), |b| size::group(b as u64)),
        ms(get("part_load_ms"))
    ));
    out.push_str(&format!(
        "| memory after a full run (JS heap {} + Wasm memory {}) | 8 MB | {} | {} |\n\n",
        mb(get("js_heap_bytes")),
        mb(get("wasm_memory_bytes")),
        mb(memory),
        verdict(memory, 8e6)
    ));
    out.push_str("### Files of the build: the first load, then the parts loaded on demand\n\n");
    out.push_str(&size::table(files));
    out.push_str(
        "\n### The floor: Leptos and the step engine on their own (`cargo xtask size --floor`)\n\n",
    );
    out.push_str(&floor::table(floors, files));
    out.push_str("\n### Scaling: the same cases natively (criterion) and in Wasm (Chromium)\n\n");
    out.push_str("| case | records | native | Wasm | Wasm/native | native rate | Wasm rate |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|---:|\n");
    for row in rows {
        let ratio = match (row.native_ns, row.wasm_ns) {
            (Some(n), Some(w)) if n > 0.0 => format!("{:.2}x", w / n),
            _ => "—".into(),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            row.case,
            size::group(row.records as u64),
            duration(row.native_ns),
            duration(row.wasm_ns),
            ratio,
            rate(row.work, row.native_ns, row.bytes),
            rate(row.work, row.wasm_ns, row.bytes),
        ));
    }
    for (records, bytes, seconds) in reference {
        out.push_str(&format!(
            "| sha256sum of the canonical bytes ({} B, process start included) | {} | {} | | | {} | |\n",
            size::group(*bytes),
            size::group(*records as u64),
            duration(Some(seconds * 1e9)),
            rate(Some(*bytes as f64), Some(seconds * 1e9), true),
        ));
    }
    out
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "an unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("MemTotal"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or("? GB".into(), |kb| format!("{} GB", kb / 1_000_000));
    let rustc = shell::output_of("rustc", &["--version"]).unwrap_or_default();
    let chromium = shell::output_of(setup::CHROMIUM, &["--version"]).unwrap_or_default();
    format!("{cpu}, {cores} cores, {memory} RAM; {rustc}; {chromium}")
}

fn machine_date() -> String {
    shell::output_of("date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_default()
}

/// Replaces what lies between the markers in BENCHMARKS.md with the report.
fn update_benchmarks_md(path: &Path, report: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let (Some(begin), Some(end)) = (text.find(BEGIN), text.find(END)) else {
        return Err(format!(
            "{} has no {BEGIN} ... {END} markers to write the numbers between",
            path.display()
        ));
    };
    let updated = format!("{}{BEGIN}\n{report}{}", &text[..begin], &text[end..]);
    std::fs::write(path, updated).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("BENCHMARKS.md updated");
    Ok(())
}
