//! The passphrase derivation as the key worker runs it: a request and reply through JSON give
//! the same workspace key as unlocking on the spot, and every refusal keeps its reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use domain::crypto::{
    Derivation, DeriveReply, DeriveRequest, KdfParams, Keyring, KeyringError, PassphraseKey,
    SecretKey,
};

const PASS: &str = "een lange zin om te onthouden";

/// Sends `request` to the "worker" and reads its reply, both through JSON, as `postMessage` does.
fn in_worker(passphrase: &str, derivation: Derivation) -> Result<PassphraseKey, KeyringError> {
    let request = serde_json::to_string(&DeriveRequest {
        passphrase: passphrase.into(),
        derivation,
    })
    .unwrap();
    let request: DeriveRequest = serde_json::from_str(&request).unwrap();
    let reply = serde_json::to_string(&request.run()).unwrap();
    serde_json::from_str::<DeriveReply>(&reply)
        .unwrap()
        .into_key()
}

#[test]
fn a_key_derived_in_the_worker_unlocks_what_the_passphrase_unlocks() {
    let (keyring, key) = Keyring::create(PASS, KdfParams::default()).unwrap();
    let derived = in_worker(PASS, keyring.derivation()).unwrap();
    let again = keyring.unlock_with(&derived).unwrap();
    // The same workspace key: what one wraps, the other unwraps.
    let probe = SecretKey::generate().unwrap();
    let wrapped = key.wrap(&probe, b"probe").unwrap();
    assert!(again.unwrap_key(&wrapped, b"probe").is_ok());
    // A wrong passphrase derives a key that opens nothing.
    let wrong = in_worker("een andere zin om te raden", keyring.derivation()).unwrap();
    assert!(matches!(
        keyring.unlock_with(&wrong),
        Err(KeyringError::WrongPassphrase)
    ));
    // Printing a derived key or a reply shows no bytes.
    assert_eq!(format!("{derived:?}"), "PassphraseKey(SecretKey(..))");
}

#[test]
fn a_new_passphrase_wrapped_from_the_worker_unlocks_on_the_spot() {
    let workspace_key = SecretKey::generate().unwrap();
    Keyring::check_passphrase(PASS).unwrap();
    let derivation = Derivation::fresh(KdfParams::default()).unwrap();
    let derived = in_worker(PASS, derivation).unwrap();
    let keyring = Keyring::wrap_with(&workspace_key, derivation, &derived).unwrap();
    let stored: Keyring = serde_json::from_str(&serde_json::to_string(&keyring).unwrap()).unwrap();
    let again = stored.unlock(PASS).unwrap();
    let wrapped = workspace_key
        .wrap(&SecretKey::generate().unwrap(), b"x")
        .unwrap();
    assert!(again.unwrap_key(&wrapped, b"x").is_ok());
    assert!(matches!(
        Keyring::check_passphrase("kort"),
        Err(KeyringError::PassphraseTooShort)
    ));
}

#[test]
fn weak_costs_are_refused_on_both_sides() {
    let weak = KdfParams {
        memory_kib: 1024,
        iterations: 1,
        parallelism: 1,
    };
    assert!(matches!(
        Derivation::fresh(weak),
        Err(KeyringError::WeakParameters(_))
    ));
    let derivation = Derivation {
        salt: [7; 16],
        kdf: weak,
    };
    assert!(matches!(
        in_worker(PASS, derivation),
        Err(KeyringError::WeakParameters(k)) if k == weak
    ));
    // A keyring whose stored cost was lowered is refused before any key is tried.
    let (mut keyring, _) = Keyring::create(PASS, KdfParams::default()).unwrap();
    let derived = in_worker(PASS, keyring.derivation()).unwrap();
    keyring.kdf = weak;
    assert!(matches!(
        keyring.unlock_with(&derived),
        Err(KeyringError::WeakParameters(_))
    ));
    // An impossible cost is a clear failure, not a panic.
    let huge = Derivation {
        salt: [7; 16],
        kdf: KdfParams {
            memory_kib: 64 * 1024,
            iterations: 3,
            parallelism: 1 << 25,
        },
    };
    assert!(matches!(in_worker(PASS, huge), Err(KeyringError::Kdf(_))));
}
