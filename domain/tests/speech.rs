//! The speech worker's protocol and the resumable model download.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use domain::speech::{
    DownloadError, ModelCatalogue, ModelFit, ModelOffer, ModelSpeed, ResumableDownload,
    StartRecording, VoicePrint, WorkerEvent, WorkerRequest, is_model_name, model_fit,
    real_time_factor, retry_wait_ms,
};
use sha2::{Digest, Sha256};

fn offer(content: &[u8]) -> ModelOffer {
    ModelOffer {
        name: "whisper-base-nl".into(),
        version: "1".into(),
        url: "/models/m.zvsm".into(),
        sha256: hex::encode(Sha256::digest(content)),
        size: content.len() as u64,
    }
}

#[test]
fn a_broken_download_resumes_where_it_stopped() {
    let content: Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
    let mut dl = ResumableDownload::new(offer(&content));
    assert_eq!(dl.range_header(), None);
    dl.accept_response(200, None).unwrap();
    dl.push(&content[..400]).unwrap();
    // The connection breaks; the next request asks for the rest.
    assert_eq!(dl.range_header().as_deref(), Some("bytes=400-"));
    assert_eq!(
        dl.accept_response(206, Some("bytes 300-999/1000")),
        Err(DownloadError::WrongOffset {
            got: 300,
            expected: 400
        })
    );
    dl.accept_response(206, Some("bytes 400-999/1000")).unwrap();
    dl.push(&content[400..]).unwrap();
    assert!(dl.is_complete());
    assert_eq!(dl.finish().unwrap(), content);
}

#[test]
fn a_full_answer_to_a_ranged_request_starts_over() {
    let content = b"abcdefghij".to_vec();
    let mut dl = ResumableDownload::new(offer(&content));
    dl.push(b"abc").unwrap();
    dl.accept_response(200, None).unwrap();
    assert_eq!(dl.received(), 0);
    dl.push(&content).unwrap();
    assert_eq!(dl.finish().unwrap(), content);
}

#[test]
fn damaged_or_oversized_bytes_are_refused() {
    let content = b"abcdefghij".to_vec();
    let mut dl = ResumableDownload::new(offer(&content));
    assert_eq!(dl.push(b"abcdefghijk"), Err(DownloadError::TooLong(10)));
    assert_eq!(dl.received(), 0, "nothing of a refused piece is kept");
    dl.push(b"abcdefghiX").unwrap();
    assert_eq!(dl.finish(), Err(DownloadError::Digest));
    assert_eq!(
        dl.received(),
        0,
        "a damaged file is dropped, the next try starts over"
    );
    assert_eq!(
        dl.accept_response(416, None),
        Err(DownloadError::Status(416))
    );
    assert_eq!(
        dl.accept_response(206, Some("garbage")),
        Err(DownloadError::Status(206))
    );
}

#[test]
fn retries_back_off_up_to_half_a_minute() {
    let waits: Vec<u32> = (1..=8).map(retry_wait_ms).collect();
    assert_eq!(waits, [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
}

#[test]
fn protocol_messages_are_tagged_json() {
    let load = WorkerRequest::Load {
        catalogue: "/api/v1/models".into(),
        model: None,
    };
    let json = serde_json::to_string(&load).unwrap();
    assert_eq!(
        json,
        r#"{"kind":"load","catalogue":"/api/v1/models","model":null}"#
    );
    assert_eq!(serde_json::from_str::<WorkerRequest>(&json).unwrap(), load);
    // A request of an older page (no choice) asks for the default.
    let older: WorkerRequest =
        serde_json::from_str(r#"{"kind":"load","catalogue":"/api/v1/models"}"#).unwrap();
    assert_eq!(older, load);
    let event: WorkerEvent =
        serde_json::from_str(r#"{"progress":{"received":5,"total":10}}"#).unwrap();
    assert_eq!(
        event,
        WorkerEvent::Progress {
            received: 5,
            total: 10
        }
    );
    let catalogue: ModelCatalogue = serde_json::from_str(
        r#"{"models":[{"name":"n","version":"v","url":"/models/f","sha256":"ab","size":3,"precision":"q8_0","license":"MIT"}]}"#,
    )
    .unwrap();
    assert_eq!(catalogue.models[0].url, "/models/f");
}

#[test]
fn the_voice_print_travels_with_the_start_and_back_from_the_worker() {
    let print = VoicePrint {
        mean: vec![Some(0.5), None],
        windows: 12,
    };
    let event: WorkerEvent =
        serde_json::from_str(r#"{"voice_print":{"print":{"mean":[0.5,null],"windows":12}}}"#)
            .unwrap();
    assert_eq!(
        event,
        WorkerEvent::VoicePrint {
            print: Some(print.clone())
        }
    );
    let too_little: WorkerEvent =
        serde_json::from_str(r#"{"voice_print":{"print":null}}"#).unwrap();
    assert_eq!(too_little, WorkerEvent::VoicePrint { print: None });
    let ask = serde_json::to_string(&WorkerRequest::PrintVoice).unwrap();
    assert_eq!(ask, r#"{"kind":"print_voice"}"#);
    // A start without a print says nothing of it; with one it carries it.
    let start: StartRecording =
        serde_json::from_str(r#"{"contact":"0123456789abcdef0123456789abcdef"}"#).unwrap();
    assert_eq!(start.voice_print(), None);
    let with = start.with_voice_print(Some(print.clone()));
    let json = serde_json::to_string(&with).unwrap();
    let read: StartRecording = serde_json::from_str(&json).unwrap();
    assert_eq!(read.voice_print(), Some(&print));
}

#[test]
fn the_chosen_model_is_taken_when_offered_and_the_default_otherwise() {
    let named = |name: &str, size: u64| ModelOffer {
        name: name.into(),
        size,
        ..offer(b"x")
    };
    let catalogue = ModelCatalogue {
        models: vec![named("whisper-base-nl", 83), named("large-v3-turbo", 900)],
    };
    assert_eq!(catalogue.choose(None).unwrap().name, "whisper-base-nl");
    assert_eq!(
        catalogue.choose(Some("large-v3-turbo")).unwrap().name,
        "large-v3-turbo"
    );
    // A model the relay no longer offers: the default, not nothing.
    assert_eq!(
        catalogue.choose(Some("gone")).unwrap().name,
        "whisper-base-nl"
    );
    assert!(ModelCatalogue { models: vec![] }.choose(None).is_none());
    // Chosen on a large laptop, loaded on a small phone: the default.
    let large = ModelCatalogue {
        models: vec![
            named("whisper-base-nl", 83_000_000),
            named("medium", 830_000_000),
        ],
    };
    assert_eq!(
        large
            .choose_fitting(Some("medium"), Some(2.0))
            .unwrap()
            .name,
        "whisper-base-nl"
    );
    assert_eq!(
        large
            .choose_fitting(Some("medium"), Some(8.0))
            .unwrap()
            .name,
        "medium"
    );
    assert_eq!(
        large.choose_fitting(None, Some(2.0)).unwrap().name,
        "whisper-base-nl"
    );
}

#[test]
fn a_model_fits_in_the_workers_memory_or_is_too_large() {
    const MB: u64 = 1_000_000;
    // Base (83 MB) fits anywhere; its own work is 1.
    assert_eq!(
        model_fit(83 * MB, 83 * MB, Some(2.0)),
        ModelFit::Fits { work: 1.0 }
    );
    // Medium (about 830 MB) needs about 1.9 GB: fits on 8 GiB, not on 2 GiB.
    match model_fit(830 * MB, 83 * MB, Some(8.0)) {
        ModelFit::Fits { work } => assert!((work - 10.0).abs() < 0.01, "{work}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(model_fit(830 * MB, 83 * MB, Some(2.0)), ModelFit::TooLarge);
    // Large-v3 in 8 bits (about 1.65 GB) needs about 3.6 GB: only a device of 8 GiB or more.
    assert!(matches!(
        model_fit(1_650 * MB, 83 * MB, Some(8.0)),
        ModelFit::Fits { .. }
    ));
    assert_eq!(
        model_fit(1_650 * MB, 83 * MB, Some(4.0)),
        ModelFit::TooLarge
    );
    // Over about 2 GB a model is over the worker's 4 GiB whatever the device has.
    assert_eq!(model_fit(2_100 * MB, 83 * MB, None), ModelFit::TooLarge);
    assert_eq!(
        model_fit(2_100 * MB, 83 * MB, Some(64.0)),
        ModelFit::TooLarge
    );
    // A browser that does not tell its memory is judged by the worker's limit alone.
    assert!(matches!(
        model_fit(830 * MB, 83 * MB, None),
        ModelFit::Fits { .. }
    ));
    assert!(matches!(
        model_fit(830 * MB, 83 * MB, Some(f64::NAN)),
        ModelFit::Fits { .. }
    ));
}

#[test]
fn model_names_are_plain() {
    for good in ["whisper-base-nl", "large-v3-turbo", "org_model.2"] {
        assert!(is_model_name(good), "{good}");
    }
    for bad in ["", ".hidden", "a/b", "a b", "é", &"x".repeat(121)] {
        assert!(!is_model_name(bad), "{bad}");
    }
}

#[test]
fn a_models_speed_is_measured_or_estimated_from_the_default() {
    // Too short a recording says nothing about speed.
    assert_eq!(real_time_factor(2_000, 9_999), None);
    assert_eq!(real_time_factor(15_000, 60_000), Some(0.25));
    assert_eq!(
        ModelSpeed::of(Some(0.4), Some(0.25), 3.0),
        ModelSpeed::Measured(0.4)
    );
    assert_eq!(
        ModelSpeed::of(None, Some(0.25), 3.0),
        ModelSpeed::Estimated(0.75)
    );
    assert_eq!(ModelSpeed::of(None, None, 3.0), ModelSpeed::Unknown);
    assert!(ModelSpeed::Estimated(2.5).slower_than_speech());
    assert!(!ModelSpeed::Measured(0.9).slower_than_speech());
    assert!(!ModelSpeed::Unknown.slower_than_speech());
}
