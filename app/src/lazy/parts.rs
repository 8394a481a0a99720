//! The names of the parts loaded on demand: the `wasm_split` module of each deferred function in
//! `lazy.rs`. Plain data without dependencies, so `cargo xtask post-build` compiles this same file and
//! checks that the split made exactly these parts, no more and no fewer.

/// The `wasm_split` module of every part loaded on demand, in the order `lazy.rs` declares them.
pub const DEFERRED_PARTS: [&str; 7] = [
    "chain",
    "files",
    "oversight",
    "walkthrough",
    "demo",
    "bodies",
    "share",
];

/// Whether `name` is one of [`DEFERRED_PARTS`]. `const`, so `lazy.rs` checks each part it declares
/// when it compiles: a part missing from the list does not build.
pub const fn is_deferred_part(name: &str) -> bool {
    let mut i = 0;
    while i < DEFERRED_PARTS.len() {
        if same(DEFERRED_PARTS[i].as_bytes(), name.as_bytes()) {
            return true;
        }
        i += 1;
    }
    false
}

const fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_its_parts_and_no_others() {
        assert!(DEFERRED_PARTS.iter().all(|part| is_deferred_part(part)));
        assert!(!is_deferred_part("chai"));
        assert!(!is_deferred_part("chains"));
        assert!(!is_deferred_part(""));
    }
}
