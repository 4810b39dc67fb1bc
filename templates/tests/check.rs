//! Template files: the shipped set is valid and complete; broken files are reported with file
//! and line; every version's rendering is pinned by a snapshot.

use std::process::Command;

use templates::{BUILTIN_FILES, Drafting, builtin, check_files, parse, render};

const VALID: &str = r#"format = 1
id = "proef"
version = 2
title = "Proefverslag"
published = "2026-11-25"
owner = "Team"
reason = "Test"
language = "nl-BE"
audience = "professional"

[[sections]]
id = "geld"
title = "Geld"
drafting = "facts"
terms = ["euro"]

  [[sections.fields]]
  id = "bedrag"
  label = "Bedrag"
  kind = "money"
  pattern = "Bedrag: {value}{period}."
"#;

fn errors_of(file: &str, text: &str) -> Vec<String> {
    match parse(file, text) {
        Ok(t) => panic!("{file} was accepted as {}", t.key()),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn shipped_templates_are_valid_and_all_embedded() {
    let shipped = builtin().expect("shipped templates must check");
    assert_eq!(shipped.len(), 11);
    let mut on_disk: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/data"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let embedded: Vec<&str> = BUILTIN_FILES.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        on_disk, embedded,
        "every data file must be embedded, and only those"
    );
}

#[test]
fn sociaal_verslag_covers_the_social_investigation() {
    let all = builtin().unwrap();
    let sv = all.iter().find(|t| t.id == "sociaal-verslag").unwrap();
    let ids: Vec<&str> = sv.sections.iter().map(|s| s.id.as_str()).collect();
    for required in [
        "hulpvraag",
        "identiteit",
        "gezin",
        "bestaansmiddelen",
        "huisvesting",
        "gezondheid",
        "werk",
        "schulden",
        "analyse",
        "voorstel",
    ] {
        assert!(ids.contains(&required), "missing section {required}");
    }
}

#[test]
fn judgement_sections_are_never_drafted() {
    for t in builtin().unwrap() {
        for s in &t.sections {
            if [
                "analyse",
                "voorstel",
                "beslissing",
                "waarom",
                "conclusie",
                "inschatting",
                "evaluatie",
                "bezwaar",
            ]
            .contains(&s.id.as_str())
            {
                assert_eq!(s.drafting, Drafting::Worker, "{}: {}", t.key(), s.id);
                assert!(s.fields.iter().all(|f| f.pattern.is_none()));
            }
        }
    }
}

#[test]
fn valid_file_parses_with_its_hash() {
    let t = parse("proef.v2.toml", VALID).unwrap();
    assert_eq!((t.id.as_str(), t.version), ("proef", 2));
    assert_eq!(t.sha256.len(), 64);
}

#[test]
fn unknown_key_is_reported_with_its_line() {
    let text = VALID.replace(
        "  kind = \"money\"",
        "  kind = \"money\"\n  colour = \"rood\"",
    );
    let errors = errors_of("proef.v2.toml", &text);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("proef.v2.toml:21:"), "{errors:?}");
    assert!(errors[0].contains("colour"), "{errors:?}");
}

#[test]
fn missing_metadata_is_reported() {
    let text = VALID.replace("owner = \"Team\"\n", "");
    let errors = errors_of("proef.v2.toml", &text);
    assert!(errors[0].contains("missing field `owner`"), "{errors:?}");
    let text = VALID.replace("reason = \"Test\"", "reason = \"  \"");
    let errors = errors_of("proef.v2.toml", &text);
    assert_eq!(errors, ["proef.v2.toml:7: `reason` must not be empty"]);
    let text = VALID.replace("2026-11-25", "25/11/2026");
    let errors = errors_of("proef.v2.toml", &text);
    assert!(errors[0].starts_with("proef.v2.toml:5:"), "{errors:?}");
}

#[test]
fn broken_patterns_are_reported_with_their_line() {
    for (bad, expected) in [
        ("Bedrag: {value{period}.", "unbalanced braces"),
        (
            "Bedrag: {waarde}.",
            "slot {waarde} is not available here; allowed: value, period",
        ),
        ("De cliënt heeft geld.", "pattern has no slot"),
    ] {
        let text = VALID.replace("Bedrag: {value}{period}.", bad);
        let errors = errors_of("proef.v2.toml", &text);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("proef.v2.toml:21: broken pattern"),
            "{errors:?}"
        );
        assert!(errors[0].contains(expected), "{errors:?}");
    }
}

#[test]
fn worker_sections_cannot_be_drafted() {
    let text = VALID.replace("drafting = \"facts\"", "drafting = \"worker\"");
    let errors = errors_of("proef.v2.toml", &text);
    assert!(
        errors[0].ends_with("this section is written by the worker only: it cannot have patterns"),
        "{errors:?}"
    );
}

#[test]
fn file_name_must_match_id_and_version() {
    let errors = errors_of("proef.toml", VALID);
    assert!(
        errors[0].contains("must be named proef.v2.toml"),
        "{errors:?}"
    );
}

#[test]
fn duplicate_fields_and_versions_are_reported() {
    let text = VALID.replace(
        "  pattern = \"Bedrag: {value}{period}.\"",
        "  pattern = \"Bedrag: {value}{period}.\"\n\n  [[sections.fields]]\n  id = \"bedrag\"\n  label = \"Nog eens\"\n  kind = \"text\"",
    );
    let errors = errors_of("proef.v2.toml", &text);
    assert!(
        errors[0].contains("duplicate field id \"bedrag\""),
        "{errors:?}"
    );

    let dup = check_files([("a/proef.v2.toml", VALID), ("b/proef.v2.toml", VALID)]).unwrap_err();
    assert_eq!(
        dup[0].to_string(),
        "b/proef.v2.toml: proef@2 is also defined in a/proef.v2.toml"
    );
}

#[test]
fn garbage_is_a_clear_error() {
    let errors = errors_of("proef.v2.toml", "format = 1\nid = [unclosed\n");
    assert!(errors[0].starts_with("proef.v2.toml:2:"), "{errors:?}");
}

#[test]
fn check_command_passes_shipped_and_names_broken_files() {
    let bin = env!("CARGO_BIN_EXE_zorgvuldig-templates");
    let ok = Command::new(bin).arg("check").output().unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("11 template file(s) checked"));

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("proef.v2.toml"),
        VALID.replace("{value}", "{bedrag}"),
    )
    .unwrap();
    let bad = Command::new(bin)
        .arg("check")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!bad.status.success());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("proef.v2.toml:21: broken pattern"),
        "{stderr}"
    );
}

#[test]
fn every_template_version_renders_as_pinned() {
    for t in builtin().unwrap() {
        insta::assert_snapshot!(t.key().replace('@', "-v"), render(&t));
    }
}
