//! A shared report as the client's phone fetches it, with the id and key from the link.
#![no_main]

use domain::share::SharedReport;
use libfuzzer_sys::fuzz_target;

const ID: &str = "00112233445566778899aabbccddeeff";
const KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

fuzz_target!(|data: &[u8]| {
    let _ = SharedReport::open(ID, KEY, data);
    // The link itself is untrusted too: split the input into id, key and bytes.
    if let Ok(text) = std::str::from_utf8(data) {
        let mut parts = text.splitn(3, '#');
        if let (Some(id), Some(key), Some(rest)) = (parts.next(), parts.next(), parts.next()) {
            let _ = SharedReport::open(id, key, rest.as_bytes());
        }
    }
});
