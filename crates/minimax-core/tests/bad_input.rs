//! The bad-input corpus (`tests/bad-input/configs.json`): every case is refused with a message
//! on the field it names; none panics.
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

use minimax_core::config::GanConfig;
use serde_json::Value;

#[test]
fn every_bad_config_of_the_corpus_is_refused_naming_its_field() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/bad-input/configs.json"
    );
    let corpus: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = corpus["cases"].as_array().unwrap();
    assert!(cases.len() >= 30, "the corpus has {} cases", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let (name, json) = (
            case["name"].as_str().unwrap(),
            case["json"].as_str().unwrap(),
        );
        let (field, says) = (
            case["field"].as_str().unwrap(),
            case["says"].as_str().unwrap(),
        );
        match GanConfig::from_json(json) {
            Ok(_) => failures.push(format!("{name}: accepted")),
            Err(e) => {
                let hit = e.errors.iter().any(|f| {
                    f.field
                        .strip_prefix(field)
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
                        && f.message.contains(says)
                        && !f.message.is_empty()
                });
                if !hit {
                    failures.push(format!("{name}: expected {field} saying {says:?}, got {e}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
