//! Speech model files: listing, whole and ranged downloads, caching, damaged files.

use sha2::{Digest, Sha256};

use crate::util;

/// A model directory with a manifest and a deterministic 300 kB file.
fn model_dir(dir: &std::path::Path) -> (String, Vec<u8>) {
    let bytes: Vec<u8> = (0..300_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let sha = hex::encode(Sha256::digest(&bytes));
    let file = format!("whisper-test-{}.zvsm", &sha[..16]);
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(&file), &bytes).unwrap();
    let manifest = serde_json::json!({
        "name": "whisper-test", "version": "1", "file": file, "sha256": sha,
        "size": bytes.len(), "precision": "q8_0", "license": "MIT", "sources": []
    });
    std::fs::write(dir.join("manifest.json"), manifest.to_string()).unwrap();
    (file, bytes)
}

fn start_with_models() -> (util::TestRelay, String, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    util::write_fixture_app(&dir.path().join("app"));
    let (file, bytes) = model_dir(&dir.path().join("models"));
    let settings = relay::Settings {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.path().join("data"),
        app_dir: dir.path().join("app"),
        models_dir: dir.path().join("models"),
        ..relay::Settings::default()
    };
    (util::start_with(settings, dir), file, bytes)
}

#[tokio::test]
async fn the_model_list_names_url_size_and_digest() {
    let (relay, file, bytes) = start_with_models();
    let list: serde_json::Value = relay.get("/api/v1/models").await.json().await.unwrap();
    let model = &list["models"][0];
    assert_eq!(model["url"], format!("/models/{file}"));
    assert_eq!(model["size"], bytes.len());
    assert_eq!(model["sha256"], hex::encode(Sha256::digest(&bytes)));
    assert_eq!(list["models"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn whole_download_is_cached_for_good_and_ranges_resume() {
    let (relay, file, bytes) = start_with_models();
    let url = format!("{}/models/{file}", relay.base);
    let whole = relay.client.get(&url).send().await.unwrap();
    assert_eq!(whole.status(), 200);
    let headers = whole.headers().clone();
    assert_eq!(headers["accept-ranges"], "bytes");
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(headers["content-type"], "application/octet-stream");
    assert_eq!(whole.bytes().await.unwrap().as_ref(), bytes.as_slice());

    // An interrupted download continues where it stopped.
    let rest = relay
        .client
        .get(&url)
        .header("Range", "bytes=123456-")
        .send()
        .await
        .unwrap();
    assert_eq!(rest.status(), 206);
    assert_eq!(
        rest.headers()["content-range"],
        format!("bytes 123456-{}/{}", bytes.len() - 1, bytes.len())
    );
    assert_eq!(rest.bytes().await.unwrap().as_ref(), &bytes[123_456..]);

    let middle = relay
        .client
        .get(&url)
        .header("Range", "bytes=10-19")
        .send()
        .await
        .unwrap();
    assert_eq!(middle.status(), 206);
    assert_eq!(middle.bytes().await.unwrap().as_ref(), &bytes[10..20]);

    let beyond = relay
        .client
        .get(&url)
        .header("Range", "bytes=999999-")
        .send()
        .await
        .unwrap();
    assert_eq!(beyond.status(), 416);
}

#[tokio::test]
async fn unknown_model_files_and_traversal_are_not_found() {
    let (relay, _, _) = start_with_models();
    for path in [
        "/models/other.zvsm",
        "/models/manifest.json",
        "/models/..%2Fdata%2Ftls%2Fkey.pem",
    ] {
        let response = relay.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
    }
}

#[tokio::test]
async fn without_a_manifest_no_model_is_offered() {
    let relay = util::start();
    let list: serde_json::Value = relay.get("/api/v1/models").await.json().await.unwrap();
    assert_eq!(list["models"].as_array().unwrap().len(), 0);
}

#[test]
fn a_damaged_model_file_stops_the_start_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    util::write_fixture_app(&dir.path().join("app"));
    let (file, mut bytes) = model_dir(&dir.path().join("models"));
    bytes[1000] ^= 1;
    std::fs::write(dir.path().join("models").join(&file), &bytes).unwrap();
    let settings = relay::Settings {
        data_dir: dir.path().join("data"),
        app_dir: dir.path().join("app"),
        models_dir: dir.path().join("models"),
        ..relay::Settings::default()
    };
    let text = util::start_error(&settings);
    assert!(text.contains(&file) && text.contains("SHA-256"), "{text}");
    // A truncated file is named too.
    std::fs::write(dir.path().join("models").join(&file), &bytes[..100]).unwrap();
    let text = util::start_error(&settings);
    assert!(text.contains("100 bytes"), "{text}");
}

#[tokio::test]
async fn ranges_follow_rfc_9110_and_their_errors_are_json() {
    let (relay, file, bytes) = start_with_models();
    let url = format!("{}/models/{file}", relay.base);
    let whole = format!("bytes 0-{}/{}", bytes.len() - 1, bytes.len());
    for (range, status, content_range) in [
        // Several ranges: the whole file (RFC 9110 §14.2 lets a server ignore Range).
        ("bytes=0-0,5-9", 200, None),
        // An end past the file is clamped, however many digits it has.
        ("bytes=0-18446744073709551615", 206, Some(whole.clone())),
        ("bytes=0-184467440737095516150000", 206, Some(whole.clone())),
        // Another unit is ignored.
        ("items=0-10", 200, None),
        (
            "bytes=10-19",
            206,
            Some(format!("bytes 10-19/{}", bytes.len())),
        ),
    ] {
        let resp = relay
            .client
            .get(&url)
            .header("Range", range)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), status, "{range}");
        assert_eq!(
            resp.headers()
                .get("content-range")
                .map(|v| v.to_str().unwrap().to_owned()),
            content_range,
            "{range}"
        );
        let body = resp.bytes().await.unwrap();
        let expected = match range {
            "bytes=10-19" => &bytes[10..20],
            _ => &bytes[..],
        };
        assert_eq!(body.as_ref(), expected, "{range}");
    }
    for range in ["bytes=300000-", "bytes=99999999999999999999999-"] {
        let resp = relay
            .client
            .get(&url)
            .header("Range", range)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 416, "{range}");
        assert_eq!(
            resp.headers()["content-range"],
            format!("bytes */{}", bytes.len())
        );
        let body: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(body["error"], "range_not_satisfiable", "{range}");
    }
}

/// The shipped fixture plus an organisation's tiny CTranslate2 Whisper in `models/org-tiny/`
/// and a directory that is no model at all.
fn dir_with_an_organisations_model() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    util::write_fixture_app(&dir.path().join("app"));
    model_dir(&dir.path().join("models"));
    speech_fixtures::whisper_dir::write_tiny_ct2(&dir.path().join("models/org-tiny"), 7).unwrap();
    let broken = dir.path().join("models/broken");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(broken.join("model.bin"), b"not a model").unwrap();
    dir
}

#[tokio::test]
async fn a_model_an_organisation_places_is_converted_and_offered_after_the_default() {
    let dir = dir_with_an_organisations_model();
    let settings = relay::Settings {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.path().join("data"),
        app_dir: dir.path().join("app"),
        models_dir: dir.path().join("models"),
        ..relay::Settings::default()
    };
    let relay = util::start_with(settings, dir);
    let list: serde_json::Value = relay.get("/api/v1/models").await.json().await.unwrap();
    let models = list["models"].as_array().unwrap();
    // The broken directory is left out; the shipped model stays first and default.
    assert_eq!(models.len(), 2, "{list}");
    assert_eq!(models[0]["name"], "whisper-test");
    assert_eq!(models[0]["default"], true);
    let org = &models[1];
    assert_eq!(org["name"], "org-tiny");
    assert_eq!(org["default"], false);
    let url = format!("{}{}", relay.base, org["url"].as_str().unwrap());
    let bytes = relay
        .client
        .get(&url)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(org["size"], bytes.len());
    assert_eq!(org["sha256"], hex::encode(Sha256::digest(&bytes)));
    // What is served is an engine model file of the directory's shape.
    let config = models::whisper::read_config(&bytes).unwrap();
    assert_eq!(
        (config.n_mels, config.d_model, config.encoder_layers),
        (80, 64, 1)
    );
}

#[test]
fn a_placed_model_is_converted_once_and_again_when_it_changes() {
    let dir = dir_with_an_organisations_model();
    let models_dir = dir.path().join("models");
    let first = relay::model_files::ModelFiles::load(&models_dir).unwrap();
    let file = first.models()[1].file.clone();
    let written = std::fs::metadata(models_dir.join(&file))
        .unwrap()
        .modified()
        .unwrap();
    let again = relay::model_files::ModelFiles::load(&models_dir).unwrap();
    assert_eq!(again.models()[1].file, file);
    assert_eq!(
        std::fs::metadata(models_dir.join(&file))
            .unwrap()
            .modified()
            .unwrap(),
        written,
        "an unchanged directory is not converted again"
    );
    // New weights in the directory: a new file replaces the old one.
    speech_fixtures::whisper_dir::write_tiny_ct2(&models_dir.join("org-tiny"), 8).unwrap();
    let changed = relay::model_files::ModelFiles::load(&models_dir).unwrap();
    let new_file = &changed.models()[1].file;
    assert_ne!(new_file, &file);
    assert!(!models_dir.join(&file).exists());
    assert!(models_dir.join(new_file).exists());
}

#[test]
fn only_a_directorys_own_conversions_are_replaced() {
    use relay::model_import::conversion_of;
    assert!(conversion_of("org-q8-0123456789abcdef.zvsm", "org"));
    // The file of a directory called "org-q8-other" is not "org"'s.
    assert!(!conversion_of(
        "org-q8-other-q8-0123456789abcdef.zvsm",
        "org"
    ));
    assert!(!conversion_of("org-q8-0123.zvsm", "org"));
    assert!(!conversion_of(
        "org-q8-0123456789abcdef.zvsm.partial",
        "org"
    ));
    assert!(!conversion_of("other-q8-0123456789abcdef.zvsm", "org"));
}

#[test]
fn a_damaged_conversion_is_made_again_and_a_linked_directory_is_read() {
    let dir = dir_with_an_organisations_model();
    let models_dir = dir.path().join("models");
    let first = relay::model_files::ModelFiles::load(&models_dir).unwrap();
    let file = models_dir.join(&first.models()[1].file);
    let mut bytes = std::fs::read(&file).unwrap();
    bytes[100] ^= 1;
    std::fs::write(&file, &bytes).unwrap();
    // The relay still starts, with the model converted again.
    let again = relay::model_files::ModelFiles::load(&models_dir).unwrap();
    assert_eq!(again.models().len(), 2);
    assert_ne!(std::fs::read(&file).unwrap(), bytes);
    // A directory that is a link to the model is offered like one in place.
    let elsewhere = tempfile::tempdir().unwrap();
    speech_fixtures::whisper_dir::write_tiny_ct2(&elsewhere.path().join("linked"), 3).unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("linked"), models_dir.join("linked")).unwrap();
    let linked = relay::model_files::ModelFiles::load(&models_dir).unwrap();
    let names: Vec<&str> = linked.models().iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["whisper-test", "linked", "org-tiny"]);
}
