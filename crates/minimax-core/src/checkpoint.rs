//! The checkpoint file: everything needed to continue a run exactly where it stopped.
//!
//! Layout (little endian): the magic `MINIMAXC`, a format version (u32), the length of a JSON
//! header (u32), the header (configuration, step, random streams, loss history length, part
//! names and lengths), the loss history (f32), then each part's bytes: the models and optimizer
//! states as Burn records (burnpack), and (from version 2) a CRC-32 of everything before it.
//! Every length is checked before anything is used and the checksum before anything is parsed,
//! so a truncated, damaged or foreign file is rejected with a reason and nothing else changes.
//! Version 1 files (no checksum; the first pretrained digits) are still read.

use std::collections::BTreeMap;

use burn::module::{Module, ModuleVisitor, Param};
use burn::optim::ModuleOptimizer;
use burn::store::ModuleRecord;
use burn::tensor::{Bytes, Tensor};
use serde::{Deserialize, Serialize};

use crate::config::GanConfig;
use crate::rng::Rng;

const MAGIC: &[u8; 8] = b"MINIMAXC";
/// The checkpoint format this build writes (it reads 1 as well).
pub const CHECKPOINT_VERSION: u32 = 2;
/// The first format: no checksum.
const VERSION_WITHOUT_CHECKSUM: u32 = 1;
/// Larger files are not checkpoints of models this playground can build.
const MAX_BYTES: usize = 256 << 20;

/// A run's state, decoded but not yet applied.
#[derive(Clone, Debug, PartialEq)]
pub struct Checkpoint {
    /// The run's configuration (validated on decode).
    pub config: GanConfig,
    /// Iterations done.
    pub step: u64,
    /// The random streams, so that a resumed run draws what the original would have.
    pub rngs: Vec<Rng>,
    /// The loss history the page plots (`LOSS_STRIDE` numbers per kept iteration).
    pub history: Vec<f32>,
    /// Named binary parts: Burn records of the models and optimizers.
    pub parts: Vec<(String, Vec<u8>)>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    config: serde_json::Value,
    step: u64,
    rngs: Vec<Rng>,
    history: usize,
    parts: Vec<(String, usize)>,
}

impl Checkpoint {
    /// The file's bytes.
    pub fn encode(&self) -> Vec<u8> {
        let header = Header {
            config: serde_json::to_value(&self.config).expect("config serialises"),
            step: self.step,
            rngs: self.rngs.clone(),
            history: self.history.len(),
            parts: self
                .parts
                .iter()
                .map(|(n, b)| (n.clone(), b.len()))
                .collect(),
        };
        let header = serde_json::to_vec(&header).expect("header serialises");
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&CHECKPOINT_VERSION.to_le_bytes());
        out.extend_from_slice(&(header.len() as u32).to_le_bytes());
        out.extend_from_slice(&header);
        for v in &self.history {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for (_, bytes) in &self.parts {
            out.extend_from_slice(bytes);
        }
        let checksum = crc32(&out);
        out.extend_from_slice(&checksum.to_le_bytes());
        out
    }

    /// Reads and checks a file; the error says what is wrong with it.
    pub fn decode(bytes: &[u8]) -> Result<Self, String> {
        let fail = |why: String| Err(format!("checkpoint: {why}"));
        if bytes.len() > MAX_BYTES {
            return fail(format!(
                "{} bytes is larger than any checkpoint ({MAX_BYTES})",
                bytes.len()
            ));
        }
        if bytes.len() < 16 || &bytes[..8] != MAGIC {
            return fail("not a Minimax checkpoint (wrong magic bytes or too short)".into());
        }
        let version = le_u32(&bytes[8..12]);
        let bytes = match version {
            VERSION_WITHOUT_CHECKSUM => bytes,
            CHECKPOINT_VERSION => {
                let (body, sum) = bytes.split_at(bytes.len() - 4);
                if crc32(body) != le_u32(sum) {
                    return fail(
                        "its checksum does not match: the file was damaged or changed after it was saved"
                            .into(),
                    );
                }
                body
            }
            _ => {
                return fail(format!(
                    "format version {version}; this build reads versions 1 to {CHECKPOINT_VERSION}"
                ));
            }
        };
        let header_len = le_u32(&bytes[12..16]) as usize;
        let Some(header) = bytes.get(16..16 + header_len) else {
            return fail("truncated in the header".into());
        };
        let header: Header = match serde_json::from_slice(header) {
            Ok(h) => h,
            Err(e) => return fail(format!("corrupt header ({e})")),
        };
        let config = match GanConfig::from_json(&header.config.to_string()) {
            Ok(c) => c,
            Err(e) => return fail(format!("its configuration is not valid here: {e}")),
        };
        let mut at = 16 + header_len;
        let history_bytes = header.history.saturating_mul(4);
        let Some(history) = at
            .checked_add(history_bytes)
            .and_then(|end| bytes.get(at..end))
        else {
            return fail("truncated in the loss history".into());
        };
        let history = history
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        at += history_bytes;
        let mut parts = Vec::new();
        for (name, len) in header.parts {
            let Some(part) = at.checked_add(len).and_then(|end| bytes.get(at..end)) else {
                return fail(format!("truncated in part {name:?}"));
            };
            parts.push((name, part.to_vec()));
            at += len;
        }
        if at != bytes.len() {
            return fail(format!(
                "{} unexpected bytes after the last part",
                bytes.len() - at
            ));
        }
        Ok(Self {
            config,
            step: header.step,
            rngs: header.rngs,
            history,
            parts,
        })
    }

    /// The part called `name`.
    pub fn part(&self, name: &str) -> Result<&[u8], String> {
        self.parts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.as_slice())
            .ok_or_else(|| format!("checkpoint: no {name:?} part"))
    }
}

/// CRC-32 (IEEE 802.3, as zip and PNG use): the checkpoint's checksum (the well-kept
/// `crc32fast` crate, SIMD where the target has it).
pub fn crc32(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

/// A module's parameters as a Burn record (burnpack bytes). Reads the tensors synchronously: in
/// the browser on WebGPU, move the module to the CPU first (see the web crate).
pub fn module_bytes<M: Module>(module: &M) -> Vec<u8> {
    module
        .clone()
        // `train` folds pending batch-norm statistics into the running state: a record taken
        // without it holds stale running means and variances.
        .train()
        .into_record()
        .into_bytes()
        .expect("a record always serialises")
        .to_vec()
}

/// `module` with the parameters of a record; the error names the part that does not fit.
pub fn load_module<M: Module>(module: M, bytes: &[u8], name: &str) -> Result<M, String> {
    let record = ModuleRecord::from_bytes(Bytes::from_bytes_vec(bytes.to_vec()))
        .map_err(|e| format!("checkpoint: part {name:?} is not a Burn record ({e})"))?
        // A corrupt dtype tag would make Burn 0.22 panic ("Expected float dtype"; found by
        // tests/fuzz_inputs.rs): cast to the model's dtypes instead.
        .cast_to_module_dtype();
    module.try_load_record(record).map_err(|e| {
        format!(
            "checkpoint: part {name:?} does not fit the model its configuration describes ({e})"
        )
    })
}

/// The shape of every float parameter of a module, by parameter id: what an optimizer state
/// for that module may hold.
pub type ParamShapes = BTreeMap<u64, Vec<usize>>;

/// Adds the shapes of `module`'s float parameters to `shapes`.
pub fn add_param_shapes<M: Module>(module: &M, shapes: &mut ParamShapes) {
    struct Shapes<'a>(&'a mut ParamShapes);
    impl ModuleVisitor for Shapes<'_> {
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            self.0.insert(param.id.val(), param.shape().to_vec());
        }
    }
    module.visit(&mut Shapes(shapes));
}

/// A network stored as one checkpoint part: its Burn record.
pub trait Part: Sized {
    /// The record's bytes.
    fn part_bytes(&self) -> Vec<u8>;
    /// This network with the parameters of a part; the error names the part.
    fn load_part(self, bytes: &[u8], name: &str) -> Result<Self, String>;
    /// Its parameters' shapes (see [`add_param_shapes`]).
    fn param_shapes(&self) -> ParamShapes;
}

/// Networks whose part is their own record: `record_parts!(Type, …)` next to each type's
/// definition, so that this module stays a leaf (it knows no network).
macro_rules! record_parts {
    ($($t:ty),*) => {$(
        impl $crate::checkpoint::Part for $t {
            fn part_bytes(&self) -> Vec<u8> {
                $crate::checkpoint::module_bytes(self)
            }
            fn load_part(self, bytes: &[u8], name: &str) -> Result<Self, String> {
                $crate::checkpoint::load_module(self, bytes, name)
            }
            fn param_shapes(&self) -> $crate::checkpoint::ParamShapes {
                let mut shapes = Default::default();
                $crate::checkpoint::add_param_shapes(self, &mut shapes);
                shapes
            }
        }
    )*};
}
pub(crate) use record_parts;

/// The parts of a GAN run: G, D and, when given, both optimizer states (read synchronously:
/// not in the browser on WebGPU). Both trainers (2-D and image) write these.
pub fn gan_parts<G: Part, D: Part>(
    generator: &G,
    discriminator: &D,
    optimizers: Option<(&ModuleOptimizer, &ModuleOptimizer)>,
) -> Vec<(String, Vec<u8>)> {
    let mut parts = vec![
        ("generator".to_string(), generator.part_bytes()),
        ("discriminator".to_string(), discriminator.part_bytes()),
    ];
    if let Some((g, d)) = optimizers {
        parts.push(("optimizer_g".into(), optimizer_bytes(g)));
        parts.push(("optimizer_d".into(), optimizer_bytes(d)));
    }
    parts
}

/// G and D (freshly built for the checkpoint's config) with the checkpoint's parameters, and the
/// two optimizers with its states when it has them and `optimizers` is set; otherwise the
/// optimizers come back as given (Adam's moments restart). Burn materialises optimizer states
/// on its default device, so a caller sets `optimizers` only where that device is open: natively,
/// in the page's CPU modules and on WebGPU runs, not on the WebGPU module's CPU path.
pub fn load_gan<G: Part, D: Part>(
    checkpoint: &Checkpoint,
    (generator, discriminator): (G, D),
    (opt_g, opt_d): (ModuleOptimizer, ModuleOptimizer),
    optimizers: bool,
) -> Result<(G, D, ModuleOptimizer, ModuleOptimizer), String> {
    let generator = generator.load_part(checkpoint.part("generator")?, "generator")?;
    let discriminator =
        discriminator.load_part(checkpoint.part("discriminator")?, "discriminator")?;
    let (opt_g, opt_d) = if optimizers && checkpoint.part("optimizer_g").is_ok() {
        (
            load_optimizer(opt_g, checkpoint, "optimizer_g", &generator.param_shapes())?,
            load_optimizer(
                opt_d,
                checkpoint,
                "optimizer_d",
                &discriminator.param_shapes(),
            )?,
        )
    } else {
        (opt_g, opt_d)
    };
    Ok((generator, discriminator, opt_g, opt_d))
}

/// An optimizer's state (Adam's moments etc.) as bytes.
fn optimizer_bytes(optimizer: &ModuleOptimizer) -> Vec<u8> {
    optimizer
        .into_bytes()
        .expect("optimizer state serialises")
        .to_vec()
}

/// `optimizer` with the state stored in the part `name`, for a network whose parameters have
/// `shapes`; the error names the part.
fn load_optimizer(
    optimizer: ModuleOptimizer,
    checkpoint: &Checkpoint,
    name: &str,
    shapes: &ParamShapes,
) -> Result<ModuleOptimizer, String> {
    let bytes = checkpoint.part(name)?.to_vec();
    let not_a_state =
        |why: String| format!("checkpoint: part {name:?} is not an optimizer state ({why})");
    check_optimizer_state(&bytes, shapes).map_err(not_a_state)?;
    // Burn 0.22 panics on some corrupt optimizer records ("Optimizer record tensors should carry
    // a parameter id"; found by tests/fuzz_inputs.rs) and a state whose moments do not fit their
    // parameter panics in the next step. The check above refuses both, which matters in the
    // browser, where a panic aborts; natively a panic that gets past it still becomes the error.
    let loaded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        optimizer.from_bytes(Bytes::from_bytes_vec(bytes))
    }));
    match loaded {
        Ok(result) => result.map_err(|e| not_a_state(e.to_string())),
        Err(_) => Err(not_a_state("corrupt record".into())),
    }
}

/// Checks an optimizer record (burnpack bytes) against the network it belongs to: every tensor
/// names one of its parameters and has that parameter's shape, as `f32`, and every rank Burn
/// stores is the parameter's rank.
fn check_optimizer_state(bytes: &[u8], shapes: &ParamShapes) -> Result<(), String> {
    let reader = burn_pack::Reader::from_bytes(Bytes::from_bytes_vec(bytes.to_vec()))
        .map_err(|e| e.to_string())?;
    for (key, value) in reader.scalars() {
        // Burn keeps each parameter's rank as "<param id>.__rank".
        let Some(id) = key.strip_suffix(".__rank") else {
            continue;
        };
        let param = id.parse().ok().and_then(|id: u64| shapes.get(&id));
        let rank = usize::try_from(*value).ok();
        if let Some(shape) = param
            && rank != Some(shape.len())
        {
            return Err(format!("{key} does not match its parameter"));
        }
    }
    for tensor in reader.into_tensors().map_err(|e| e.to_string())? {
        let shape = tensor.param_id.and_then(|id| shapes.get(&id));
        let Some(shape) = shape else {
            return Err(format!(
                "{} belongs to no parameter of the model",
                tensor.name
            ));
        };
        let fits = tensor.dtype == burn::tensor::DType::F32
            && tensor.shape.as_slice() == shape.as_slice()
            && tensor.byte_len() == 4 * shape.iter().product::<usize>();
        if !fits {
            return Err(format!("{} does not fit its parameter", tensor.name));
        }
    }
    Ok(())
}

/// A little-endian u32 from four bytes (the caller has checked the length).
pub(crate) fn le_u32(b: &[u8]) -> u32 {
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::prelude::*;

    fn sample() -> Checkpoint {
        Checkpoint {
            config: GanConfig::default(),
            step: 42,
            rngs: vec![Rng::new(3)],
            history: vec![0.5, -1.0, f32::NAN, 2.0],
            parts: vec![("a".into(), vec![1, 2, 3]), ("b".into(), vec![])],
        }
    }

    #[test]
    fn round_trips() {
        let c = sample();
        let d = Checkpoint::decode(&c.encode()).unwrap();
        assert_eq!(
            (d.step, d.rngs.clone(), d.parts.clone()),
            (42, c.rngs.clone(), c.parts.clone())
        );
        assert_eq!(d.history[..2], c.history[..2]);
        assert!(d.history[2].is_nan());
    }

    /// The same file in format version 1 (no checksum), to reach the structural checks.
    fn version_1(mut bytes: Vec<u8>) -> Vec<u8> {
        bytes.truncate(bytes.len() - 4);
        bytes[8..12].copy_from_slice(&1u32.to_le_bytes());
        bytes
    }

    #[test]
    fn crc32_is_the_standard_one() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn reads_version_1_files() {
        let old = version_1(sample().encode());
        assert_eq!(Checkpoint::decode(&old).unwrap().step, 42);
    }

    #[test]
    fn any_damaged_byte_is_caught_by_the_checksum() {
        let good = sample().encode();
        for at in 12..good.len() {
            for flip in [0x01, 0x80] {
                let mut bad = good.clone();
                bad[at] ^= flip;
                let err = Checkpoint::decode(&bad).unwrap_err();
                assert!(err.contains("checksum"), "byte {at}: {err}");
            }
        }
        let err = Checkpoint::decode(&good[..good.len() - 1]).unwrap_err();
        assert!(err.contains("checksum"), "{err}");
    }

    #[test]
    fn rejects_bad_files_with_a_reason() {
        let good = sample().encode();
        let old = version_1(good.clone());
        let mut bad_config = sample();
        bad_config.config.train.batch_size = 0;
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (Vec::new(), "magic"),
            (b"MNISTu8\x01 an MNIST asset".to_vec(), "magic"),
            (
                {
                    let mut b = good.clone();
                    b[8] = 7;
                    b
                },
                "version 7",
            ),
            (old[..20].to_vec(), "truncated in the header"),
            (old[..old.len() - 1].to_vec(), "truncated in part \"a\""),
            ([old.clone(), vec![9]].concat(), "unexpected bytes"),
            (
                {
                    let mut b = old.clone();
                    b[16] = b'[';
                    b
                },
                "corrupt header",
            ),
            (bad_config.encode(), "train.batch_size"),
        ];
        for (bytes, reason) in cases {
            let err = Checkpoint::decode(&bytes).unwrap_err();
            assert!(err.contains(reason), "{err:?} should mention {reason:?}");
        }
        assert!(sample().part("c").unwrap_err().contains("no \"c\" part"));
    }

    /// A linear layer and its Adam state after two steps.
    fn trained_linear() -> (burn::nn::Linear, Vec<u8>) {
        let device = Device::flex().autodiff();
        let mut layer = burn::nn::LinearConfig::new(3, 2).init(&device);
        let mut adam = crate::adam::HostAdam::new(0.5, 0.9).init();
        for _ in 0..2 {
            let x = Tensor::<2>::ones([4, 3], &device);
            let loss = layer.forward(x).powi_scalar(2).mean();
            let grads = burn::optim::GradientsParams::from_grads(loss.backward(), &layer);
            layer = adam.step(1e-2, layer, grads);
        }
        (layer, optimizer_bytes(&adam))
    }

    #[test]
    fn an_optimizer_state_must_fit_the_network_it_is_loaded_for() {
        let (layer, state) = trained_linear();
        let mut shapes = ParamShapes::new();
        add_param_shapes(&layer, &mut shapes);
        assert_eq!(shapes.len(), 2, "weight and bias");
        check_optimizer_state(&state, &shapes).expect("its own state fits");

        let (other, _) = trained_linear();
        let mut other_shapes = ParamShapes::new();
        add_param_shapes(&other, &mut other_shapes);
        let err = check_optimizer_state(&state, &other_shapes).unwrap_err();
        assert!(err.contains("belongs to no parameter"), "{err}");

        // The same ids with another shape (a moment that would not fit its parameter).
        let mut wrong = shapes.clone();
        wrong.values_mut().for_each(|shape| shape.push(1));
        let err = check_optimizer_state(&state, &wrong).unwrap_err();
        assert!(err.contains("does not match its parameter"), "{err}");

        let err = check_optimizer_state(b"not a record", &shapes).unwrap_err();
        assert!(!err.is_empty());
    }
}
