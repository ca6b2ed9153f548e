//! The descriptor and function table `export_sink!` produces, called as the
//! host calls them. An integration test because a binary may define
//! rdc_plugin_entry only once (tests/source_export.rs has the source one).

use std::ffi::{c_char, c_void, CStr};
use std::mem::size_of;
use std::ptr;

use rdconnect::sys;
use rdconnect::{Config, ConfigKey, Error, Host, Record, Result, Sink, TopicPartition};

/// A sink whose put answers according to the first record's value.
struct TestSink {
    host: Host,
    seen: usize,
}

impl Sink for TestSink {
    fn create(config: &Config<'_>, host: Host) -> Result<Self> {
        if config.bool("fail")? {
            return Err(Error::fatal("told to fail"));
        }
        Ok(TestSink { host, seen: 0 })
    }

    fn open(&mut self, partitions: &mut [TopicPartition]) -> Result<()> {
        for partition in partitions {
            partition.set_offset(100 + i64::from(partition.partition()));
        }
        Ok(())
    }

    fn put(&mut self, records: &[Record]) -> Result<()> {
        self.seen += records.len();
        match records.first().and_then(Record::value) {
            Some(b"retry") => Err(Error::retry("busy")),
            Some(b"panic") => panic!("put exploded"),
            Some(b"bad") => self.host.record_failed(&records[0], "bad record"),
            _ => Ok(()),
        }
    }

    fn flush(&mut self) -> Result<()> {
        self.host.info(&format!("flushed {}", self.seen));
        Ok(())
    }
}

const CONFIG: &[ConfigKey] = &[
    ConfigKey::boolean(c"fail")
        .with_default(c"false")
        .doc(c"Fail in create"),
    ConfigKey::string(c"dsn")
        .required()
        .secret()
        .example(c"postgresql://h/db")
        .doc(c"Where"),
];

rdconnect::export_sink!(TestSink, name: c"test_sink", version: c"1.2.3",
                        description: c"A sink for tests", config: CONFIG);

fn descriptor() -> &'static sys::rdc_plugin_descriptor {
    unsafe { &*rdc_plugin_entry() }
}

fn text(pointer: *const c_char) -> &'static str {
    unsafe { CStr::from_ptr(pointer) }.to_str().unwrap()
}

fn api() -> &'static sys::rdc_sink_api {
    unsafe { &*descriptor().sink }
}

unsafe extern "C" fn log(_: *mut c_void, _: sys::rdc_log_level, _: *const c_char) {}

unsafe extern "C" fn record_failed(
    _: *mut c_void,
    _: *const sys::rdc_record,
    _: *const c_char,
    errstr: *mut c_char,
    errstr_size: usize,
) -> sys::rdc_status {
    let reason = b"errors.tolerance is none\0";
    assert!(errstr_size >= reason.len());
    unsafe { ptr::copy_nonoverlapping(reason.as_ptr(), errstr.cast(), reason.len()) };
    sys::RDC_FATAL
}

const HOST: sys::rdc_host = sys::rdc_host {
    struct_size: size_of::<sys::rdc_host>() as u32,
    opaque: ptr::null_mut(),
    connector_name: c"c".as_ptr(),
    log: Some(log),
    record_error: None,
    record_failed: Some(record_failed),
};

struct Call {
    status: sys::rdc_status,
    errstr: String,
}

fn call(f: impl FnOnce(*mut c_char, usize) -> sys::rdc_status) -> Call {
    let mut errstr = [0u8; sys::RDC_ERRSTR_SIZE];
    let status = f(errstr.as_mut_ptr().cast(), errstr.len());
    let errstr = CStr::from_bytes_until_nul(&errstr)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    Call { status, errstr }
}

fn create(host: &sys::rdc_host, fail: &'static CStr) -> (Call, *mut c_void) {
    let config = [
        sys::rdc_config_value {
            key: c"fail".as_ptr(),
            value: fail.as_ptr(),
        },
        sys::rdc_config_value {
            key: c"dsn".as_ptr(),
            value: c"x".as_ptr(),
        },
    ];
    let mut instance = ptr::null_mut();
    let create = api().create.unwrap();
    let result =
        call(|e, n| unsafe { create(host, config.as_ptr(), config.len(), &mut instance, e, n) });
    (result, instance)
}

fn record(value: &'static [u8]) -> sys::rdc_record {
    sys::rdc_record {
        topic: c"t".as_ptr(),
        partition: 0,
        offset: 5,
        timestamp_ms: -1,
        key: sys::rdc_bytes {
            data: ptr::null(),
            len: 0,
        },
        value: sys::rdc_bytes {
            data: value.as_ptr().cast(),
            len: value.len(),
        },
        headers: ptr::null(),
        header_count: 0,
    }
}

fn put(instance: *mut c_void, value: &'static [u8]) -> Call {
    let records = [record(value)];
    let put = api().put.unwrap();
    call(|e, n| unsafe { put(instance, records.as_ptr(), records.len(), e, n) })
}

#[test]
fn descriptor_fields() {
    let d = descriptor();
    assert_eq!(
        d.struct_size as usize,
        size_of::<sys::rdc_plugin_descriptor>()
    );
    assert_eq!(d.struct_size, 96);
    assert_eq!((d.abi_major, d.abi_minor), (1, 3));
    assert_eq!(text(d.name), "test_sink");
    assert_eq!(d.kind, sys::RDC_KIND_SINK);
    assert_eq!(text(d.version), "1.2.3");
    assert_eq!(text(d.description), "A sink for tests");
    assert_eq!(d.config_entry_size, 80);
    assert_eq!(d.api_size, size_of::<sys::rdc_sink_api>());
    assert!(d.source.is_null() && !d.sink.is_null());
    assert!(d.check_connection.is_none());

    assert_eq!(d.config_map_count, 2);
    let map = unsafe { std::slice::from_raw_parts(d.config_map, d.config_map_count) };
    assert_eq!(
        (text(map[0].key), map[0].type_),
        ("fail", sys::RDC_CONFIG_BOOL)
    );
    assert_eq!(text(map[0].default_value), "false");
    assert_eq!(
        (text(map[1].key), map[1].required, map[1].secret),
        ("dsn", 1, 1)
    );
    assert_eq!(
        (text(map[1].example), text(map[1].doc)),
        ("postgresql://h/db", "Where")
    );
}

#[test]
fn every_function_is_set() {
    let api = api();
    assert!(api.create.is_some() && api.open.is_some() && api.put.is_some());
    assert!(api.flush.is_some() && api.close.is_some() && api.destroy.is_some());
}

#[test]
fn create_error_is_reported_and_leaves_no_instance() {
    let (result, instance) = create(&HOST, c"true");
    assert_eq!(
        (result.status, result.errstr.as_str()),
        (sys::RDC_FATAL, "told to fail")
    );
    assert!(instance.is_null());
}

#[test]
fn lifecycle_maps_results_to_statuses() {
    let (result, instance) = create(&HOST, c"false");
    assert_eq!(result.status, sys::RDC_OK);
    assert!(!instance.is_null());

    let mut partitions = [sys::rdc_topic_partition {
        topic: c"t".as_ptr(),
        partition: 2,
        offset: sys::RDC_OFFSET_COMMITTED,
    }];
    let open = api().open.unwrap();
    let opened = call(|e, n| unsafe { open(instance, partitions.as_mut_ptr(), 1, e, n) });
    assert_eq!(opened.status, sys::RDC_OK);
    assert_eq!(partitions[0].offset, 102, "open() may set offsets");

    assert_eq!(put(instance, b"fine").status, sys::RDC_OK);
    let retry = put(instance, b"retry");
    assert_eq!(
        (retry.status, retry.errstr.as_str()),
        (sys::RDC_RETRY, "busy")
    );
    let refused = put(instance, b"bad");
    assert_eq!(
        (refused.status, refused.errstr.as_str()),
        (sys::RDC_FATAL, "errors.tolerance is none")
    );
    let panicked = put(instance, b"panic");
    assert_eq!(
        (panicked.status, panicked.errstr.as_str()),
        (sys::RDC_FATAL, "panic: put exploded")
    );

    let flush = api().flush.unwrap();
    assert_eq!(
        call(|e, n| unsafe { flush(instance, e, n) }).status,
        sys::RDC_OK
    );
    let close = api().close.unwrap();
    assert_eq!(
        call(|e, n| unsafe { close(instance, partitions.as_ptr(), 1, e, n) }).status,
        sys::RDC_OK
    );
    unsafe { api().destroy.unwrap()(instance) };
}

#[test]
fn errstr_of_size_zero_gets_no_write() {
    let (_, instance) = create(&HOST, c"false");
    let records = [record(b"retry")];
    let mut errstr = [0x55u8; 4];
    let put = api().put.unwrap();
    let status = unsafe { put(instance, records.as_ptr(), 1, errstr.as_mut_ptr().cast(), 0) };
    assert_eq!((status, errstr), (sys::RDC_RETRY, [0x55; 4]));
    let status = unsafe { put(instance, records.as_ptr(), 1, errstr.as_mut_ptr().cast(), 3) };
    assert_eq!((status, &errstr), (sys::RDC_RETRY, b"bu\0\x55"));
    unsafe { api().destroy.unwrap()(instance) };
}
