//! Audio decoding, the player's logic, the ALSA output, transcript export.
//!
//! The fixtures in tests/data/audio/ are 1.5 s of a 440 Hz sine (amplitude 1/8) made with
//! ffmpeg's `sine` source, e.g.
//! `ffmpeg -f lavfi -i "sine=frequency=440:sample_rate=16000:duration=1.5" -ac 1 -c:a flac sine-1500ms.flac`
//! (ogg: 22050 Hz, `-ac 2`, `-c:a libvorbis -q:a 0`; mp3: `-c:a libmp3lame -b:a 32k`;
//! m4a: `-c:a aac -b:a 32k`). WAV files are written by the tests themselves.

use fouille::media::MediaError;
use fouille::media::alsa::{self, AlsaSink};
use fouille::media::decode::{self, DecodeOptions, DecodedAudio};
use fouille::media::player::{AudioSink, PlayState, Player, PlayerSettings, RecordingSink};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::support::project::data;

fn fixture(name: &str) -> PathBuf {
    data("audio").join(name)
}

/// A minimal WAV writer: 16-bit PCM, interleaved channels.
fn write_wav(path: &Path, rate: u32, channels: &[Vec<f32>]) {
    let frames = channels[0].len();
    let n = channels.len() as u16;
    let data_len = (frames * channels.len() * 2) as u32;
    let mut b = Vec::new();
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + data_len).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes()); // PCM
    b.extend_from_slice(&n.to_le_bytes());
    b.extend_from_slice(&rate.to_le_bytes());
    b.extend_from_slice(&(rate * u32::from(n) * 2).to_le_bytes());
    b.extend_from_slice(&(n * 2).to_le_bytes());
    b.extend_from_slice(&16u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&data_len.to_le_bytes());
    for i in 0..frames {
        for ch in channels {
            let v = (ch[i].clamp(-1.0, 1.0) * 32767.0).round() as i16;
            b.extend_from_slice(&v.to_le_bytes());
        }
    }
    std::fs::write(path, b).unwrap();
}

fn sine(freq: f32, rate: u32, frames: usize, amplitude: f32) -> Vec<f32> {
    (0..frames)
        .map(|i| (2.0 * std::f32::consts::PI * freq * i as f32 / rate as f32).sin() * amplitude)
        .collect()
}

/// Upward zero crossings per second.
fn frequency(samples: &[f32], rate: u32) -> f32 {
    let ups = samples
        .windows(2)
        .filter(|w| w[0] < 0.0 && w[1] >= 0.0)
        .count();
    ups as f32 * rate as f32 / samples.len() as f32
}

#[test]
fn decodes_a_stereo_wav_written_here() {
    // 1.25 s at 8 kHz, stereo; the mono mix is the mean of the channels.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("voix.wav");
    let left = sine(300.0, 8000, 10_000, 0.5);
    let right: Vec<f32> = left.iter().map(|s| s * 0.5).collect();
    write_wav(&path, 8000, &[left.clone(), right]);
    let audio = decode::decode_file(&path, DecodeOptions::default()).unwrap();
    assert_eq!(audio.sample_rate, 8000);
    assert_eq!(audio.source_channels, 2);
    assert_eq!(audio.samples.len(), 10_000);
    assert_eq!(audio.duration_ms(), 1250);
    // (l + l/2) / 2 = 0.75 l, within 16-bit rounding.
    for i in [1usize, 77, 5000, 9999] {
        assert!(
            (audio.samples[i] - 0.75 * left[i]).abs() < 1e-3,
            "sample {i}"
        );
    }
    let overview = audio.overview(250);
    assert_eq!(overview.len(), 5);
    assert!(
        overview.iter().all(|&p| (p - 0.375).abs() < 0.01),
        "{overview:?}"
    );
}

#[test]
fn decodes_at_a_lower_rate_when_asked() {
    // 48 kHz → ÷3 = 16 kHz, same duration, same pitch.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.wav");
    write_wav(&path, 48_000, &[sine(440.0, 48_000, 96_000, 0.3)]);
    let audio = decode::decode_file(
        &path,
        DecodeOptions {
            max_sample_rate: Some(16_000),
        },
    )
    .unwrap();
    assert_eq!((audio.sample_rate, audio.source_rate), (16_000, 48_000));
    assert_eq!(audio.samples.len(), 32_000);
    assert_eq!(audio.duration_ms(), 2000);
    assert!((frequency(&audio.samples, 16_000) - 440.0).abs() < 5.0);
}

#[test]
fn decodes_every_fixture_to_the_right_duration() {
    // FLAC, Ogg/Vorbis, MP3 and M4A/AAC, each to 1.5 s (see the slack for AAC).
    // ffmpeg spreads the mono sine over two channels at 1/√2 each for the ogg file.
    for (name, codec, rate, channels, level) in [
        ("sine-1500ms.flac", "flac", 16_000, 1, 0.125),
        (
            "sine-1500ms.ogg",
            "vorbis",
            22_050,
            2,
            0.125 / std::f32::consts::SQRT_2,
        ),
        ("sine-1500ms.mp3", "mp3", 16_000, 1, 0.125),
        ("sine-1500ms.m4a", "aac", 16_000, 1, 0.125),
    ] {
        let audio = decode::decode_file(&fixture(name), DecodeOptions::default()).unwrap();
        println!(
            "{name}: {} ms decoded ({} Hz, {} ch, {})",
            audio.duration_ms(),
            audio.source_rate,
            audio.source_channels,
            audio.codec
        );
        assert_eq!(audio.codec, codec, "{name}");
        assert_eq!(
            (audio.source_rate, audio.source_channels),
            (rate, channels),
            "{name}"
        );
        // symphonia's MP4 reader does not apply the edit list that hides AAC's priming
        // (1024 samples) and the padding of the last frame: up to two frames more.
        let slack = if codec == "aac" {
            2 * 1024 * 1000 / rate as u64
        } else {
            60
        };
        let measured = audio.duration_ms();
        assert!(
            measured >= 1440 && measured <= 1500 + slack,
            "{name}: {measured} ms"
        );
        // It is really the sine: its pitch and level.
        let middle = &audio.samples[audio.samples.len() / 4..audio.samples.len() * 3 / 4];
        let f = frequency(middle, audio.sample_rate);
        assert!((f - 440.0).abs() < 10.0, "{name}: {f} Hz");
        let peak = middle.iter().fold(0.0f32, |m, s| m.max(s.abs()));
        assert!((peak - level).abs() < 0.015, "{name}: peak {peak}");
        // Each fixture's header declares its duration, read without decoding.
        let declared = decode::probe_duration_ms(&fixture(name))
            .unwrap()
            .unwrap_or_else(|| panic!("{name}: no duration in the header"));
        assert!(
            declared.abs_diff(1500) <= 120,
            "{name}: header says {declared} ms"
        );
    }
}

#[test]
fn refuses_what_is_not_audio_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.mp3");
    std::fs::write(&text, "ceci n'est pas un mp3\n".repeat(50)).unwrap();
    assert!(matches!(
        decode::decode_file(&text, DecodeOptions::default()),
        Err(MediaError::Unsupported(_) | MediaError::Decode { .. })
    ));
    let missing = dir.path().join("absent.wav");
    assert!(matches!(
        decode::decode_file(&missing, DecodeOptions::default()),
        Err(MediaError::Io { .. })
    ));
    // A truncated file decodes what is there, or says it cannot: never a panic.
    let bytes = std::fs::read(fixture("sine-1500ms.flac")).unwrap();
    for cut in [10, 100, 2000, bytes.len() / 2] {
        let _ = decode::decode_bytes(
            bytes[..cut].to_vec(),
            Some("flac"),
            DecodeOptions::default(),
        );
    }
    let empty = dir.path().join("vide.wav");
    write_wav(&empty, 8000, &[Vec::new()]);
    assert!(decode::decode_file(&empty, DecodeOptions::default()).is_err());
}

fn ramp_player(settings: PlayerSettings) -> (Player, Vec<f32>) {
    // 10 s at 1 kHz: sample i = i / 10000, so a sample tells where it came from.
    let samples: Vec<f32> = (0..10_000).map(|i| i as f32 / 10_000.0).collect();
    let player = Player::new(
        Arc::new(DecodedAudio::from_mono(samples.clone(), 1000)),
        settings,
    );
    (player, samples)
}

#[test]
fn player_plays_seeks_skips_and_rewinds() {
    let settings = PlayerSettings {
        skip_ms: 3000,
        auto_rewind_ms: 2000,
        ..Default::default()
    };
    let (player, samples) = ramp_player(settings);
    let mut sink = RecordingSink::default();
    assert_eq!(player.duration_ms(), 10_000);
    assert_eq!(
        player.pump(&mut sink, 100).unwrap(),
        0,
        "paused: nothing plays"
    );
    player.play();
    assert_eq!(player.pump(&mut sink, 500).unwrap(), 500);
    assert_eq!(player.position_ms(), 500);
    assert_eq!(sink.taken(), samples[..500].to_vec());
    player.seek_ms(4000);
    player.pump(&mut sink, 100).unwrap();
    assert_eq!(sink.taken()[500..], samples[4000..4100]);
    assert_eq!(player.position_ms(), 4100);
    player.skip_forward();
    assert_eq!(player.position_ms(), 7100);
    player.skip_back();
    player.skip_back();
    assert_eq!(player.position_ms(), 1100);
    player.skip_back();
    assert_eq!(player.position_ms(), 0, "clamped at the start");
    player.seek_ms(2500);
    player.pause();
    assert_eq!(player.position_ms(), 500, "auto-rewind of 2 s");
    assert_eq!(player.state(), PlayState::Paused);
    player.play();
    player.seek_ms(1500);
    player.pause();
    assert_eq!(player.position_ms(), 0, "auto-rewind stops at the start");
    player.set_auto_rewind_ms(0);
    player.play();
    player.seek_ms(1500);
    player.pause();
    assert_eq!(player.position_ms(), 1500);
}

#[test]
fn player_speed_volume_and_end() {
    let (player, samples) = ramp_player(PlayerSettings {
        keep_pitch: false,
        ..Default::default()
    });
    let mut sink = RecordingSink::default();
    player.set_speed(2.0);
    player.play();
    player.pump(&mut sink, 400).unwrap();
    assert_eq!(
        player.position_ms(),
        800,
        "2×: 400 samples heard cover 800 ms"
    );
    let got = sink.taken();
    assert_eq!(got[10], samples[20], "resampled: every other sample");
    player.set_speed(5.0);
    assert_eq!(player.settings().speed, 2.0);
    player.set_speed(0.1);
    assert_eq!(player.settings().speed, 0.5);
    player.set_speed(1.0);
    player.set_volume(0.5);
    player.seek_ms(2000);
    let mut quiet = RecordingSink::default();
    player.pump(&mut quiet, 10).unwrap();
    assert!((quiet.taken()[0] - samples[2000] * 0.5).abs() < 1e-6);
    // Time-stretch keeps time too.
    player.set_keep_pitch(true);
    player.set_speed(1.5);
    player.seek_ms(0);
    player.pump(&mut quiet, 1000).unwrap();
    assert_eq!(player.position_ms(), 1500);
    // The end: the player stops there, and starts again from the beginning.
    player.set_speed(1.0);
    player.seek_ms(9_900);
    assert_eq!(player.pump(&mut quiet, 500).unwrap(), 100);
    assert_eq!(player.state(), PlayState::Ended);
    assert_eq!(player.position_ms(), 10_000);
    player.play();
    assert_eq!(player.position_ms(), 0);
    assert!(player.is_playing());
}

/// A recording sink that takes a millisecond per write, like a slow device.
struct SlowSink(RecordingSink);

impl AudioSink for SlowSink {
    fn write(&mut self, samples: &[f32]) -> Result<(), MediaError> {
        std::thread::sleep(std::time::Duration::from_millis(1));
        self.0.write(samples)
    }
    fn discard(&mut self) {
        self.0.discard();
    }
}

#[test]
fn player_feeds_a_sink_from_its_thread() {
    // The output thread writes while playing and discards on pause.
    let sink = RecordingSink::default();
    let samples: Vec<f32> = (0..480_000).map(|i| (i % 100) as f32 / 100.0).collect();
    let player = Player::with_output(
        Arc::new(DecodedAudio::from_mono(samples, 8_000)),
        PlayerSettings::default(),
        Box::new(SlowSink(sink.clone())),
    );
    player.play();
    let wait = |what: &dyn Fn() -> bool| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while !what() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
    };
    wait(&|| sink.taken().len() >= 1_600);
    assert!(player.is_playing());
    player.pause();
    let written = sink.taken().len();
    assert!(written >= 1_600, "the thread wrote {written} samples");
    // One discard when play started, one at the pause.
    wait(&|| sink.discards.load(std::sync::atomic::Ordering::Relaxed) >= 2);
    assert!(sink.discards.load(std::sync::atomic::Ordering::Relaxed) >= 2);
    // Paused: the thread writes nothing more (at most the block it was writing).
    std::thread::sleep(std::time::Duration::from_millis(50));
    assert!(sink.taken().len() <= written + 160);
    drop(player); // joins the thread
}

#[test]
fn alsa_null_device_plays() {
    // libasound.so.2 is loaded at run time; its "null" device discards sound.
    assert!(
        alsa::library_present(),
        "{} is needed to play into ALSA's null device: apt-get install libasound2",
        alsa::LIBRARY
    );
    let mut sink = AlsaSink::open("null", 8_000).expect("ALSA's null device");
    let tone = sine(440.0, 8_000, 1_600, 0.2); // 0.2 s
    sink.write(&tone).unwrap();
    let _ = sink.queued();
    sink.discard();
    sink.write(&tone[..400]).unwrap();
    // A device that does not exist is refused in plain words.
    let err = AlsaSink::open("fouille_no_such_device", 8_000).unwrap_err();
    assert!(
        err.to_string().starts_with("no sound: no audio device"),
        "{err}"
    );
}

#[test]
fn default_player_says_why_it_is_silent() {
    // Without a sound device the player still works and says why it is silent. A reason is
    // given exactly when the default device cannot be opened (no sound card, as on CI), so
    // both machines with and without sound check something.
    let device_opens = AlsaSink::open("default", 8_000).is_ok();
    let audio = Arc::new(DecodedAudio::from_mono(vec![0.0; 8_000], 8_000));
    let player = Player::open_default(audio, PlayerSettings::default());
    match player.no_sound_reason() {
        Some(reason) => {
            assert!(!device_opens, "the default device opens, yet: {reason}");
            // The reason alone: the interface adds "no sound" / "pas de son" in its language.
            assert!(
                !reason.is_empty() && !reason.starts_with("no sound"),
                "{reason}"
            );
        }
        None => assert!(device_opens, "no default device, and no reason given"),
    }
    player.seek_ms(500);
    assert_eq!(player.position_ms(), 500);
    player.play();
    player.pause();
    assert_eq!(player.state(), PlayState::Paused);
}
