//! Property tests of everything that reads outside input: the config parser and the checkpoint
//! loader never panic, whatever the bytes; what they accept is valid, what they refuse is named.
//! Cases per property: CONFIG_CASES and CHECKPOINT_CASES (docs/testing.md quotes them).
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

use std::sync::{Arc, OnceLock};

use burn::prelude::*;
use minimax_core::checkpoint::{Checkpoint, crc32};
use minimax_core::config::GanConfig;
use minimax_core::image::mnist::Mnist;
use minimax_core::image::train::ImageTrainer;
use minimax_core::presets::preset;
use minimax_core::run::GanRun;
use proptest::prelude::*;
use proptest::test_runner::{FileFailurePersistence, RngSeed};
use serde_json::{Value, json};

const CONFIG_CASES: u32 = 3000;
const CHECKPOINT_CASES: u32 = 2000;

/// The seed every run draws its cases from, so a failure in CI is the same failure here. Set
/// `PROPTEST_RNG_SEED` to explore other cases; a failing case is written to
/// `tests/fuzz_inputs.proptest-regressions` (commit it) and tried first on every later run.
const SEED: u64 = 0x4D49_4E49_4D41_5821;

fn pinned(cases: u32) -> ProptestConfig {
    let mut config = ProptestConfig::default(); // reads PROPTEST_RNG_SEED when it is set
    if matches!(config.rng_seed, RngSeed::Random) {
        config.rng_seed = RngSeed::Fixed(SEED);
    }
    config.cases = cases;
    config.failure_persistence = Some(Box::new(FileFailurePersistence::WithSource(
        "proptest-regressions",
    )));
    config
}

/// Any JSON value, nested a little, with numbers from every corner of f64 and i64.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u32>().prop_map(Value::from),
        (0u32..5000).prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        prop_oneof![Just(0.0), Just(-0.0), Just(1e308), Just(-1e-308), Just(0.5)]
            .prop_map(|f| json!(f)),
        "[a-z_]{0,12}".prop_map(Value::from),
        Just(Value::from("ring8")),
        Just(Value::from("adam")),
        Just(Value::from("mnist")),
        Just(Value::from("drawn")),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[a-z_]{1,10}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// The dotted paths of every leaf of the default config (where a mutation does the most harm).
fn leaf_paths() -> Vec<Vec<String>> {
    fn walk(v: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        match v {
            Value::Object(m) => {
                out.push(path.clone());
                for (k, child) in m {
                    path.push(k.clone());
                    walk(child, path, out);
                    path.pop();
                }
            }
            _ => out.push(path.clone()),
        }
    }
    let mut out = Vec::new();
    walk(
        &serde_json::to_value(GanConfig::default()).unwrap(),
        &mut Vec::new(),
        &mut out,
    );
    out
}

/// The default config with the values at a few paths replaced (or removed).
fn mutated_config() -> impl Strategy<Value = String> {
    let paths = leaf_paths();
    let n = paths.len();
    prop::collection::vec((0..n, prop::option::of(any_json())), 1..4).prop_map(move |edits| {
        let mut value = serde_json::to_value(GanConfig::default()).unwrap();
        for (i, replacement) in edits {
            let path = &paths[i];
            let Some((last, parents)) = path.split_last() else {
                value = replacement.unwrap_or(Value::Null);
                continue;
            };
            // An earlier edit may have replaced a parent: then there is nothing to edit.
            let mut node = Some(&mut value);
            for key in parents {
                node = node.and_then(|n| n.get_mut(key.as_str()));
            }
            if let Some(Value::Object(map)) = node {
                match replacement {
                    Some(v) => map.insert(last.clone(), v),
                    None => map.remove(last),
                };
            }
        }
        value.to_string()
    })
}

fn check_config(json: &str) {
    match GanConfig::from_json(json) {
        Ok(config) => {
            // Accepted means valid and within the memory limits.
            config.validate().unwrap();
            assert!(config.generator.width <= 1024 && config.train.batch_size <= 4096);
            assert!(config.optimizer_d.lr > 0.0 && config.optimizer_d.lr <= 1.0);
        }
        Err(e) => {
            assert!(!e.errors.is_empty());
            for f in &e.errors {
                assert!(!f.field.is_empty() && !f.message.is_empty(), "{e}");
            }
        }
    }
}

proptest! {
    #![proptest_config(pinned(CONFIG_CASES))]

    #[test]
    fn the_config_parser_never_panics_on_mutated_configs(json in mutated_config()) {
        check_config(&json);
    }

    #[test]
    fn the_config_parser_never_panics_on_any_json(value in any_json()) {
        check_config(&value.to_string());
    }

    #[test]
    fn the_config_parser_never_panics_on_any_text(text in "\\PC{0,200}") {
        check_config(&text);
    }
}

/// A real checkpoint of a tiny DCGAN run (two steps), and the data it trains on.
fn valid_checkpoint() -> &'static (Vec<u8>, Arc<Mnist>) {
    static CELL: OnceLock<(Vec<u8>, Arc<Mnist>)> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut config = preset("dcgan_mnist").unwrap().config;
        config.generator.width = 2;
        config.discriminator.width = 2;
        config.train.batch_size = 2;
        let labels: Vec<u8> = (0..8).collect();
        let pixels = (0..8 * 784).map(|i| (i * 31 % 256) as u8).collect();
        let data = Arc::new(Mnist::from_parts(labels, pixels));
        let mut run = ImageTrainer::new(config, data.clone(), &Device::flex());
        run.train_until(2, Default::default(), &mut || false);
        (run.checkpoint(vec![0.5; 8]).encode(), data)
    })
}

/// Decoding and loading `bytes` returns Ok or a named reason, never panics.
fn check_checkpoint(bytes: &[u8]) {
    let Ok(checkpoint) = Checkpoint::decode(bytes) else {
        return;
    };
    let data = valid_checkpoint().1.clone();
    for optimizers in [false, true] {
        if let Err(e) =
            ImageTrainer::from_checkpoint(&checkpoint, data.clone(), &Device::flex(), optimizers)
        {
            assert!(e.starts_with("checkpoint"), "{e}");
        }
    }
}

proptest! {
    #![proptest_config(pinned(CHECKPOINT_CASES))]

    #[test]
    fn random_bytes_are_not_a_checkpoint(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        check_checkpoint(&bytes);
    }

    #[test]
    fn a_truncated_checkpoint_is_refused(cut in 0.0f64..1.0) {
        let good = &valid_checkpoint().0;
        let bytes = &good[..(cut * good.len() as f64) as usize];
        prop_assert!(Checkpoint::decode(bytes).is_err());
    }

    #[test]
    fn changed_bytes_are_refused(flips in prop::collection::vec((any::<prop::sample::Index>(), 1..=255u8), 1..12)) {
        let mut bytes = valid_checkpoint().0.clone();
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] ^= value;
        }
        // Changes that cancel out (the same byte changed back) leave the file as it was.
        if bytes != valid_checkpoint().0 {
            prop_assert!(Checkpoint::decode(&bytes).is_err());
        }
    }

    /// Damage behind a checksum made to match (a file changed on purpose): the parser and
    /// the loader still refuse it with a reason and never panic.
    #[test]
    fn resealed_changed_bytes_never_panic(flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..12)) {
        let mut bytes = valid_checkpoint().0.clone();
        let body = bytes.len() - 4;
        for (at, value) in flips {
            let i = at.index(body);
            bytes[i] = value;
        }
        let sum = crc32(&bytes[..body]);
        bytes[body..].copy_from_slice(&sum.to_le_bytes());
        check_checkpoint(&bytes);
    }
}

#[test]
fn the_valid_checkpoint_loads() {
    let (bytes, data) = valid_checkpoint();
    let checkpoint = Checkpoint::decode(bytes).unwrap();
    ImageTrainer::from_checkpoint(&checkpoint, data.clone(), &Device::flex(), true).unwrap();
}

/// `good` with every `from` in its body replaced by `to` (same length) and its checksum resealed.
fn resealed_with(good: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut bytes = good.to_vec();
    let body = bytes.len() - 4;
    let mut changed = 0;
    let mut i = 0;
    while i + from.len() <= body {
        if &bytes[i..i + from.len()] == from {
            bytes[i..i + from.len()].copy_from_slice(to);
            changed += 1;
            i += from.len();
        } else {
            i += 1;
        }
    }
    assert!(
        changed > 0,
        "{:?} is not in the checkpoint",
        String::from_utf8_lossy(from)
    );
    let sum = crc32(&bytes[..body]);
    bytes[body..].copy_from_slice(&sum.to_le_bytes());
    bytes
}

/// The two inputs on which Burn 0.22 panicked before the loader guarded against them, found by
/// `resealed_changed_bytes_never_panic`; pinned here so that every run tries them: a tensor
/// whose dtype tag says I32 ("Expected float dtype"), and optimizer records whose tensors lost
/// their parameter ids ("Optimizer record tensors should carry a parameter id").
#[test]
fn the_known_burn_panics_are_refused_or_repaired() {
    let (good, data) = valid_checkpoint();
    let dtype = resealed_with(good, b"F32", b"I32");
    check_checkpoint(&dtype);
    let checkpoint = Checkpoint::decode(&dtype).unwrap();
    ImageTrainer::from_checkpoint(&checkpoint, data.clone(), &Device::flex(), false)
        .expect("an integer tag is cast back to the model's float dtype");

    let ids = resealed_with(good, b"param_id", b"param_ix");
    check_checkpoint(&ids);
    let checkpoint = Checkpoint::decode(&ids).unwrap();
    let refused = ImageTrainer::from_checkpoint(&checkpoint, data.clone(), &Device::flex(), true)
        .err()
        .expect("optimizer states without parameter ids are refused");
    assert!(refused.contains("is not an optimizer state"), "{refused}");
}

/// A file whose optimizer states were swapped (G's moments under D's name and back), resealed:
/// refused with a reason before Burn sees it, since in the page a panic would abort the worker.
#[test]
fn optimizer_states_of_the_other_network_are_refused() {
    let (good, data) = valid_checkpoint();
    let mut checkpoint = Checkpoint::decode(good).unwrap();
    let index = |name: &str| {
        checkpoint
            .parts
            .iter()
            .position(|(n, _)| n == name)
            .unwrap()
    };
    let (g, d) = (index("optimizer_g"), index("optimizer_d"));
    let g_bytes = checkpoint.parts[g].1.clone();
    checkpoint.parts[g].1 = checkpoint.parts[d].1.clone();
    checkpoint.parts[d].1 = g_bytes;
    let swapped = Checkpoint::decode(&checkpoint.encode()).unwrap();
    let refused = ImageTrainer::from_checkpoint(&swapped, data.clone(), &Device::flex(), true)
        .err()
        .expect("D's moments are refused for G");
    assert!(
        refused.contains("\"optimizer_g\" is not an optimizer state")
            && refused.contains("belongs to no parameter"),
        "{refused}"
    );
    ImageTrainer::from_checkpoint(&swapped, data.clone(), &Device::flex(), false)
        .expect("without optimizer states the networks still load");
}
