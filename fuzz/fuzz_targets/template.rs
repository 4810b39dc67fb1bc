//! Template files as the relay serves them (a municipality may add its own).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = templates::parse("sociaal-verslag.v1.toml", text);
    }
});
