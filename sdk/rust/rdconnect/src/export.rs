//! The C side of a plugin: function tables over the traits, the static
//! descriptor, and the macros that export them. Public only because the
//! macros expand in the plugin's crate.

use std::ffi::{c_char, c_int, c_void, CStr};
use std::mem::size_of;
use std::sync::Arc;
use std::time::Duration;

use crate::boundary::{self, guarded, swallow_panic};
use crate::config::{Config, ConfigKey};
use crate::error::Error;
use crate::host::{Host, LogGate};
use crate::plugin::{Sink, Source};
use crate::record::{Record, TopicPartition};
use crate::source::{Delivery, SourceBatch};
use crate::sys;

/// What the host's `void *instance` points at.
struct Instance<P> {
    plugin: P,
    // Closed after the plugin is dropped, so its loggers stop logging
    // before the host's table goes away.
    gate: Arc<LogGate>,
}

/// A source also keeps the batch of its last poll for the host to read.
struct SourceInstance<P> {
    plugin: P,
    batch: SourceBatch,
}

/// Shared by sinks and sources: `make` builds the plugin from its config.
unsafe fn create<T>(
    host: *const sys::rdc_host,
    config: *const sys::rdc_config_value,
    config_count: usize,
    instance: *mut *mut c_void,
    errstr: *mut c_char,
    errstr_size: usize,
    make: impl FnOnce(&Config<'_>, Host) -> crate::Result<T>,
) -> sys::rdc_status {
    unsafe {
        guarded(errstr, errstr_size, || {
            if host.is_null() || instance.is_null() {
                return Err(Error::fatal(
                    "create() was called with a NULL host or instance",
                ));
            }
            let gate = LogGate::open(host);
            let config = Config::from_raw(config, config_count);
            let plugin = make(&config, Host::new(host, Arc::clone(&gate)))?;
            *instance = Box::into_raw(Box::new(Instance { plugin, gate })).cast();
            Ok(())
        })
    }
}

unsafe extern "C" fn destroy<T>(instance: *mut c_void) {
    if instance.is_null() {
        return;
    }
    let Instance { plugin, gate } = *unsafe { Box::from_raw(instance.cast::<Instance<T>>()) };
    swallow_panic(move || drop(plugin));
    gate.close();
}

unsafe fn plugin<'a, T>(instance: *mut c_void) -> &'a mut T {
    &mut unsafe { boundary::instance::<Instance<T>>(instance) }.plugin
}

unsafe extern "C" fn sink_create<P: Sink>(
    host: *const sys::rdc_host,
    config: *const sys::rdc_config_value,
    config_count: usize,
    instance: *mut *mut c_void,
    errstr: *mut c_char,
    errstr_size: usize,
) -> sys::rdc_status {
    unsafe {
        create(
            host,
            config,
            config_count,
            instance,
            errstr,
            errstr_size,
            P::create,
        )
    }
}

unsafe extern "C" fn sink_open<P: Sink>(
    instance: *mut c_void,
    partitions: *mut sys::rdc_topic_partition,
    partition_count: usize,
    errstr: *mut c_char,
    errstr_size: usize,
) -> sys::rdc_status {
    unsafe {
        guarded(errstr, errstr_size, || {
            plugin::<P>(instance).open(TopicPartition::slice_mut(partitions, partition_count))
        })
    }
}

unsafe extern "C" fn sink_put<P: Sink>(
    instance: *mut c_void,
    records: *const sys::rdc_record,
    record_count: usize,
    errstr: *mut c_char,
    errstr_size: usize,
) -> sys::rdc_status {
    unsafe {
        guarded(errstr, errstr_size, || {
            plugin::<P>(instance).put(Record::slice(records, record_count))
        })
    }
}

unsafe extern "C" fn sink_flush<P: Sink>(
    instance: *mut c_void,
    errstr: *mut c_char,
    errstr_size: usize,
) -> sys::rdc_status {
    unsafe { guarded(errstr, errstr_size, || plugin::<P>(instance).flush()) }
}

unsafe extern "C" fn sink_close<P: Sink>(
    instance: *mut c_void,
    partitions: *const sys::rdc_topic_partition,
    partition_count: usize,
    errstr: *mut c_char,
    errstr_size: usize,
) -> sys::rdc_status {
    unsafe {
        guarded(errstr, errstr_size, || {
            plugin::<P>(instance).close(TopicPartition::slice(partitions, partition_count))
        })
    }
}

/// The function table of sink `P`. open and close are always set: the
/// trait's defaults do what NULL would mean.
pub const fn sink_api<P: Sink>() -> sys::rdc_sink_api {
    sys::rdc_sink_api {
        create: Some(sink_create::<P>),
        open: Some(sink_open::<P>),
        put: Some(sink_put::<P>),
        flush: Some(sink_flush::<P>),
        close: Some(sink_close::<P>),
        destroy: Some(destroy::<P>),
    }
}

unsafe extern "C" fn source_create<P: Source>(
    host: *const sys::rdc_host,
    config: *const sys::rdc_config_value,
    config_count: usize,
    instance: *mut *mut c_void,
    errstr: *mut c_char,
    errstr_size: usize,
) -> sys::rdc_status {
    let make = |config: &Config<'_>, host| {
        Ok(SourceInstance {
            plugin: P::create(config, host)?,
            batch: SourceBatch::default(),
        })
    };
    unsafe {
        create(
            host,
            config,
            config_count,
            instance,
            errstr,
            errstr_size,
            make,
        )
    }
}

unsafe extern "C" fn source_poll<P: Source>(
    instance: *mut c_void,
    max_records: usize,
    timeout_ms: c_int,
    result: *mut sys::rdc_poll_result,
    errstr: *mut c_char,
    errstr_size: usize,
) -> sys::rdc_status {
    unsafe {
        guarded(errstr, errstr_size, || {
            let SourceInstance { plugin, batch } = plugin::<SourceInstance<P>>(instance);
            // The host is done with the last poll's records once it polls again.
            batch.clear();
            let timeout = Duration::from_millis(timeout_ms.max(0) as u64);
            plugin.poll(batch, max_records, timeout)?;
            if batch.len() > max_records {
                return Err(Error::fatal(format!(
                    "poll() returned {} records, more than max_records ({max_records})",
                    batch.len()
                )));
            }
            if result.is_null() {
                return Err(Error::fatal("poll() was called with a NULL result"));
            }
            *result = batch.hand_over();
            Ok(())
        })
    }
}

unsafe extern "C" fn source_ack<P: Source>(
    instance: *mut c_void,
    deliveries: *const sys::rdc_delivery,
    delivery_count: usize,
    errstr: *mut c_char,
    errstr_size: usize,
) -> sys::rdc_status {
    unsafe {
        guarded(errstr, errstr_size, || {
            plugin::<SourceInstance<P>>(instance)
                .plugin
                .ack(Delivery::slice(deliveries, delivery_count))
        })
    }
}

/// The function table of source `P`. ack is always set: the trait's
/// default does what NULL would mean.
pub const fn source_api<P: Source>() -> sys::rdc_source_api {
    sys::rdc_source_api {
        create: Some(source_create::<P>),
        poll: Some(source_poll::<P>),
        ack: Some(source_ack::<P>),
        destroy: Some(destroy::<SourceInstance<P>>),
    }
}

/// The descriptor `rdc_plugin_entry()` returns, in static storage.
#[repr(transparent)]
pub struct Descriptor(sys::rdc_plugin_descriptor);

// SAFETY: every pointer in it leads to immutable 'static data.
unsafe impl Sync for Descriptor {}

impl Descriptor {
    pub const fn sink(
        api: &'static sys::rdc_sink_api,
        name: &'static CStr,
        version: &'static CStr,
        description: &'static CStr,
        config: &'static [ConfigKey],
    ) -> Self {
        let mut descriptor = Self::new(sys::RDC_KIND_SINK, name, version, description, config);
        descriptor.0.sink = api;
        descriptor.0.api_size = size_of::<sys::rdc_sink_api>();
        descriptor
    }

    pub const fn source(
        api: &'static sys::rdc_source_api,
        name: &'static CStr,
        version: &'static CStr,
        description: &'static CStr,
        config: &'static [ConfigKey],
    ) -> Self {
        let mut descriptor = Self::new(sys::RDC_KIND_SOURCE, name, version, description, config);
        descriptor.0.source = api;
        descriptor.0.api_size = size_of::<sys::rdc_source_api>();
        descriptor
    }

    // The sizes let a host of another minor read exactly the fields this
    // crate was built with.
    const fn new(
        kind: sys::rdc_plugin_kind,
        name: &'static CStr,
        version: &'static CStr,
        description: &'static CStr,
        config: &'static [ConfigKey],
    ) -> Self {
        Descriptor(sys::rdc_plugin_descriptor {
            struct_size: size_of::<sys::rdc_plugin_descriptor>() as u32,
            abi_major: sys::RDC_ABI_VERSION_MAJOR,
            abi_minor: sys::RDC_ABI_VERSION_MINOR,
            name: name.as_ptr(),
            kind,
            version: version.as_ptr(),
            description: description.as_ptr(),
            // ConfigKey is repr(transparent) over rdc_config_entry.
            config_map: config.as_ptr().cast::<sys::rdc_config_entry>(),
            config_map_count: config.len(),
            source: std::ptr::null(),
            sink: std::ptr::null(),
            config_entry_size: size_of::<sys::rdc_config_entry>(),
            check_connection: None,
            api_size: 0,
        })
    }

    pub const fn as_ptr(&'static self) -> *const sys::rdc_plugin_descriptor {
        &self.0
    }
}

/// Exports a [`Sink`](crate::Sink) as the library's plugin: defines
/// `rdc_plugin_entry`, returning a static descriptor of ABI 1.3. Use it once
/// per library (a cdylib), at the crate's top level; the crate docs show it
/// whole.
///
/// `export_sink!(MySink, name: c"my_sink", version: c"1.0.0", description:
/// c"Writes records", config: CONFIG)`, where `CONFIG` is a
/// `&'static [ConfigKey]` (a `const` is simplest).
///
/// `name` must be the library's file name without `.so`: the host finds a
/// plugin by file name and refuses one whose descriptor says otherwise.
#[macro_export]
macro_rules! export_sink {
    ($plugin:ty, name: $name:expr, version: $version:expr, description: $description:expr,
     config: $config:expr $(,)?) => {
        #[no_mangle]
        pub extern "C" fn rdc_plugin_entry() -> *const $crate::sys::rdc_plugin_descriptor {
            static API: $crate::sys::rdc_sink_api = $crate::export::sink_api::<$plugin>();
            static DESCRIPTOR: $crate::export::Descriptor =
                $crate::export::Descriptor::sink(&API, $name, $version, $description, $config);
            DESCRIPTOR.as_ptr()
        }
    };
}

/// Exports a [`Source`](crate::Source) as the library's plugin; as
/// [`export_sink!`](crate::export_sink) otherwise.
#[macro_export]
macro_rules! export_source {
    ($plugin:ty, name: $name:expr, version: $version:expr, description: $description:expr,
     config: $config:expr $(,)?) => {
        #[no_mangle]
        pub extern "C" fn rdc_plugin_entry() -> *const $crate::sys::rdc_plugin_descriptor {
            static API: $crate::sys::rdc_source_api = $crate::export::source_api::<$plugin>();
            static DESCRIPTOR: $crate::export::Descriptor =
                $crate::export::Descriptor::source(&API, $name, $version, $description, $config);
            DESCRIPTOR.as_ptr()
        }
    };
}
