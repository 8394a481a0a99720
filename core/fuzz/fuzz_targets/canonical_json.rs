#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| closeout_core::robustness::canonical_json(data));
