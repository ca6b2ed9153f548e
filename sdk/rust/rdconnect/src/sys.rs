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
    //! The expected numbers were printed once by a C program compiled with
    //! gcc 12 on x86_64 Linux against plugin.h (ABI 1.3):
    //! `printf("%zu", sizeof(T))` / `offsetof(T, field)` for every struct.
    use super::*;
    use std::mem::{align_of, offset_of, size_of};

    macro_rules! assert_layout {
        ($t:ty, size $size:expr, $($field:ident $offset:expr),* $(,)?) => {
            assert_eq!(size_of::<$t>(), $size, "sizeof({})", stringify!($t));
            $(assert_eq!(offset_of!($t, $field), $offset,
                         "offsetof({}, {})", stringify!($t), stringify!($field));)*
        };
    }

    #[test]
    fn enums_are_four_byte_integers() {
        assert_eq!(size_of::<rdc_status>(), 4);
        assert_eq!(size_of::<rdc_plugin_kind>(), 4);
        assert_eq!(size_of::<rdc_log_level>(), 4);
        assert_eq!(size_of::<rdc_config_type>(), 4);
    }

    #[test]
    fn config_structs_match_gcc() {
        assert_layout!(rdc_config_entry, size 80,
            key 0, type_ 8, default_value 16, required 24, secret 28, choices 32,
            doc 40, min_value 48, max_value 56, non_empty 64, example 72);
        assert_layout!(rdc_config_value, size 16, key 0, value 8);
    }

    #[test]
    fn record_structs_match_gcc() {
        assert_layout!(rdc_bytes, size 16, data 0, len 8);
        assert_layout!(rdc_header, size 24, name 0, value 8);
        assert_layout!(rdc_record, size 80,
            topic 0, partition 8, offset 16, timestamp_ms 24, key 32, value 48,
            headers 64, header_count 72);
        assert_layout!(rdc_source_record, size 80,
            topic 0, partition 8, timestamp_ms 16, key 24, value 40, headers 56,
            header_count 64, ack_id 72);
        assert_layout!(rdc_delivery, size 32,
            ack_id 0, delivered 8, partition 12, offset 16, error 24);
        assert_layout!(rdc_topic_partition, size 24, topic 0, partition 8, offset 16);
        assert_layout!(rdc_poll_result, size 24, records 0, record_count 8, finished 16);
    }

    #[test]
    fn tables_match_gcc() {
        assert_layout!(rdc_host, size 48,
            struct_size 0, opaque 8, connector_name 16, log 24, record_error 32,
            record_failed 40);
        assert_layout!(rdc_sink_api, size 48,
            create 0, open 8, put 16, flush 24, close 32, destroy 40);
        assert_layout!(rdc_source_api, size 32, create 0, poll 8, ack 16, destroy 24);
        assert_layout!(rdc_plugin_descriptor, size 96,
            struct_size 0, abi_major 4, abi_minor 6, name 8, kind 16, version 24,
            description 32, config_map 40, config_map_count 48, source 56, sink 64,
            config_entry_size 72, check_connection 80, api_size 88);
    }

    #[test]
    fn alignment_matches_gcc() {
        // Every struct holds a pointer or a 64-bit integer: gcc aligns all at 8.
        assert_eq!(align_of::<rdc_config_entry>(), 8);
        assert_eq!(align_of::<rdc_record>(), 8);
        assert_eq!(align_of::<rdc_delivery>(), 8);
        assert_eq!(align_of::<rdc_plugin_descriptor>(), 8);
    }
}
