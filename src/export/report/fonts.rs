//! The fonts bundled with the binary (a subset of DejaVu Sans, regular and bold: see
//! `assets/fonts/README.md`) and what reports do with them: measure text to size table
//! columns, and draw the charts' SVG as PNG images with text that does not depend on the
//! fonts of the machine.

use std::sync::{Arc, OnceLock};

use resvg::usvg;
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

/// DejaVu Sans (subset), regular.
pub const SANS: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans (subset), bold.
pub const SANS_BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");
/// The family name both files carry.
pub const FAMILY: &str = "DejaVu Sans";

/// Width of `text` on one line, in points, at `size_pt`. Measured with DejaVu Sans, which is
/// wider than Arial and Liberation Sans (the fonts the documents ask for) and is what
/// LibreOffice falls back to without them: a column this wide holds the text in any of them.
/// Characters the subset lacks count one em (wider than most glyphs).
pub fn text_width_pt(text: &str, size_pt: f64, bold: bool) -> f64 {
    let table = advances(bold);
    let ems: f64 = text
        .chars()
        .map(|c| match table.get(c as usize) {
            Some(&w) => f64::from(w),
            None => em_of(if bold { SANS_BOLD } else { SANS }, c),
        })
        .sum();
    ems * size_pt
}

/// Chars below this have their advance in a table made once (Latin, Greek, Cyrillic).
const TABULATED: usize = 0x500;

/// The advance of each char below [`TABULATED`], in ems, made once per weight: reports
/// measure every cell of every table several times.
fn advances(bold: bool) -> &'static [f32] {
    static REGULAR: OnceLock<Vec<f32>> = OnceLock::new();
    static BOLD: OnceLock<Vec<f32>> = OnceLock::new();
    let (cell, font) = if bold {
        (&BOLD, SANS_BOLD)
    } else {
        (&REGULAR, SANS)
    };
    cell.get_or_init(|| {
        (0..TABULATED)
            .map(|c| char::from_u32(c as u32).map_or(1.0, |c| em_of(font, c) as f32))
            .collect()
    })
}

/// The advance of `c` in `font`, in ems; one em when the font lacks it.
fn em_of(font: &'static [u8], c: char) -> f64 {
    let Ok(font) = FontRef::new(font) else {
        return 1.0;
    };
    let upem = f64::from(
        font.metrics(Size::unscaled(), LocationRef::default())
            .units_per_em,
    );
    font.charmap()
        .map(c)
        .and_then(|g| {
            font.glyph_metrics(Size::unscaled(), LocationRef::default())
                .advance_width(g)
        })
        .map_or(1.0, |w| f64::from(w) / upem.max(1.0))
}

/// The bundled fonts as resvg's font database, made once; every generic family resolves to
/// DejaVu Sans, so no label falls back to a font the machine may not have.
fn font_db() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(SANS.to_vec());
        db.load_font_data(SANS_BOLD.to_vec());
        db.set_sans_serif_family(FAMILY);
        db.set_serif_family(FAMILY);
        db.set_monospace_family(FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// A PNG drawing of an SVG document at `dpi` (the SVG's px are CSS px, 96 to the inch), on
/// white, with its size in pixels.
pub fn svg_to_png(svg: &str, dpi: f32) -> Result<(Vec<u8>, u32, u32), String> {
    let options = usvg::Options {
        font_family: FAMILY.to_string(),
        fontdb: font_db(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
    let scale = dpi / 96.0;
    let width = (tree.size().width() * scale).ceil().max(1.0) as u32;
    let height = (tree.size().height() * scale).ceil().max(1.0) as u32;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| format!("cannot draw an image of {width}×{height} px"))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let png = pixmap.encode_png().map_err(|e| e.to_string())?;
    Ok((png, width, height))
}

#[cfg(test)]
mod tests {
    use super::*;

    // bold is wider than regular, and a long name wider than its first word
    #[test]
    fn widths_follow_the_glyphs() {
        let regular = text_width_pt("Aurélie Nguyen", 10.0, false);
        assert!(regular > 60.0 && regular < 90.0, "{regular}");
        assert!(text_width_pt("Aurélie Nguyen", 10.0, true) > regular);
        assert!(text_width_pt("Aurélie", 10.0, false) < regular);
        assert!(text_width_pt("W", 10.0, false) > text_width_pt("i", 10.0, false));
    }

    // the drawing has the size asked and text drawn in the bundled font (dark pixels where
    // the label is)
    #[test]
    fn svg_with_text_draws_at_the_asked_resolution() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"96\" height=\"48\" viewBox=\"0 0 96 48\">\
                   <text x=\"4\" y=\"30\" font-family=\"sans-serif\" font-size=\"24\" fill=\"#000000\">Été</text></svg>";
        let (png, w, h) = svg_to_png(svg, 192.0).unwrap();
        assert_eq!((w, h), (192, 96));
        assert!(png.starts_with(b"\x89PNG"));
        let blank = svg_to_png(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"96\" height=\"48\"></svg>",
            192.0,
        )
        .unwrap()
        .0;
        assert!(png.len() > blank.len() + 200, "no text was drawn");
    }
}
