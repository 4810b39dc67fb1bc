//! Checked templates as JSON, the form the browser app reads: every shipped template comes back
//! unchanged, and what the TOML check would refuse in a pattern is refused in JSON too.

#![allow(clippy::unwrap_used)]

use templates::{Template, builtin};

#[test]
fn every_shipped_template_comes_back_from_json_unchanged() {
    let shipped = builtin().unwrap();
    assert!(shipped.len() >= 11);
    let json = serde_json::to_string(&shipped).unwrap();
    let back: Vec<Template> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, shipped);
}

fn first_patterned_field(value: &mut serde_json::Value) -> &mut serde_json::Value {
    value["sections"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .flat_map(|s| s["fields"].as_array_mut().unwrap().iter_mut())
        .find(|f| f["pattern"].is_string())
        .unwrap()
}

#[test]
fn a_pattern_its_kind_cannot_fill_is_refused_in_json() {
    let template = builtin().unwrap().remove(0);
    let mut value = serde_json::to_value(&template).unwrap();
    first_patterned_field(&mut value)["pattern"] = "Mevrouw zegt {iets}.".into();
    let err = serde_json::from_value::<Template>(value).unwrap_err();
    assert!(err.to_string().contains("iets"), "{err}");

    let mut value = serde_json::to_value(&template).unwrap();
    first_patterned_field(&mut value)["pattern"] = "Geen bron.".into();
    assert!(serde_json::from_value::<Template>(value).is_err());

    let mut value = serde_json::to_value(&template).unwrap();
    value["extra"] = true.into();
    assert!(serde_json::from_value::<Template>(value).is_err());
}
