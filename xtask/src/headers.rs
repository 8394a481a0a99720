//! The static host's headers file, `_headers` (the format Netlify and Cloudflare Pages read): the
//! Content-Security-Policy as a header, where it can say who may frame the page (`frame-ancestors`,
//! which a `<meta>` policy cannot), `nosniff`, no referrer, and a cache rule for every file: a year,
//! immutable, for the files named after their bytes, `no-cache` (revalidate each time) for the rest,
//! the page and the service worker among them.
//!
//! Each file gets exactly one `Cache-Control`: both hosts join the values of every rule that matches
//! a path, so the cache rules are per file and only the rules every file shares are under `/*`.

use crate::dist::{self, Role};
use crate::site::Site;
use std::path::Path;

/// Where the host may keep a file named after its bytes, and for how long.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// What the host sends for the files with fixed names: keep, but ask again each time.
pub const REVALIDATE: &str = "no-cache";

/// Writes `_headers` into `staging`, for `site`, with the page's `policy` (csp.rs).
pub fn run(staging: &Path, site: &Site, policy: &str) -> Result<(), String> {
    let names = dist::files(staging)?;
    let text = headers_file(site, policy, &names);
    std::fs::write(staging.join(dist::HEADERS_FILE), text)
        .map_err(|e| format!("headers: cannot write {}: {e}", dist::HEADERS_FILE))
}

/// The policy of the header: the page's, with the `frame-ancestors` only a header can carry.
pub fn header_policy(site: &Site, policy: &str) -> String {
    format!("{policy}; frame-ancestors {}", site.frame_ancestors)
}

/// The text of `_headers` for a build holding `names`.
pub fn headers_file(site: &Site, policy: &str, names: &[String]) -> String {
    let base = &site.base_path;
    let mut out = format!(
        "# Response headers for Netlify and Cloudflare Pages, written by `cargo xtask build` for the base path {base}.\n\
         # Other hosts: see README.md, \"Deploy\" (deploy/nginx.conf for a container).\n\
         {base}*\n  Content-Security-Policy: {}\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: no-referrer\n",
        header_policy(site, policy)
    );
    // The page is also served at the base path itself.
    out.push_str(&format!("{base}\n  Cache-Control: {REVALIDATE}\n"));
    for name in names {
        if matches!(Role::of(name), Role::HostConfig | Role::Precompressed) {
            continue;
        }
        let rule = if dist::is_immutable(name) {
            IMMUTABLE
        } else {
            REVALIDATE
        };
        out.push_str(&format!("{base}{name}\n  Cache-Control: {rule}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_has_one_cache_rule_and_the_policy_says_who_may_frame_it() {
        let site = Site {
            base_path: "/repo/".into(),
            frame_ancestors: "'self' https://docs.example.com".into(),
            site_url: None,
        };
        let names: Vec<String> = [
            "index.html",
            "sw.js",
            "closeout-app-1f2e.js",
            "closeout-app-1f2e.js.br",
            "_headers",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let text = headers_file(&site, "default-src 'none'; script-src 'self'", &names);
        assert!(text.contains("/repo/*\n  Content-Security-Policy: default-src 'none'; script-src 'self'; frame-ancestors 'self' https://docs.example.com\n"));
        assert!(
            text.contains("  X-Content-Type-Options: nosniff\n  Referrer-Policy: no-referrer\n")
        );
        assert!(text.contains("/repo/\n  Cache-Control: no-cache\n"));
        assert!(text.contains("/repo/index.html\n  Cache-Control: no-cache\n"));
        assert!(text.contains("/repo/sw.js\n  Cache-Control: no-cache\n"));
        assert!(text.contains(
            "/repo/closeout-app-1f2e.js\n  Cache-Control: public, max-age=31536000, immutable\n"
        ));
        assert!(!text.contains(".br") && !text.contains("/repo/_headers"));
        assert_eq!(text.matches("Cache-Control").count(), 4);
    }
}
