//! The service worker of a release build (`sw.js` beside `index.html`): the template `sw.js` beside
//! this file, given the build's hash and the list of files it keeps, each with its integrity. Written
//! after every other change to the staged files except their precompressed copies, so the integrity
//! of each (the page's included) is of the bytes served.

use crate::dist::{self, Role};
use crate::page::SERVICE_WORKER;
use base64::Engine;
use sha2::{Digest, Sha256, Sha384};
use std::path::Path;

/// The service worker, with `{BUILD}` and `{FILES}` to fill in.
const TEMPLATE: &str = include_str!("sw.js");

/// One file the service worker keeps.
#[derive(Debug, PartialEq, Eq)]
pub struct Kept {
    /// Its path relative to the build's root.
    pub name: String,
    /// `sha384-<base64>` of its bytes.
    pub integrity: String,
    /// Whether its name changes with its bytes (dist.rs), so the HTTP cache may serve it.
    pub immutable: bool,
}

/// Writes `sw.js` into `staging` for the files there; returns the build's hash.
pub fn run(staging: &Path) -> Result<String, String> {
    let mut kept = Vec::new();
    for name in dist::files(staging)? {
        if name == SERVICE_WORKER || !Role::of(&name).kept_offline() {
            continue;
        }
        let bytes = std::fs::read(staging.join(&name))
            .map_err(|e| format!("offline: cannot read {name}: {e}"))?;
        kept.push(Kept {
            integrity: format!(
                "sha384-{}",
                base64::engine::general_purpose::STANDARD.encode(Sha384::digest(&bytes))
            ),
            immutable: dist::is_immutable(&name),
            name,
        });
    }
    if !kept.iter().any(|k| k.name == "index.html") {
        return Err(format!("offline: no index.html in {}", staging.display()));
    }
    let build = build_hash(&kept);
    std::fs::write(staging.join(SERVICE_WORKER), service_worker(&build, &kept))
        .map_err(|e| format!("offline: cannot write {SERVICE_WORKER}: {e}"))?;
    println!(
        "offline: {SERVICE_WORKER} keeps build {build}: {} files",
        kept.len()
    );
    Ok(build)
}

/// The build's hash: of every kept file's name and integrity, so any change to any of them is a new
/// build (and a new `sw.js`, which is how a browser learns of it).
pub fn build_hash(kept: &[Kept]) -> String {
    let mut hasher = Sha256::new();
    for file in kept {
        hasher.update(format!("{} {}\n", file.name, file.integrity));
    }
    hex::encode(&hasher.finalize()[..8])
}

/// The service worker's source for `build` keeping `kept`.
pub fn service_worker(build: &str, kept: &[Kept]) -> String {
    let files: Vec<serde_json::Value> = kept
        .iter()
        .map(|k| serde_json::json!([k.name, k.integrity, k.immutable]))
        .collect();
    // The names are plain (Trunk's and the split's, and public/'s), but JSON quotes whatever they hold.
    let files = serde_json::to_string(&files).unwrap_or_else(|_| "[]".to_string());
    TEMPLATE
        .replace("{BUILD}", build)
        .replace("{FILES}", &files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(name: &str, integrity: &str) -> Kept {
        Kept {
            name: name.into(),
            integrity: integrity.into(),
            immutable: false,
        }
    }

    #[test]
    fn the_build_hash_follows_every_name_and_integrity() {
        let a = [kept("index.html", "sha384-A"), kept("app.js", "sha384-B")];
        let b = [kept("index.html", "sha384-A"), kept("app.js", "sha384-C")];
        let c = [kept("index.html", "sha384-A"), kept("app2.js", "sha384-B")];
        assert_eq!(build_hash(&a).len(), 16);
        assert_ne!(build_hash(&a), build_hash(&b));
        assert_ne!(build_hash(&a), build_hash(&c));
        assert_eq!(build_hash(&a), build_hash(&a));
    }

    #[test]
    fn the_worker_lists_each_file_with_its_integrity_and_names_its_build() {
        let files = [kept("index.html", "sha384-A")];
        let worker = service_worker("0123456789abcdef", &files);
        assert!(worker.contains(r#"const BUILD = "0123456789abcdef";"#));
        assert!(worker.contains(r#"const FILES = [["index.html","sha384-A",false]];"#));
        assert!(!worker.contains("{BUILD}") && !worker.contains("{FILES}"));
        // It fetches nothing but its own scope's files, and never takes over a page that did not
        // start with it.
        assert!(!worker.contains("http://") && !worker.contains("https://"));
        assert!(!worker.contains("skipWaiting") && !worker.contains("clients.claim"));
    }

    #[test]
    fn a_staged_build_gets_a_worker_for_every_file_the_page_fetches() {
        let dir = std::env::temp_dir().join(format!("closeout-offline-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        for name in [
            "index.html",
            "app-1a2b.js",
            "lazy-split_chain-1a2b.wasm",
            "app-1a2b.js.br",
            "_headers",
            "preview.png",
        ] {
            std::fs::write(dir.join(name), name).expect("write");
        }
        let build = run(&dir).expect("written");
        let worker = std::fs::read_to_string(dir.join(SERVICE_WORKER)).expect("read");
        let again = run(&dir).expect("written again");
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(build, again, "the worker does not keep itself");
        for name in [
            "\"index.html\"",
            "\"app-1a2b.js\"",
            "\"lazy-split_chain-1a2b.wasm\"",
        ] {
            assert!(worker.contains(name), "{name}");
        }
        for name in ["app-1a2b.js.br", "_headers", "preview.png", "\"sw.js\""] {
            assert!(!worker.contains(name), "{name}");
        }
        assert!(worker.contains(r#""app-1a2b.js","sha384-"#) && worker.contains("\",true]"));
        assert!(run(&std::env::temp_dir().join("closeout-offline-none")).is_err());
    }
}
