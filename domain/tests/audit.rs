//! Audit events are written as `{"kind": …, fields}` and read back exactly, and nothing else
//! reads as one.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use domain::RecordId;
use domain::audit::{AuditKind, Problem};
use domain::consent::{Channel, ConsentChoice};

fn every_kind() -> Vec<AuditKind> {
    let id = RecordId::random().unwrap();
    vec![
        AuditKind::DossierCreated,
        AuditKind::ContactStarted {
            contact: id,
            consent: ConsentChoice::Given,
        },
        AuditKind::ConsentRevoked {
            contact: id,
            channel: Channel::Telefonisch,
            transcripts_deleted: 2,
        },
        AuditKind::TranscriptStored { contact: id },
        AuditKind::ReportStarted {
            report: id,
            template: "sociaal-verslag@1".into(),
            proposals: 7,
        },
        AuditKind::ReportValidated {
            report: id,
            version: 3,
        },
        AuditKind::ReportExported {
            report: id,
            format: "pdf".into(),
        },
        AuditKind::ReportShared {
            report: id,
            share: "s1".into(),
            days: 14,
            pin: true,
        },
        AuditKind::ReceiptShared {
            contact: id,
            share: "s2".into(),
            days: 30,
        },
        AuditKind::ShareRevoked {
            report: id,
            share: "s1".into(),
        },
        AuditKind::Exported { whole: false },
        AuditKind::Imported { records: 12 },
        AuditKind::DossierDeleted {
            contacts: 1,
            reports: 2,
            validated_reports: 1,
            transcripts: 3,
        },
        AuditKind::ProblemReported {
            report: id,
            sentence: 4,
            problem: Problem::Wrong,
        },
        AuditKind::ActionHandled {
            action: "a1".into(),
            done: true,
        },
    ]
}

#[test]
fn every_kind_reads_back_as_written() {
    for kind in every_kind() {
        let json = serde_json::to_string(&kind).unwrap();
        assert_eq!(
            serde_json::from_str::<AuditKind>(&json).unwrap(),
            kind,
            "{json}"
        );
    }
}

#[test]
fn the_written_form_is_the_kind_with_its_fields() {
    let json = serde_json::to_string(&AuditKind::Exported { whole: true }).unwrap();
    assert_eq!(json, r#"{"kind":"exported","whole":true}"#);
    let read: AuditKind = serde_json::from_str(r#"{"whole":false,"kind":"exported"}"#).unwrap();
    assert_eq!(read, AuditKind::Exported { whole: false });
}

#[test]
fn a_missing_foreign_or_unknown_field_or_kind_is_refused() {
    let id = RecordId::random().unwrap();
    let complete =
        format!(r#"{{"kind":"report_shared","report":"{id}","share":"s","days":1,"pin":false}}"#);
    assert!(serde_json::from_str::<AuditKind>(&complete).is_ok());
    let missing = complete.replace(r#","pin":false"#, "");
    for bad in [
        // Missing field.
        missing.as_str(),
        // A field of another kind.
        r#"{"kind":"exported","whole":true,"records":3}"#,
        r#"{"kind":"dossier_created","done":true}"#,
        r#"{"kind":"exported","whole":true,"records":null}"#,
        r#"{"kind":"exported","whole":null}"#,
        // A field no kind has.
        r#"{"kind":"exported","whole":true,"reason":"x"}"#,
        // No kind, or an unknown one.
        r#"{"whole":true}"#,
        r#"{"kind":"deleted_quietly"}"#,
        // A field of the wrong type.
        r#"{"kind":"imported","records":"many"}"#,
    ] {
        assert!(serde_json::from_str::<AuditKind>(bad).is_err(), "{bad}");
    }
}
