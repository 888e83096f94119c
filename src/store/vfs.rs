//! Page checksums: a thin layer between SQLite and the files of a project (a "VFS shim")
//! that writes an 8-byte checksum into the reserved space at the end of every page of a
//! project file, and checks it whenever that page is read back from the file.
//!
//! Why: SQLite's own checks look at the shape of its trees, not at the bytes of a text or
//! of an offset. A few bytes flipped by a failing disk, a bad copy or a sync tool inside a
//! document's text, or inside a coding's start char, open without a word and show
//! excerpts shifted or empty. With a checksum per page, reading a damaged page fails with
//! `SQLITE_IOERR_DATA`, which the store turns into "this project file is damaged".
//!
//! Only the main database file of a connection gets checksums, and only when its header
//! says that each page keeps [`RESERVED_BYTES`] bytes free (byte 20 of the file): new
//! projects are created so, older ones are converted once at open. Other files (the
//! write-ahead log, journals) pass through, except that a write failing for lack of room is
//! noted with its file, like a checksum failure, for the error message. A page gets its
//! checksum when it is written into the main file, which in WAL mode happens at checkpoints
//! (the log's frames carry SQLite's own checksums).
//!
//! The checksum mixes in the page number, so a page written at the wrong place, or a run of
//! zeros where a page should be, fails too.

use rusqlite::ffi;
use std::cell::RefCell;
use std::ffi::{CStr, c_char, c_int, c_void};
use std::sync::OnceLock;

/// Bytes kept free at the end of every page of a project file, for the checksum.
pub const RESERVED_BYTES: u8 = 8;

/// Offset of the "reserved bytes per page" field in an SQLite file header.
const HEADER_RESERVED_OFFSET: usize = 20;

/// The pragma (handled here, per connection and file) that turns checking off and on: off
/// only to read what is left of a damaged file (`check` locating the damage).
pub const VERIFY_PRAGMA: &str = "fouille_checksum_verification";

const VFS_NAME: &CStr = c"fouille-checksums";

/// The VFS under this one (the operating system's), as an address.
static ORIGINAL: OnceLock<usize> = OnceLock::new();

/// A failure this layer saw on the current thread, kept for the error message that follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// The file (as SQLite named it).
    pub path: String,
    /// The page (1-based) that failed its checksum; `None` for a write that found no room.
    pub page: Option<u32>,
}

thread_local! {
    /// The last failure seen on this thread.
    static LAST_FAULT: RefCell<Option<Fault>> = const { RefCell::new(None) };
    /// A page-sized buffer to stamp a checksum into without writing to SQLite's buffer.
    static STAMP_BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Makes the checksum layer the default for every SQLite connection this process opens
/// from now on (idempotent). Connections opened before would write pages without a
/// checksum, so every path that opens a project calls this first.
pub fn register() {
    ORIGINAL.get_or_init(|| {
        // SAFETY: sqlite3_vfs_find(NULL) returns the default VFS, which lives as long as
        // the process; the struct we register is leaked, so it lives as long too.
        unsafe {
            let original = ffi::sqlite3_vfs_find(std::ptr::null());
            assert!(!original.is_null(), "SQLite has no default VFS");
            let vfs = Box::leak(Box::new(shim_vfs(&*original)));
            let rc = ffi::sqlite3_vfs_register(vfs, 1);
            assert_eq!(rc, ffi::SQLITE_OK, "cannot register the checksum VFS");
            original as usize
        }
    });
}

/// The last failure seen on this thread, if any; taken, so that a later unrelated error does
/// not name it again.
pub fn take_fault() -> Option<Fault> {
    LAST_FAULT.with(|f| f.borrow_mut().take())
}

/// The folder of the file whose write last found no room on this thread, if any.
pub fn last_file_folder() -> Option<String> {
    take_fault().map(|f| {
        std::path::Path::new(&f.path)
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or(f.path)
    })
}

/// Computes the checksum of one page: `content` is the page without its last
/// [`RESERVED_BYTES`] (a whole number of 8-byte words), `page_number` is 1-based.
pub fn page_checksum(content: &[u8], page_number: u64) -> [u8; 8] {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    // Four independent lanes keep the multiplier busy; each step is a bijection of the
    // lane for a fixed word, so any single changed word changes the result.
    let mut lanes = [page_number ^ K, K.rotate_left(17), K.rotate_left(31), !K];
    let mut words = content.chunks_exact(8);
    let mut index = 0usize;
    for word in words.by_ref() {
        let w = u64::from_le_bytes(word.try_into().unwrap_or_default());
        let lane = &mut lanes[index & 3];
        *lane = (*lane ^ w).wrapping_mul(K).rotate_left(29);
        index += 1;
    }
    let mut h = (content.len() as u64).wrapping_mul(K);
    for lane in lanes {
        h = (h ^ lane).wrapping_mul(K).rotate_left(31);
    }
    (h ^ (h >> 29)).to_le_bytes()
}

/// Whether a whole page (reserved bytes included) carries its right checksum.
pub fn page_is_sound(page: &[u8], page_number: u64) -> bool {
    let split = page.len() - usize::from(RESERVED_BYTES);
    page_checksum(&page[..split], page_number) == page[split..]
}

/// The page size and reserved bytes an SQLite header declares, when `header` is one.
pub fn header_layout(header: &[u8]) -> Option<(u32, u8)> {
    if header.len() < 100 || &header[..16] != b"SQLite format 3\0" {
        return None;
    }
    let raw = u16::from_be_bytes([header[16], header[17]]);
    let page_size = if raw == 1 { 65_536 } else { u32::from(raw) };
    Some((page_size, header[HEADER_RESERVED_OFFSET]))
}

fn original() -> *mut ffi::sqlite3_vfs {
    *ORIGINAL.get().expect("the checksum VFS is registered") as *mut ffi::sqlite3_vfs
}

/// What this layer keeps about an open file; the file of the VFS below follows it in the
/// same allocation.
#[repr(C)]
struct ShimFile {
    base: ffi::sqlite3_file,
    /// The file's name as SQLite gave it (valid until the file closes), or null.
    name: *const c_char,
    /// A main database file (the only kind that gets checksums).
    main: bool,
    /// The header says every page keeps [`RESERVED_BYTES`] for a checksum.
    checksummed: bool,
    /// Reads are checked (off only through [`VERIFY_PRAGMA`]).
    verify: bool,
    /// Page size from the header, 0 until the header was seen.
    page_size: u32,
    /// Pages were written before the header was seen, so without their checksum: a new
    /// file filled by the backup API, whose transaction keeps page 1 in memory until it
    /// commits while pages past the page cache's size are already written out.
    blind_writes: bool,
}

const SHIM_BYTES: usize = std::mem::size_of::<ShimFile>();

/// The VFS below's file for one of ours.
///
/// # Safety
/// `file` was opened by [`shim_open`] as a main database (so the lower file follows it).
unsafe fn lower(file: *mut ffi::sqlite3_file) -> *mut ffi::sqlite3_file {
    unsafe { (file as *mut u8).add(SHIM_BYTES) as *mut ffi::sqlite3_file }
}

/// The lower file's methods.
///
/// # Safety
/// As [`lower`]; the lower file is open.
unsafe fn lower_methods(
    file: *mut ffi::sqlite3_file,
) -> (*mut ffi::sqlite3_file, &'static ffi::sqlite3_io_methods) {
    unsafe {
        let inner = lower(file);
        (inner, &*(*inner).pMethods)
    }
}

/// Notes the header's page size and reserved bytes whenever page 1 goes by.
///
/// # Safety
/// `buf` holds `amount` readable bytes.
unsafe fn observe_header(shim: &mut ShimFile, buf: *const c_void, amount: c_int, offset: i64) {
    if !shim.main || offset != 0 || amount < 100 {
        return;
    }
    let header = unsafe { std::slice::from_raw_parts(buf as *const u8, 100) };
    if let Some((page_size, reserved)) = header_layout(header) {
        shim.page_size = page_size;
        shim.checksummed = reserved == RESERVED_BYTES;
    }
}

/// The page number of a whole-page access, when checksums apply to it.
fn whole_page(shim: &ShimFile, amount: c_int, offset: i64) -> Option<u64> {
    let size = i64::from(shim.page_size);
    (shim.main
        && shim.checksummed
        && size >= 512
        && i64::from(amount) == size
        && offset % size == 0)
        .then(|| (offset / size) as u64 + 1)
}

fn record_fault(shim: &ShimFile, page: Option<u64>) {
    let path = if shim.name.is_null() {
        String::new()
    } else {
        // SAFETY: SQLite keeps the name alive until the file closes, and it is open.
        unsafe { CStr::from_ptr(shim.name) }
            .to_string_lossy()
            .into_owned()
    };
    let page = page.and_then(|p| u32::try_from(p).ok());
    LAST_FAULT.with(|f| *f.borrow_mut() = Some(Fault { path, page }));
}

unsafe extern "C" fn shim_close(file: *mut ffi::sqlite3_file) -> c_int {
    unsafe {
        let (inner, methods) = lower_methods(file);
        methods.xClose.map_or(ffi::SQLITE_OK, |f| f(inner))
    }
}

unsafe extern "C" fn shim_read(
    file: *mut ffi::sqlite3_file,
    buf: *mut c_void,
    amount: c_int,
    offset: i64,
) -> c_int {
    unsafe {
        let (inner, methods) = lower_methods(file);
        let Some(read) = methods.xRead else {
            return ffi::SQLITE_IOERR_READ;
        };
        let rc = read(inner, buf, amount, offset);
        if rc != ffi::SQLITE_OK {
            return rc;
        }
        let shim = &mut *(file as *mut ShimFile);
        observe_header(shim, buf, amount, offset);
        if let Some(page_number) = whole_page(shim, amount, offset).filter(|_| shim.verify) {
            let page = std::slice::from_raw_parts(buf as *const u8, amount as usize);
            if !page_is_sound(page, page_number) {
                record_fault(shim, Some(page_number));
                return ffi::SQLITE_IOERR_DATA;
            }
        }
        ffi::SQLITE_OK
    }
}

unsafe extern "C" fn shim_write(
    file: *mut ffi::sqlite3_file,
    buf: *const c_void,
    amount: c_int,
    offset: i64,
) -> c_int {
    unsafe {
        let (inner, methods) = lower_methods(file);
        let Some(write) = methods.xWrite else {
            return ffi::SQLITE_IOERR_WRITE;
        };
        let shim = &mut *(file as *mut ShimFile);
        let header_was_known = shim.page_size != 0;
        observe_header(shim, buf, amount, offset);
        if shim.main && !header_was_known && offset > 0 && looks_like_a_page(amount) {
            shim.blind_writes = true;
        }
        let rc = match whole_page(shim, amount, offset) {
            None => write(inner, buf, amount, offset),
            // SQLite's buffer is const (a checkpoint passes its own scratch buffer): the
            // checksum is stamped into a copy.
            Some(page_number) => STAMP_BUFFER.with(|cell| {
                let mut copy = cell.borrow_mut();
                copy.clear();
                copy.extend_from_slice(std::slice::from_raw_parts(
                    buf as *const u8,
                    amount as usize,
                ));
                let split = copy.len() - usize::from(RESERVED_BYTES);
                let sum = page_checksum(&copy[..split], page_number);
                copy[split..].copy_from_slice(&sum);
                write(inner, copy.as_ptr() as *const c_void, amount, offset)
            }),
        };
        if rc & 0xff == ffi::SQLITE_FULL {
            record_fault(shim, None);
        }
        if rc == ffi::SQLITE_OK && offset == 0 && shim.blind_writes && shim.checksummed {
            shim.blind_writes = false;
            return stamp_blind_pages(inner, methods, shim.page_size);
        }
        rc
    }
}

/// A write of a size SQLite's pages can have.
fn looks_like_a_page(amount: c_int) -> bool {
    (512..=65_536).contains(&amount) && amount & (amount - 1) == 0
}

/// Gives their checksum to the pages written before the header was seen, now that page 1
/// says the file keeps checksums: every page holding data whose checksum is wrong is
/// stamped. Only a file this connection is creating gets here (an existing file's header
/// is read before anything is written), so no damaged page is ever covered up.
///
/// # Safety
/// `inner` is the open lower file and `methods` its methods.
unsafe fn stamp_blind_pages(
    inner: *mut ffi::sqlite3_file,
    methods: &ffi::sqlite3_io_methods,
    page_size: u32,
) -> c_int {
    let (Some(read), Some(write), Some(size_of)) =
        (methods.xRead, methods.xWrite, methods.xFileSize)
    else {
        return ffi::SQLITE_IOERR_WRITE;
    };
    let mut size: i64 = 0;
    let rc = unsafe { size_of(inner, &mut size) };
    if rc != ffi::SQLITE_OK {
        return rc;
    }
    let page_bytes = i64::from(page_size);
    let mut page = vec![0u8; page_size as usize];
    for number in 2..=(size / page_bytes) {
        let offset = (number - 1) * page_bytes;
        let amount = page_size as c_int;
        let rc = unsafe { read(inner, page.as_mut_ptr() as *mut c_void, amount, offset) };
        if rc != ffi::SQLITE_OK {
            return rc;
        }
        if page.iter().all(|b| *b == 0) || page_is_sound(&page, number as u64) {
            continue;
        }
        let split = page.len() - usize::from(RESERVED_BYTES);
        let sum = page_checksum(&page[..split], number as u64);
        page[split..].copy_from_slice(&sum);
        let rc = unsafe { write(inner, page.as_ptr() as *const c_void, amount, offset) };
        if rc != ffi::SQLITE_OK {
            return rc;
        }
    }
    ffi::SQLITE_OK
}

unsafe extern "C" fn shim_truncate(file: *mut ffi::sqlite3_file, size: i64) -> c_int {
    unsafe {
        let (inner, methods) = lower_methods(file);
        methods
            .xTruncate
            .map_or(ffi::SQLITE_IOERR_TRUNCATE, |f| f(inner, size))
    }
}

unsafe extern "C" fn shim_sync(file: *mut ffi::sqlite3_file, flags: c_int) -> c_int {
    unsafe {
        let (inner, methods) = lower_methods(file);
        methods
            .xSync
            .map_or(ffi::SQLITE_IOERR_FSYNC, |f| f(inner, flags))
    }
}

unsafe extern "C" fn shim_file_size(file: *mut ffi::sqlite3_file, size: *mut i64) -> c_int {
    unsafe {
        let (inner, methods) = lower_methods(file);
        methods
            .xFileSize
            .map_or(ffi::SQLITE_IOERR_FSTAT, |f| f(inner, size))
    }
}

unsafe extern "C" fn shim_lock(file: *mut ffi::sqlite3_file, level: c_int) -> c_int {
    unsafe {
        let (inner, methods) = lower_methods(file);
        methods
            .xLock
            .map_or(ffi::SQLITE_IOERR_LOCK, |f| f(inner, level))
    }
}

unsafe extern "C" fn shim_unlock(file: *mut ffi::sqlite3_file, level: c_int) -> c_int {
    unsafe {
        let (inner, methods) = lower_methods(file);
        methods
            .xUnlock
            .map_or(ffi::SQLITE_IOERR_UNLOCK, |f| f(inner, level))
    }
}

unsafe extern "C" fn shim_check_reserved_lock(
    file: *mut ffi::sqlite3_file,
    out: *mut c_int,
) -> c_int {
    unsafe {
        let (inner, methods) = lower_methods(file);
        methods
            .xCheckReservedLock
            .map_or(ffi::SQLITE_IOERR_CHECKRESERVEDLOCK, |f| f(inner, out))
    }
}

/// Answers [`VERIFY_PRAGMA`] (`on`/`off`, or the current state when no value is given);
/// everything else goes to the lower file.
unsafe extern "C" fn shim_file_control(
    file: *mut ffi::sqlite3_file,
    op: c_int,
    arg: *mut c_void,
) -> c_int {
    unsafe {
        if op == ffi::SQLITE_FCNTL_PRAGMA {
            let args = arg as *mut *mut c_char;
            let name = *args.add(1);
            if !name.is_null()
                && CStr::from_ptr(name)
                    .to_bytes()
                    .eq_ignore_ascii_case(VERIFY_PRAGMA.as_bytes())
            {
                let shim = &mut *(file as *mut ShimFile);
                let value = *args.add(2);
                if !value.is_null() {
                    let value = CStr::from_ptr(value).to_string_lossy().to_ascii_lowercase();
                    shim.verify = matches!(value.as_str(), "on" | "1" | "yes" | "true");
                }
                let answer = if shim.verify { c"1" } else { c"0" };
                *args = ffi::sqlite3_mprintf(c"%s".as_ptr(), answer.as_ptr());
                return ffi::SQLITE_OK;
            }
        }
        let (inner, methods) = lower_methods(file);
        methods
            .xFileControl
            .map_or(ffi::SQLITE_NOTFOUND, |f| f(inner, op, arg))
    }
}

unsafe extern "C" fn shim_sector_size(file: *mut ffi::sqlite3_file) -> c_int {
    unsafe {
        let (inner, methods) = lower_methods(file);
        methods.xSectorSize.map_or(4096, |f| f(inner))
    }
}

unsafe extern "C" fn shim_device_characteristics(file: *mut ffi::sqlite3_file) -> c_int {
    unsafe {
        let (inner, methods) = lower_methods(file);
        methods.xDeviceCharacteristics.map_or(0, |f| f(inner))
    }
}

unsafe extern "C" fn shim_shm_map(
    file: *mut ffi::sqlite3_file,
    region: c_int,
    size: c_int,
    extend: c_int,
    out: *mut *mut c_void,
) -> c_int {
    unsafe {
        let (inner, methods) = lower_methods(file);
        methods.xShmMap.map_or(ffi::SQLITE_IOERR_SHMMAP, |f| {
            f(inner, region, size, extend, out as _)
        })
    }
}

unsafe extern "C" fn shim_shm_lock(
    file: *mut ffi::sqlite3_file,
    offset: c_int,
    n: c_int,
    flags: c_int,
) -> c_int {
    unsafe {
        let (inner, methods) = lower_methods(file);
        methods
            .xShmLock
            .map_or(ffi::SQLITE_IOERR_SHMLOCK, |f| f(inner, offset, n, flags))
    }
}

unsafe extern "C" fn shim_shm_barrier(file: *mut ffi::sqlite3_file) {
    unsafe {
        let (inner, methods) = lower_methods(file);
        if let Some(f) = methods.xShmBarrier {
            f(inner);
        }
    }
}

unsafe extern "C" fn shim_shm_unmap(file: *mut ffi::sqlite3_file, delete: c_int) -> c_int {
    unsafe {
        let (inner, methods) = lower_methods(file);
        methods
            .xShmUnmap
            .map_or(ffi::SQLITE_OK, |f| f(inner, delete))
    }
}

/// Memory-mapped pages are checked like read ones: the readers of `store::reader` map
/// the file.
unsafe extern "C" fn shim_fetch(
    file: *mut ffi::sqlite3_file,
    offset: i64,
    amount: c_int,
    out: *mut *mut c_void,
) -> c_int {
    unsafe {
        let (inner, methods) = lower_methods(file);
        let Some(fetch) = methods.xFetch else {
            *out = std::ptr::null_mut();
            return ffi::SQLITE_OK;
        };
        let rc = fetch(inner, offset, amount, out);
        let shim = &*(file as *mut ShimFile);
        if rc != ffi::SQLITE_OK || (*out).is_null() || !shim.verify {
            return rc;
        }
        let Some(page_number) = whole_page(shim, amount, offset) else {
            return rc;
        };
        let page = std::slice::from_raw_parts(*out as *const u8, amount as usize);
        if page_is_sound(page, page_number) {
            return rc;
        }
        record_fault(shim, Some(page_number));
        if let Some(unfetch) = methods.xUnfetch {
            unfetch(inner, offset, *out);
        }
        *out = std::ptr::null_mut();
        ffi::SQLITE_IOERR_DATA
    }
}

unsafe extern "C" fn shim_unfetch(
    file: *mut ffi::sqlite3_file,
    offset: i64,
    page: *mut c_void,
) -> c_int {
    unsafe {
        let (inner, methods) = lower_methods(file);
        methods
            .xUnfetch
            .map_or(ffi::SQLITE_OK, |f| f(inner, offset, page))
    }
}

static METHODS: ffi::sqlite3_io_methods = ffi::sqlite3_io_methods {
    iVersion: 3,
    xClose: Some(shim_close),
    xRead: Some(shim_read),
    xWrite: Some(shim_write),
    xTruncate: Some(shim_truncate),
    xSync: Some(shim_sync),
    xFileSize: Some(shim_file_size),
    xLock: Some(shim_lock),
    xUnlock: Some(shim_unlock),
    xCheckReservedLock: Some(shim_check_reserved_lock),
    xFileControl: Some(shim_file_control),
    xSectorSize: Some(shim_sector_size),
    xDeviceCharacteristics: Some(shim_device_characteristics),
    xShmMap: Some(shim_shm_map),
    xShmLock: Some(shim_shm_lock),
    xShmBarrier: Some(shim_shm_barrier),
    xShmUnmap: Some(shim_shm_unmap),
    xFetch: Some(shim_fetch),
    xUnfetch: Some(shim_unfetch),
};

/// Opens a file through the lower VFS, inside our own file record.
unsafe extern "C" fn shim_open(
    _vfs: *mut ffi::sqlite3_vfs,
    name: ffi::sqlite3_filename,
    file: *mut ffi::sqlite3_file,
    flags: c_int,
    out_flags: *mut c_int,
) -> c_int {
    unsafe {
        let below = original();
        let Some(open) = (*below).xOpen else {
            return ffi::SQLITE_CANTOPEN;
        };
        std::ptr::write_bytes(file as *mut u8, 0, SHIM_BYTES);
        let inner = lower(file);
        let rc = open(below, name, inner, flags, out_flags);
        if rc != ffi::SQLITE_OK {
            // The lower file may be half open: it closes itself if it says it has methods.
            if let Some(close) = (*inner).pMethods.as_ref().and_then(|m| m.xClose) {
                close(inner);
            }
            (*file).pMethods = std::ptr::null();
            return rc;
        }
        let shim = &mut *(file as *mut ShimFile);
        shim.name = name;
        shim.main = flags & ffi::SQLITE_OPEN_MAIN_DB != 0;
        shim.verify = true;
        shim.base.pMethods = &METHODS;
        rc
    }
}

// The VFS-level calls are the lower VFS's, called with the lower VFS itself.
unsafe extern "C" fn shim_delete(
    _: *mut ffi::sqlite3_vfs,
    name: *const c_char,
    sync_dir: c_int,
) -> c_int {
    unsafe {
        (*original())
            .xDelete
            .map_or(ffi::SQLITE_IOERR_DELETE, |f| f(original(), name, sync_dir))
    }
}

unsafe extern "C" fn shim_access(
    _: *mut ffi::sqlite3_vfs,
    name: *const c_char,
    flags: c_int,
    out: *mut c_int,
) -> c_int {
    unsafe {
        (*original()).xAccess.map_or(ffi::SQLITE_IOERR_ACCESS, |f| {
            f(original(), name, flags, out)
        })
    }
}

unsafe extern "C" fn shim_full_pathname(
    _: *mut ffi::sqlite3_vfs,
    name: *const c_char,
    n: c_int,
    out: *mut c_char,
) -> c_int {
    unsafe {
        (*original())
            .xFullPathname
            .map_or(ffi::SQLITE_CANTOPEN, |f| f(original(), name, n, out))
    }
}

unsafe extern "C" fn shim_randomness(
    _: *mut ffi::sqlite3_vfs,
    n: c_int,
    out: *mut c_char,
) -> c_int {
    unsafe {
        (*original())
            .xRandomness
            .map_or(0, |f| f(original(), n, out))
    }
}

unsafe extern "C" fn shim_sleep(_: *mut ffi::sqlite3_vfs, micros: c_int) -> c_int {
    unsafe { (*original()).xSleep.map_or(0, |f| f(original(), micros)) }
}

unsafe extern "C" fn shim_current_time(_: *mut ffi::sqlite3_vfs, out: *mut f64) -> c_int {
    unsafe {
        (*original())
            .xCurrentTime
            .map_or(ffi::SQLITE_ERROR, |f| f(original(), out))
    }
}

unsafe extern "C" fn shim_get_last_error(
    _: *mut ffi::sqlite3_vfs,
    n: c_int,
    out: *mut c_char,
) -> c_int {
    unsafe {
        (*original())
            .xGetLastError
            .map_or(0, |f| f(original(), n, out))
    }
}

unsafe extern "C" fn shim_current_time_int64(_: *mut ffi::sqlite3_vfs, out: *mut i64) -> c_int {
    unsafe {
        (*original())
            .xCurrentTimeInt64
            .map_or(ffi::SQLITE_ERROR, |f| f(original(), out))
    }
}

unsafe extern "C" fn shim_dl_open(_: *mut ffi::sqlite3_vfs, name: *const c_char) -> *mut c_void {
    unsafe {
        (*original())
            .xDlOpen
            .map_or(std::ptr::null_mut(), |f| f(original(), name))
    }
}

unsafe extern "C" fn shim_dl_error(_: *mut ffi::sqlite3_vfs, n: c_int, out: *mut c_char) {
    unsafe {
        if let Some(f) = (*original()).xDlError {
            f(original(), n, out);
        }
    }
}

type DlSymbol = Option<unsafe extern "C" fn(*mut ffi::sqlite3_vfs, *mut c_void, *const c_char)>;

unsafe extern "C" fn shim_dl_sym(
    _: *mut ffi::sqlite3_vfs,
    handle: *mut c_void,
    symbol: *const c_char,
) -> DlSymbol {
    unsafe {
        (*original())
            .xDlSym
            .and_then(|f| f(original(), handle, symbol))
    }
}

unsafe extern "C" fn shim_dl_close(_: *mut ffi::sqlite3_vfs, handle: *mut c_void) {
    unsafe {
        if let Some(f) = (*original()).xDlClose {
            f(original(), handle);
        }
    }
}

/// Our VFS: the lower one's limits, our open, and pass-through for the rest (system-call
/// overrides are not offered: they are for SQLite's own tests).
fn shim_vfs(below: &ffi::sqlite3_vfs) -> ffi::sqlite3_vfs {
    ffi::sqlite3_vfs {
        iVersion: 2,
        szOsFile: below.szOsFile + SHIM_BYTES as c_int,
        mxPathname: below.mxPathname,
        pNext: std::ptr::null_mut(),
        zName: VFS_NAME.as_ptr(),
        pAppData: std::ptr::null_mut(),
        xOpen: Some(shim_open),
        xDelete: Some(shim_delete),
        xAccess: Some(shim_access),
        xFullPathname: Some(shim_full_pathname),
        xDlOpen: Some(shim_dl_open),
        xDlError: Some(shim_dl_error),
        xDlSym: Some(shim_dl_sym),
        xDlClose: Some(shim_dl_close),
        xRandomness: Some(shim_randomness),
        xSleep: Some(shim_sleep),
        xCurrentTime: Some(shim_current_time),
        xGetLastError: Some(shim_get_last_error),
        xCurrentTimeInt64: Some(shim_current_time_int64),
        xSetSystemCall: None,
        xGetSystemCall: None,
        xNextSystemCall: None,
    }
}

/// Sets the reserved bytes of a connection's main database to [`RESERVED_BYTES`]: takes
/// effect on a database with no page written yet, or at the next `VACUUM`.
pub fn reserve_checksum_space(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    let mut wanted: c_int = c_int::from(RESERVED_BYTES);
    // SAFETY: the handle is live for the borrow of `conn`; the file control reads and
    // writes one int through the pointer we pass.
    let rc = unsafe {
        ffi::sqlite3_file_control(
            conn.handle(),
            c"main".as_ptr(),
            ffi::SQLITE_FCNTL_RESERVE_BYTES,
            &mut wanted as *mut c_int as *mut c_void,
        )
    };
    if rc == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(rusqlite::Error::SqliteFailure(ffi::Error::new(rc), None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_changed_word_or_page_number_changes_the_checksum() {
        let page: Vec<u8> = (0..4088u32).map(|i| (i * 7 % 251) as u8).collect();
        let sum = page_checksum(&page, 3);
        assert_ne!(sum, page_checksum(&page, 4));
        for at in [0, 7, 8, 2000, 4087] {
            let mut flipped = page.clone();
            flipped[at] ^= 0x10;
            assert_ne!(page_checksum(&flipped, 3), sum, "byte {at}");
        }
        assert_ne!(page_checksum(&vec![0; 4088], 1), [0; 8]);
    }

    #[test]
    fn header_layout_reads_size_and_reserve() {
        let mut header = vec![0u8; 100];
        header[..16].copy_from_slice(b"SQLite format 3\0");
        header[16..18].copy_from_slice(&4096u16.to_be_bytes());
        header[20] = 8;
        assert_eq!(header_layout(&header), Some((4096, 8)));
        header[16..18].copy_from_slice(&1u16.to_be_bytes());
        assert_eq!(header_layout(&header), Some((65_536, 8)));
        assert_eq!(header_layout(b"not a database"), None);
    }
}
