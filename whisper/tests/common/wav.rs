//! A minimal WAV reader for the tests and examples: 16-bit PCM or 32-bit float, any channel
//! count (mixed to mono), any rate.

use std::path::Path;

/// Mono samples in −1..1 and the sample rate (Hz) of a WAV file.
pub fn read_wav(path: &Path) -> Result<(Vec<f32>, u32), String> {
    let b = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if b.len() < 12 || &b[0..4] != b"RIFF" || &b[8..12] != b"WAVE" {
        return Err(format!("{}: not a WAV file", path.display()));
    }
    let (mut fmt, mut at) = (None, 12);
    while at + 8 <= b.len() {
        let id = &b[at..at + 4];
        let size = u32::from_le_bytes([b[at + 4], b[at + 5], b[at + 6], b[at + 7]]) as usize;
        let body = &b[at + 8..(at + 8 + size).min(b.len())];
        if id == b"fmt " {
            let u16_at = |i: usize| u16::from_le_bytes([body[i], body[i + 1]]);
            let rate = u32::from_le_bytes([body[4], body[5], body[6], body[7]]);
            // WAVE_FORMAT_EXTENSIBLE (0xFFFE, as sox writes) names the real format in the
            // first two bytes of its sub-format GUID.
            let format = if u16_at(0) == 0xFFFE && body.len() >= 26 {
                u16_at(24)
            } else {
                u16_at(0)
            };
            fmt = Some((format, u16_at(2) as usize, rate, u16_at(14)));
        } else if id == b"data" {
            let (format, channels, rate, bits) = fmt.ok_or("data before fmt")?;
            let frames: Vec<f32> = match (format, bits) {
                (1, 16) => body
                    .chunks_exact(2)
                    .map(|c| i16::from_le_bytes([c[0], c[1]]) as f32 / 32768.0)
                    .collect(),
                (1, 32) => body
                    .chunks_exact(4)
                    .map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]) as f32 / 2_147_483_648.0)
                    .collect(),
                (3, 32) => body
                    .chunks_exact(4)
                    .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                    .collect(),
                _ => return Err(format!("{}: unsupported WAV encoding", path.display())),
            };
            let mono = frames
                .chunks(channels.max(1))
                .map(|c| c.iter().sum::<f32>() / c.len() as f32)
                .collect();
            return Ok((mono, rate));
        }
        at += 8 + size + (size & 1);
    }
    Err(format!("{}: no audio data", path.display()))
}
