//! `kill -9` of the relay binary in the middle of uploads: every acknowledged write survives.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use domain::sync::{AccountCreated, PullResponse, PushResponse};
use reqwest::StatusCode;

fn spawn(dir: &std::path::Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zorgvuldig-relay"))
        .args(["--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.join("data"))
        .arg("--app-dir")
        .arg(dir.join("app"))
        .env("ZORGVULDIG_MODELS_DIR", dir.join("no-models"))
        .env("ZORGVULDIG_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let port = loop {
        let line = lines.next().expect("relay printed its address").unwrap();
        if let Some(rest) = line.strip_prefix("Zorgvuldig is served at https://localhost:") {
            break rest.trim_end_matches('/').to_owned();
        }
    };
    (child, format!("https://localhost:{port}"))
}

fn client(dir: &std::path::Path) -> reqwest::Client {
    let pem = std::fs::read(dir.join("data/tls/cert.pem")).unwrap();
    reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .https_only(true)
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn acknowledged_writes_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    crate::util::write_fixture_app(&dir.path().join("app"));
    let (mut relay, base) = spawn(dir.path());
    let http = client(dir.path());
    let cred: AccountCreated = http
        .post(format!("{base}/api/v1/accounts"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    // Four writers push until the relay dies; every acknowledged entry is remembered.
    let mut writers = Vec::new();
    for w in 0u8..4 {
        let http = http.clone();
        let base = base.clone();
        let token = cred.token.clone();
        writers.push(tokio::spawn(async move {
            let mut acked = Vec::new();
            for i in 0u32..10_000 {
                let mut key = [0u8; 16];
                key[0] = w;
                key[12..].copy_from_slice(&i.to_be_bytes());
                let data = vec![w ^ (i as u8); 700];
                let body = serde_json::json!({"items": [{
                    "store": "records", "key": hex::encode(key), "base": 0,
                    "data": base64_encode(&data),
                }]});
                let Ok(resp) = http
                    .post(format!("{base}/api/v1/sync/push"))
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await
                else {
                    break;
                };
                let Ok(answer) = resp.json::<PushResponse>().await else {
                    break;
                };
                if let domain::sync::PushOutcome::Accepted { rev } = answer.results[0].outcome {
                    acked.push((hex::encode(key), rev, data));
                }
            }
            acked
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    relay.kill().unwrap(); // SIGKILL
    relay.wait().unwrap();
    let mut acked = Vec::new();
    for w in writers {
        acked.extend(w.await.unwrap());
    }
    assert!(
        acked.len() > 20,
        "only {} writes before the kill",
        acked.len()
    );

    let (mut relay, base) = spawn(dir.path());
    let mut found = std::collections::HashMap::new();
    let mut since = 0;
    loop {
        let resp = http
            .get(format!("{base}/api/v1/sync/pull?since={since}"))
            .bearer_auth(&cred.token)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let page: PullResponse = resp.json().await.unwrap();
        for item in page.items {
            found.insert(item.key.to_string(), (item.rev, item.data.unwrap()));
        }
        since = page.cursor;
        if !page.more {
            break;
        }
    }
    relay.kill().unwrap();
    relay.wait().unwrap();
    for (key, rev, data) in &acked {
        let (got_rev, got) = found
            .get(key)
            .unwrap_or_else(|| panic!("acknowledged {key} lost"));
        assert_eq!((got_rev, got), (rev, data));
    }
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
