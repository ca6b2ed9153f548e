//! A safe Rust layer over the rdconnect plugin C ABI
//! (`sdk/include/rdconnect/plugin.h`, ABI 1.3), the counterpart of the C++
//! layer `plugin.hpp`.
//!
//! A plugin is a `cdylib` crate that implements [`Sink`] or [`Source`],
//! declares its config map, and exports both with one macro:
//!
//! ```
//! use rdconnect::{Config, ConfigKey, Host, Record, Result, Sink};
//!
//! struct CountingSink { host: Host, label: String, count: usize }
//!
//! impl Sink for CountingSink {
//!     fn create(config: &Config<'_>, host: Host) -> Result<Self> {
//!         Ok(CountingSink { host, label: config.str("label")?.to_owned(), count: 0 })
//!     }
//!     fn put(&mut self, records: &[Record]) -> Result<()> {
//!         self.count += records.len();
//!         Ok(())
//!     }
//!     fn flush(&mut self) -> Result<()> {
//!         self.host.info(&format!("{}: seen {}", self.label, self.count));
//!         Ok(())
//!     }
//! }
//!
//! const CONFIG: &[ConfigKey] = &[
//!     ConfigKey::string(c"label").with_default(c"x").non_empty().doc(c"A label"),
//! ];
//! rdconnect::export_sink!(CountingSink, name: c"counting_sink", version: c"1.0.0",
//!                         description: c"Counts records", config: CONFIG);
//! ```
//!
//! Nothing unwinds into the host: [`Error::Retry`] becomes `RDC_RETRY`,
//! [`Error::Fatal`] `RDC_FATAL`, and a panic is caught and becomes
//! `RDC_FATAL` with the message `panic: <message>`. Messages are cut to the
//! host's errstr size on a UTF-8 character boundary. Build with the default
//! `panic = "unwind"`: with `panic = "abort"` a panic kills the host.
//!
//! Threads, as plugin.h states them: the host makes every call into an
//! instance on one thread, never two at once, so the traits take `&mut
//! self` and need no `Send`. [`Host`] is bound to that thread; only a
//! [`Logger`] (from [`Host::logger`]) may be used from threads of the
//! plugin's own, and it goes quiet once the instance is dropped.

mod boundary;
mod config;
mod error;
#[doc(hidden)]
pub mod export;
mod host;
mod plugin;
mod record;
mod source;
pub mod sys;

pub use config::{Config, ConfigKey};
pub use error::{Error, Result};
pub use host::{Host, LogLevel, Logger};
pub use plugin::{Sink, Source};
pub use record::{Header, Record, TopicPartition};
pub use source::{Delivery, SourceBatch, SourceRecord};
