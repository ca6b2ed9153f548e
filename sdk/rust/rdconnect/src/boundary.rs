//! The one place where Rust results and panics become C statuses. No panic
//! may unwind into the host (plugin.h), so every call into plugin code runs
//! under `guarded`.

use std::any::Any;
use std::ffi::{c_char, c_void, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::{write_c_message, Error, Result};
use crate::sys;

/// Runs `call`, writes the message of an error or a panic into errstr and
/// returns the status. A panic is fatal: the instance may be half-updated,
/// and after RDC_FATAL the host only destroys it.
///
/// # Safety
/// `errstr` is NULL or valid for writes of `errstr_size` bytes.
pub(crate) unsafe fn guarded(
    errstr: *mut c_char,
    errstr_size: usize,
    call: impl FnOnce() -> Result<()>,
) -> sys::rdc_status {
    // AssertUnwindSafe: after a panic the host calls nothing but destroy(),
    // so no one observes state a panic may have left inconsistent.
    let error = match catch_unwind(AssertUnwindSafe(call)) {
        Ok(Ok(())) => return sys::RDC_OK,
        Ok(Err(error)) => error,
        Err(payload) => Error::Fatal(format!("panic: {}", panic_message(&*payload))),
    };
    unsafe { write_c_message(errstr, errstr_size, error.message()) };
    error.status()
}

/// Runs `call`, which has no way to report a failure (destroy), and drops a
/// panic: stopping it at the boundary is all that can be done.
pub(crate) fn swallow_panic(call: impl FnOnce()) {
    let _ = catch_unwind(AssertUnwindSafe(call));
}

/// What `panic!` was given: a `&str` or a `String` in practice.
fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(message) = payload.downcast_ref::<&str>() {
        message
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message
    } else {
        "a non-string payload"
    }
}

/// The instance behind the host's `void *`.
///
/// # Safety
/// `instance` came from `Box::into_raw(Box<T>)` in create() and has not been
/// destroyed; the host calls an instance from one thread at a time.
pub(crate) unsafe fn instance<'a, T>(instance: *mut c_void) -> &'a mut T {
    unsafe { &mut *instance.cast::<T>() }
}

/// A slice over a (pointer, count) pair from C, where a count of 0 may come
/// with a NULL pointer (which `slice::from_raw_parts` does not allow).
///
/// # Safety
/// For a count above 0, `data` points at `count` valid, initialised `T`s
/// that live and are not mutated elsewhere for `'a`.
pub(crate) unsafe fn slice<'a, T>(data: *const T, count: usize) -> &'a [T] {
    if count == 0 || data.is_null() {
        &[]
    } else {
        unsafe { std::slice::from_raw_parts(data, count) }
    }
}

/// As `slice`, for a table the plugin may modify (open()'s partitions).
///
/// # Safety
/// As `slice`, and nothing else reads or writes the entries for `'a`.
pub(crate) unsafe fn slice_mut<'a, T>(data: *mut T, count: usize) -> &'a mut [T] {
    if count == 0 || data.is_null() {
        &mut []
    } else {
        unsafe { std::slice::from_raw_parts_mut(data, count) }
    }
}

/// A C string from the host; NULL reads as empty.
///
/// # Safety
/// `text` is NULL or a NUL-terminated string valid for `'a`.
pub(crate) unsafe fn c_str<'a>(text: *const c_char) -> &'a CStr {
    if text.is_null() {
        c""
    } else {
        unsafe { CStr::from_ptr(text) }
    }
}

/// A byte string view: NULL data is a Kafka null.
///
/// # Safety
/// As `slice`, for `bytes.len` bytes at `bytes.data`.
pub(crate) unsafe fn bytes<'a>(bytes: &sys::rdc_bytes) -> Option<&'a [u8]> {
    if bytes.data.is_null() {
        None
    } else {
        Some(unsafe { slice(bytes.data.cast::<u8>(), bytes.len) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(call: impl FnOnce() -> Result<()>) -> (sys::rdc_status, String) {
        let mut errstr = [0u8; 64];
        let status = unsafe { guarded(errstr.as_mut_ptr().cast(), errstr.len(), call) };
        let message = CStr::from_bytes_until_nul(&errstr).unwrap();
        (status, message.to_str().unwrap().to_owned())
    }

    #[test]
    fn ok_leaves_errstr_alone() {
        assert_eq!(call(|| Ok(())), (sys::RDC_OK, String::new()));
    }

    #[test]
    fn errors_keep_their_status() {
        assert_eq!(
            call(|| Err(Error::retry("busy"))),
            (sys::RDC_RETRY, "busy".into())
        );
        assert_eq!(
            call(|| Err(Error::fatal("gone"))),
            (sys::RDC_FATAL, "gone".into())
        );
    }

    #[test]
    fn panics_become_fatal_with_their_message() {
        assert_eq!(
            call(|| panic!("boom")),
            (sys::RDC_FATAL, "panic: boom".into())
        );
        let n = 7;
        assert_eq!(
            call(|| panic!("n = {n}")),
            (sys::RDC_FATAL, "panic: n = 7".into())
        );
        assert_eq!(
            call(|| std::panic::panic_any(42)),
            (sys::RDC_FATAL, "panic: a non-string payload".into())
        );
    }

    #[test]
    fn long_panic_message_is_truncated() {
        let (status, message) = call(|| panic!("{}", "x".repeat(500)));
        assert_eq!(status, sys::RDC_FATAL);
        assert_eq!(message.len(), 63);
        assert!(message.starts_with("panic: xxx"));
    }

    #[test]
    fn null_errstr_still_gives_the_status() {
        let status = unsafe { guarded(std::ptr::null_mut(), 0, || panic!("boom")) };
        assert_eq!(status, sys::RDC_FATAL);
    }

    #[test]
    fn null_views_are_empty() {
        assert!(unsafe { slice::<u8>(std::ptr::null(), 0) }.is_empty());
        assert!(unsafe { c_str(std::ptr::null()) }.is_empty());
        let null = sys::rdc_bytes {
            data: std::ptr::null(),
            len: 0,
        };
        assert_eq!(unsafe { bytes(&null) }, None);
        let empty = sys::rdc_bytes {
            data: b"".as_ptr().cast(),
            len: 0,
        };
        assert_eq!(unsafe { bytes(&empty) }, Some(&[][..]));
    }
}
