//! Sound output on Linux through ALSA, loaded at run time.
//!
//! `libasound.so.2` is opened with `libloading` when a player starts, not linked at build
//! time, so building Fouille needs no `libasound2-dev`. PipeWire and PulseAudio systems
//! route ALSA's `default` device to their server, so this reaches them too. When the
//! library or a device is missing, [`AlsaSink::open`] says so in plain words and the
//! player falls back to a silent sink that keeps time.
//!
//! Only a handful of functions are used: `snd_pcm_open`, `snd_pcm_set_params` (mono,
//! signed 16-bit, ALSA's own resampling to the device's rate, 100 ms of latency),
//! `snd_pcm_writei`, `snd_pcm_recover` (after an underrun), `snd_pcm_delay`,
//! `snd_pcm_drop` + `snd_pcm_prepare` (to discard queued sound), `snd_pcm_close`.

use super::MediaError;
use super::player::AudioSink;

/// The library loaded at run time.
pub const LIBRARY: &str = "libasound.so.2";

/// Whether ALSA's library can be loaded on this machine.
pub fn library_present() -> bool {
    imp::load().is_ok()
}

/// Sound output to an ALSA device.
pub struct AlsaSink {
    inner: imp::Pcm,
}

impl std::fmt::Debug for AlsaSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AlsaSink").finish_non_exhaustive()
    }
}

impl AlsaSink {
    /// Opens ALSA device `device` (`default`, `null`, `hw:0`…) for mono sound at
    /// `sample_rate`.
    pub fn open(device: &str, sample_rate: u32) -> Result<AlsaSink, MediaError> {
        Ok(AlsaSink {
            inner: imp::Pcm::open(device, sample_rate)?,
        })
    }
}

impl AudioSink for AlsaSink {
    fn write(&mut self, samples: &[f32]) -> Result<(), MediaError> {
        self.inner.write(samples)
    }
    fn discard(&mut self) {
        self.inner.discard();
    }
    fn queued(&mut self) -> usize {
        self.inner.delay()
    }
}

#[cfg(target_os = "linux")]
mod imp {
    use std::ffi::{CStr, CString, c_char, c_int, c_long, c_uint, c_ulong, c_void};

    use super::{LIBRARY, MediaError};

    const SND_PCM_STREAM_PLAYBACK: c_int = 0;
    const SND_PCM_FORMAT_S16_LE: c_int = 2;
    const SND_PCM_ACCESS_RW_INTERLEAVED: c_int = 3;
    const LATENCY_US: c_uint = 100_000;

    type OpenFn = unsafe extern "C" fn(*mut *mut c_void, *const c_char, c_int, c_int) -> c_int;
    type SetParamsFn =
        unsafe extern "C" fn(*mut c_void, c_int, c_int, c_uint, c_uint, c_int, c_uint) -> c_int;
    type WriteiFn = unsafe extern "C" fn(*mut c_void, *const c_void, c_ulong) -> c_long;
    type RecoverFn = unsafe extern "C" fn(*mut c_void, c_int, c_int) -> c_int;
    type PcmFn = unsafe extern "C" fn(*mut c_void) -> c_int;
    type DelayFn = unsafe extern "C" fn(*mut c_void, *mut c_long) -> c_int;
    type StrerrorFn = unsafe extern "C" fn(c_int) -> *const c_char;

    /// The functions used, copied out of the loaded library (valid while it is loaded).
    pub(super) struct Api {
        open: OpenFn,
        set_params: SetParamsFn,
        writei: WriteiFn,
        recover: RecoverFn,
        drop: PcmFn,
        prepare: PcmFn,
        close: PcmFn,
        delay: DelayFn,
        strerror: StrerrorFn,
        // Last: dropped after everything that uses the pointers above.
        _lib: libloading::Library,
    }

    pub(super) fn load() -> Result<Api, MediaError> {
        // SAFETY: loading libasound runs its initialisers, which have no preconditions.
        let lib = unsafe { libloading::Library::new(LIBRARY) }.map_err(|_| {
            MediaError::NoSound(format!(
                "{LIBRARY} not found (install ALSA's library: libasound2)"
            ))
        })?;
        macro_rules! sym {
            ($name:literal, $ty:ty) => {{
                // SAFETY: the symbol has this C signature in every libasound 1.x.
                let s: libloading::Symbol<$ty> = unsafe { lib.get($name) }.map_err(|_| {
                    MediaError::NoSound(format!("{LIBRARY} lacks a function Fouille needs"))
                })?;
                *s
            }};
        }
        Ok(Api {
            open: sym!(b"snd_pcm_open\0", OpenFn),
            set_params: sym!(b"snd_pcm_set_params\0", SetParamsFn),
            writei: sym!(b"snd_pcm_writei\0", WriteiFn),
            recover: sym!(b"snd_pcm_recover\0", RecoverFn),
            drop: sym!(b"snd_pcm_drop\0", PcmFn),
            prepare: sym!(b"snd_pcm_prepare\0", PcmFn),
            close: sym!(b"snd_pcm_close\0", PcmFn),
            delay: sym!(b"snd_pcm_delay\0", DelayFn),
            strerror: sym!(b"snd_strerror\0", StrerrorFn),
            _lib: lib,
        })
    }

    impl Api {
        fn error_text(&self, code: c_int) -> String {
            // SAFETY: snd_strerror returns a static NUL-terminated string for any code.
            let p = unsafe { (self.strerror)(code) };
            if p.is_null() {
                return format!("error {code}");
            }
            // SAFETY: non-null, NUL-terminated, static.
            unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
        }
    }

    /// An open playback PCM.
    pub(super) struct Pcm {
        handle: *mut c_void,
        samples: Vec<i16>,
        api: Api,
    }

    // SAFETY: the handle is only used through `&mut self` (one thread at a time); ALSA PCM
    // handles may be used from any thread as long as calls are not concurrent.
    unsafe impl Send for Pcm {}

    impl Pcm {
        pub(super) fn open(device: &str, rate: u32) -> Result<Pcm, MediaError> {
            let api = load()?;
            let name = CString::new(device)
                .map_err(|_| MediaError::NoSound(format!("bad device name « {device} »")))?;
            let mut handle: *mut c_void = std::ptr::null_mut();
            // SAFETY: valid out-pointer and NUL-terminated name.
            let rc = unsafe { (api.open)(&mut handle, name.as_ptr(), SND_PCM_STREAM_PLAYBACK, 0) };
            if rc < 0 || handle.is_null() {
                return Err(MediaError::NoSound(format!(
                    "no audio device « {device} » ({})",
                    api.error_text(rc)
                )));
            }
            // SAFETY: handle was just opened.
            let rc = unsafe {
                (api.set_params)(
                    handle,
                    SND_PCM_FORMAT_S16_LE,
                    SND_PCM_ACCESS_RW_INTERLEAVED,
                    1,
                    rate,
                    1,
                    LATENCY_US,
                )
            };
            if rc < 0 {
                let text = api.error_text(rc);
                // SAFETY: handle is open; closed once here.
                unsafe { (api.close)(handle) };
                return Err(MediaError::NoSound(format!(
                    "the audio device « {device} » refused mono sound at {rate} Hz ({text})"
                )));
            }
            Ok(Pcm {
                handle,
                samples: Vec::new(),
                api,
            })
        }

        pub(super) fn write(&mut self, samples: &[f32]) -> Result<(), MediaError> {
            self.samples.clear();
            self.samples.extend(
                samples
                    .iter()
                    .map(|s| (s.clamp(-1.0, 1.0) * 32767.0) as i16),
            );
            let mut done = 0usize;
            let mut retries = 0;
            while done < self.samples.len() {
                let rest = &self.samples[done..];
                // SAFETY: the buffer holds `rest.len()` mono frames of i16.
                let n = unsafe {
                    (self.api.writei)(self.handle, rest.as_ptr().cast(), rest.len() as c_ulong)
                };
                if n >= 0 {
                    done += n as usize;
                    continue;
                }
                retries += 1;
                // SAFETY: handle is open; recover handles underruns and suspends.
                let rc = unsafe { (self.api.recover)(self.handle, n as c_int, 1) };
                if rc < 0 || retries > 5 {
                    return Err(MediaError::Device(self.api.error_text(n as c_int)));
                }
            }
            Ok(())
        }

        pub(super) fn discard(&mut self) {
            // SAFETY: handle is open.
            unsafe {
                (self.api.drop)(self.handle);
                (self.api.prepare)(self.handle);
            }
        }

        pub(super) fn delay(&mut self) -> usize {
            let mut frames: c_long = 0;
            // SAFETY: handle is open; valid out-pointer.
            let rc = unsafe { (self.api.delay)(self.handle, &mut frames) };
            if rc < 0 {
                0
            } else {
                usize::try_from(frames).unwrap_or(0)
            }
        }
    }

    impl Drop for Pcm {
        fn drop(&mut self) {
            // SAFETY: handle is open and closed only here.
            unsafe { (self.api.close)(self.handle) };
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use super::MediaError;

    pub(super) struct Api;

    pub(super) fn load() -> Result<Api, MediaError> {
        Err(MediaError::NoSound(
            "sound output is not available on this system yet".into(),
        ))
    }

    pub(super) struct Pcm;

    impl Pcm {
        pub(super) fn open(_device: &str, _rate: u32) -> Result<Pcm, MediaError> {
            load().map(|_| Pcm)
        }
        pub(super) fn write(&mut self, _samples: &[f32]) -> Result<(), MediaError> {
            Ok(())
        }
        pub(super) fn discard(&mut self) {}
        pub(super) fn delay(&mut self) -> usize {
            0
        }
    }
}
