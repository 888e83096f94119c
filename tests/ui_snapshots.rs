//! Snapshot images of the main screens, rendered with wgpu (Mesa's software Vulkan on a
//! machine without a GPU). The app's clock is fixed in tests; the sample's dates do not
//! show on these screens.

use egui_kittest::SnapshotResults;
use egui_kittest::kittest::Queryable;

use crate::support::ui::{harness, sample};

// The coding, survey and respondents screens, in French, and coding in English.
#[test]
fn main_screens() {
    let sample = sample();
    let mut h = harness(&sample.path);
    let mut results = SnapshotResults::new();
    h.remove_cursor();
    h.run();
    results.add(h.try_snapshot("coding_screen"));
    h.get_by_label("Questionnaire").click();
    h.run();
    h.remove_cursor();
    h.run();
    results.add(h.try_snapshot("survey_screen"));
    h.get_by_label("Enquêtés").click();
    h.run();
    h.remove_cursor();
    h.run();
    results.add(h.try_snapshot("respondents_screen"));
    h.get_by_label("EN").click();
    h.run();
    h.get_by_label("Coding").click();
    h.run();
    h.remove_cursor();
    h.run();
    results.add(h.try_snapshot("coding_screen_en"));
}
