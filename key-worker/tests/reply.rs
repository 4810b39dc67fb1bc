//! The worker's answers, through the same JSON the page sends and reads.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use domain::crypto::{DeriveReply, DeriveRequest, KdfParams, Keyring, KeyringError};

#[test]
fn a_request_gets_the_key_that_unlocks_the_keyring() {
    let pass = "een lange zin om te onthouden";
    let (keyring, _) = Keyring::create(pass, KdfParams::default()).unwrap();
    let request = serde_json::to_string(&DeriveRequest {
        passphrase: pass.into(),
        derivation: keyring.derivation(),
    })
    .unwrap();
    let reply: DeriveReply = serde_json::from_str(&key_worker::reply_to(&request)).unwrap();
    let key = reply.into_key().unwrap();
    assert!(keyring.unlock_with(&key).is_ok());
}

#[test]
fn an_unreadable_request_is_a_failure_not_a_panic() {
    for request in [
        "",
        "{}",
        "not json",
        r#"{"passphrase":"x","derivation":{"salt":"00"}}"#,
    ] {
        let reply: DeriveReply = serde_json::from_str(&key_worker::reply_to(request)).unwrap();
        assert!(
            matches!(reply.into_key(), Err(KeyringError::Kdf(m)) if m.starts_with("unreadable request")),
            "{request}"
        );
    }
}
