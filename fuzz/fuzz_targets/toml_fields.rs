#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| copcat_fuzz::toml_fields(data));
