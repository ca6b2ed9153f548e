//! The descriptor and function table `export_source!` produces, called as
//! the host calls them.

use std::ffi::{c_char, c_void, CStr};
use std::mem::size_of;
use std::ptr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use rdconnect::sys;
use rdconnect::{Config, ConfigKey, Delivery, Host, Result, Source, SourceBatch, SourceRecord};

/// Produces `count` records per poll (the config's), then finishes; panics
/// when dropped after an ack of an undelivered record, to test destroy.
struct TestSource {
    count: u64,
    next: u64,
    lost: bool,
}

static ACKED: AtomicU64 = AtomicU64::new(0);

impl Source for TestSource {
    fn create(config: &Config<'_>, _host: Host) -> Result<Self> {
        Ok(TestSource {
            count: config.i64("count")? as u64,
            next: 0,
            lost: false,
        })
    }

    fn poll(&mut self, batch: &mut SourceBatch, _max: usize, timeout: Duration) -> Result<()> {
        assert_eq!(timeout, Duration::from_millis(250));
        for _ in 0..self.count {
            batch.push(
                SourceRecord::new(self.next)
                    .key(self.next.to_string())
                    .value("v"),
            );
            self.next += 1;
        }
        if self.next >= 4 {
            batch.finish();
        }
        Ok(())
    }

    fn ack(&mut self, deliveries: &[Delivery]) -> Result<()> {
        ACKED.fetch_add(deliveries.len() as u64, Ordering::Relaxed);
        self.lost |= deliveries.iter().any(|d| !d.delivered());
        Ok(())
    }
}

impl Drop for TestSource {
    fn drop(&mut self) {
        if self.lost {
            panic!("dropped with a lost record");
        }
    }
}

const CONFIG: &[ConfigKey] = &[ConfigKey::integer(c"count")
    .with_default(c"2")
    .min(c"0")
    .doc(c"Per poll")];

rdconnect::export_source!(TestSource, name: c"test_source", version: c"0.1.0",
                          description: c"A source for tests", config: CONFIG);

fn api() -> &'static sys::rdc_source_api {
    unsafe { &*(*rdc_plugin_entry()).source }
}

unsafe extern "C" fn log(_: *mut c_void, _: sys::rdc_log_level, _: *const c_char) {}

const HOST: sys::rdc_host = sys::rdc_host {
    struct_size: size_of::<sys::rdc_host>() as u32,
    opaque: ptr::null_mut(),
    connector_name: c"c".as_ptr(),
    log: Some(log),
    record_error: None,
    record_failed: None,
};

fn create(count: &'static CStr) -> *mut c_void {
    let config = [sys::rdc_config_value {
        key: c"count".as_ptr(),
        value: count.as_ptr(),
    }];
    let mut instance = ptr::null_mut();
    let mut errstr = [0 as c_char; 64];
    let status = unsafe {
        api().create.unwrap()(
            &HOST,
            config.as_ptr(),
            1,
            &mut instance,
            errstr.as_mut_ptr(),
            64,
        )
    };
    assert_eq!(status, sys::RDC_OK);
    instance
}

fn poll(
    instance: *mut c_void,
    max_records: usize,
) -> (sys::rdc_status, sys::rdc_poll_result, String) {
    let mut result = sys::rdc_poll_result {
        records: ptr::null(),
        record_count: 0,
        finished: 0,
    };
    let mut errstr = [0u8; 128];
    let status = unsafe {
        api().poll.unwrap()(
            instance,
            max_records,
            250,
            &mut result,
            errstr.as_mut_ptr().cast(),
            128,
        )
    };
    let errstr = CStr::from_bytes_until_nul(&errstr)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    (status, result, errstr)
}

#[test]
fn descriptor_fields() {
    let d = unsafe { &*rdc_plugin_entry() };
    assert_eq!((d.struct_size, d.abi_major, d.abi_minor), (96, 1, 3));
    assert_eq!(d.kind, sys::RDC_KIND_SOURCE);
    assert!(d.sink.is_null() && !d.source.is_null());
    assert_eq!(d.api_size, size_of::<sys::rdc_source_api>());
    assert_eq!(d.api_size, 32);
    assert_eq!((d.config_map_count, d.config_entry_size), (1, 80));
}

#[test]
fn polls_hand_over_records_until_the_next_poll() {
    let instance = create(c"2");
    let (status, first, _) = poll(instance, 10);
    assert_eq!(
        (status, first.record_count, first.finished),
        (sys::RDC_OK, 2, 0)
    );
    let records = unsafe { std::slice::from_raw_parts(first.records, 2) };
    let key =
        unsafe { std::slice::from_raw_parts(records[1].key.data.cast::<u8>(), records[1].key.len) };
    assert_eq!((records[1].ack_id, key), (1, &b"1"[..]));
    assert!(records[0].topic.is_null());
    assert_eq!(records[0].partition, sys::RDC_PARTITION_ANY);

    let (status, second, _) = poll(instance, 10);
    assert_eq!(
        (status, second.record_count, second.finished),
        (sys::RDC_OK, 2, 1)
    );

    let deliveries = [sys::rdc_delivery {
        ack_id: 0,
        delivered: 1,
        partition: 0,
        offset: 7,
        error: ptr::null(),
    }];
    let mut errstr = [0 as c_char; 8];
    let status =
        unsafe { api().ack.unwrap()(instance, deliveries.as_ptr(), 1, errstr.as_mut_ptr(), 8) };
    assert_eq!(status, sys::RDC_OK);
    assert!(ACKED.load(Ordering::Relaxed) >= 1);
    unsafe { api().destroy.unwrap()(instance) };
}

#[test]
fn too_many_records_fail_the_poll() {
    let instance = create(c"3");
    let (status, result, errstr) = poll(instance, 2);
    assert_eq!((status, result.record_count), (sys::RDC_FATAL, 0));
    assert_eq!(
        errstr,
        "poll() returned 3 records, more than max_records (2)"
    );
    unsafe { api().destroy.unwrap()(instance) };
}

#[test]
fn a_panic_in_drop_stays_in_destroy() {
    let instance = create(c"1");
    let lost = [sys::rdc_delivery {
        ack_id: 0,
        delivered: 0,
        partition: -1,
        offset: -1,
        error: c"timed out".as_ptr(),
    }];
    let mut errstr = [0 as c_char; 8];
    unsafe { api().ack.unwrap()(instance, lost.as_ptr(), 1, errstr.as_mut_ptr(), 8) };
    unsafe { api().destroy.unwrap()(instance) };
}
