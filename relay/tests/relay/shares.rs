//! Share links over TLS: upload, open with and without PIN, revoke; expiry in the store.

use domain::share::{ShareDownload, ShareInfo, ShareUpload, SharedReport, SharedSection};
use relay::store::redb_store::RedbStore;
use relay::store::{NewShare, RelayStore, ShareLookup};
use reqwest::StatusCode;

use crate::sync::first_device;
use crate::util;

fn report() -> SharedReport {
    SharedReport {
        title: "Beslissingsbrief".into(),
        subtitle: vec!["Cliënt: Mohamed El Amrani".into()],
        sections: vec![SharedSection {
            heading: "Wat werd beslist".into(),
            paragraphs: vec!["U krijgt een leefloon van € 1.314,92 per maand.".into()],
        }],
        disclosure: vec!["Bij dit verslag werd AI-ondersteuning gebruikt.".into()],
    }
}

async fn error_of(resp: reqwest::Response) -> (StatusCode, String) {
    let status = resp.status();
    let body: serde_json::Value = resp.json().await.unwrap();
    (
        status,
        body["error"].as_str().unwrap_or_default().to_owned(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_opens_the_shared_report_until_it_is_revoked() {
    let relay = util::start();
    let worker = first_device(&relay).await;
    let sealed = report().seal().unwrap();
    let upload = ShareUpload {
        id: sealed.id.clone(),
        data: sealed.bytes.clone(),
        expires_in_days: 30,
        pin: None,
    };
    let resp = worker
        .request(&relay, reqwest::Method::POST, "/api/v1/shares")
        .json(&upload)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let again = worker
        .request(&relay, reqwest::Method::POST, "/api/v1/shares")
        .json(&upload)
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_of(again).await,
        (StatusCode::CONFLICT, "already_exists".into())
    );

    // The client: no account, only the link.
    let link = sealed.link(&relay.base);
    let (path, key) = link.split_once('#').unwrap();
    let id = path.rsplit('/').next().unwrap();
    let page = relay.get(&format!("/s/{id}")).await;
    assert_eq!(page.status(), StatusCode::OK, "the link opens the app");
    let resp = relay.get(&format!("/api/v1/shares/{id}")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let download: ShareDownload = resp.json().await.unwrap();
    assert_eq!(
        SharedReport::open(id, key, &download.data).unwrap(),
        report()
    );

    let db = relay.data_dir.join("relay.redb");
    let bytes = std::fs::read(&db).unwrap();
    for needle in ["El Amrani", "leefloon", "Beslissingsbrief", key] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "{needle} in the relay store"
        );
    }

    let list: Vec<ShareInfo> = worker
        .request(&relay, reqwest::Method::GET, "/api/v1/shares")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    assert!(!list[0].revoked);
    let resp = worker
        .request(
            &relay,
            reqwest::Method::DELETE,
            &format!("/api/v1/shares/{id}"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let gone = relay.get(&format!("/api/v1/shares/{id}")).await;
    assert_eq!(
        error_of(gone).await,
        (StatusCode::GONE, "share_revoked".into())
    );
    let missing = relay
        .get(&format!("/api/v1/shares/{}", "0".repeat(32)))
        .await;
    assert_eq!(error_of(missing).await.1, "not_found");
    let malformed = relay.get("/api/v1/shares/..%2F..%2Fetc").await;
    assert_eq!(malformed.status(), StatusCode::NOT_FOUND);

    // Another account cannot revoke it.
    let other = first_device(&relay).await;
    let resp = other
        .request(
            &relay,
            reqwest::Method::DELETE,
            &format!("/api/v1/shares/{id}"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pin_gates_the_share_and_too_many_wrong_pins_lock_it() {
    let relay = util::start();
    let worker = first_device(&relay).await;
    let sealed = report().seal().unwrap();
    let mut upload = ShareUpload {
        id: sealed.id.clone(),
        data: sealed.bytes.clone(),
        expires_in_days: 30,
        pin: Some("12a4".into()),
    };
    let bad_pin = worker
        .request(&relay, reqwest::Method::POST, "/api/v1/shares")
        .json(&upload)
        .send()
        .await
        .unwrap();
    assert_eq!(bad_pin.status(), StatusCode::BAD_REQUEST);
    upload.pin = Some("4821".into());
    worker
        .request(&relay, reqwest::Method::POST, "/api/v1/shares")
        .json(&upload)
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    let url = format!("{}/api/v1/shares/{}", relay.base, sealed.id);
    let no_pin = relay.client.get(&url).send().await.unwrap();
    assert_eq!(
        error_of(no_pin).await,
        (StatusCode::UNAUTHORIZED, "pin_required".into())
    );
    let right = relay
        .client
        .get(&url)
        .header("x-share-pin", "4821")
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), StatusCode::OK);
    for left in (1..=4).rev() {
        let wrong = relay
            .client
            .get(&url)
            .header("x-share-pin", "0000")
            .send()
            .await
            .unwrap();
        let body: serde_json::Value = wrong.json().await.unwrap();
        assert_eq!(body["error"], "pin_wrong");
        assert_eq!(body["attempts_left"], left);
    }
    let locked = relay
        .client
        .get(&url)
        .header("x-share-pin", "0000")
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_of(locked).await,
        (StatusCode::GONE, "share_locked".into())
    );
    let after = relay
        .client
        .get(&url)
        .header("x-share-pin", "4821")
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(after).await.1, "share_locked", "locked for good");
}

#[test]
fn an_expired_share_is_gone_and_its_ciphertext_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let store = RedbStore::open(&dir.path().join("relay.redb")).unwrap();
    let account = [7; 16];
    store
        .create_account(account, [8; 16], [9; 32], 1_000, u64::MAX)
        .unwrap();
    let share = NewShare {
        id: [1; 16],
        data: vec![0xAB; 500],
        created: 1_000,
        expires_at: 2_000,
        pin: None,
    };
    assert!(store.put_share(account, share, 10_000).unwrap());
    assert_eq!(store.usage(account).unwrap(), 500);
    assert!(matches!(
        store.open_share([1; 16], None, 1_999).unwrap(),
        ShareLookup::Open { .. }
    ));
    assert_eq!(
        store.open_share([1; 16], None, 2_000).unwrap(),
        ShareLookup::Expired
    );
    assert_eq!(
        store.open_share([1; 16], None, 1_500).unwrap(),
        ShareLookup::Expired
    );
    assert_eq!(store.usage(account).unwrap(), 0);
    assert_eq!(
        store.open_share([2; 16], None, 1_500).unwrap(),
        ShareLookup::Missing
    );
}
