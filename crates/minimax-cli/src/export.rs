//! `minimax sample` for digit runs: the generated digits as files anyone can score with their own
//! tools: a NumPy array (`.npy`, u8, N × 28 × 28, 0 = background, as MNIST), the class each was
//! asked for (`-labels.npy`, u8, N; conditional runs only) and a PNG grid to look at.

use std::io::BufWriter;

use minimax_core::image::mnist::{self, SIDE};
use minimax_core::image::train::ImageTrainer;

use crate::run::read;
use minimax_core::run::GanRun;

/// Grey between the digits of the PNG grid.
const GAP_GREY: u8 = 96;
/// Pixels between two digits of the grid.
const GAP: usize = 2;

/// Writes `n` digits of `run` (the evaluation noise: the same digits for the same seed and `n`;
/// classes in turn for a conditional G) as `PREFIX.npy`, `PREFIX.png` and, for a conditional
/// run, `PREFIX-labels.npy`. Returns the paths written.
pub fn write_digits(run: &ImageTrainer, n: usize, prefix: &str) -> Result<Vec<String>, String> {
    let pixels = mnist::to_bytes(&read(run.eval_samples(n))?);
    let mut written = Vec::new();
    let mut write = |path: String, bytes: Vec<u8>| -> Result<(), String> {
        std::fs::write(&path, bytes).map_err(|e| format!("{path}: {e}"))?;
        written.push(path);
        Ok(())
    };
    write(format!("{prefix}.npy"), npy_u8(&pixels, &[n, SIDE, SIDE]))?;
    if run.config().data.conditional {
        let labels: Vec<u8> = (0..n).map(|i| (i % 10) as u8).collect();
        write(format!("{prefix}-labels.npy"), npy_u8(&labels, &[n]))?;
    }
    write(format!("{prefix}.png"), png_grid(&pixels, n)?)?;
    Ok(written)
}

/// A NumPy `.npy` file (format 1.0) of u8 `values` with `shape`: the magic, the header dict
/// padded with spaces so that the data starts at a multiple of 64 bytes, then the bytes.
pub fn npy_u8(values: &[u8], shape: &[usize]) -> Vec<u8> {
    let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
    let tuple = if dims.len() == 1 {
        format!("({},)", dims[0])
    } else {
        format!("({})", dims.join(", "))
    };
    let mut header = format!("{{'descr': '|u1', 'fortran_order': False, 'shape': {tuple}, }}");
    let unpadded = 10 + header.len() + 1; // magic + version + length, the header, its newline
    header.push_str(&" ".repeat((64 - unpadded % 64) % 64));
    header.push('\n');
    let mut out = Vec::with_capacity(10 + header.len() + values.len());
    out.extend_from_slice(b"\x93NUMPY\x01\x00");
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(values);
    out
}

/// `n` 28 × 28 digits (u8, row-major, one after another) as a greyscale PNG grid, as square as
/// it gets, with grey gaps.
pub fn png_grid(pixels: &[u8], n: usize) -> Result<Vec<u8>, String> {
    let cols = (n as f64).sqrt().ceil().max(1.0) as usize;
    png_grid_with_columns(pixels, n, cols)
}

/// `n` digits as a greyscale PNG grid `cols` digits wide (rows in the order of the digits).
pub fn png_grid_with_columns(pixels: &[u8], n: usize, cols: usize) -> Result<Vec<u8>, String> {
    let cols = cols.max(1);
    let rows = n.div_ceil(cols);
    let (width, height) = (cols * (SIDE + GAP) + GAP, rows * (SIDE + GAP) + GAP);
    let mut image = vec![GAP_GREY; width * height];
    for i in 0..n {
        let (x0, y0) = (
            GAP + (i % cols) * (SIDE + GAP),
            GAP + (i / cols) * (SIDE + GAP),
        );
        for row in 0..SIDE {
            let from = (i * SIDE + row) * SIDE;
            let to = (y0 + row) * width + x0;
            image[to..to + SIDE].copy_from_slice(&pixels[from..from + SIDE]);
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(BufWriter::new(&mut out), width as u32, height as u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|e| format!("png: {e}"))?;
        writer
            .write_image_data(&image)
            .map_err(|e| format!("png: {e}"))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npy_header_is_what_numpy_reads() {
        let file = npy_u8(&[1, 2, 3, 4, 5, 6], &[2, 3]);
        assert_eq!(&file[..8], b"\x93NUMPY\x01\x00");
        let header_len = u16::from_le_bytes([file[8], file[9]]) as usize;
        assert_eq!((10 + header_len) % 64, 0, "data aligned to 64 bytes");
        let header = std::str::from_utf8(&file[10..10 + header_len]).unwrap_or_default();
        assert!(header.starts_with("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }"));
        assert!(header.ends_with('\n'));
        assert_eq!(&file[10 + header_len..], &[1, 2, 3, 4, 5, 6]);
        let labels = npy_u8(&[7; 5], &[5]);
        assert!(
            String::from_utf8_lossy(&labels).contains("'shape': (5,)"),
            "a 1-tuple keeps its comma"
        );
    }

    #[test]
    fn png_grid_decodes_to_the_digits() {
        let n = 5;
        let pixels: Vec<u8> = (0..n * SIDE * SIDE).map(|i| (i % 251) as u8).collect();
        let bytes = png_grid(&pixels, n).unwrap_or_default();
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().expect("a PNG");
        let mut image = vec![0; reader.output_buffer_size().unwrap_or(0)];
        let info = reader.next_frame(&mut image).expect("one frame");
        // 5 digits: 3 columns, 2 rows of 28 px with 2 px gaps.
        assert_eq!((info.width, info.height), (3 * 30 + 2, 2 * 30 + 2));
        let width = info.width as usize;
        // The fifth digit (row 1, column 1), its first row.
        let at = (GAP + 30) * width + GAP + 30;
        assert_eq!(
            &image[at..at + SIDE],
            &pixels[4 * SIDE * SIDE..4 * SIDE * SIDE + SIDE]
        );
        assert_eq!(image[0], GAP_GREY);
    }
}
