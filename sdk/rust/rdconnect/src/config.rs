//! The config map a plugin declares, and the validated values it gets.

use std::ffi::CStr;
use std::ptr;

use crate::boundary;
use crate::error::{Error, Result};
use crate::sys;

/// One key of a plugin's config map, built at compile time:
///
/// ```
/// use rdconnect::ConfigKey;
/// const CONFIG: &[ConfigKey] = &[
///     ConfigKey::string(c"path").with_default(c"-").non_empty()
///         .doc(c"File to write; - for standard output"),
///     ConfigKey::integer(c"batch").with_default(c"100").min(c"1").max(c"10000")
///         .doc(c"Records per write"),
///     ConfigKey::string(c"dsn").required().secret()
///         .example(c"postgresql://localhost/app").doc(c"Where to connect"),
/// ];
/// ```
///
/// The host parses and type-checks the connector's `[*.config]` table
/// against the map, fills in defaults, refuses unknown keys and values out
/// of range, and never prints a secret. Values, defaults and bounds are in
/// textual form (`c"10"`, `c"0.5"`, `c"true"`), and every string is a
/// `&'static CStr` because the host reads them as C strings for as long as
/// the library is loaded. The host refuses, at load, a map whose defaults
/// or examples break its own rules.
#[repr(transparent)]
#[derive(Clone, Copy, Debug)]
pub struct ConfigKey(sys::rdc_config_entry);

// SAFETY: the entry only points at `&'static CStr`s, which are immutable.
unsafe impl Sync for ConfigKey {}
unsafe impl Send for ConfigKey {}

impl ConfigKey {
    /// Any string; with `choices`, one of them.
    pub const fn string(key: &'static CStr) -> Self {
        Self::new(key, sys::RDC_CONFIG_STRING)
    }

    /// A signed 64-bit integer.
    pub const fn integer(key: &'static CStr) -> Self {
        Self::new(key, sys::RDC_CONFIG_INT)
    }

    /// A double (integers are accepted too).
    pub const fn number(key: &'static CStr) -> Self {
        Self::new(key, sys::RDC_CONFIG_DOUBLE)
    }

    /// `true` or `false`.
    pub const fn boolean(key: &'static CStr) -> Self {
        Self::new(key, sys::RDC_CONFIG_BOOL)
    }

    // doc starts empty, not NULL: the host refuses a key without one.
    const fn new(key: &'static CStr, type_: sys::rdc_config_type) -> Self {
        ConfigKey(sys::rdc_config_entry {
            key: key.as_ptr(),
            type_,
            default_value: ptr::null(),
            required: 0,
            secret: 0,
            choices: ptr::null(),
            doc: c"".as_ptr(),
            min_value: ptr::null(),
            max_value: ptr::null(),
            non_empty: 0,
            example: ptr::null(),
        })
    }

    /// The default, in textual form (`c"10"`, `c"true"`, `c"json"`).
    pub const fn with_default(mut self, value: &'static CStr) -> Self {
        self.0.default_value = value.as_ptr();
        self
    }

    /// The key must be given (a default is then meaningless).
    pub const fn required(mut self) -> Self {
        self.0.required = 1;
        self
    }

    /// The value is a secret (password, DSN, token): the host never prints it.
    pub const fn secret(mut self) -> Self {
        self.0.secret = 1;
        self
    }

    /// The allowed values of a string key, separated by `|`: `c"json|text"`.
    pub const fn choices(mut self, allowed: &'static CStr) -> Self {
        self.0.choices = allowed.as_ptr();
        self
    }

    /// The smallest allowed value of an integer or number key, inclusive.
    pub const fn min(mut self, value: &'static CStr) -> Self {
        self.0.min_value = value.as_ptr();
        self
    }

    /// The largest allowed value of an integer or number key, inclusive.
    pub const fn max(mut self, value: &'static CStr) -> Self {
        self.0.max_value = value.as_ptr();
        self
    }

    /// A string key that must not be empty.
    pub const fn non_empty(mut self) -> Self {
        self.0.non_empty = 1;
        self
    }

    /// A typical value, shown by `rdconnect plugins --describe`; never used
    /// as a value.
    pub const fn example(mut self, value: &'static CStr) -> Self {
        self.0.example = value.as_ptr();
        self
    }

    /// The one-line description `rdconnect plugins --describe` shows.
    pub const fn doc(mut self, text: &'static CStr) -> Self {
        self.0.doc = text.as_ptr();
        self
    }

    /// The C entry, for the descriptor (`ConfigKey` has its layout).
    pub const fn as_raw(&self) -> &sys::rdc_config_entry {
        &self.0
    }
}

/// The validated config handed to `create()`: every key of the plugin's
/// map that is set or has a default, exactly once, already type-checked and
/// with `${env:...}` expanded. A view, valid only during `create()`: copy
/// what the instance keeps.
///
/// A getter fails with [`Error::Fatal`] for a key that is not set and has
/// no default (or is not in the map: a bug of the plugin). Error messages
/// name the key but never quote the value, which may be a secret.
#[derive(Clone, Copy, Debug)]
pub struct Config<'a> {
    values: &'a [sys::rdc_config_value],
}

impl<'a> Config<'a> {
    /// # Safety
    /// `values` points at `count` entries whose keys and values are C
    /// strings, all valid for `'a` (or `count` is 0).
    pub unsafe fn from_raw(values: *const sys::rdc_config_value, count: usize) -> Self {
        Config {
            values: unsafe { boundary::slice(values, count) },
        }
    }

    /// The value of `key` in its textual form, or `None` when it is not set
    /// and has no default.
    pub fn get(&self, key: &str) -> Result<Option<&'a str>> {
        for value in self.values {
            // SAFETY: from_raw's contract.
            if unsafe { boundary::c_str(value.key) }.to_bytes() == key.as_bytes() {
                let text = unsafe { boundary::c_str(value.value) };
                return text
                    .to_str()
                    .map(Some)
                    .map_err(|_| Error::fatal(format!("config key '{key}' is not valid UTF-8")));
            }
        }
        Ok(None)
    }

    /// Whether `key` is set or has a default.
    pub fn has(&self, key: &str) -> bool {
        matches!(self.get(key), Ok(Some(_)))
    }

    /// A string key.
    pub fn str(&self, key: &str) -> Result<&'a str> {
        self.get(key)?.ok_or_else(|| {
            Error::fatal(format!("config key '{key}' is not set and has no default"))
        })
    }

    /// An integer key.
    pub fn i64(&self, key: &str) -> Result<i64> {
        self.parse(key, "an integer")
    }

    /// A number key.
    pub fn f64(&self, key: &str) -> Result<f64> {
        self.parse(key, "a number")
    }

    /// A boolean key (the host passes `true` or `false`).
    pub fn bool(&self, key: &str) -> Result<bool> {
        self.parse(key, "true or false")
    }

    fn parse<T: std::str::FromStr>(&self, key: &str, what: &str) -> Result<T> {
        self.str(key)?
            .parse()
            .map_err(|_| Error::fatal(format!("config key '{key}' is not {what}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::c_char;

    fn value(key: &'static CStr, value: &'static CStr) -> sys::rdc_config_value {
        sys::rdc_config_value {
            key: key.as_ptr(),
            value: value.as_ptr(),
        }
    }

    fn text(pointer: *const c_char) -> Option<&'static str> {
        (!pointer.is_null()).then(|| unsafe { CStr::from_ptr(pointer) }.to_str().unwrap())
    }

    #[test]
    fn getters_read_textual_values() {
        let values = [
            value(c"path", c"/tmp/out"),
            value(c"batch", c"100"),
            value(c"ratio", c"0.25"),
            value(c"sync", c"true"),
            value(c"neg", c"-9223372036854775808"),
        ];
        let config = unsafe { Config::from_raw(values.as_ptr(), values.len()) };
        assert_eq!(config.str("path"), Ok("/tmp/out"));
        assert_eq!(config.i64("batch"), Ok(100));
        assert_eq!(config.i64("neg"), Ok(i64::MIN));
        assert_eq!(config.f64("ratio"), Ok(0.25));
        assert_eq!(config.f64("batch"), Ok(100.0));
        assert_eq!(config.bool("sync"), Ok(true));
        assert!(config.has("sync"));
        assert!(!config.has("missing"));
        assert_eq!(config.get("missing"), Ok(None));
    }

    #[test]
    fn getters_fail_fatally_without_quoting_the_value() {
        let values = [value(c"password", c"hunter2")];
        let config = unsafe { Config::from_raw(values.as_ptr(), values.len()) };
        assert_eq!(
            config.str("missing"),
            Err(Error::fatal(
                "config key 'missing' is not set and has no default"
            ))
        );
        let error = config.i64("password").unwrap_err();
        assert_eq!(
            error,
            Error::fatal("config key 'password' is not an integer")
        );
        assert!(!error.message().contains("hunter2"));
        assert!(config.bool("password").is_err());
    }

    #[test]
    fn empty_config_from_null() {
        let config = unsafe { Config::from_raw(std::ptr::null(), 0) };
        assert_eq!(config.get("path"), Ok(None));
    }

    #[test]
    fn builder_fills_every_field() {
        const KEY: ConfigKey = ConfigKey::integer(c"batch")
            .with_default(c"10")
            .required()
            .secret()
            .min(c"1")
            .max(c"100")
            .example(c"50")
            .doc(c"Records per write");
        let entry = KEY.as_raw();
        assert_eq!(text(entry.key), Some("batch"));
        assert_eq!(entry.type_, sys::RDC_CONFIG_INT);
        assert_eq!(text(entry.default_value), Some("10"));
        assert_eq!((entry.required, entry.secret, entry.non_empty), (1, 1, 0));
        assert_eq!(text(entry.min_value), Some("1"));
        assert_eq!(text(entry.max_value), Some("100"));
        assert_eq!(text(entry.example), Some("50"));
        assert_eq!(text(entry.doc), Some("Records per write"));
        assert_eq!(text(entry.choices), None);
    }

    #[test]
    fn builder_defaults_are_null_but_doc_is_empty() {
        let entry = *ConfigKey::string(c"format")
            .choices(c"json|text")
            .non_empty()
            .as_raw();
        assert_eq!(entry.type_, sys::RDC_CONFIG_STRING);
        assert_eq!(text(entry.choices), Some("json|text"));
        assert_eq!(entry.non_empty, 1);
        assert_eq!(text(entry.doc), Some(""));
        assert!(entry.default_value.is_null() && entry.min_value.is_null());
        assert!(entry.max_value.is_null() && entry.example.is_null());
        assert_eq!((entry.required, entry.secret), (0, 0));
    }
}
