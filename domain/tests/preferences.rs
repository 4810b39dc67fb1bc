//! The worker's preferences: who a client's page comes from, and what older records read as.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use domain::Timestamp;
use domain::preferences::{Preferences, PreferencesError, Region, VoiceProfile};
use domain::speech::VoicePrint;

#[test]
fn the_sender_line_names_whoever_is_given() {
    let mut p = Preferences::default();
    assert_eq!(p.sender_line(), None);
    p.organisation = " OCMW Gent ".into();
    assert_eq!(p.sender_line().as_deref(), Some("Van: OCMW Gent"));
    p.worker_name = "Łukasz Wójcik".into();
    assert_eq!(
        p.sender_line().as_deref(),
        Some("Van: Łukasz Wójcik, OCMW Gent")
    );
    p.organisation = "  ".into();
    assert_eq!(p.sender_line().as_deref(), Some("Van: Łukasz Wójcik"));
    assert!(p.validate().is_ok());
}

#[test]
fn names_are_one_short_line() {
    for bad in ["a\nb".to_owned(), "x".repeat(121), "tab\there".to_owned()] {
        let p = Preferences {
            organisation: bad,
            ..Preferences::default()
        };
        assert_eq!(p.validate(), Err(PreferencesError::BadName));
    }
    let p = Preferences {
        worker_name: "é".repeat(120),
        ..Preferences::default()
    };
    assert!(p.validate().is_ok());
}

#[test]
fn preferences_stored_before_the_names_still_read() {
    let old: Preferences = serde_json::from_str(r#"{"auto_lock_minutes":7}"#).unwrap();
    assert_eq!(old.auto_lock_minutes, 7);
    assert_eq!(old.sender_line(), None);
}

#[test]
fn a_chosen_region_overrides_the_browsers_language() {
    let mut p = Preferences::default();
    assert_eq!(p.vocabulary_language("en-US"), "en-US");
    p.region = Region::Netherlands;
    assert_eq!(p.vocabulary_language("nl-BE"), "nl-NL");
    p.region = Region::Flanders;
    assert_eq!(p.vocabulary_language("nl-NL"), "nl-BE");
    let stored: Preferences = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
    assert_eq!(stored.region, Region::Flanders);
}

fn profile(mean: Vec<Option<f32>>) -> VoiceProfile {
    VoiceProfile {
        print: VoicePrint { mean, windows: 40 },
        made: Timestamp(1_765_000_000_000),
    }
}

#[test]
fn a_voice_profile_is_kept_and_read_back_and_older_preferences_have_none() {
    let p = Preferences {
        voice_profile: Some(profile(vec![Some(1.5), None, Some(-0.25)])),
        ..Preferences::default()
    };
    assert!(p.validate().is_ok());
    let stored: Preferences = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
    assert_eq!(stored, p);
    // Without one, nothing is written for it, and preferences written before read as none.
    let none = serde_json::to_string(&Preferences::default()).unwrap();
    assert!(!none.contains("voice_profile"), "{none}");
    let old: Preferences = serde_json::from_str(r#"{"auto_lock_minutes":7}"#).unwrap();
    assert_eq!(old.voice_profile, None);
}

#[test]
fn a_damaged_voice_profile_is_refused() {
    for bad in [
        profile(Vec::new()),
        profile(vec![Some(1.0); 65]),
        profile(vec![Some(f32::INFINITY)]),
        VoiceProfile {
            print: VoicePrint {
                mean: vec![Some(1.0)],
                windows: 0,
            },
            made: Timestamp(0),
        },
    ] {
        let p = Preferences {
            voice_profile: Some(bad),
            ..Preferences::default()
        };
        assert_eq!(p.validate(), Err(PreferencesError::BadVoiceProfile));
    }
}

#[test]
fn the_chosen_speech_model_is_kept_and_checked() {
    let older: Preferences = serde_json::from_str(r#"{"auto_lock_minutes":5}"#).unwrap();
    assert_eq!(older.speech_model, None);
    // The default is not written at all: older apps keep reading these preferences.
    assert!(
        !serde_json::to_string(&older)
            .unwrap()
            .contains("speech_model")
    );
    let chosen = Preferences {
        speech_model: Some("large-v3-turbo".into()),
        ..Preferences::default()
    };
    assert!(chosen.validate().is_ok());
    let back: Preferences = serde_json::from_str(&serde_json::to_string(&chosen).unwrap()).unwrap();
    assert_eq!(back, chosen);
    let bad = Preferences {
        speech_model: Some("../x".into()),
        ..Preferences::default()
    };
    assert_eq!(bad.validate(), Err(PreferencesError::BadName));
}
