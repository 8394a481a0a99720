#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| closeout_core::robustness::package_import(data));
