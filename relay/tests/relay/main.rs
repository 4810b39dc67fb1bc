//! The relay over real TLS: assets, headers, errors, settings at start.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod abuse;
mod durability;
mod models;
mod postgres_locks;
mod shares;
mod store_conformance;
mod sync;
mod util;

use std::io::Read;

use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_NONE_MATCH,
};

#[tokio::test(flavor = "multi_thread")]
async fn healthz_answers_over_tls() {
    let relay = util::start();
    let resp = relay.get("/healthz").await;
    assert_eq!(resp.status(), StatusCode::OK);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["status"], "ok");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_response_carries_the_security_headers() {
    let relay = util::start();
    for path in ["/", "/healthz", "/assets/missing.js"] {
        let resp = relay.get(path).await;
        let h = resp.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(h["strict-transport-security"], "max-age=31536000", "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        assert_eq!(h["cross-origin-opener-policy"], "same-origin", "{path}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn hashed_asset_is_precompressed_and_immutable() {
    let relay = util::start();
    let url = format!("{}/{}", relay.base, util::APP_JS_PATH);
    for (accept, coding) in [
        ("br, gzip", Some("br")),
        ("gzip", Some("gzip")),
        ("identity", None),
    ] {
        let resp = relay
            .client
            .get(&url)
            .header(ACCEPT_ENCODING, accept)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let h = resp.headers().clone();
        assert_eq!(
            h.get(CONTENT_ENCODING).map(|v| v.to_str().unwrap()),
            coding,
            "{accept}"
        );
        assert_eq!(h[CACHE_CONTROL], "public, max-age=31536000, immutable");
        assert_eq!(h[CONTENT_TYPE], "text/javascript; charset=utf-8");
        assert_eq!(h["vary"], "Accept-Encoding");
        let body = resp.bytes().await.unwrap();
        let text = match coding {
            Some("br") => {
                let mut out = String::new();
                brotli::Decompressor::new(&body[..], 4096)
                    .read_to_string(&mut out)
                    .unwrap();
                out
            }
            Some("gzip") => {
                let mut out = String::new();
                flate2::read::GzDecoder::new(&body[..])
                    .read_to_string(&mut out)
                    .unwrap();
                out
            }
            _ => String::from_utf8(body.to_vec()).unwrap(),
        };
        assert_eq!(text, util::APP_JS, "{accept}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn index_is_revalidated_with_etag() {
    let relay = util::start();
    let resp = relay.get("").await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[CACHE_CONTROL], "no-cache");
    let etag = resp.headers()[ETAG].clone();
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("<title>Zorgvuldig</title>")
    );
    let again = relay
        .client
        .get(&relay.base)
        .header(IF_NONE_MATCH, etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.bytes().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn app_routes_get_index_and_missing_files_get_json_404() {
    let relay = util::start();
    let route = relay.get("/dossiers/0123").await;
    assert_eq!(route.status(), StatusCode::OK);
    assert!(
        route
            .text()
            .await
            .unwrap()
            .contains("<title>Zorgvuldig</title>")
    );
    for path in [
        "/assets/nope-1234.js",
        "/favicon.ico",
        "/.env",
        "/assets/.hidden",
    ] {
        let resp = relay.get(path).await;
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{path}");
        let body: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(body["error"], "not_found", "{path}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn writes_to_the_app_are_refused() {
    let relay = util::start();
    let resp = relay
        .client
        .post(format!("{}/index.html", relay.base))
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "method_not_allowed");
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_http_gets_no_answer() {
    let relay = util::start();
    let plain = relay.base.replace("https://", "http://");
    let client = reqwest::Client::new();
    let result = client.get(format!("{plain}/healthz")).send().await;
    // The port speaks TLS only: a plaintext request never gets an HTTP response.
    assert!(result.is_err(), "plain HTTP was answered: {result:?}");
}

#[test]
fn generated_certificate_survives_restart() {
    let dir = tempfile::tempdir().unwrap();
    util::write_fixture_app(&dir.path().join("app"));
    let settings = relay::Settings {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.path().join("data"),
        app_dir: dir.path().join("app"),
        ..relay::Settings::default()
    };
    let first = util::start_with(settings.clone(), tempfile::tempdir().unwrap());
    let fingerprint = first.fingerprint.clone();
    drop(first);
    let second = util::start_with(settings, tempfile::tempdir().unwrap());
    assert_eq!(second.fingerprint, fingerprint);
    drop(dir);
}

#[test]
fn missing_app_is_a_clear_start_error() {
    let dir = tempfile::tempdir().unwrap();
    let settings = relay::Settings {
        data_dir: dir.path().join("data"),
        app_dir: dir.path().join("nothing-here"),
        ..relay::Settings::default()
    };
    let text = util::start_error(&settings);
    assert!(
        text.contains("nothing-here") && text.contains("index.html"),
        "{text}"
    );
}

mod template_versions {
    use super::*;

    #[tokio::test(flavor = "multi_thread")]
    async fn lists_every_version_with_its_hash() {
        let relay = util::start();
        let list: serde_json::Value = relay.get("/api/v1/templates").await.json().await.unwrap();
        let all = list["templates"].as_array().unwrap();
        assert_eq!(all.len(), templates::BUILTIN_FILES.len());
        assert_eq!(all.len(), 11, "7 templates, 4 of them in a second version");
        for version in [1, 2] {
            let sv = all
                .iter()
                .find(|t| t["id"] == "sociaal-verslag" && t["version"] == version)
                .unwrap();
            assert_eq!(
                sv["url"],
                format!("/api/v1/templates/sociaal-verslag/{version}")
            );
            assert_eq!(sv["sha256"].as_str().unwrap().len(), 64);
            assert_eq!(
                sv["checked_url"],
                format!("/api/v1/templates/sociaal-verslag/{version}/checked")
            );
        }
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn serves_each_checked_template_as_json_the_app_accepts() {
        let relay = util::start();
        let list: templates::update::Catalogue =
            relay.get("/api/v1/templates").await.json().await.unwrap();
        let shipped = templates::builtin().unwrap();
        let known: Vec<&templates::Template> = Vec::new();
        for listing in &list.templates {
            let resp = relay.get(&listing.checked_url).await;
            assert_eq!(resp.status(), StatusCode::OK, "{}", listing.key());
            assert_eq!(resp.headers()[CONTENT_TYPE], "application/json");
            assert_eq!(
                resp.headers()[ETAG].to_str().unwrap(),
                format!("\"{}-json\"", listing.sha256)
            );
            let template: templates::Template = resp.json().await.unwrap();
            let accepted = templates::update::accept(&known, listing, template).unwrap();
            assert!(shipped.contains(&accepted), "{}", listing.key());
        }
        let resp = relay.get("/api/v1/templates/bestaat-niet/1/checked").await;
        assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn serves_each_file_immutable_with_its_hash() {
        use sha2::Digest;
        let relay = util::start();
        let url = format!("{}/api/v1/templates/beslissingsbrief/1", relay.base);
        let resp = relay.client.get(&url).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(
            resp.headers()[CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        let etag = resp.headers()[ETAG].to_str().unwrap().to_owned();
        let body = resp.text().await.unwrap();
        assert!(body.contains("id = \"beslissingsbrief\""));
        assert_eq!(
            etag,
            format!("\"{}\"", hex::encode(sha2::Sha256::digest(body.as_bytes())))
        );
        let again = relay
            .client
            .get(&url)
            .header(IF_NONE_MATCH, etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn unknown_versions_and_api_paths_are_json_404() {
        let relay = util::start();
        for path in [
            "/api/v1/templates/sociaal-verslag/9",
            "/api/v1/templates/sociaal-verslag/een",
            "/api/v1/templates/bestaat-niet/1",
            "/api/v1/sync",
        ] {
            let resp = relay.get(path).await;
            assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{path}");
            let body: serde_json::Value = resp.json().await.unwrap();
            assert_eq!(body["error"], "not_found", "{path}");
        }
    }

    const EXTRA: &str = r#"format = 1
id = "huisbezoek-gent"
version = 1
title = "Verslag huisbezoek"
published = "2026-11-25"
owner = "OCMW Gent"
reason = "Eigen sjabloon van de pilootgemeente."
language = "nl-BE"
audience = "professional"

[[sections]]
id = "woning"
title = "De woning"
drafting = "excerpts"
terms = ["woning", "kamer"]

  [[sections.fields]]
  id = "woning-citaat"
  label = "Wat de cliënt vertelt"
  kind = "excerpt"
"#;

    fn settings_with(extra: &std::path::Path, dir: &tempfile::TempDir) -> relay::Settings {
        util::write_fixture_app(&dir.path().join("app"));
        relay::Settings {
            listen: "127.0.0.1:0".parse().unwrap(),
            data_dir: dir.path().join("data"),
            app_dir: dir.path().join("app"),
            templates_dir: Some(extra.to_owned()),
            ..relay::Settings::default()
        }
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_municipality_can_add_its_own_versions() {
        let dir = tempfile::tempdir().unwrap();
        let extra = dir.path().join("templates");
        std::fs::create_dir_all(&extra).unwrap();
        std::fs::write(extra.join("huisbezoek-gent.v1.toml"), EXTRA).unwrap();
        let settings = settings_with(&extra, &dir);
        let relay = util::start_with(settings, dir);
        let list: serde_json::Value = relay.get("/api/v1/templates").await.json().await.unwrap();
        assert_eq!(
            list["templates"].as_array().unwrap().len(),
            templates::BUILTIN_FILES.len() + 1
        );
        let file = relay.get("/api/v1/templates/huisbezoek-gent/1").await;
        assert_eq!(file.text().await.unwrap(), EXTRA);
        let checked: templates::Template = relay
            .get("/api/v1/templates/huisbezoek-gent/1/checked")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            checked,
            templates::parse("huisbezoek-gent.v1.toml", EXTRA).unwrap()
        );
    }

    #[test]
    fn a_malformed_template_stops_the_relay_with_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let extra = dir.path().join("templates");
        std::fs::create_dir_all(&extra).unwrap();
        std::fs::write(
            extra.join("huisbezoek-gent.v1.toml"),
            EXTRA.replace(
                "kind = \"excerpt\"",
                "kind = \"excerpt\"\n  pattern = \"{value}\"",
            ),
        )
        .unwrap();
        // Reusing a shipped id and version is refused too.
        std::fs::write(
            extra.join("sociaal-verslag.v1.toml"),
            templates::BUILTIN_FILES
                .iter()
                .find(|(n, _)| *n == "sociaal-verslag.v1.toml")
                .unwrap()
                .1,
        )
        .unwrap();
        let settings = settings_with(&extra, &dir);
        let err = util::start_error(&settings);
        assert!(err.contains("huisbezoek-gent.v1.toml:21:"), "{err}");
        assert!(
            err.contains("sociaal-verslag@1 is also defined in builtin/sociaal-verslag.v1.toml"),
            "{err}"
        );
    }
}
