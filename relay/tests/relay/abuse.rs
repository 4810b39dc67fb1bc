//! The relay under abuse (issue 13): what an anonymous or hostile client can make it hold,
//! over real TLS against the real server.

use std::time::{Duration, Instant};

use domain::crypto::SecretKey;
use domain::share::ShareUpload;
use domain::sync::{AccountCreated, PairingCode, PushItem, PushRequest, PushResponse, SyncedStore};
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::util::{self, TestRelay};

async fn account(relay: &TestRelay) -> AccountCreated {
    let resp = relay
        .client
        .post(format!("{}/api/v1/accounts", relay.base))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    resp.json().await.unwrap()
}

fn call(
    relay: &TestRelay,
    who: &AccountCreated,
    method: Method,
    path: &str,
) -> reqwest::RequestBuilder {
    relay
        .client
        .request(method, format!("{}{path}", relay.base))
        .bearer_auth(&who.token)
}

async fn error_of(resp: reqwest::Response) -> (StatusCode, String) {
    let status = resp.status();
    let body: Value = resp.json().await.unwrap_or_default();
    (
        status,
        body["error"].as_str().unwrap_or_default().to_owned(),
    )
}

async fn usage(relay: &TestRelay, who: &AccountCreated) -> u64 {
    let body: Value = call(relay, who, Method::GET, "/api/v1/sync/usage")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["used"].as_u64().unwrap()
}

fn relay_with(change: impl FnOnce(&mut relay::Settings)) -> TestRelay {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = util::settings_in(&dir);
    change(&mut settings);
    util::start_with(settings, dir)
}

#[tokio::test(flavor = "multi_thread")]
async fn no_token_is_refused_before_the_body_is_read() {
    let relay = util::start();
    // Bad JSON without a token: the token is checked first.
    let resp = relay
        .client
        .post(format!("{}/api/v1/sync/push", relay.base))
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_of(resp).await,
        (StatusCode::UNAUTHORIZED, "unauthorized".into())
    );
    // A 16 MiB body announced, 64 KiB sent: answered at once, nothing waits for the rest.
    let answer = tokio::task::spawn_blocking(move || {
        let started = Instant::now();
        let answer = util::raw_exchange(
            &relay,
            "POST /api/v1/sync/push HTTP/1.1\r\nContent-Type: application/json\r\n\
             Content-Length: 16777216",
            &vec![b' '; 64 * 1024],
            Duration::from_secs(5),
        );
        (answer, started.elapsed())
    })
    .await
    .unwrap();
    let (Some((status, body)), took) = answer else {
        panic!("no answer while the body was still announced");
    };
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("\"unauthorized\""), "{body}");
    assert!(took < Duration::from_secs(3), "{took:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_body_is_cut_at_the_deadline() {
    let relay = relay_with(|s| s.body_timeout_secs = 1);
    let me = account(&relay).await;
    let answer = tokio::task::spawn_blocking(move || {
        let head = format!(
            "POST /api/v1/sync/push HTTP/1.1\r\nAuthorization: Bearer {}\r\n\
             Content-Type: application/json\r\nContent-Length: 1000",
            me.token
        );
        let started = Instant::now();
        let answer = util::raw_exchange(&relay, &head, b"{\"items\":", Duration::from_secs(6));
        (answer, started.elapsed())
    })
    .await
    .unwrap();
    let (Some((status, body)), took) = answer else {
        panic!("a body that never arrives was waited for");
    };
    assert_eq!(status, 408, "{body}");
    assert!(body.contains("\"request_timeout\""), "{body}");
    assert!(took < Duration::from_secs(4), "{took:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn pairing_offers_are_small_counted_and_swept_by_time() {
    let relay = relay_with(|s| {
        s.pairing_ttl_secs = 1;
        s.sweep_interval_secs = 1;
    });
    let me = account(&relay).await;
    let key = SecretKey::generate().unwrap();
    let code = PairingCode::generate().unwrap();
    let mut offer = code.offer(&key).unwrap();
    let small = offer.clone();
    offer.wrapped.ciphertext = vec![7; 64 * 1024];
    let resp = call(&relay, &me, Method::POST, "/api/v1/pairings")
        .json(&offer)
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_of(resp).await,
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large".into())
    );
    let resp = call(&relay, &me, Method::POST, "/api/v1/pairings")
        .json(&small)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let held = usage(&relay, &me).await;
    assert!(held > 0, "a live offer counts against the quota");
    // A second offer of the same device replaces the first.
    let second = PairingCode::generate().unwrap();
    let resp = call(&relay, &me, Method::POST, "/api/v1/pairings")
        .json(&second.offer(&key).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    assert_eq!(usage(&relay, &me).await, held);
    // Gone by time, with no further request to trigger it.
    tokio::time::sleep(Duration::from_millis(3_500)).await;
    assert_eq!(usage(&relay, &me).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pairing_id_filed_by_one_account_is_refused_to_another() {
    let relay = util::start();
    let (a, b) = (account(&relay).await, account(&relay).await);
    let code = PairingCode::generate().unwrap();
    let key_a = SecretKey::generate().unwrap();
    let resp = call(&relay, &a, Method::POST, "/api/v1/pairings")
        .json(&code.offer(&key_a).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let resp = call(&relay, &b, Method::POST, "/api/v1/pairings")
        .json(&code.offer(&SecretKey::generate().unwrap()).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_of(resp).await,
        (StatusCode::CONFLICT, "already_exists".into())
    );
    let claimed: domain::sync::PairingClaimed = relay
        .client
        .post(format!(
            "{}/api/v1/pairings/{}/claim",
            relay.base,
            code.offer_id()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(claimed.credential.account, a.account);
    assert!(code.open(&claimed.offer).is_ok(), "A's offer, not B's");
}

#[tokio::test(flavor = "multi_thread")]
async fn tombstones_for_entries_that_never_existed_are_not_stored() {
    let relay = util::start();
    let me = account(&relay).await;
    let items: Vec<PushItem> = (0..100)
        .map(|_| PushItem {
            store: SyncedStore::Records,
            key: domain::RecordId::from_bytes(rand16()),
            base: 0,
            data: None,
        })
        .collect();
    let answer: PushResponse = call(&relay, &me, Method::POST, "/api/v1/sync/push")
        .json(&PushRequest { items })
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        answer
            .results
            .iter()
            .all(|r| matches!(r.outcome, domain::sync::PushOutcome::Conflict { .. }))
    );
    let page: Value = call(&relay, &me, Method::GET, "/api/v1/sync/pull?since=0")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 0);
    assert_eq!(usage(&relay, &me).await, 0);
}

fn rand16() -> [u8; 16] {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).unwrap();
    b
}

#[tokio::test(flavor = "multi_thread")]
async fn accounts_are_capped_in_total_and_per_address() {
    let relay = relay_with(|s| s.max_accounts = 2);
    account(&relay).await;
    account(&relay).await;
    let resp = relay
        .client
        .post(format!("{}/api/v1/accounts", relay.base))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_of(resp).await,
        (StatusCode::SERVICE_UNAVAILABLE, "accounts_full".into())
    );
    let relay = relay_with(|s| s.accounts_per_address_per_hour = 3);
    for _ in 0..3 {
        account(&relay).await;
    }
    let resp = relay
        .client
        .post(format!("{}/api/v1/accounts", relay.base))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_of(resp).await,
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited".into())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_right_pin_does_not_give_the_guesser_new_attempts() {
    let relay = util::start();
    let me = account(&relay).await;
    let id = hex::encode(rand16());
    let resp = call(&relay, &me, Method::POST, "/api/v1/shares")
        .json(&ShareUpload {
            id: id.clone(),
            data: vec![1; 64],
            expires_in_days: 1,
            pin: Some("482193".into()),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let url = format!("{}/api/v1/shares/{id}", relay.base);
    let open = |pin: &'static str| {
        let req = relay.client.get(&url).header("x-share-pin", pin);
        async move { error_of(req.send().await.unwrap()).await }
    };
    for _ in 0..2 {
        for _ in 0..2 {
            assert_eq!(open("000000").await.1, "pin_wrong");
        }
        assert_eq!(open("482193").await.0, StatusCode::OK);
    }
    assert_eq!(
        open("000000").await,
        (StatusCode::GONE, "share_locked".into()),
        "the fifth wrong PIN locks it"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_last_device_cannot_unlink_itself() {
    let relay = util::start();
    let me = account(&relay).await;
    let resp = call(
        &relay,
        &me,
        Method::DELETE,
        &format!("/api/v1/devices/{}", me.device),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(
        error_of(resp).await,
        (StatusCode::CONFLICT, "last_device".into())
    );
    let resp = call(&relay, &me, Method::GET, "/api/v1/devices")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "still linked");
    let resp = call(&relay, &me, Method::DELETE, "/api/v1/account")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_method_on_an_api_route_is_405_with_allow() {
    let relay = util::start();
    for (method, path, allow) in [
        (Method::PUT, "/api/v1/sync/push", "POST"),
        (Method::GET, "/api/v1/accounts", "POST"),
        (Method::POST, "/api/v1/sync/pull", "GET"),
        (Method::PATCH, "/api/v1/shares/0123", "GET, DELETE"),
    ] {
        let resp = relay
            .client
            .request(method.clone(), format!("{}{path}", relay.base))
            .send()
            .await
            .unwrap();
        assert_eq!(
            resp.headers()
                .get("allow")
                .map(|v| v.to_str().unwrap().to_owned()),
            Some(allow.to_owned()),
            "{method} {path}"
        );
        assert_eq!(
            error_of(resp).await,
            (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed".into()),
            "{method} {path}"
        );
    }
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn data_files_are_private_to_the_relay() {
    use std::os::unix::fs::PermissionsExt;
    let relay = util::start();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&relay.data_dir), 0o700);
    assert_eq!(mode(&relay.data_dir.join("relay.redb")), 0o600);
    assert_eq!(mode(&relay.data_dir.join("tls/key.pem")), 0o600);
    assert_eq!(mode(&relay.data_dir.join("tls")), 0o700);
}

fn leaf_of(pem: &str) -> rustls::pki_types::CertificateDer<'static> {
    rustls_pemfile::certs(&mut pem.as_bytes())
        .next()
        .unwrap()
        .unwrap()
}

#[test]
fn the_generated_certificate_is_a_constrained_server_certificate() {
    let relay = util::start();
    let der = leaf_of(&relay.certificate_pem);
    let (not_before, not_after) = relay::tls::validity(&der).unwrap();
    let now = relay::sync_api::now();
    assert!(not_before <= now && now < not_after);
    let days = (not_after - not_before) / 86_400;
    assert!((397..=398).contains(&days), "{days} days");
    let bytes = der.as_ref();
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"localhost") && has(b"Zorgvuldig relay"));
    assert!(!has(b"rcgen self signed cert"));
    // basicConstraints (2.5.29.19) with an empty sequence: cA false.
    assert!(has(&[0x06, 0x03, 0x55, 0x1d, 0x13]) && has(&[0x04, 0x02, 0x30, 0x00]));
    // keyUsage (2.5.29.15): digitalSignature.
    assert!(has(&[0x06, 0x03, 0x55, 0x1d, 0x0f]) && has(&[0x03, 0x02, 0x07, 0x80]));
    // extendedKeyUsage (2.5.29.37): serverAuth (1.3.6.1.5.5.7.3.1).
    assert!(has(&[0x06, 0x03, 0x55, 0x1d, 0x25]));
    assert!(has(&[
        0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01
    ]));
    // The IP addresses among the names.
    assert!(has(&[0x87, 0x04, 127, 0, 0, 1]));
    assert!(has(&[
        0x87, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
    ]));
}

#[test]
fn an_expiring_or_old_style_certificate_is_replaced_at_start() {
    let expired = {
        let mut params = rcgen::CertificateParams::new(vec!["localhost".into()]).unwrap();
        params.not_before = rcgen::date_time_ymd(2019, 1, 1);
        params.not_after = rcgen::date_time_ymd(2020, 1, 1);
        let key = rcgen::KeyPair::generate().unwrap();
        (params.self_signed(&key).unwrap().pem(), key.serialize_pem())
    };
    let old_style = {
        let c = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        (c.cert.pem(), c.signing_key.serialize_pem())
    };
    for (cert, key) in [expired, old_style] {
        let dir = tempfile::tempdir().unwrap();
        let settings = util::settings_in(&dir);
        let tls = settings.data_dir.join("tls");
        std::fs::create_dir_all(&tls).unwrap();
        std::fs::write(tls.join("cert.pem"), &cert).unwrap();
        std::fs::write(tls.join("key.pem"), &key).unwrap();
        let before = relay::tls::fingerprint(&leaf_of(&cert));
        let relay = util::start_with(settings, dir);
        assert_ne!(
            relay.fingerprint, before,
            "renewed, with its new fingerprint"
        );
        let (not_before, not_after) =
            relay::tls::validity(&leaf_of(&relay.certificate_pem)).unwrap();
        assert!((397..=398).contains(&((not_after - not_before) / 86_400)));
    }
}

#[test]
fn malformed_requests_do_not_flood_the_log() {
    use std::io::{BufRead, BufReader, Read};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    util::write_fixture_app(&dir.path().join("app"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_zorgvuldig-relay"))
        .args(["--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path().join("data"))
        .arg("--app-dir")
        .arg(dir.path().join("app"))
        .env("ZORGVULDIG_MODELS_DIR", dir.path().join("no-models"))
        .env("ZORGVULDIG_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = loop {
        let line = lines.next().expect("relay printed its address").unwrap();
        if let Some(rest) = line.strip_prefix("Zorgvuldig is served at ") {
            break rest.trim_end_matches('/').to_owned();
        }
    };
    let pem = std::fs::read_to_string(dir.path().join("data/tls/cert.pem")).unwrap();
    for _ in 0..20 {
        let answer = util::raw_exchange_with(
            &base,
            &pem,
            "GET /healthz HTTP/1.1\r\nBad Header",
            b"",
            Duration::from_secs(5),
        );
        assert_eq!(answer.map(|a| a.0), Some(400));
    }
    child.kill().unwrap();
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    child.wait().unwrap();
    assert!(!log.contains("ERROR"), "{log}");
    assert_eq!(log.matches("malformed request").count(), 1, "{log}");
}
