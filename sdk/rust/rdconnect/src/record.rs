//! Views of what the host hands a sink: records, headers, partitions.
//!
//! Each view is the C struct itself (`repr(transparent)`), so a batch is
//! borrowed as it is, without copying. None of them is `Clone`: they only
//! live as borrows for the duration of the call they were passed to, which
//! is how long the host keeps the data valid.

use std::borrow::Cow;

use crate::boundary;
use crate::sys;

/// A record consumed from Kafka, as `Sink::put` sees it.
#[repr(transparent)]
#[derive(Debug)]
pub struct Record(sys::rdc_record);

impl Record {
    /// # Safety
    /// Every pointer in `raw` is valid for as long as the borrow.
    #[cfg(test)]
    pub(crate) unsafe fn from_raw(raw: &sys::rdc_record) -> &Record {
        // SAFETY: repr(transparent).
        unsafe { &*(raw as *const sys::rdc_record).cast::<Record>() }
    }

    /// # Safety
    /// As `from_raw`, for `count` records at `records`.
    pub(crate) unsafe fn slice<'a>(records: *const sys::rdc_record, count: usize) -> &'a [Record] {
        unsafe { boundary::slice(records.cast::<Record>(), count) }
    }

    pub(crate) fn as_raw(&self) -> &sys::rdc_record {
        &self.0
    }

    /// The topic name (Kafka allows only ASCII in it, so this borrows).
    pub fn topic(&self) -> Cow<'_, str> {
        unsafe { boundary::c_str(self.0.topic) }.to_string_lossy()
    }

    pub fn partition(&self) -> i32 {
        self.0.partition
    }

    pub fn offset(&self) -> i64 {
        self.0.offset
    }

    /// Milliseconds since the Unix epoch, or `None` when the record has no
    /// timestamp.
    pub fn timestamp_ms(&self) -> Option<i64> {
        (self.0.timestamp_ms != -1).then_some(self.0.timestamp_ms)
    }

    /// The key; `None` for a Kafka null key, which differs from an empty one.
    pub fn key(&self) -> Option<&[u8]> {
        unsafe { boundary::bytes(&self.0.key) }
    }

    /// The value; `None` for a tombstone.
    pub fn value(&self) -> Option<&[u8]> {
        unsafe { boundary::bytes(&self.0.value) }
    }

    pub fn is_tombstone(&self) -> bool {
        self.0.value.data.is_null()
    }

    /// The headers, in order; names need not be unique.
    pub fn headers(&self) -> &[Header] {
        unsafe { boundary::slice(self.0.headers.cast::<Header>(), self.0.header_count) }
    }
}

/// A record header.
#[repr(transparent)]
#[derive(Debug)]
pub struct Header(sys::rdc_header);

impl Header {
    pub fn name(&self) -> Cow<'_, str> {
        unsafe { boundary::c_str(self.0.name) }.to_string_lossy()
    }

    /// The value; `None` for a null header value.
    pub fn value(&self) -> Option<&[u8]> {
        unsafe { boundary::bytes(&self.0.value) }
    }
}

/// A partition assigned to (`Sink::open`) or taken from (`Sink::close`) a
/// sink instance.
#[repr(transparent)]
#[derive(Debug)]
pub struct TopicPartition(sys::rdc_topic_partition);

impl TopicPartition {
    /// # Safety
    /// `count` partitions at `partitions`, with valid topic strings, that
    /// nothing else touches for `'a`.
    pub(crate) unsafe fn slice_mut<'a>(
        partitions: *mut sys::rdc_topic_partition,
        count: usize,
    ) -> &'a mut [Self] {
        unsafe { boundary::slice_mut(partitions.cast::<Self>(), count) }
    }

    /// # Safety
    /// As `slice_mut`, read-only.
    pub(crate) unsafe fn slice<'a>(
        partitions: *const sys::rdc_topic_partition,
        count: usize,
    ) -> &'a [Self] {
        unsafe { boundary::slice(partitions.cast::<Self>(), count) }
    }

    pub fn topic(&self) -> Cow<'_, str> {
        unsafe { boundary::c_str(self.0.topic) }.to_string_lossy()
    }

    pub fn partition(&self) -> i32 {
        self.0.partition
    }

    /// In `open()`: [`TopicPartition::COMMITTED`] unless the sink set one.
    pub fn offset(&self) -> i64 {
        self.0.offset
    }

    /// In `open()`: resume this partition at `offset` (the next record the
    /// sink wants), for sinks that store their offsets with the data.
    pub fn set_offset(&mut self, offset: i64) {
        self.0.offset = offset;
    }

    /// The offset `open()` passes: resume from the consumer group's commit.
    pub const COMMITTED: i64 = sys::RDC_OFFSET_COMMITTED;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ptr;

    fn bytes(data: &[u8]) -> sys::rdc_bytes {
        sys::rdc_bytes {
            data: data.as_ptr().cast(),
            len: data.len(),
        }
    }

    #[test]
    fn record_view_reads_every_field() {
        let headers = [
            sys::rdc_header {
                name: c"trace".as_ptr(),
                value: bytes(b"abc"),
            },
            sys::rdc_header {
                name: c"empty".as_ptr(),
                value: sys::rdc_bytes {
                    data: ptr::null(),
                    len: 0,
                },
            },
        ];
        let raw = sys::rdc_record {
            topic: c"orders".as_ptr(),
            partition: 3,
            offset: 99,
            timestamp_ms: 1_700_000_000_000,
            key: bytes(b""),
            value: bytes(b"{}"),
            headers: headers.as_ptr(),
            header_count: headers.len(),
        };
        let record = unsafe { Record::from_raw(&raw) };
        assert_eq!(record.topic(), "orders");
        assert_eq!((record.partition(), record.offset()), (3, 99));
        assert_eq!(record.timestamp_ms(), Some(1_700_000_000_000));
        assert_eq!(record.key(), Some(&b""[..]));
        assert_eq!(record.value(), Some(&b"{}"[..]));
        assert!(!record.is_tombstone());
        let headers = record.headers();
        assert_eq!(headers.len(), 2);
        assert_eq!(
            (headers[0].name(), headers[0].value()),
            ("trace".into(), Some(&b"abc"[..]))
        );
        assert_eq!(headers[1].value(), None);
    }

    #[test]
    fn nulls_are_none() {
        let raw = crate::host::tests::record_at(1);
        let record = unsafe { Record::from_raw(&raw) };
        assert_eq!(
            (record.key(), record.value(), record.timestamp_ms()),
            (None, None, None)
        );
        assert!(record.is_tombstone());
        assert!(record.headers().is_empty());
    }

    #[test]
    fn partitions_take_an_offset() {
        let mut raw = [sys::rdc_topic_partition {
            topic: c"t".as_ptr(),
            partition: 1,
            offset: sys::RDC_OFFSET_COMMITTED,
        }];
        let partitions = unsafe { TopicPartition::slice_mut(raw.as_mut_ptr(), 1) };
        assert_eq!(partitions[0].offset(), TopicPartition::COMMITTED);
        partitions[0].set_offset(500);
        assert_eq!(raw[0].offset, 500);
    }
}
