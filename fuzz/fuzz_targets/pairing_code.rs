//! Pairing codes as a worker types them on a second device.
#![no_main]

use domain::sync::PairingCode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(code) = PairingCode::parse(text) {
        let shown = code.display();
        assert_eq!(
            PairingCode::parse(&shown).map(|c| c.display()).ok(),
            Some(shown)
        );
    }
});
