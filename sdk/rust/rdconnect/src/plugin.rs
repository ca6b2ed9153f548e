//! The traits a plugin implements. The export macros turn an implementation
//! into the C function table.
//!
//! Threads (plugin.h): the host makes every call into one instance, from
//! `create` to the drop, on one thread of its own, in order, and never two
//! at a time. Different instances of a plugin may run at the same time on
//! different threads, so state shared between instances needs its own
//! locking. A call may block, but keep `put`/`poll` within a few seconds:
//! long calls delay rebalances and shutdown.
//!
//! Every method returns [`Result`]: [`Error::Retry`](crate::Error::Retry)
//! makes the host back off and repeat the call, [`Error::Fatal`](crate::Error::Fatal)
//! stops the connector with the message. A panic is caught at the boundary
//! and becomes a fatal error `"panic: <message>"`.

use std::time::Duration;

use crate::config::Config;
use crate::error::Result;
use crate::host::Host;
use crate::record::{Record, TopicPartition};
use crate::source::{Delivery, SourceBatch};

/// A sink: consumes records from Kafka. Lifecycle of an instance:
///
/// `create → (open → (put* → flush)* → close)* → drop`
///
/// Offsets are committed to Kafka only for records a `flush()` made durable.
/// Export it with [`export_sink!`](crate::export_sink).
pub trait Sink: Sized {
    /// Creates an instance from its validated config. `Fatal` for a bad
    /// value or a destination that cannot work at all, `Retry` when trying
    /// again may help.
    fn create(config: &Config<'_>, host: Host) -> Result<Self>;

    /// Partitions were assigned. Each arrives with the offset
    /// [`TopicPartition::COMMITTED`]; a sink that stores its offsets with
    /// its data sets the offset of the next record it wants, and the host
    /// seeks there. The default keeps the committed offsets.
    fn open(&mut self, partitions: &mut [TopicPartition]) -> Result<()> {
        let _ = partitions;
        Ok(())
    }

    /// Writes (or buffers) a batch, in offset order per partition. `Retry`
    /// makes the host repeat the same batch later (back-pressure too). A
    /// record that fails on its own goes to
    /// [`Host::record_failed`](crate::Host::record_failed), and the call
    /// still succeeds.
    fn put(&mut self, records: &[Record]) -> Result<()>;

    /// Makes everything given to `put()` so far durable; the host then
    /// commits those offsets. After `Fatal` nothing since the last good
    /// flush is committed and those records are delivered again.
    fn flush(&mut self) -> Result<()>;

    /// The partitions are being taken away; the host has flushed already.
    /// Drop per-partition state. The default does nothing.
    fn close(&mut self, partitions: &[TopicPartition]) -> Result<()> {
        let _ = partitions;
        Ok(())
    }
}

/// A source: produces records into Kafka. Lifecycle of an instance:
///
/// `create → (poll | ack)* → drop`
///
/// Export it with [`export_source!`](crate::export_source).
pub trait Source: Sized {
    /// As [`Sink::create`].
    fn create(config: &Config<'_>, host: Host) -> Result<Self>;

    /// Adds up to `max_records` records to `batch` (more fails the call).
    /// May wait up to `timeout` for data or a rate limit; adding none is
    /// fine. Call [`SourceBatch::finish`] when a bounded source is done.
    fn poll(
        &mut self,
        batch: &mut SourceBatch,
        max_records: usize,
        timeout: Duration,
    ) -> Result<()>;

    /// Delivery reports for records of earlier polls, in the order the
    /// brokers acknowledged them; a record not delivered stays the
    /// source's to produce again. Called between polls and once more before
    /// the drop. The default ignores them.
    fn ack(&mut self, deliveries: &[Delivery]) -> Result<()> {
        let _ = deliveries;
        Ok(())
    }
}
