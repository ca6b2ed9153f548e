//! A hand-written `#[repr(C)]` mirror of `sdk/include/rdconnect/plugin.h`,
//! ABI 1.3. Names and layout follow the header one to one; see it for the
//! contract of every field. Only the safe layer of this crate should need
//! these.
//!
//! The C enums are plain integer aliases with constants, not Rust enums:
//! either side may store any integer in such a field (the host refuses a
//! descriptor with an unknown kind, for one), and a Rust enum holding a value
//! it does not list is undefined behaviour. GCC gives an enum without
//! negative values the type `unsigned int`.
#![allow(non_camel_case_types)]

use std::ffi::{c_char, c_int, c_uint, c_void};

pub const RDC_ABI_VERSION_MAJOR: u16 = 1;
pub const RDC_ABI_VERSION_MINOR: u16 = 3;
pub const RDC_PLUGIN_ENTRY_SYMBOL: &std::ffi::CStr = c"rdc_plugin_entry";
pub const RDC_ERRSTR_SIZE: usize = 1024;
pub const RDC_PARTITION_ANY: i32 = -1;
pub const RDC_OFFSET_COMMITTED: i64 = -1001;

pub type rdc_status = c_uint;
pub const RDC_OK: rdc_status = 0;
pub const RDC_RETRY: rdc_status = 1;
pub const RDC_FATAL: rdc_status = 2;

pub type rdc_plugin_kind = c_uint;
pub const RDC_KIND_SOURCE: rdc_plugin_kind = 1;
pub const RDC_KIND_SINK: rdc_plugin_kind = 2;

pub type rdc_log_level = c_uint;
pub const RDC_LOG_TRACE: rdc_log_level = 0;
pub const RDC_LOG_DEBUG: rdc_log_level = 1;
pub const RDC_LOG_INFO: rdc_log_level = 2;
pub const RDC_LOG_WARN: rdc_log_level = 3;
pub const RDC_LOG_ERROR: rdc_log_level = 4;

pub type rdc_config_type = c_uint;
pub const RDC_CONFIG_STRING: rdc_config_type = 1;
pub const RDC_CONFIG_INT: rdc_config_type = 2;
pub const RDC_CONFIG_DOUBLE: rdc_config_type = 3;
pub const RDC_CONFIG_BOOL: rdc_config_type = 4;

#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct rdc_config_entry {
    pub key: *const c_char,
    /// `type` in C, a keyword in Rust.
    pub type_: rdc_config_type,
    pub default_value: *const c_char,
    pub required: c_int,
    pub secret: c_int,
    pub choices: *const c_char,
    pub doc: *const c_char,
    // ABI 1.1
    pub min_value: *const c_char,
    pub max_value: *const c_char,
    pub non_empty: c_int,
    // ABI 1.3
    pub example: *const c_char,
}

#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct rdc_config_value {
    pub key: *const c_char,
    pub value: *const c_char,
}

#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct rdc_bytes {
    pub data: *const c_void,
    pub len: usize,
}

#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct rdc_header {
    pub name: *const c_char,
    pub value: rdc_bytes,
}

#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct rdc_record {
    pub topic: *const c_char,
    pub partition: i32,
    pub offset: i64,
    pub timestamp_ms: i64,
    pub key: rdc_bytes,
    pub value: rdc_bytes,
    pub headers: *const rdc_header,
    pub header_count: usize,
}

#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct rdc_source_record {
    pub topic: *const c_char,
    pub partition: i32,
    pub timestamp_ms: i64,
    pub key: rdc_bytes,
    pub value: rdc_bytes,
    pub headers: *const rdc_header,
    pub header_count: usize,
    pub ack_id: u64,
}

#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct rdc_delivery {
    pub ack_id: u64,
    pub delivered: c_int,
    pub partition: i32,
    pub offset: i64,
    pub error: *const c_char,
}

#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct rdc_topic_partition {
    pub topic: *const c_char,
    pub partition: i32,
    pub offset: i64,
}

#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct rdc_poll_result {
    pub records: *const rdc_source_record,
    pub record_count: usize,
    pub finished: c_int,
}

pub type rdc_log_fn =
    unsafe extern "C" fn(opaque: *mut c_void, level: rdc_log_level, message: *const c_char);
pub type rdc_record_error_fn =
    unsafe extern "C" fn(opaque: *mut c_void, record: *const rdc_record, message: *const c_char);
pub type rdc_record_failed_fn = unsafe extern "C" fn(
    opaque: *mut c_void,
    record: *const rdc_record,
    message: *const c_char,
    errstr: *mut c_char,
    errstr_size: usize,
) -> rdc_status;

/// Function pointers are `Option`s: C's NULL is `None` (guaranteed by the
/// null-pointer optimisation), and the header lets several be NULL.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct rdc_host {
    pub struct_size: u32,
    pub opaque: *mut c_void,
    pub connector_name: *const c_char,
    pub log: Option<rdc_log_fn>,
    pub record_error: Option<rdc_record_error_fn>,
    // ABI 1.1
    pub record_failed: Option<rdc_record_failed_fn>,
}

pub type rdc_create_fn = unsafe extern "C" fn(
    host: *const rdc_host,
    config: *const rdc_config_value,
    config_count: usize,
    instance: *mut *mut c_void,
    errstr: *mut c_char,
    errstr_size: usize,
) -> rdc_status;
pub type rdc_destroy_fn = unsafe extern "C" fn(instance: *mut c_void);

#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct rdc_sink_api {
    pub create: Option<rdc_create_fn>,
    pub open: Option<
        unsafe extern "C" fn(
            instance: *mut c_void,
            partitions: *mut rdc_topic_partition,
            partition_count: usize,
            errstr: *mut c_char,
            errstr_size: usize,
        ) -> rdc_status,
    >,
    pub put: Option<
        unsafe extern "C" fn(
            instance: *mut c_void,
            records: *const rdc_record,
            record_count: usize,
            errstr: *mut c_char,
            errstr_size: usize,
        ) -> rdc_status,
    >,
    pub flush: Option<
        unsafe extern "C" fn(
            instance: *mut c_void,
            errstr: *mut c_char,
            errstr_size: usize,
        ) -> rdc_status,
    >,
    pub close: Option<
        unsafe extern "C" fn(
            instance: *mut c_void,
            partitions: *const rdc_topic_partition,
            partition_count: usize,
            errstr: *mut c_char,
            errstr_size: usize,
        ) -> rdc_status,
    >,
    pub destroy: Option<rdc_destroy_fn>,
}

#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct rdc_source_api {
    pub create: Option<rdc_create_fn>,
    pub poll: Option<
        unsafe extern "C" fn(
            instance: *mut c_void,
            max_records: usize,
            timeout_ms: c_int,
            result: *mut rdc_poll_result,
            errstr: *mut c_char,
            errstr_size: usize,
        ) -> rdc_status,
    >,
    pub ack: Option<
        unsafe extern "C" fn(
            instance: *mut c_void,
            deliveries: *const rdc_delivery,
            delivery_count: usize,
            errstr: *mut c_char,
            errstr_size: usize,
        ) -> rdc_status,
    >,
    pub destroy: Option<rdc_destroy_fn>,
}

pub type rdc_check_connection_fn = unsafe extern "C" fn(
    config: *const rdc_config_value,
    config_count: usize,
    timeout_ms: c_int,
    message: *mut c_char,
    message_size: usize,
) -> rdc_status;

#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct rdc_plugin_descriptor {
    pub struct_size: u32,
    pub abi_major: u16,
    pub abi_minor: u16,
    pub name: *const c_char,
    pub kind: rdc_plugin_kind,
    pub version: *const c_char,
    pub description: *const c_char,
    pub config_map: *const rdc_config_entry,
    pub config_map_count: usize,
    pub source: *const rdc_source_api,
    pub sink: *const rdc_sink_api,
    // ABI 1.1
    pub config_entry_size: usize,
    // ABI 1.2
    pub check_connection: Option<rdc_check_connection_fn>,
    // ABI 1.3
    pub api_size: usize,
}

pub type rdc_plugin_entry_fn = unsafe extern "C" fn() -> *const rdc_plugin_descriptor;

#[cfg(test)]
mod tests {
    //! abi_layout.txt holds every struct's size, alignment and field offsets
    //! as gcc lays out plugin.h; the C program tests/unit/abi_layout.c prints
    //! the same lines from the header itself, and the suite compares the two
    //! (ctest abi_layout_matches_plugin_h). This test compares the mirror.
    use super::*;
    use std::mem::{align_of, offset_of, size_of};

    /// "T size S align A field OFFSET ...", with C's field names (`type_`
    /// is `type`).
    macro_rules! layout {
        ($t:ty $(, $field:ident)* $(,)?) => {{
            let fields: Vec<String> = vec![$(format!(
                " {} {}",
                stringify!($field).trim_end_matches('_'),
                offset_of!($t, $field)
            )),*];
            format!(
                "{} size {} align {}{}",
                stringify!($t),
                size_of::<$t>(),
                align_of::<$t>(),
                fields.concat()
            )
        }};
    }

    fn mirror_layout() -> String {
        let lines = [
            layout!(rdc_status),
            layout!(rdc_plugin_kind),
            layout!(rdc_log_level),
            layout!(rdc_config_type),
            layout!(
                rdc_config_entry,
                key,
                type_,
                default_value,
                required,
                secret,
                choices,
                doc,
                min_value,
                max_value,
                non_empty,
                example
            ),
            layout!(rdc_config_value, key, value),
            layout!(rdc_bytes, data, len),
            layout!(rdc_header, name, value),
            layout!(
                rdc_record,
                topic,
                partition,
                offset,
                timestamp_ms,
                key,
                value,
                headers,
                header_count
            ),
            layout!(
                rdc_source_record,
                topic,
                partition,
                timestamp_ms,
                key,
                value,
                headers,
                header_count,
                ack_id
            ),
            layout!(rdc_delivery, ack_id, delivered, partition, offset, error),
            layout!(rdc_topic_partition, topic, partition, offset),
            layout!(rdc_poll_result, records, record_count, finished),
            layout!(
                rdc_host,
                struct_size,
                opaque,
                connector_name,
                log,
                record_error,
                record_failed
            ),
            layout!(rdc_sink_api, create, open, put, flush, close, destroy),
            layout!(rdc_source_api, create, poll, ack, destroy),
            layout!(
                rdc_plugin_descriptor,
                struct_size,
                abi_major,
                abi_minor,
                name,
                kind,
                version,
                description,
                config_map,
                config_map_count,
                source,
                sink,
                config_entry_size,
                check_connection,
                api_size
            ),
        ];
        lines.join("\n") + "\n"
    }

    #[test]
    fn layout_matches_plugin_h() {
        assert_eq!(mirror_layout(), include_str!("../abi_layout.txt"));
    }
}
