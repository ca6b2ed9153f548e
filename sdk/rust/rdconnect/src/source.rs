//! What a source hands the host: owned records, and the delivery reports
//! it gets back.

use std::borrow::Cow;
use std::ffi::{c_char, CStr, CString};
use std::ptr;

use crate::boundary;
use crate::sys;

/// A record for the host to produce. Built with chained setters:
///
/// ```
/// use rdconnect::SourceRecord;
/// let record = SourceRecord::new(17).key("user-1").value(r#"{"n":1}"#).header(c"origin", Some("file"));
/// ```
///
/// Without a `topic` it goes to the connector's configured topic, without
/// a `partition` through its partitioner, without a timestamp at "now";
/// without a `value` it is a tombstone.
#[derive(Clone, Debug)]
pub struct SourceRecord {
    ack_id: u64,
    topic: Option<CString>,
    partition: i32,
    timestamp_ms: i64,
    key: Option<Vec<u8>>,
    value: Option<Vec<u8>>,
    headers: Vec<(CString, Option<Vec<u8>>)>,
}

impl SourceRecord {
    /// A record with no key and no value; `ack_id` comes back in its
    /// [`Delivery`] (a sequence number, a file position...).
    pub fn new(ack_id: u64) -> Self {
        SourceRecord {
            ack_id,
            topic: None,
            partition: sys::RDC_PARTITION_ANY,
            timestamp_ms: 0,
            key: None,
            value: None,
            headers: Vec::new(),
        }
    }

    pub fn topic(mut self, topic: &CStr) -> Self {
        self.topic = Some(topic.to_owned());
        self
    }

    /// An explicit partition instead of the connector's partitioner.
    pub fn partition(mut self, partition: i32) -> Self {
        self.partition = partition;
        self
    }

    /// Milliseconds since the Unix epoch.
    pub fn timestamp_ms(mut self, timestamp_ms: i64) -> Self {
        self.timestamp_ms = timestamp_ms;
        self
    }

    pub fn key(mut self, key: impl Into<Vec<u8>>) -> Self {
        self.key = Some(key.into());
        self
    }

    pub fn value(mut self, value: impl Into<Vec<u8>>) -> Self {
        self.value = Some(value.into());
        self
    }

    /// Appends a header; `None` is a null header value.
    pub fn header(mut self, name: &CStr, value: Option<impl Into<Vec<u8>>>) -> Self {
        self.headers.push((name.to_owned(), value.map(Into::into)));
        self
    }

    pub fn ack_id(&self) -> u64 {
        self.ack_id
    }

    // The pointers lead into this record's heap buffers, which stay where
    // they are when the record itself moves, until it is changed or dropped.
    // `headers` is its part of the batch's header view.
    fn to_c(&self, headers: &[sys::rdc_header]) -> sys::rdc_source_record {
        sys::rdc_source_record {
            topic: self.topic.as_deref().map_or(ptr::null(), CStr::as_ptr),
            partition: self.partition,
            timestamp_ms: self.timestamp_ms,
            key: c_bytes(self.key.as_deref()),
            value: c_bytes(self.value.as_deref()),
            headers: headers.as_ptr(),
            header_count: headers.len(),
            ack_id: self.ack_id,
        }
    }
}

fn c_bytes(bytes: Option<&[u8]>) -> sys::rdc_bytes {
    match bytes {
        None => sys::rdc_bytes {
            data: ptr::null(),
            len: 0,
        },
        Some(bytes) => sys::rdc_bytes {
            data: bytes.as_ptr().cast(),
            len: bytes.len(),
        },
    }
}

/// The records one `Source::poll` returns. The host reads them after
/// `poll()` returns, so the batch keeps them until the next `poll()` (which
/// starts with an empty batch) or until the instance is dropped.
#[derive(Debug, Default)]
pub struct SourceBatch {
    records: Vec<SourceRecord>,
    // The C view, built once poll() is done: kept here rather than in each
    // record so that a SourceRecord holds no pointers and stays Send.
    view: Vec<sys::rdc_source_record>,
    header_view: Vec<sys::rdc_header>,
    finished: bool,
}

impl SourceBatch {
    pub fn push(&mut self, record: SourceRecord) {
        self.records.push(record);
    }

    /// Declares that the source will never produce more records; those in
    /// this batch are still produced.
    pub fn finish(&mut self) {
        self.finished = true;
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    pub fn is_finished(&self) -> bool {
        self.finished
    }

    pub(crate) fn clear(&mut self) {
        self.records.clear();
        self.view.clear();
        self.header_view.clear();
        self.finished = false;
    }

    /// The C view of the batch, valid until the batch is next changed.
    pub(crate) fn hand_over(&mut self) -> sys::rdc_poll_result {
        // All headers first: header_view must not grow once records point
        // into it.
        self.header_view = self
            .records
            .iter()
            .flat_map(|record| &record.headers)
            .map(|(name, value)| sys::rdc_header {
                name: name.as_ptr(),
                value: c_bytes(value.as_deref()),
            })
            .collect();
        let mut headers = &self.header_view[..];
        self.view = self
            .records
            .iter()
            .map(|record| {
                let (own, rest) = headers.split_at(record.headers.len());
                headers = rest;
                record.to_c(own)
            })
            .collect();
        sys::rdc_poll_result {
            records: self.view.as_ptr(),
            record_count: self.view.len(),
            finished: self.finished.into(),
        }
    }
}

/// The outcome of producing one record, as `Source::ack` sees it.
#[repr(transparent)]
#[derive(Debug)]
pub struct Delivery(sys::rdc_delivery);

impl Delivery {
    /// # Safety
    /// `count` deliveries at `deliveries`, with valid error strings, for `'a`.
    pub(crate) unsafe fn slice<'a>(
        deliveries: *const sys::rdc_delivery,
        count: usize,
    ) -> &'a [Self] {
        unsafe { boundary::slice(deliveries.cast::<Self>(), count) }
    }

    /// The `ack_id` the record was given.
    pub fn ack_id(&self) -> u64 {
        self.0.ack_id
    }

    /// Whether the brokers acknowledged the record. One that was not stays
    /// the source's responsibility: it may produce it again.
    pub fn delivered(&self) -> bool {
        self.0.delivered != 0
    }

    /// Where it landed (when delivered).
    pub fn partition(&self) -> i32 {
        self.0.partition
    }

    pub fn offset(&self) -> i64 {
        self.0.offset
    }

    /// Why it was not delivered.
    pub fn error(&self) -> Option<Cow<'_, str>> {
        let error: *const c_char = self.0.error;
        (!error.is_null()).then(|| unsafe { boundary::c_str(error) }.to_string_lossy())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(bytes: &sys::rdc_bytes) -> Option<&[u8]> {
        unsafe { boundary::bytes(bytes) }
    }

    #[test]
    fn batch_view_points_at_owned_records() {
        let mut batch = SourceBatch::default();
        batch.push(SourceRecord::new(1).key("k").value(b"v".to_vec()));
        batch.push(
            SourceRecord::new(2)
                .key("gone")
                .topic(c"other")
                .partition(4)
                .timestamp_ms(5),
        );
        batch.push(
            SourceRecord::new(3)
                .header(c"h", Some("x"))
                .header(c"n", None::<&str>),
        );
        batch.finish();
        let result = batch.hand_over();
        assert_eq!((result.record_count, result.finished), (3, 1));
        let records = unsafe { boundary::slice(result.records, result.record_count) };

        assert_eq!((records[0].ack_id, records[0].topic), (1, ptr::null()));
        assert_eq!(
            (records[0].partition, records[0].timestamp_ms),
            (sys::RDC_PARTITION_ANY, 0)
        );
        assert_eq!(
            (view(&records[0].key), view(&records[0].value)),
            (Some(&b"k"[..]), Some(&b"v"[..]))
        );

        assert_eq!(unsafe { CStr::from_ptr(records[1].topic) }, c"other");
        assert_eq!((records[1].partition, records[1].timestamp_ms), (4, 5));
        assert_eq!(view(&records[1].value), None, "no value is a tombstone");

        let headers = unsafe { boundary::slice(records[2].headers, records[2].header_count) };
        assert_eq!(unsafe { CStr::from_ptr(headers[0].name) }, c"h");
        assert_eq!(
            (view(&headers[0].value), view(&headers[1].value)),
            (Some(&b"x"[..]), None)
        );

        batch.clear();
        assert!(batch.is_empty() && !batch.is_finished());
    }

    #[test]
    fn records_can_be_built_on_other_threads() {
        fn assert_send<T: Send>() {}
        assert_send::<SourceRecord>();
    }

    #[test]
    fn delivery_view() {
        let raw = [
            sys::rdc_delivery {
                ack_id: 9,
                delivered: 1,
                partition: 2,
                offset: 30,
                error: ptr::null(),
            },
            sys::rdc_delivery {
                ack_id: 10,
                delivered: 0,
                partition: -1,
                offset: -1,
                error: c"timed out".as_ptr(),
            },
        ];
        let deliveries = unsafe { Delivery::slice(raw.as_ptr(), raw.len()) };
        assert!(deliveries[0].delivered() && deliveries[0].error().is_none());
        assert_eq!(
            (
                deliveries[0].ack_id(),
                deliveries[0].partition(),
                deliveries[0].offset()
            ),
            (9, 2, 30)
        );
        assert!(!deliveries[1].delivered());
        assert_eq!(deliveries[1].error().as_deref(), Some("timed out"));
    }
}
