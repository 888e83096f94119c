//! A chart made ready for a paged document (DOCX, ODT): drawn without its title (the
//! caption gives it), sized to fit the page, rendered as PNG at print resolution, with a
//! text alternative.

use super::ReportError;
use super::fonts::svg_to_png;
use super::layout::PT_PER_CM;
use super::svg::Chart;

/// Resolution of the PNG drawings on the page, in dots per inch.
pub const PRINT_DPI: f64 = 200.0;
/// The widest a figure is drawn: the text width of a portrait page.
const MAX_WIDTH_CM: f64 = super::layout::PORTRAIT_PT / PT_PER_CM;
/// The tallest a figure is drawn, leaving room on its page for the caption.
const MAX_HEIGHT_CM: f64 = 21.0;

/// A chart ready to embed.
pub struct Figure {
    /// Its title, for the caption.
    pub title: String,
    /// What it shows, in words (the image's description).
    pub alt: String,
    /// The drawing as SVG, without its title.
    pub svg: String,
    /// The drawing as PNG.
    pub png: Vec<u8>,
    /// Width on the page, in cm.
    pub width_cm: f64,
    /// Height on the page, in cm.
    pub height_cm: f64,
}

/// Prepares `chart`; `colon` is the report language's separator between a label and its
/// value, for the description.
pub fn figure(chart: &Chart, colon: &str) -> Result<Figure, ReportError> {
    let (w_px, h_px) = chart.untitled_size_px();
    let natural_w_cm = w_px * 2.54 / 96.0;
    let natural_h_cm = h_px * 2.54 / 96.0;
    let fit = (MAX_WIDTH_CM / natural_w_cm)
        .min(MAX_HEIGHT_CM / natural_h_cm)
        .min(1.0);
    let (width_cm, height_cm) = (natural_w_cm * fit, natural_h_cm * fit);
    let svg = chart.to_svg_untitled();
    // The SVG's px are 1/96 in at natural size; drawn smaller, more dots per px.
    let dpi = (PRINT_DPI * fit) as f32;
    let (png, _, _) = svg_to_png(&svg, dpi).map_err(ReportError::Chart)?;
    Ok(Figure {
        title: chart.title().to_string(),
        alt: chart.alt_text(colon),
        svg,
        png,
        width_cm,
        height_cm,
    })
}
