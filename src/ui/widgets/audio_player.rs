//! The transcript player widget: play/pause, skip back and forward, elapsed / total time,
//! speed (0.5×–2×, pitch kept or not), volume, and a waveform overview that seeks on a
//! click or a drag. It draws and drives a [`Player`]; the sound itself plays on the
//! player's own thread. Colours come from the current visuals.

use crate::media::player::{MAX_SPEED, MAX_VOLUME, MIN_SPEED, Player};
use crate::model::timestamps::format_clock;

/// The widget's words (French first, English too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlayerLabels {
    /// Play button tooltip.
    pub play: String,
    /// Pause button tooltip.
    pub pause: String,
    /// Skip back tooltip (`{s}` is replaced by the seconds).
    pub back: String,
    /// Skip forward tooltip (`{s}` is replaced by the seconds).
    pub forward: String,
    /// Speed slider.
    pub speed: String,
    /// "Keep the pitch" checkbox.
    pub keep_pitch: String,
    /// Volume slider.
    pub volume: String,
    /// Waveform tooltip.
    pub seek_hint: String,
    /// Skip length setting (seconds).
    pub skip: String,
    /// Auto-rewind on pause setting (seconds, 0 = off).
    pub auto_rewind: String,
    /// Why there is no sound (`{reason}` is replaced by the reason).
    pub no_sound: String,
}

impl PlayerLabels {
    /// The labels in French.
    pub fn french() -> PlayerLabels {
        PlayerLabels {
            play: "Lecture".into(),
            pause: "Pause".into(),
            back: "Reculer de {s} s".into(),
            forward: "Avancer de {s} s".into(),
            speed: "Vitesse".into(),
            keep_pitch: "Garder la hauteur de la voix".into(),
            volume: "Volume".into(),
            seek_hint: "Cliquer pour aller à ce moment".into(),
            skip: "Saut (s)".into(),
            auto_rewind: "Recul à la pause (s)".into(),
            no_sound: "Pas de son : {reason}".into(),
        }
    }

    /// The labels in English.
    pub fn english() -> PlayerLabels {
        PlayerLabels {
            play: "Play".into(),
            pause: "Pause".into(),
            back: "Back {s} s".into(),
            forward: "Forward {s} s".into(),
            speed: "Speed".into(),
            keep_pitch: "Keep the voice's pitch".into(),
            volume: "Volume".into(),
            seek_hint: "Click to go to this moment".into(),
            skip: "Skip (s)".into(),
            auto_rewind: "Rewind on pause (s)".into(),
            no_sound: "No sound: {reason}".into(),
        }
    }
}

impl Default for PlayerLabels {
    fn default() -> PlayerLabels {
        PlayerLabels::french()
    }
}

/// Height of the waveform (points).
const WAVEFORM_HEIGHT: f32 = 44.0;

/// Draws the player: transport row, then the waveform. `overview` is a level overview of
/// the whole recording (peaks in `[0, 1]`, e.g. from `DecodedAudio::overview`).
pub fn audio_player_ui(
    ui: &mut egui::Ui,
    player: &mut Player,
    overview: &[f32],
    labels: &PlayerLabels,
) {
    let settings = player.settings();
    let duration_ms = player.duration_ms();
    let skip_s = (settings.skip_ms as f64 / 1000.0).to_string();
    ui.horizontal(|ui| {
        if ui
            .button("⏪")
            .on_hover_text(labels.back.replace("{s}", &skip_s))
            .clicked()
        {
            player.skip_back();
        }
        let playing = player.is_playing();
        let (icon, tip) = if playing {
            ("⏸", &labels.pause)
        } else {
            ("▶", &labels.play)
        };
        if ui.button(icon).on_hover_text(tip).clicked() {
            player.toggle();
        }
        if ui
            .button("⏩")
            .on_hover_text(labels.forward.replace("{s}", &skip_s))
            .clicked()
        {
            player.skip_forward();
        }
        ui.monospace(format!(
            "{} / {}",
            format_clock(player.position_ms()),
            format_clock(duration_ms)
        ));
        ui.separator();
        let mut speed = settings.speed;
        let speed_slider = egui::Slider::new(&mut speed, MIN_SPEED..=MAX_SPEED)
            .step_by(0.05)
            .suffix("×")
            .text(&labels.speed);
        if ui.add(speed_slider).changed() {
            player.set_speed(speed);
        }
        let mut keep_pitch = settings.keep_pitch;
        if ui
            .checkbox(&mut keep_pitch, "♪")
            .on_hover_text(&labels.keep_pitch)
            .changed()
        {
            player.set_keep_pitch(keep_pitch);
        }
        ui.separator();
        let mut volume = settings.volume;
        let volume_slider = egui::Slider::new(&mut volume, 0.0..=MAX_VOLUME)
            .show_value(false)
            .text(&labels.volume);
        if ui.add(volume_slider).changed() {
            player.set_volume(volume);
        }
    });
    // The settings on their own row: the transport row must fit a narrow centre panel.
    skip_settings_ui(ui, player, labels);
    waveform_ui(ui, player, overview, duration_ms, labels);
    if let Some(reason) = player.no_sound_reason() {
        ui.weak(labels.no_sound.replace("{reason}", &reason));
    }
    if player.is_playing() {
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(50));
    }
}

/// The skip length (0.5 to 60 s) and the automatic rewind on pause (0 to 30 s).
fn skip_settings_ui(ui: &mut egui::Ui, player: &mut Player, labels: &PlayerLabels) {
    let settings = player.settings();
    ui.horizontal(|ui| {
        let mut skip = settings.skip_ms as f64 / 1000.0;
        let skip_label = ui.label(&labels.skip);
        if ui
            .add(
                egui::DragValue::new(&mut skip)
                    .range(0.5..=60.0)
                    .speed(0.1)
                    .max_decimals(1),
            )
            .labelled_by(skip_label.id)
            .changed()
        {
            player.set_skip_ms((skip * 1000.0).round() as u64);
        }
        let mut rewind = settings.auto_rewind_ms as f64 / 1000.0;
        let rewind_label = ui.label(&labels.auto_rewind);
        if ui
            .add(
                egui::DragValue::new(&mut rewind)
                    .range(0.0..=30.0)
                    .speed(0.1)
                    .max_decimals(1),
            )
            .labelled_by(rewind_label.id)
            .changed()
        {
            player.set_auto_rewind_ms((rewind * 1000.0).round() as u64);
        }
    });
}

/// The level overview as bars, the part already heard in the selection colour, a play
/// head; a click or a drag seeks.
fn waveform_ui(
    ui: &mut egui::Ui,
    player: &Player,
    overview: &[f32],
    duration_ms: u64,
    labels: &PlayerLabels,
) {
    let width = ui.available_width().max(60.0);
    let (rect, response) = ui.allocate_exact_size(
        egui::vec2(width, WAVEFORM_HEIGHT),
        egui::Sense::click_and_drag(),
    );
    let response = response.on_hover_text(&labels.seek_hint);
    if let Some(pos) = response.interact_pointer_pos()
        && (response.clicked() || response.dragged())
        && duration_ms > 0
    {
        let fraction = ((pos.x - rect.left()) / rect.width()).clamp(0.0, 1.0);
        player.seek_ms((f64::from(fraction) * duration_ms as f64) as u64);
    }
    if !ui.is_rect_visible(rect) {
        return;
    }
    let visuals = ui.visuals();
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 2.0, visuals.extreme_bg_color);
    let played = if duration_ms > 0 {
        player.position_ms() as f32 / duration_ms as f32
    } else {
        0.0
    };
    let head_x = rect.left() + played.clamp(0.0, 1.0) * rect.width();
    let heard = visuals.selection.bg_fill;
    let ahead = visuals.widgets.inactive.fg_stroke.color;
    let columns = (rect.width() as usize).max(1);
    let mid = rect.center().y;
    let half = rect.height() / 2.0 - 2.0;
    if !overview.is_empty() {
        for c in 0..columns {
            // The peak of the overview buckets under this column.
            let from = c * overview.len() / columns;
            let to = ((c + 1) * overview.len() / columns)
                .max(from + 1)
                .min(overview.len());
            let peak = overview[from.min(overview.len() - 1)..to]
                .iter()
                .fold(0.0f32, |m, &p| m.max(p));
            let x = rect.left() + c as f32 + 0.5;
            let h = (peak.clamp(0.0, 1.0) * half).max(0.5);
            let color = if x <= head_x { heard } else { ahead };
            painter.line_segment(
                [egui::pos2(x, mid - h), egui::pos2(x, mid + h)],
                egui::Stroke::new(1.0, color),
            );
        }
    }
    painter.vline(
        head_x,
        rect.y_range(),
        egui::Stroke::new(2.0, visuals.strong_text_color()),
    );
}
