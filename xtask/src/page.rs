//! What a release build adds to `index.html` for being published (run by the post-build hook before
//! the Content-Security-Policy is computed, so the inline script added here is allowed by its hash):
//! - the web app manifest's link and the service worker's registration, under the site's base path;
//!   a debug build (`cargo xtask serve`) has neither, so development never meets a cached build;
//! - the link preview's image and page addresses made absolute (`--site-url`), or from the root of the
//!   host (the base path) when the site's address is not known.

use crate::site::Site;
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::Path;

/// The manifest's file name, beside `index.html`.
pub const MANIFEST: &str = "manifest.webmanifest";
/// The service worker's file name, beside `index.html` (written by offline.rs).
pub const SERVICE_WORKER: &str = "sw.js";
/// The link preview's image, copied from public/ by Trunk.
pub const PREVIEW_IMAGE: &str = "preview.png";

/// Registers the service worker once the page has loaded (its first visit fetches the whole build, so
/// it waits until the page's own files are in), and shows a notice when a new build has been installed
/// while this page runs an older one: the page keeps its build, the next visit opens the new one.
/// `{BASE}` is the base path. Kept short: it is part of the first load.
const REGISTRATION: &str = r#"addEventListener("load",()=>{let s=navigator.serviceWorker,n=()=>{if(s.controller&&!document.getElementById("update-notice")){let p=document.createElement("p");p.id="update-notice";p.className="banner info";p.setAttribute("role","status");p.dataset.testid="update-notice";p.textContent="A new version of the sandbox has been published. This tab keeps the version it opened with; close every tab of the sandbox and open it again to use the new one.";(document.getElementById("main")||document.body).prepend(p)}},w=x=>x&&x.addEventListener("statechange",()=>x.state=="installed"&&n());s&&s.register("{BASE}sw.js",{scope:"{BASE}"}).then(r=>{r.waiting&&n();w(r.installing);r.addEventListener("updatefound",()=>w(r.installing))},()=>{})})"#;

/// The meta tags whose `content` is the preview image's address.
const IMAGE_TAGS: [&str; 2] = [
    r#"meta[property="og:image"]"#,
    r#"meta[name="twitter:image"]"#,
];
/// The meta tag whose `content` is the page's own address.
const URL_TAG: &str = r#"meta[property="og:url"]"#;

/// Adds the manifest link and the registration to the staged `index.html`, and sets the preview's
/// addresses.
pub fn run(staging: &Path, site: &Site) -> Result<(), String> {
    let path = staging.join("index.html");
    let html = std::fs::read_to_string(&path)
        .map_err(|e| format!("page: cannot read {}: {e}", path.display()))?;
    let published = publish(&html, site)?;
    std::fs::write(&path, published)
        .map_err(|e| format!("page: cannot write {}: {e}", path.display()))
}

/// The registration script for `base_path` (already checked to hold only plain path characters).
pub fn registration(base_path: &str) -> String {
    REGISTRATION.replace("{BASE}", base_path)
}

/// `html` as published for `site`. Every preview tag must be there: a page that lost one would
/// unfurl without its picture, and nothing else would notice.
pub fn publish(html: &str, site: &Site) -> Result<String, String> {
    let seen: RefCell<BTreeSet<&str>> = RefCell::new(BTreeSet::new());
    let image = site.address_of(PREVIEW_IMAGE);
    let additions = format!(
        "<link rel=\"manifest\" href=\"{}{MANIFEST}\" />\n    <script>{}</script>\n  ",
        site.base_path,
        registration(&site.base_path)
    );
    let mut handlers = vec![
        lol_html::element!("head", |head| {
            head.append(&additions, lol_html::html_content::ContentType::Html);
            seen.borrow_mut().insert("head");
            Ok(())
        }),
        lol_html::element!(URL_TAG, |meta| {
            // An address from the root of the host is no address for a page elsewhere: without the
            // site's URL the tag is left out, and unfurlers use the address they were given.
            match &site.site_url {
                Some(url) => meta.set_attribute("content", url)?,
                None => meta.remove(),
            }
            seen.borrow_mut().insert(URL_TAG);
            Ok(())
        }),
    ];
    for tag in IMAGE_TAGS {
        let image = image.clone();
        let seen = &seen;
        handlers.push(lol_html::element!(tag, move |meta| {
            meta.set_attribute("content", &image)?;
            seen.borrow_mut().insert(tag);
            Ok(())
        }));
    }
    let settings = handlers
        .into_iter()
        .fold(lol_html::RewriteStrSettings::new(), |settings, handler| {
            settings.append_element_content_handler(handler)
        });
    let published = lol_html::rewrite_str(html, settings)
        .map_err(|e| format!("page: cannot rewrite index.html: {e}"))?;
    let seen = seen.into_inner();
    let missing: Vec<&str> = ["head", URL_TAG]
        .into_iter()
        .chain(IMAGE_TAGS)
        .filter(|tag| !seen.contains(tag))
        .collect();
    if missing.is_empty() {
        Ok(published)
    } else {
        Err(format!(
            "page: index.html has no {} (the link preview and the offline build need them)",
            missing.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<html><head><meta property="og:url" content="./"><meta property="og:image" content="preview.png"><meta name="twitter:image" content="preview.png"></head><body></body></html>"#;

    #[test]
    fn adds_the_manifest_and_the_registration_under_the_base_path() {
        let site = Site {
            base_path: "/sandbox/".into(),
            ..Site::default()
        };
        let page = publish(PAGE, &site).expect("published");
        assert!(page.contains(r#"<link rel="manifest" href="/sandbox/manifest.webmanifest" />"#));
        assert!(page.contains(r#"register("/sandbox/sw.js",{scope:"/sandbox/"})"#));
        assert!(page.find("<script>").expect("script") < page.find("</head>").expect("head"));
        assert!(
            !page.contains("og:url"),
            "no page address without the site's URL"
        );
        assert_eq!(page.matches(r#"content="/sandbox/preview.png""#).count(), 2);
    }

    #[test]
    fn a_known_site_url_makes_the_preview_absolute() {
        let site = Site {
            base_path: "/repo/".into(),
            site_url: Some("https://owner.github.io/repo/".into()),
            ..Site::default()
        };
        let page = publish(PAGE, &site).expect("published");
        assert!(
            page.contains(r#"<meta property="og:url" content="https://owner.github.io/repo/">"#)
        );
        assert_eq!(
            page.matches(r#"content="https://owner.github.io/repo/preview.png""#)
                .count(),
            2
        );
    }

    #[test]
    fn a_page_without_its_preview_tags_is_refused() {
        let error = publish("<html><head></head></html>", &Site::default()).expect_err("refused");
        assert!(
            error.contains("og:image") && error.contains("twitter:image"),
            "{error}"
        );
    }
}
