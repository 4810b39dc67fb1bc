//! An export archive as a worker imports it: the zip container, the open format and the
//! import into a workspace.
#![no_main]

use domain::Timestamp;
use domain::archive::Archive;
use domain::crypto::SecretKey;
use domain::workspace::Workspace;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(files) = export::zip::read(data, 1 << 24) else {
        return;
    };
    let Ok(archive) = Archive::from_files(files.into_iter().map(|f| (f.name, f.data))) else {
        return;
    };
    let Ok(key) = SecretKey::generate() else {
        return;
    };
    let (ws, _) = Workspace::open(key, Vec::new());
    let _ = ws.stage_import(&archive, Timestamp(0));
});
