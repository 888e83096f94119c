//! The transcript player: a state machine over decoded audio that renders into a sink.
//!
//! [`Player`] holds the recording, the state (paused, playing, ended), the position and
//! the settings (skip length, auto-rewind on pause, speed 0.5×–2× with the pitch kept or
//! not, volume). It renders samples into an [`AudioSink`]: either on a worker thread that
//! feeds a sound device ([`Player::with_output`], [`Player::open_default`]), or on demand
//! ([`Player::pump`]), which is how the tests drive it. Without a sound device the player
//! still keeps time through a silent sink paced by the clock, and says why it is silent.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::MediaError;
use super::decode::DecodedAudio;
use super::timestretch::{Wsola, render_resampled};

/// Slowest playback speed (half speed); a slower setting is clamped to it.
pub const MIN_SPEED: f64 = 0.5;
/// Fastest playback speed (double speed); a faster setting is clamped to it.
pub const MAX_SPEED: f64 = 2.0;
/// Loudest volume (a gain: above 1 boosts quiet recordings, clipped).
pub const MAX_VOLUME: f32 = 2.0;

/// Where rendered sound goes.
pub trait AudioSink: Send {
    /// Plays mono samples in `[-1, 1]` at the player's sample rate; may block until the
    /// device has room for them.
    fn write(&mut self, samples: &[f32]) -> Result<(), MediaError>;
    /// Drops what is queued but not heard yet (on pause and seek), so a change is heard at
    /// once.
    fn discard(&mut self) {}
    /// Samples written but not heard yet, if the sink knows.
    fn queued(&mut self) -> usize {
        0
    }
}

/// A silent sink. Paced, it takes samples at the speed they would be heard (so a player
/// without sound keeps time); unpaced, it takes them at once.
#[derive(Debug)]
pub struct NullSink {
    pace: Option<(u32, Instant, u64)>,
}

impl NullSink {
    /// A silent sink that takes samples at once.
    pub fn unpaced() -> NullSink {
        NullSink { pace: None }
    }
    /// A silent sink that takes samples in real time at `sample_rate`.
    pub fn paced(sample_rate: u32) -> NullSink {
        NullSink {
            pace: Some((sample_rate.max(1), Instant::now(), 0)),
        }
    }
}

impl AudioSink for NullSink {
    fn write(&mut self, samples: &[f32]) -> Result<(), MediaError> {
        if let Some((rate, start, written)) = &mut self.pace {
            *written += samples.len() as u64;
            let due = *start + Duration::from_secs_f64(*written as f64 / f64::from(*rate));
            let now = Instant::now();
            if due > now {
                std::thread::sleep(due - now);
            } else if now - due > Duration::from_millis(200) {
                // Fell behind (the thread slept while paused): start the clock again.
                *start = now;
                *written = 0;
            }
        }
        Ok(())
    }
    fn discard(&mut self) {
        if let Some((_, start, written)) = &mut self.pace {
            *start = Instant::now();
            *written = 0;
        }
    }
}

/// A sink that keeps every sample written (tests, offline rendering).
#[derive(Debug, Clone, Default)]
pub struct RecordingSink {
    /// Everything written, in order.
    pub samples: Arc<Mutex<Vec<f32>>>,
    /// How many times [`AudioSink::discard`] was called.
    pub discards: Arc<AtomicUsize>,
}

impl RecordingSink {
    /// A copy of the samples written so far.
    pub fn taken(&self) -> Vec<f32> {
        self.samples.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

impl AudioSink for RecordingSink {
    fn write(&mut self, samples: &[f32]) -> Result<(), MediaError> {
        if let Ok(mut s) = self.samples.lock() {
            s.extend_from_slice(samples);
        }
        Ok(())
    }
    fn discard(&mut self) {
        self.discards.fetch_add(1, Ordering::Relaxed);
    }
}

/// Whether the player renders sound, and whether it stopped at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PlayState {
    /// Not playing.
    Paused,
    /// Rendering sound: the position advances at the chosen speed.
    Playing,
    /// Reached the end (paused there; playing again starts from the beginning).
    Ended,
}

/// The user's player settings.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct PlayerSettings {
    /// Length of a skip back or forward (ms).
    pub skip_ms: u64,
    /// How far to go back when pausing (ms; 0 = not at all).
    pub auto_rewind_ms: u64,
    /// Speed, from [`MIN_SPEED`] to [`MAX_SPEED`].
    pub speed: f64,
    /// Keep the pitch when the speed is not 1 (time-stretch) rather than resample.
    pub keep_pitch: bool,
    /// Volume (gain), from 0 to [`MAX_VOLUME`].
    pub volume: f32,
}

impl Default for PlayerSettings {
    fn default() -> PlayerSettings {
        PlayerSettings {
            skip_ms: 3_000,
            auto_rewind_ms: 2_000,
            speed: 1.0,
            keep_pitch: true,
            volume: 1.0,
        }
    }
}

/// The state shared with the output thread.
struct Core {
    audio: Arc<DecodedAudio>,
    state: PlayState,
    /// Position in samples of the decoded audio, fractional since speeds other than 1 step by
    /// fractions.
    position: f64,
    settings: PlayerSettings,
    wsola: Wsola,
    /// Bumped on every pause and seek: the output thread then discards queued sound.
    generation: u64,
    /// Output samples the sink holds unheard (reported by the output thread).
    queued: usize,
    /// The last sound device error.
    device_error: Option<String>,
}

impl Core {
    fn len(&self) -> f64 {
        self.audio.samples.len() as f64
    }

    fn rate(&self) -> f64 {
        f64::from(self.audio.sample_rate)
    }

    fn moved(&mut self) {
        self.wsola.reset(self.position);
        self.generation += 1;
        self.queued = 0;
    }

    fn render(&mut self, out: &mut [f32]) -> usize {
        if self.state != PlayState::Playing {
            return 0;
        }
        let speed = self.settings.speed;
        let audio = Arc::clone(&self.audio);
        let source = &audio.samples;
        let written = if (speed - 1.0).abs() < 1e-9 || !self.settings.keep_pitch {
            render_resampled(source, &mut self.position, speed, out)
        } else {
            let n = self.wsola.render(source, speed, out);
            self.position += n as f64 * speed;
            n
        };
        let volume = self.settings.volume;
        for s in &mut out[..written] {
            *s = (*s * volume).clamp(-1.0, 1.0);
        }
        if written < out.len() {
            self.state = PlayState::Ended;
            self.position = self.len();
        }
        written
    }
}

struct Shared {
    core: Mutex<Core>,
    wake: Condvar,
    quit: AtomicBool,
}

/// Plays a decoded recording.
pub struct Player {
    shared: Arc<Shared>,
    output: Option<JoinHandle<()>>,
    no_sound: Option<String>,
}

impl std::fmt::Debug for Player {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Player")
            .field("state", &self.state())
            .field("position_ms", &self.position_ms())
            .field("no_sound", &self.no_sound)
            .finish()
    }
}

/// Output block length (ms) of the output thread.
const BLOCK_MS: u32 = 20;

impl Player {
    /// A player without output: nothing plays unless [`Player::pump`] is called.
    pub fn new(audio: Arc<DecodedAudio>, settings: PlayerSettings) -> Player {
        let rate = audio.sample_rate;
        let settings = PlayerSettings {
            speed: settings.speed.clamp(MIN_SPEED, MAX_SPEED),
            volume: settings.volume.clamp(0.0, MAX_VOLUME),
            ..settings
        };
        let core = Core {
            audio,
            state: PlayState::Paused,
            position: 0.0,
            settings,
            wsola: Wsola::new(rate, 0.0),
            generation: 0,
            queued: 0,
            device_error: None,
        };
        Player {
            shared: Arc::new(Shared {
                core: Mutex::new(core),
                wake: Condvar::new(),
                quit: AtomicBool::new(false),
            }),
            output: None,
            no_sound: None,
        }
    }

    /// A player feeding `sink` from a worker thread.
    pub fn with_output(
        audio: Arc<DecodedAudio>,
        settings: PlayerSettings,
        sink: Box<dyn AudioSink>,
    ) -> Player {
        let mut player = Player::new(audio, settings);
        let shared = Arc::clone(&player.shared);
        let rate = player.sample_rate();
        let handle = std::thread::Builder::new()
            .name("fouille-audio".into())
            .spawn(move || output_loop(&shared, sink, rate))
            .ok();
        if handle.is_none() {
            player.no_sound = Some("the sound thread could not start".into());
        }
        player.output = handle;
        player
    }

    /// A player on the system's default sound output, or, when there is none, on a
    /// silent sink that keeps time ([`Player::no_sound_reason`] then says why).
    pub fn open_default(audio: Arc<DecodedAudio>, settings: PlayerSettings) -> Player {
        let rate = audio.sample_rate;
        match super::alsa::AlsaSink::open("default", rate) {
            Ok(sink) => Player::with_output(audio, settings, Box::new(sink)),
            Err(e) => {
                let mut player =
                    Player::with_output(audio, settings, Box::new(NullSink::paced(rate)));
                // The reason alone: the interface says "no sound" in its own language.
                player.no_sound = Some(match e {
                    super::MediaError::NoSound(reason) => reason,
                    other => other.to_string(),
                });
                player
            }
        }
    }

    fn core(&self) -> MutexGuard<'_, Core> {
        // A panic in the output thread must not take the UI with it: use the state as is.
        self.shared
            .core
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn changed(&self) {
        self.shared.wake.notify_all();
    }

    /// Why there is no sound, if there is none (meant for the user).
    pub fn no_sound_reason(&self) -> Option<String> {
        self.no_sound
            .clone()
            .or_else(|| self.core().device_error.clone())
    }

    /// The recording.
    pub fn audio(&self) -> Arc<DecodedAudio> {
        Arc::clone(&self.core().audio)
    }

    /// Samples per second of the recording.
    pub fn sample_rate(&self) -> u32 {
        self.core().audio.sample_rate
    }

    /// Length of the recording (ms), as played.
    pub fn duration_ms(&self) -> u64 {
        let core = self.core();
        super::decode::frames_to_ms(core.audio.samples.len() as u64, core.audio.sample_rate)
    }

    /// The play state.
    pub fn state(&self) -> PlayState {
        self.core().state
    }

    /// Whether it is playing.
    pub fn is_playing(&self) -> bool {
        self.state() == PlayState::Playing
    }

    /// What is being heard (ms): the position less what the device still holds.
    pub fn position_ms(&self) -> u64 {
        let core = self.core();
        let lag = core.queued as f64 * core.settings.speed;
        let heard = (core.position - lag).max(0.0);
        (heard * 1000.0 / core.rate()).round() as u64
    }

    /// A copy of the current skip, rewind, speed, pitch and volume settings.
    pub fn settings(&self) -> PlayerSettings {
        self.core().settings
    }

    /// Starts playing (from the beginning if it had ended).
    pub fn play(&self) {
        let mut core = self.core();
        if core.state == PlayState::Playing {
            return;
        }
        if core.state == PlayState::Ended || core.position >= core.len() {
            core.position = 0.0;
        }
        core.state = PlayState::Playing;
        core.moved();
        drop(core);
        self.changed();
    }

    /// Pauses, going back by the auto-rewind length.
    pub fn pause(&self) {
        let mut core = self.core();
        if core.state != PlayState::Playing {
            return;
        }
        // Rewind from what was heard, not from what was rendered ahead.
        let lag = core.queued as f64 * core.settings.speed;
        let rewind = core.settings.auto_rewind_ms as f64 * core.rate() / 1000.0;
        core.position = (core.position - lag - rewind).max(0.0);
        core.state = PlayState::Paused;
        core.moved();
        drop(core);
        self.changed();
    }

    /// Plays if paused, pauses if playing.
    pub fn toggle(&self) {
        if self.is_playing() {
            self.pause()
        } else {
            self.play()
        }
    }

    /// Goes to `ms` (clamped to the recording).
    pub fn seek_ms(&self, ms: u64) {
        let mut core = self.core();
        let target = (ms as f64 * core.rate() / 1000.0).min(core.len());
        core.position = target;
        if core.state == PlayState::Ended && target < core.len() {
            core.state = PlayState::Paused;
        }
        core.moved();
        drop(core);
        self.changed();
    }

    /// Goes back by the skip length.
    pub fn skip_back(&self) {
        let skip = self.settings().skip_ms;
        self.seek_ms(self.position_ms().saturating_sub(skip));
    }

    /// Goes forward by the skip length.
    pub fn skip_forward(&self) {
        let skip = self.settings().skip_ms;
        self.seek_ms(self.position_ms() + skip);
    }

    /// Sets the speed (clamped to 0.5–2).
    pub fn set_speed(&self, speed: f64) {
        let mut core = self.core();
        let speed = if speed.is_finite() {
            speed.clamp(MIN_SPEED, MAX_SPEED)
        } else {
            1.0
        };
        if (core.settings.speed - speed).abs() > 1e-9 {
            core.settings.speed = speed;
            let position = core.position;
            core.wsola.reset(position);
        }
    }

    /// Keeps the pitch at other speeds (time-stretch), or not (resampling).
    pub fn set_keep_pitch(&self, keep: bool) {
        let mut core = self.core();
        core.settings.keep_pitch = keep;
        let position = core.position;
        core.wsola.reset(position);
    }

    /// Sets the volume (clamped to 0–[`MAX_VOLUME`]).
    pub fn set_volume(&self, volume: f32) {
        self.core().settings.volume = if volume.is_finite() {
            volume.clamp(0.0, MAX_VOLUME)
        } else {
            1.0
        };
    }

    /// Sets the skip length (ms).
    pub fn set_skip_ms(&self, ms: u64) {
        self.core().settings.skip_ms = ms;
    }

    /// Sets the auto-rewind length (ms; 0 = off).
    pub fn set_auto_rewind_ms(&self, ms: u64) {
        self.core().settings.auto_rewind_ms = ms;
    }

    /// Renders up to `frames` samples into `sink` now (no output thread needed). Returns
    /// how many were written: 0 when paused or at the end.
    pub fn pump(&self, sink: &mut dyn AudioSink, frames: usize) -> Result<usize, MediaError> {
        let mut buf = vec![0.0f32; frames];
        let n = self.core().render(&mut buf);
        if n > 0 {
            sink.write(&buf[..n])?;
        }
        Ok(n)
    }
}

impl Drop for Player {
    fn drop(&mut self) {
        self.shared.quit.store(true, Ordering::SeqCst);
        self.shared.wake.notify_all();
        if let Some(handle) = self.output.take() {
            let _ = handle.join();
        }
    }
}

/// The output thread: renders blocks while playing and writes them to the sink; waits
/// while paused; discards queued sound after a pause or a seek.
fn output_loop(shared: &Shared, mut sink: Box<dyn AudioSink>, rate: u32) {
    let block = (rate as usize * BLOCK_MS as usize / 1000).max(64);
    let mut buf = vec![0.0f32; block];
    let mut seen_generation = 0;
    let mut failures = 0u32;
    loop {
        if shared.quit.load(Ordering::SeqCst) {
            break;
        }
        let mut core = shared.core.lock().unwrap_or_else(|p| p.into_inner());
        if core.generation != seen_generation {
            seen_generation = core.generation;
            drop(core);
            sink.discard();
            continue;
        }
        if core.state != PlayState::Playing {
            let _ = shared.wake.wait_timeout(core, Duration::from_millis(200));
            continue;
        }
        let n = core.render(&mut buf);
        drop(core);
        if n == 0 {
            continue;
        }
        match sink.write(&buf[..n]) {
            Ok(()) => failures = 0,
            Err(e) => {
                failures += 1;
                let mut core = shared.core.lock().unwrap_or_else(|p| p.into_inner());
                core.device_error = Some(e.to_string());
                drop(core);
                // Keep time even when the device fails.
                std::thread::sleep(Duration::from_millis(
                    u64::from(BLOCK_MS) * u64::from(failures.min(10)),
                ));
            }
        }
        let queued = sink.queued();
        let mut core = shared.core.lock().unwrap_or_else(|p| p.into_inner());
        if core.generation == seen_generation {
            core.queued = queued;
        }
    }
}
