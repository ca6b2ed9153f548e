//! The host's services for one plugin instance: logging and reporting
//! records that fail for good.

use std::borrow::Cow;
use std::ffi::{c_char, CString};
use std::mem::{offset_of, size_of};
use std::sync::{Arc, RwLock};

use crate::boundary;
use crate::error::{Error, Result};
use crate::record::Record;
use crate::sys;

/// Severity of a logged message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogLevel {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
}

impl LogLevel {
    fn raw(self) -> sys::rdc_log_level {
        match self {
            LogLevel::Trace => sys::RDC_LOG_TRACE,
            LogLevel::Debug => sys::RDC_LOG_DEBUG,
            LogLevel::Info => sys::RDC_LOG_INFO,
            LogLevel::Warn => sys::RDC_LOG_WARN,
            LogLevel::Error => sys::RDC_LOG_ERROR,
        }
    }
}

// `trace` to `error` for `Host` and `Logger`, each calling its own `log`.
macro_rules! log_level_methods {
    () => {
        pub fn trace(&self, message: &str) {
            self.log(LogLevel::Trace, message)
        }

        pub fn debug(&self, message: &str) {
            self.log(LogLevel::Debug, message)
        }

        pub fn info(&self, message: &str) {
            self.log(LogLevel::Info, message)
        }

        pub fn warn(&self, message: &str) {
            self.log(LogLevel::Warn, message)
        }

        pub fn error(&self, message: &str) {
            self.log(LogLevel::Error, message)
        }
    };
}

/// The host's callbacks for one instance, given to `create()`.
///
/// Thread rules (plugin.h): the host makes every call into an instance on
/// one thread, and `Host` may only be used on it, during those calls: it is
/// neither `Send` nor `Sync`. Keep it in the instance; it is valid until the
/// instance is dropped. Threads of the plugin's own log through a
/// [`Logger`] instead.
#[derive(Clone)]
pub struct Host {
    raw: *const sys::rdc_host,
    gate: Arc<LogGate>,
}

impl Host {
    /// # Safety
    /// `raw` is the host's table, valid for as long as `gate` is open.
    pub(crate) unsafe fn new(raw: *const sys::rdc_host, gate: Arc<LogGate>) -> Self {
        Host { raw, gate }
    }

    fn raw(&self) -> &sys::rdc_host {
        // SAFETY: valid until destroy(), which drops the instance (and so
        // this Host) first.
        unsafe { &*self.raw }
    }

    /// Name of the connector this instance belongs to.
    pub fn connector_name(&self) -> Cow<'_, str> {
        unsafe { boundary::c_str(self.raw().connector_name) }.to_string_lossy()
    }

    /// Log a message; the host adds the time, the level and the connector.
    /// Never log secrets.
    pub fn log(&self, level: LogLevel, message: &str) {
        unsafe { log_raw(self.raw(), level, message) }
    }

    log_level_methods!();

    /// A handle that threads of the plugin's own may log through.
    pub fn logger(&self) -> Logger {
        Logger {
            gate: Arc::clone(&self.gate),
        }
    }

    /// Report that `record`, one of the current `put()` batch, cannot be
    /// written, for good, while the rest of the batch is fine. The host
    /// applies the connector's error policy (dead-letter, skip, or stop).
    ///
    /// `Ok(())`: the host took charge of the record; carry on. `Err`: the
    /// record can go nowhere (`errors.tolerance = "none"`, or the
    /// dead-letter topic refused it). Make nothing durable at or past its
    /// offset and return the error from the call you are in, as `?` does.
    ///
    /// Uses the host's `record_failed` (ABI 1.1) when it has one, else the
    /// 1.0 `record_error`, which cannot refuse.
    pub fn record_failed(&self, record: &Record, message: &str) -> Result<()> {
        let host = self.raw();
        let message = c_string(message);
        if let Some(record_failed) = record_failed_of(host) {
            let mut errstr = [0 as c_char; sys::RDC_ERRSTR_SIZE];
            // SAFETY: a record of the current batch; errstr is ours.
            let status = unsafe {
                record_failed(
                    host.opaque,
                    record.as_raw(),
                    message.as_ptr(),
                    errstr.as_mut_ptr(),
                    errstr.len(),
                )
            };
            if status == sys::RDC_OK {
                return Ok(());
            }
            // The host should have NUL-terminated errstr; do not trust it.
            errstr[errstr.len() - 1] = 0;
            let reason = unsafe { boundary::c_str(errstr.as_ptr()) }.to_string_lossy();
            return Err(Error::fatal(if reason.is_empty() {
                "the host refused a failed record".into()
            } else {
                reason.into_owned()
            }));
        }
        if let Some(record_error) = host.record_error {
            unsafe { record_error(host.opaque, record.as_raw(), message.as_ptr()) };
        }
        Ok(())
    }
}

/// RDC_HOST_HAS(host, record_failed): a host of ABI 1.0 has a shorter table.
fn record_failed_of(host: &sys::rdc_host) -> Option<sys::rdc_record_failed_fn> {
    let end =
        offset_of!(sys::rdc_host, record_failed) + size_of::<Option<sys::rdc_record_failed_fn>>();
    if (host.struct_size as usize) < end {
        return None;
    }
    host.record_failed
}

/// A log handle that is `Send` and `Sync`, for threads of the plugin's own.
///
/// The host's `log` callback is valid only until the instance is
/// destroyed, and nothing stops a plugin's thread from outliving it, so the
/// instance's destruction closes a gate shared by its loggers: from then on
/// they log nothing.
#[derive(Clone)]
pub struct Logger {
    gate: Arc<LogGate>,
}

impl Logger {
    pub fn log(&self, level: LogLevel, message: &str) {
        // A poisoned lock only means a logging thread panicked; the host
        // pointer it guards is still right.
        let host = self
            .gate
            .host
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(host) = &*host {
            // SAFETY: the gate is open, so destroy() has not returned; the
            // host's log is thread-safe.
            unsafe { log_raw(&*host.0, level, message) }
        }
    }

    log_level_methods!();
}

/// The host table while the instance lives, `None` after destroy().
pub(crate) struct LogGate {
    host: RwLock<Option<HostTable>>,
}

struct HostTable(*const sys::rdc_host);

// SAFETY: the table is only used for `log`, which plugin.h makes
// thread-safe, and only while the gate is open.
unsafe impl Send for HostTable {}
unsafe impl Sync for HostTable {}

impl LogGate {
    pub(crate) fn open(host: *const sys::rdc_host) -> Arc<Self> {
        Arc::new(LogGate {
            host: RwLock::new(Some(HostTable(host))),
        })
    }

    /// Waits for logs in progress, then turns every later one into a no-op.
    pub(crate) fn close(&self) {
        *self
            .host
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
    }
}

/// # Safety
/// `host` is a live host table.
unsafe fn log_raw(host: &sys::rdc_host, level: LogLevel, message: &str) {
    if let Some(log) = host.log {
        let message = c_string(message);
        unsafe { log(host.opaque, level.raw(), message.as_ptr()) };
    }
}

/// `message` as a C string; a NUL inside, which C would read as the end,
/// becomes U+FFFD so that nothing after it is lost.
fn c_string(message: &str) -> CString {
    CString::new(message).unwrap_or_else(|_| {
        CString::new(message.replace('\0', "\u{FFFD}")).expect("NULs were replaced")
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::ffi::{c_void, CStr};
    use std::sync::Mutex;

    /// A host that records what the plugin called, for tests of the safe
    /// layer. `refuse` makes record_failed answer RDC_FATAL with a reason.
    #[derive(Default)]
    pub(crate) struct FakeHost {
        pub(crate) logs: Mutex<Vec<(sys::rdc_log_level, String)>>,
        pub(crate) failed: Mutex<Vec<(i64, String)>>,
        pub(crate) refuse: bool,
    }

    unsafe extern "C" fn fake_log(
        opaque: *mut c_void,
        level: sys::rdc_log_level,
        message: *const c_char,
    ) {
        let host = unsafe { &*opaque.cast::<FakeHost>() };
        let message = unsafe { CStr::from_ptr(message) }
            .to_string_lossy()
            .into_owned();
        host.logs.lock().unwrap().push((level, message));
    }

    unsafe extern "C" fn fake_record_error(
        opaque: *mut c_void,
        record: *const sys::rdc_record,
        message: *const c_char,
    ) {
        let host = unsafe { &*opaque.cast::<FakeHost>() };
        let message = unsafe { CStr::from_ptr(message) }
            .to_string_lossy()
            .into_owned();
        host.failed
            .lock()
            .unwrap()
            .push((unsafe { (*record).offset }, message));
    }

    unsafe extern "C" fn fake_record_failed(
        opaque: *mut c_void,
        record: *const sys::rdc_record,
        message: *const c_char,
        errstr: *mut c_char,
        errstr_size: usize,
    ) -> sys::rdc_status {
        unsafe { fake_record_error(opaque, record, message) };
        if unsafe { &*opaque.cast::<FakeHost>() }.refuse {
            unsafe { crate::error::write_c_message(errstr, errstr_size, "no dead-letter topic") };
            return sys::RDC_FATAL;
        }
        sys::RDC_OK
    }

    impl FakeHost {
        /// The C table over this host; `struct_size` as a host of that
        /// version would set it.
        pub(crate) fn table(&self, struct_size: usize) -> sys::rdc_host {
            sys::rdc_host {
                struct_size: struct_size as u32,
                opaque: self as *const FakeHost as *mut c_void,
                connector_name: c"orders".as_ptr(),
                log: Some(fake_log),
                record_error: Some(fake_record_error),
                record_failed: Some(fake_record_failed),
            }
        }
    }

    pub(crate) fn record_at(offset: i64) -> sys::rdc_record {
        sys::rdc_record {
            topic: c"t".as_ptr(),
            partition: 0,
            offset,
            timestamp_ms: -1,
            key: sys::rdc_bytes {
                data: std::ptr::null(),
                len: 0,
            },
            value: sys::rdc_bytes {
                data: std::ptr::null(),
                len: 0,
            },
            headers: std::ptr::null(),
            header_count: 0,
        }
    }

    const HOST_1_0_SIZE: usize = offset_of!(sys::rdc_host, record_failed);

    fn host_over(table: &sys::rdc_host) -> Host {
        unsafe { Host::new(table, LogGate::open(table)) }
    }

    #[test]
    fn logs_with_level_and_replaces_nul() {
        let fake = FakeHost::default();
        let table = fake.table(size_of::<sys::rdc_host>());
        let host = host_over(&table);
        assert_eq!(host.connector_name(), "orders");
        host.info("started");
        host.warn("a\0b");
        let logs = fake.logs.lock().unwrap();
        assert_eq!(
            *logs,
            [
                (sys::RDC_LOG_INFO, "started".into()),
                (sys::RDC_LOG_WARN, "a\u{FFFD}b".into())
            ]
        );
    }

    #[test]
    fn logger_stops_logging_once_the_gate_closes() {
        let fake = FakeHost::default();
        let table = fake.table(size_of::<sys::rdc_host>());
        let gate = LogGate::open(&table);
        let host = unsafe { Host::new(&table, Arc::clone(&gate)) };
        let logger = host.logger();
        std::thread::spawn({
            let logger = logger.clone();
            move || logger.info("from a thread")
        })
        .join()
        .unwrap();
        gate.close();
        logger.info("after destroy");
        assert_eq!(
            *fake.logs.lock().unwrap(),
            [(sys::RDC_LOG_INFO, "from a thread".into())]
        );
    }

    #[test]
    fn record_failed_uses_record_failed_when_the_table_has_it() {
        let fake = FakeHost {
            refuse: true,
            ..FakeHost::default()
        };
        let table = fake.table(size_of::<sys::rdc_host>());
        let raw = record_at(42);
        let result = host_over(&table).record_failed(unsafe { Record::from_raw(&raw) }, "bad JSON");
        assert_eq!(result, Err(Error::fatal("no dead-letter topic")));
        assert_eq!(*fake.failed.lock().unwrap(), [(42, "bad JSON".into())]);
    }

    #[test]
    fn record_failed_falls_back_to_record_error_on_a_1_0_host() {
        // A refusing record_failed past struct_size must not be called.
        let fake = FakeHost {
            refuse: true,
            ..FakeHost::default()
        };
        let table = fake.table(HOST_1_0_SIZE);
        let raw = record_at(7);
        assert_eq!(
            host_over(&table).record_failed(unsafe { Record::from_raw(&raw) }, "bad"),
            Ok(())
        );
        assert_eq!(*fake.failed.lock().unwrap(), [(7, "bad".into())]);
    }
}
