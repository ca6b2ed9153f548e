//! rust_sink: an rdconnect sink written in Rust over the `rdconnect` crate.
//! It writes each record as one JSON line
//!
//! ```text
//! {"topic":"orders","partition":0,"offset":41,"key":"k1","value":"..."}
//! ```
//!
//! to the file the config key `path` names, or to standard output for `-`
//! (the default). Delivery is at least once: `flush()` makes the lines
//! durable before the host commits their offsets, so a crash may repeat
//! lines written since the last flush but never loses one.

mod json_line;
mod output;

use rdconnect::{Config, ConfigKey, Error, Host, Record, Result, Sink};

use output::Output;

pub struct JsonLineSink {
    output: Output,
}

impl Sink for JsonLineSink {
    fn create(config: &Config<'_>, host: Host) -> Result<Self> {
        let path = config.str("path")?;
        // Fatal, not retry: a missing directory or a permission does not fix
        // itself; the host reports the reason and restarts with backoff.
        let output = Output::open(path)
            .map_err(|error| Error::fatal(format!("rust_sink: cannot open '{path}': {error}")))?;
        let target = if path == "-" { "standard output" } else { path };
        host.info(&format!("writing records to {target}"));
        Ok(JsonLineSink { output })
    }

    fn put(&mut self, records: &[Record]) -> Result<()> {
        for record in records {
            self.output
                .append_line(|line| {
                    json_line::append(
                        line,
                        &record.topic(),
                        record.partition(),
                        record.offset(),
                        record.key(),
                        record.value(),
                    )
                })
                .map_err(|error| Error::fatal(format!("rust_sink: cannot write: {error}")))?;
        }
        Ok(())
    }

    // Fatal rather than retry: part of the lines may have been written, and
    // after RDC_FATAL the host redelivers everything since the last good
    // flush to a new instance. Lines not flushed when the instance is
    // dropped are dropped with it: their offsets were not committed either.
    fn flush(&mut self) -> Result<()> {
        self.output
            .flush()
            .map_err(|error| Error::fatal(format!("rust_sink: cannot flush: {error}")))
    }
}

const CONFIG: &[ConfigKey] = &[ConfigKey::string(c"path")
    .with_default(c"-")
    .non_empty()
    .example(c"/tmp/records.jsonl")
    .doc(c"File the JSON lines are appended to; - for standard output")];

rdconnect::export_sink!(JsonLineSink, name: c"rust_sink", version: c"1.0.0",
                        description: c"Writes each record as one JSON line (an example in Rust)",
                        config: CONFIG);

#[cfg(test)]
mod tests {
    //! The plugin as the host drives it, through its exported descriptor.
    use std::ffi::{c_char, c_void, CStr};
    use std::ptr;

    use rdconnect::sys;

    use super::rdc_plugin_entry;

    unsafe extern "C" fn log(_: *mut c_void, _: sys::rdc_log_level, _: *const c_char) {}

    fn bytes(data: Option<&[u8]>) -> sys::rdc_bytes {
        data.map_or(
            sys::rdc_bytes {
                data: ptr::null(),
                len: 0,
            },
            |d| sys::rdc_bytes {
                data: d.as_ptr().cast(),
                len: d.len(),
            },
        )
    }

    fn record(
        offset: i64,
        key: Option<&'static [u8]>,
        value: Option<&'static [u8]>,
    ) -> sys::rdc_record {
        sys::rdc_record {
            topic: c"t".as_ptr(),
            partition: 1,
            offset,
            timestamp_ms: -1,
            key: bytes(key),
            value: bytes(value),
            headers: ptr::null(),
            header_count: 0,
        }
    }

    #[test]
    fn descriptor_names_the_plugin_and_its_default() {
        let descriptor = unsafe { &*rdc_plugin_entry() };
        assert_eq!(unsafe { CStr::from_ptr(descriptor.name) }, c"rust_sink");
        assert_eq!(descriptor.kind, sys::RDC_KIND_SINK);
        let path = unsafe { &*descriptor.config_map };
        assert_eq!(unsafe { CStr::from_ptr(path.default_value) }, c"-");
    }

    #[test]
    fn writes_json_lines_to_a_file_on_flush() {
        let path =
            std::env::temp_dir().join(format!("rust_sink_test_{}.jsonl", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let path_c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();

        let api = unsafe { &*(*rdc_plugin_entry()).sink };
        let host = sys::rdc_host {
            struct_size: std::mem::size_of::<sys::rdc_host>() as u32,
            opaque: ptr::null_mut(),
            connector_name: c"test".as_ptr(),
            log: Some(log),
            record_error: None,
            record_failed: None,
        };
        let config = [sys::rdc_config_value {
            key: c"path".as_ptr(),
            value: path_c.as_ptr(),
        }];
        let mut errstr = [0 as c_char; sys::RDC_ERRSTR_SIZE];
        let (e, n) = (errstr.as_mut_ptr(), errstr.len());
        let mut instance = ptr::null_mut();
        unsafe {
            assert_eq!(
                api.create.unwrap()(&host, config.as_ptr(), 1, &mut instance, e, n),
                sys::RDC_OK
            );
            let records = [record(7, Some(b"k"), Some(b"v\"1")), record(8, None, None)];
            assert_eq!(
                api.put.unwrap()(instance, records.as_ptr(), 2, e, n),
                sys::RDC_OK
            );
            assert_eq!(api.flush.unwrap()(instance, e, n), sys::RDC_OK);
            api.destroy.unwrap()(instance);
        }

        let written = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(
            written,
            concat!(
                r#"{"topic":"t","partition":1,"offset":7,"key":"k","value":"v\"1"}"#,
                "\n",
                r#"{"topic":"t","partition":1,"offset":8,"key":null,"value":null}"#,
                "\n"
            )
        );
    }
}
