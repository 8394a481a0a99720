#![no_main]

// A broken property is a finding: libFuzzer records an input when the target panics.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = closeout_core::robustness::canonical_json(data) {
        panic!("{broken}");
    }
});
