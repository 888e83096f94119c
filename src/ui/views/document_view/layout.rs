//! The text split into paragraphs, each laid out on its own (a galley per paragraph, kept
//! while the width and the text size stay the same), with heights summed so the view can
//! find what is visible without laying out the rest.

use std::sync::Arc;

use egui::{Galley, text::LayoutJob, text::TextFormat};

use crate::ui::theme;

/// Vertical space after each paragraph, points.
pub const PARAGRAPH_GAP: f32 = 6.0;

/// One paragraph (a line of the stored text, without its `\n`).
#[derive(Debug, Clone)]
pub struct Paragraph {
    /// Byte range in the document text.
    pub bytes: std::ops::Range<usize>,
    /// First char, as a document offset.
    pub char_start: usize,
    /// Number of chars (without the `\n`).
    pub char_len: usize,
    /// Its galley at the current width, once laid out.
    pub galley: Option<Arc<Galley>>,
    /// Height including the gap below (estimated until laid out).
    pub height: f32,
}

impl Paragraph {
    /// The document offset just past the paragraph's last char.
    pub fn char_end(&self) -> usize {
        self.char_start + self.char_len
    }
}

/// What a layout depends on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LayoutKey {
    /// Wrap width, points (rounded).
    pub width: f32,
    /// Text size, points.
    pub text_size: f32,
}

/// The paragraphs of a document with their layout.
#[derive(Debug, Clone, Default)]
pub struct TextLayout {
    /// The whole text, as stored (LF line ends).
    pub text: String,
    /// Its paragraphs (split at line ends), in order.
    pub paragraphs: Vec<Paragraph>,
    /// `tops[i]` = y of paragraph `i` from the top of the content; one more entry than
    /// paragraphs (the total height last).
    pub tops: Vec<f32>,
    key: Option<LayoutKey>,
    /// Average char width measured at this size, for estimates.
    char_width: f32,
    /// Height of one row.
    row_height: f32,
    /// Whether a height changed since `tops` was summed.
    dirty: bool,
    /// Pixels per point, atlas fill ratio and text options seen last frame.
    atlas: Option<(f32, f32, egui::epaint::text::TextOptions)>,
}

impl TextLayout {
    /// Splits a text into paragraphs (nothing laid out yet).
    pub fn new(text: String) -> TextLayout {
        let mut paragraphs = Vec::new();
        let mut byte_start = 0;
        let mut char_start = 0;
        for line in text.split('\n') {
            let char_len = line.chars().count();
            paragraphs.push(Paragraph {
                bytes: byte_start..byte_start + line.len(),
                char_start,
                char_len,
                galley: None,
                height: 0.0,
            });
            byte_start += line.len() + 1;
            char_start += char_len + 1;
        }
        TextLayout {
            text,
            paragraphs,
            tops: Vec::new(),
            key: None,
            char_width: 8.0,
            row_height: 20.0,
            dirty: true,
            atlas: None,
        }
    }

    /// The text of a paragraph.
    pub fn paragraph_text(&self, index: usize) -> &str {
        self.paragraphs
            .get(index)
            .and_then(|p| self.text.get(p.bytes.clone()))
            .unwrap_or("")
    }

    /// Total number of chars in the document.
    pub fn char_count(&self) -> usize {
        self.paragraphs.last().map(Paragraph::char_end).unwrap_or(0)
    }

    /// Total height of the content.
    pub fn total_height(&self) -> f32 {
        self.tops.last().copied().unwrap_or(0.0)
    }

    /// The paragraph holding a document char offset (a `\n` belongs to the paragraph it
    /// ends).
    pub fn paragraph_of_char(&self, offset: usize) -> usize {
        match self
            .paragraphs
            .binary_search_by(|p| p.char_start.cmp(&offset))
        {
            Ok(i) => i,
            Err(0) => 0,
            Err(i) => i - 1,
        }
    }

    /// The paragraph at a content y.
    pub fn paragraph_at_y(&self, y: f32) -> usize {
        let n = self.paragraphs.len();
        if n == 0 {
            return 0;
        }
        match self.tops[..n].binary_search_by(|t| t.total_cmp(&y)) {
            Ok(i) => i,
            Err(0) => 0,
            Err(i) => (i - 1).min(n - 1),
        }
    }

    /// Sets the width and size; a change drops every galley (heights stay as estimates
    /// until laid out again). Returns whether anything was dropped.
    pub fn set_key(
        &mut self,
        key: LayoutKey,
        fonts: &mut egui::epaint::text::FontsView<'_>,
    ) -> bool {
        if self.key == Some(key) {
            return false;
        }
        let sample = "Les enquêtés racontent leur travail quotidien, 0123456789.";
        let job = LayoutJob::simple_singleline(
            sample.into(),
            theme::text_font(key.text_size),
            theme::INK,
        );
        let galley = fonts.layout_job(job);
        self.char_width = (galley.size().x / sample.chars().count() as f32).max(1.0);
        self.row_height = key.text_size * theme::LINE_HEIGHT_FACTOR;
        self.key = Some(key);
        for p in &mut self.paragraphs {
            p.galley = None;
            p.height = estimate(p.char_len, key.width, self.char_width, self.row_height);
        }
        self.dirty = true;
        true
    }

    /// Drops every galley, keeping heights: the font atlas they point into was rebuilt
    /// (new pixels per point, or a full atlas emptied). Returns whether any was dropped.
    pub fn drop_galleys(&mut self) -> bool {
        let mut dropped = false;
        for p in &mut self.paragraphs {
            dropped |= p.galley.take().is_some();
        }
        dropped
    }

    /// Whether galleys laid out earlier may point into an atlas that is gone: the pixels
    /// per point changed, or the atlas emptied (its fill ratio went down).
    pub fn atlas_changed(
        &mut self,
        pixels_per_point: f32,
        fill_ratio: f32,
        options: egui::epaint::text::TextOptions,
    ) -> bool {
        let now = (pixels_per_point, fill_ratio, options);
        let changed = match self.atlas {
            Some((ppp, fill, opts)) => ppp != now.0 || fill_ratio < fill || opts != now.2,
            None => false,
        };
        self.atlas = Some(now);
        changed
    }

    /// Lays out paragraph `index` if it is not laid out yet. Returns whether its height
    /// changed.
    pub fn ensure_laid_out(
        &mut self,
        index: usize,
        fonts: &mut egui::epaint::text::FontsView<'_>,
    ) -> bool {
        let Some(key) = self.key else { return false };
        let Some(p) = self.paragraphs.get(index) else {
            return false;
        };
        if p.galley.is_some() {
            return false;
        }
        let text = self.text.get(p.bytes.clone()).unwrap_or("").to_string();
        let galley = fonts.layout_job(paragraph_job(text, key));
        let height = galley.size().y.max(self.row_height) + PARAGRAPH_GAP;
        let p = &mut self.paragraphs[index];
        let changed = (p.height - height).abs() > 0.01;
        p.height = height;
        p.galley = Some(galley);
        if changed {
            self.dirty = true;
        }
        changed
    }

    /// Sums the heights into `tops` if any changed.
    pub fn update_tops(&mut self) {
        if !self.dirty && self.tops.len() == self.paragraphs.len() + 1 {
            return;
        }
        self.tops.clear();
        let mut y = 0.0;
        for p in &self.paragraphs {
            self.tops.push(y);
            y += p.height;
        }
        self.tops.push(y);
        self.dirty = false;
    }

    /// The first paragraph not yet laid out, from `from` on.
    pub fn next_unlaid(&self, from: usize) -> Option<usize> {
        (from..self.paragraphs.len()).find(|&i| self.paragraphs[i].galley.is_none())
    }

    /// Height of one row of text.
    pub fn row_height(&self) -> f32 {
        self.row_height
    }
}

fn estimate(chars: usize, width: f32, char_width: f32, row_height: f32) -> f32 {
    let per_row = (width / char_width).max(1.0);
    let rows = ((chars as f32) / per_row).ceil().max(1.0);
    rows * row_height + PARAGRAPH_GAP
}

/// The layout job of one paragraph.
pub fn paragraph_job(text: String, key: LayoutKey) -> LayoutJob {
    let format = TextFormat {
        font_id: theme::text_font(key.text_size),
        color: theme::INK,
        line_height: Some(key.text_size * theme::LINE_HEIGHT_FACTOR),
        valign: egui::Align::Min,
        ..TextFormat::default()
    };
    let label_end = speaker_label_len(&text);
    let mut job = LayoutJob::single_section(text, format.clone());
    if let Some(end) = label_end {
        // The speaker's name ("Nadia :", "Enquêtrice :") in the accent colour.
        job.sections = vec![
            egui::text::LayoutSection {
                leading_space: 0.0,
                byte_range: egui::text::ByteIndex(0)..egui::text::ByteIndex(end),
                format: TextFormat {
                    color: theme::SPEAKER,
                    ..format.clone()
                },
            },
            egui::text::LayoutSection {
                leading_space: 0.0,
                byte_range: egui::text::ByteIndex(end)..egui::text::ByteIndex(job.text.len()),
                format,
            },
        ];
    }
    job.wrap.max_width = key.width;
    job
}

/// Byte length of a speaker label opening a paragraph (`Name :` or `Name:` of at most
/// 40 chars, no sentence punctuation before the colon), if any.
pub fn speaker_label_len(text: &str) -> Option<usize> {
    let colon = text
        .char_indices()
        .take(42)
        .find(|(_, c)| *c == ':')
        .map(|(i, _)| i)?;
    let name = text[..colon].trim_end();
    let particles = ["de", "du", "des", "le", "la", "van", "von", "di", "da"];
    let ok = !name.is_empty()
        && name.chars().count() <= 40
        && name.split_whitespace().count() <= 4
        && name.split_whitespace().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                || particles.contains(&w)
        })
        && !name.contains(['.', '?', '!', ',', ';', '«', '"']);
    ok.then_some(colon + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_speaker_labels() {
        assert_eq!(speaker_label_len("Nadia : Oui"), Some(7));
        assert_eq!(
            speaker_label_len("Enquêtrice : Merci"),
            Some("Enquêtrice :".len())
        );
        assert_eq!(speaker_label_len("Il a dit : non"), None);
        assert_eq!(
            speaker_label_len("Marie de La Tour : oui"),
            Some("Marie de La Tour :".len())
        );
        assert_eq!(speaker_label_len("Oui, alors : non"), None);
        assert_eq!(speaker_label_len("[00:01:02] texte"), None);
        assert_eq!(speaker_label_len("Pas de deux-points ici"), None);
    }

    #[test]
    fn splits_paragraphs_with_char_offsets() {
        let layout = TextLayout::new("é😅a\n\nbc".into());
        let p = &layout.paragraphs;
        assert_eq!(p.len(), 3);
        assert_eq!((p[0].char_start, p[0].char_len), (0, 3));
        assert_eq!((p[1].char_start, p[1].char_len), (4, 0));
        assert_eq!((p[2].char_start, p[2].char_len), (5, 2));
        assert_eq!(layout.paragraph_text(0), "é😅a");
        assert_eq!(layout.paragraph_text(2), "bc");
        assert_eq!(layout.char_count(), 7);
        assert_eq!(layout.paragraph_of_char(3), 0);
        assert_eq!(layout.paragraph_of_char(4), 1);
        assert_eq!(layout.paragraph_of_char(6), 2);
    }
}
