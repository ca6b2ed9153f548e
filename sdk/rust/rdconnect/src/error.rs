//! Errors a plugin returns, and how their messages reach the host's errstr.

use std::ffi::c_char;
use std::fmt;

use crate::sys;

/// Why a plugin call failed. Each variant is the status the host sees.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// A transient failure (lost connection, timeout, server busy, or
    /// back-pressure): the host backs off and repeats the same call with
    /// the same input. Becomes `RDC_RETRY`.
    Retry(String),
    /// A permanent failure: the host stops the connector and reports the
    /// message. Becomes `RDC_FATAL`.
    Fatal(String),
}

/// The result of every plugin method.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn retry(message: impl Into<String>) -> Self {
        Error::Retry(message.into())
    }

    pub fn fatal(message: impl Into<String>) -> Self {
        Error::Fatal(message.into())
    }

    pub fn message(&self) -> &str {
        match self {
            Error::Retry(message) | Error::Fatal(message) => message,
        }
    }

    pub(crate) fn status(&self) -> sys::rdc_status {
        match self {
            Error::Retry(_) => sys::RDC_RETRY,
            Error::Fatal(_) => sys::RDC_FATAL,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for Error {}

/// Copies `message` into the host's buffer of `size` bytes as a C string:
/// at most `size - 1` bytes of it, cut on a UTF-8 character boundary so the
/// host never sees half a character, then a NUL. Writes nothing for a NULL
/// buffer or a size of 0 (there is no room even for the NUL).
///
/// # Safety
/// `buffer` is NULL or valid for writes of `size` bytes.
pub(crate) unsafe fn write_c_message(buffer: *mut c_char, size: usize, message: &str) {
    if buffer.is_null() || size == 0 {
        return;
    }
    let mut len = message.len().min(size - 1);
    while !message.is_char_boundary(len) {
        len -= 1;
    }
    // SAFETY: len < size, and the caller vouches for size bytes.
    unsafe {
        std::ptr::copy_nonoverlapping(message.as_ptr(), buffer.cast::<u8>(), len);
        *buffer.add(len) = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Writes into a buffer with guard bytes after `size`, and returns what
    // was written and whether the guards survived.
    fn written(message: &str, size: usize) -> (Vec<u8>, bool) {
        let mut buffer = vec![0x55u8; size + 8];
        unsafe { write_c_message(buffer.as_mut_ptr().cast(), size, message) };
        let guards_intact = buffer[size..].iter().all(|&b| b == 0x55);
        let text = buffer[..size]
            .iter()
            .take_while(|&&b| b != 0)
            .copied()
            .collect();
        (text, guards_intact)
    }

    #[test]
    fn fits_whole_message() {
        assert_eq!(written("disk full", 64), (b"disk full".to_vec(), true));
    }

    #[test]
    fn truncates_to_size_including_nul() {
        let mut buffer = [0x55u8; 6];
        unsafe { write_c_message(buffer.as_mut_ptr().cast(), 5, "abcdefgh") };
        assert_eq!(&buffer, b"abcd\0\x55");
    }

    #[test]
    fn truncates_on_a_char_boundary() {
        // "é" is two bytes: with room for 2 bytes of text, "aé" keeps "a".
        assert_eq!(written("aé", 3), (b"a".to_vec(), true));
        assert_eq!(written("aé", 4), ("aé".as_bytes().to_vec(), true));
        assert_eq!(written("€", 3), (Vec::new(), true));
    }

    #[test]
    fn size_one_writes_only_the_nul() {
        let mut buffer = [0x55u8; 2];
        unsafe { write_c_message(buffer.as_mut_ptr().cast(), 1, "x") };
        assert_eq!(buffer, [0, 0x55]);
    }

    #[test]
    fn size_zero_and_null_write_nothing() {
        let mut buffer = [0x55u8; 1];
        unsafe { write_c_message(buffer.as_mut_ptr().cast(), 0, "x") };
        assert_eq!(buffer, [0x55]);
        unsafe { write_c_message(std::ptr::null_mut(), 1024, "x") };
    }

    #[test]
    fn variants_map_to_statuses() {
        assert_eq!(Error::retry("busy").status(), sys::RDC_RETRY);
        assert_eq!(Error::fatal("bad").status(), sys::RDC_FATAL);
        assert_eq!(Error::fatal("bad").to_string(), "bad");
    }
}
