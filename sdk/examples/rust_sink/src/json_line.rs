//! One record as one JSON line, escaped by hand: the few rules JSON strings
//! need do not warrant a dependency.

use std::io::Write;

/// Appends `{"topic":..,"partition":..,"offset":..,"key":..,"value":..}`,
/// without the newline. A null key or value is `null`; bytes are written as
/// a string, invalid UTF-8 replaced by U+FFFD, so every line parses.
pub fn append(
    out: &mut Vec<u8>,
    topic: &str,
    partition: i32,
    offset: i64,
    key: Option<&[u8]>,
    value: Option<&[u8]>,
) {
    out.extend_from_slice(b"{\"topic\":");
    append_string(out, topic);
    write!(
        out,
        ",\"partition\":{partition},\"offset\":{offset},\"key\":"
    )
    .expect("writing to a Vec cannot fail");
    append_bytes(out, key);
    out.extend_from_slice(b",\"value\":");
    append_bytes(out, value);
    out.push(b'}');
}

fn append_bytes(out: &mut Vec<u8>, bytes: Option<&[u8]>) {
    match bytes {
        None => out.extend_from_slice(b"null"),
        Some(bytes) => append_string(out, &String::from_utf8_lossy(bytes)),
    }
}

// Valid UTF-8 needs escaping only for the quote, the backslash and control
// characters; every other byte, multi-byte sequences included, is copied.
fn append_string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    for &byte in text.as_bytes() {
        match byte {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x00..=0x1f => write!(out, "\\u{byte:04x}").expect("writing to a Vec cannot fail"),
            _ => out.push(byte),
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(key: Option<&[u8]>, value: Option<&[u8]>) -> String {
        let mut out = Vec::new();
        append(&mut out, "orders", 2, 41, key, value);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn writes_every_field() {
        assert_eq!(
            line(Some(b"k1"), Some(b"{\"n\":1}")),
            r#"{"topic":"orders","partition":2,"offset":41,"key":"k1","value":"{\"n\":1}"}"#
        );
    }

    #[test]
    fn null_differs_from_empty() {
        assert_eq!(
            line(None, Some(b"")),
            r#"{"topic":"orders","partition":2,"offset":41,"key":null,"value":""}"#
        );
        assert!(line(Some(b"k"), None).ends_with(r#""value":null}"#));
    }

    #[test]
    fn escapes_quotes_backslashes_and_control_characters() {
        let value = line(None, Some(b"a\"b\\c\nd\re\tf\x00g\x1fh\x7fi"));
        let expected = r#""value":"a\"b\\c\nd\re\tf\u0000g\u001fh"#.to_owned() + "\x7fi\"}";
        assert!(value.ends_with(&expected), "{value}");
    }

    #[test]
    fn keeps_utf8_and_replaces_invalid_bytes() {
        assert!(line(None, Some("żółw €".as_bytes())).ends_with("\"value\":\"żółw €\"}"));
        assert!(line(None, Some(b"a\xffb")).ends_with("\"value\":\"a\u{FFFD}b\"}"));
    }
}
