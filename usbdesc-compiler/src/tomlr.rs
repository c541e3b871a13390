//! A spanned TOML reader for hand-written front ends.
//!
//! Wraps `toml::de::DeTable` (which keeps the byte span of every key and value) so that front ends
//! can read keys one by one, range-check every value, accept names or numbers, and report unknown keys
//! with a "did you mean" hint. Every problem is pushed into [`Diagnostics`] with code `UD0xxx`;
//! readers return `None` and go on so all errors are shown together.

use crate::diag::{Diagnostic, Diagnostics, Span};
use std::cell::RefCell;
use std::collections::BTreeSet;
use toml::de::{DeArray, DeTable, DeValue};
use toml::Spanned;

// Name matching is shared with `#[hid_report]` (which builds without this module).
pub use crate::names::{did_you_mean, normalize_name};

pub const SYNTAX: &str = "UD0001";
pub const UNKNOWN_KEY: &str = "UD0002";
pub const WRONG_TYPE: &str = "UD0003";
pub const OUT_OF_RANGE: &str = "UD0004";
pub const MISSING_KEY: &str = "UD0005";
pub const UNKNOWN_NAME: &str = "UD0006";
pub const BAD_VALUE: &str = "UD0007";
/// More keys, values and array elements than [`budget::MAX_TOML_NODES`].
pub const TOO_MANY_NODES: &str = "UD0008";

pub mod budget;

fn sp<T>(s: &Spanned<T>) -> Span {
    let r = s.span();
    Span::new(r.start, r.end)
}

/// Parse a TOML document. A syntax error becomes a `UD0001` diagnostic at its position.
/// Texts over the node budget are refused before parsing ([`budget`], `UD0008`).
pub fn parse(text: &str) -> Result<Spanned<DeTable<'_>>, Diagnostic> {
    budget::check(text)?;
    DeTable::parse(text).map_err(|e| {
        let span = e.span().map(|r| Span::new(r.start, r.end.max(r.start)));
        Diagnostic::error(SYNTAX, format!("TOML syntax error: {}", e.message()))
            .at(span)
            .help("see https://toml.io for the TOML syntax")
    })
}

/// A table being read. Keys read through it are remembered; [`Table::finish`] reports the rest.
pub struct Table<'a, 'i> {
    table: &'a DeTable<'i>,
    span: Span,
    /// Dotted path for messages, e.g. `configuration[0].interface[1]`.
    path: String,
    used: RefCell<BTreeSet<String>>,
}

impl<'a, 'i> Table<'a, 'i> {
    pub fn new(table: &'a DeTable<'i>, span: Span, path: impl Into<String>) -> Self {
        Table { table, span, path: path.into(), used: RefCell::new(BTreeSet::new()) }
    }
    pub fn root(doc: &'a Spanned<DeTable<'i>>) -> Self {
        Table::new(doc.get_ref(), sp(doc), "")
    }
    pub fn span(&self) -> Span {
        self.span
    }
    pub fn path(&self) -> &str {
        &self.path
    }
    fn child_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{}", self.path, key)
        }
    }
    pub fn contains(&self, key: &str) -> bool {
        self.table.contains_key(key)
    }
    /// All keys present (for tables whose keys are data, e.g. string languages).
    pub fn keys(&self) -> Vec<(String, Span)> {
        self.table.iter().map(|(k, _)| (k.get_ref().to_string(), sp(k))).collect()
    }
    /// Span of a key (the key text itself), if present.
    pub fn key_span(&self, key: &str) -> Option<Span> {
        self.table.iter().find(|(k, _)| k.get_ref() == key).map(|(k, _)| sp(k))
    }
    /// Get a value if present, marking the key as known.
    pub fn get(&self, key: &str) -> Option<Value<'a, 'i>> {
        self.used.borrow_mut().insert(key.to_string());
        self.table.get(key).map(|v| Value { v, path: self.child_path(key) })
    }
    /// Get a required value; a missing key is reported at the table.
    pub fn require(&self, key: &str, d: &mut Diagnostics) -> Option<Value<'a, 'i>> {
        let v = self.get(key);
        if v.is_none() {
            d.push(
                Diagnostic::error(MISSING_KEY, format!("missing key `{}`", self.child_path(key)))
                    .at(self.span)
                    .help(format!("add `{key} = ...` to this table")),
            );
        }
        v
    }
    /// Optional sub-table.
    pub fn table(&self, key: &str, d: &mut Diagnostics) -> Option<Table<'a, 'i>> {
        self.get(key).and_then(|v| v.table(d))
    }
    /// Optional array of tables (`[[key]]`); a single table is accepted as an array of one.
    pub fn tables(&self, key: &str, d: &mut Diagnostics) -> Vec<Table<'a, 'i>> {
        match self.get(key) {
            None => Vec::new(),
            Some(v) => v.tables(d),
        }
    }
    /// Report every key that was never read, with a "did you mean" hint drawn from `known`
    /// (plus the keys that were read).
    pub fn finish(&self, known: &[&str], d: &mut Diagnostics) {
        let used = self.used.borrow();
        for (k, _) in self.table.iter() {
            let key = k.get_ref();
            if used.contains(key.as_ref()) || known.contains(&key.as_ref()) {
                continue;
            }
            if d.is_full() {
                // Only counted: skip the suggestion search.
                d.push(Diagnostic::error(UNKNOWN_KEY, String::new()));
                continue;
            }
            let mut cands: Vec<&str> = known.to_vec();
            cands.extend(used.iter().map(|s| s.as_str()));
            let mut diag = Diagnostic::error(UNKNOWN_KEY, format!("unknown key `{}`", self.child_path(key)))
                .at_labeled(sp(k), "not a known key here");
            diag = match did_you_mean(key, cands.iter().copied()) {
                Some(s) => diag.help(format!("did you mean `{s}`?")),
                None => {
                    let mut all: Vec<&str> = cands.clone();
                    all.sort();
                    all.dedup();
                    diag.help(format!("known keys here: {}", all.join(", ")))
                }
            };
            d.push(diag);
        }
    }
}

/// A value with its span and dotted path.
#[derive(Clone)]
pub struct Value<'a, 'i> {
    v: &'a Spanned<DeValue<'i>>,
    path: String,
}

impl<'a, 'i> Value<'a, 'i> {
    pub fn span(&self) -> Span {
        sp(self.v)
    }
    pub fn raw(&self) -> &'a DeValue<'i> {
        self.v.get_ref()
    }
    pub fn path(&self) -> &str {
        &self.path
    }
    pub fn type_str(&self) -> &'static str {
        self.v.get_ref().type_str()
    }
    fn wrong_type(&self, expected: &str, d: &mut Diagnostics) {
        d.push(
            Diagnostic::error(
                WRONG_TYPE,
                format!("`{}` must be {expected}, found {}", self.path, self.type_str()),
            )
            .at(self.span())
            .help(format!("write {expected} here")),
        );
    }
    pub fn is_str(&self) -> bool {
        self.v.get_ref().is_str()
    }
    pub fn is_int(&self) -> bool {
        self.v.get_ref().is_integer()
    }
    pub fn is_table(&self) -> bool {
        self.v.get_ref().is_table()
    }
    pub fn is_array(&self) -> bool {
        self.v.get_ref().is_array()
    }
    /// Integer (any TOML radix) as i128, so that u32 and i32 ranges can both be checked exactly.
    pub fn int(&self, d: &mut Diagnostics) -> Option<i128> {
        match self.v.get_ref() {
            DeValue::Integer(i) => {
                let s: String = i.as_str().chars().filter(|c| *c != '_').collect();
                let (neg, body) = match s.strip_prefix('-') {
                    Some(b) => (true, b.to_string()),
                    None => (false, s.trim_start_matches('+').to_string()),
                };
                let radix = i.radix();
                // toml gives the digits without the radix prefix; strip one only if present.
                let body = match radix {
                    16 => body.strip_prefix("0x").map(str::to_string).unwrap_or(body),
                    8 => body.strip_prefix("0o").map(str::to_string).unwrap_or(body),
                    2 => body.strip_prefix("0b").map(str::to_string).unwrap_or(body),
                    _ => body,
                };
                match i128::from_str_radix(&body, radix) {
                    Ok(n) => Some(if neg { -n } else { n }),
                    Err(_) => {
                        d.push(Diagnostic::error(OUT_OF_RANGE, format!("`{}`: integer too large", self.path)).at(self.span()));
                        None
                    }
                }
            }
            _ => {
                self.wrong_type("an integer", d);
                None
            }
        }
    }
    /// Integer within `lo..=hi`.
    pub fn int_in(&self, lo: i128, hi: i128, d: &mut Diagnostics) -> Option<i128> {
        let n = self.int(d)?;
        if n < lo || n > hi {
            d.push(
                Diagnostic::error(OUT_OF_RANGE, format!("`{}` = {n} is out of range", self.path))
                    .at_labeled(self.span(), format!("must be in {lo}..={hi}"))
                    .help(format!("use a value from {lo} to {hi} ({:#x} to {:#x})", lo, hi)),
            );
            return None;
        }
        Some(n)
    }
    pub fn u8(&self, d: &mut Diagnostics) -> Option<u8> {
        self.int_in(0, 0xff, d).map(|n| n as u8)
    }
    pub fn u16(&self, d: &mut Diagnostics) -> Option<u16> {
        self.int_in(0, 0xffff, d).map(|n| n as u16)
    }
    pub fn u32(&self, d: &mut Diagnostics) -> Option<u32> {
        self.int_in(0, 0xffff_ffff, d).map(|n| n as u32)
    }
    /// A BCD version: text such as "2.0", "2.01", "1.11" (see [`crate::names::parse_bcd`]) or an integer
    /// such as 0x0200. The one reader for every `bcd*` / `usb` / `version` key.
    pub fn bcd(&self, d: &mut Diagnostics) -> Option<u16> {
        if !self.is_str() {
            return self.u16(d);
        }
        let s = self.str(d)?;
        let r = crate::names::parse_bcd(s);
        if r.is_none() {
            d.push(
                Diagnostic::error(BAD_VALUE, format!("`{}`: \"{s}\" is not a version number", self.path))
                    .at(self.span())
                    .help("write a BCD version such as \"2.0\", \"2.01\" or \"1.11\", or an integer such as 0x0200"),
            );
        }
        r
    }
    pub fn bool(&self, d: &mut Diagnostics) -> Option<bool> {
        match self.v.get_ref().as_bool() {
            Some(b) => Some(b),
            None => {
                self.wrong_type("a boolean", d);
                None
            }
        }
    }
    pub fn str(&self, d: &mut Diagnostics) -> Option<&'a str> {
        match self.v.get_ref() {
            DeValue::String(s) => Some(s.as_ref()),
            _ => {
                self.wrong_type("a string", d);
                None
            }
        }
    }
    /// A value given by name (case-insensitive, `-`/`_`/space equivalent) or as a number in `lo..=hi`.
    pub fn name_or_int(&self, names: &[(&str, i128)], lo: i128, hi: i128, d: &mut Diagnostics) -> Option<i128> {
        match self.v.get_ref() {
            DeValue::String(s) => {
                let key = normalize_name(s);
                if let Some((_, n)) = names.iter().find(|(name, _)| normalize_name(name) == key) {
                    return Some(*n);
                }
                let mut diag = Diagnostic::error(UNKNOWN_NAME, format!("`{}`: unknown name \"{}\"", self.path, s))
                    .at_labeled(self.span(), "not a known name");
                diag = match did_you_mean(s, names.iter().map(|(n, _)| *n)) {
                    Some(m) => diag.help(format!("did you mean \"{m}\"? (a number in {lo}..={hi} is also accepted)")),
                    None => diag.help(format!(
                        "use one of: {} (or a number in {lo}..={hi})",
                        names.iter().map(|(n, _)| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
                    )),
                };
                d.push(diag);
                None
            }
            DeValue::Integer(_) => self.int_in(lo, hi, d),
            _ => {
                self.wrong_type("a name (string) or an integer", d);
                None
            }
        }
    }
    pub fn table(&self, d: &mut Diagnostics) -> Option<Table<'a, 'i>> {
        match self.v.get_ref() {
            DeValue::Table(t) => Some(Table::new(t, self.span(), self.path.clone())),
            _ => {
                self.wrong_type("a table", d);
                None
            }
        }
    }
    pub fn array(&self, d: &mut Diagnostics) -> Option<Vec<Value<'a, 'i>>> {
        match self.v.get_ref() {
            DeValue::Array(a) => Some(array_values(a, &self.path)),
            _ => {
                self.wrong_type("an array", d);
                None
            }
        }
    }
    /// Array of tables; a lone table counts as an array of one.
    pub fn tables(&self, d: &mut Diagnostics) -> Vec<Table<'a, 'i>> {
        match self.v.get_ref() {
            DeValue::Table(t) => vec![Table::new(t, self.span(), self.path.clone())],
            DeValue::Array(a) => {
                let mut out = Vec::new();
                for (i, item) in a.iter().enumerate() {
                    match item.get_ref() {
                        DeValue::Table(t) => out.push(Table::new(t, sp(item), format!("{}[{}]", self.path, i))),
                        other => d.push(
                            Diagnostic::error(WRONG_TYPE, format!("`{}[{i}]` must be a table, found {}", self.path, other.type_str()))
                                .at(sp(item))
                                .help("write a table `{ ... }` or use `[[...]]` sections"),
                        ),
                    }
                }
                out
            }
            _ => {
                self.wrong_type("a table or an array of tables", d);
                Vec::new()
            }
        }
    }
    /// A byte string given as an array of integers 0..=255 or a hex string ("01 02 ff" / "0102ff").
    pub fn bytes(&self, d: &mut Diagnostics) -> Option<Vec<u8>> {
        self.bytes_spanned(d).map(|(b, _)| b)
    }
    /// [`Self::bytes`] with each byte's place in the source: its array element, or its hex pair
    /// when the string is written without escapes (otherwise the whole string).
    pub fn bytes_spanned(&self, d: &mut Diagnostics) -> Option<(Vec<u8>, Vec<Span>)> {
        match self.v.get_ref() {
            DeValue::Array(_) => {
                let items = self.array(d)?;
                let (mut out, mut spans) = (Vec::with_capacity(items.len()), Vec::with_capacity(items.len()));
                let mut ok = true;
                for it in items {
                    match it.u8(d) {
                        Some(b) => {
                            out.push(b);
                            spans.push(it.span());
                        }
                        None => ok = false,
                    }
                }
                ok.then_some((out, spans))
            }
            DeValue::String(s) => {
                // Borrowed text is the literal's content verbatim (no escapes), ending before the
                // closing quote(s): source offsets are known. Otherwise point at the whole string.
                let whole = self.span();
                let base = match s {
                    std::borrow::Cow::Borrowed(c) if whole.len() >= c.len() + 2 => {
                        let quotes = if whole.len() == c.len() + 2 { 1 } else { 3 };
                        Some(whole.end.saturating_sub(quotes + c.len()))
                    }
                    _ => None,
                };
                let at = |r: Span| base.map(|b| Span::new(b + r.start, b + r.end)).unwrap_or(whole);
                match parse_hex_bytes_spanned(s) {
                    Ok((b, pos)) => Some((b, pos.into_iter().map(at).collect())),
                    Err((msg, place)) => {
                        d.push(
                            Diagnostic::error(BAD_VALUE, format!("`{}`: {msg}", self.path))
                                .at(at(place))
                                .help("write bytes as hex pairs, e.g. \"06 00 ff\", or as an array of integers"),
                        );
                        None
                    }
                }
            }
            _ => {
                self.wrong_type("bytes (an array of integers or a hex string)", d);
                None
            }
        }
    }
}

fn array_values<'a, 'i>(a: &'a DeArray<'i>, path: &str) -> Vec<Value<'a, 'i>> {
    a.iter().enumerate().map(|(i, v)| Value { v, path: format!("{path}[{i}]") }).collect()
}

/// Parse "06 00 ff", "0600ff" or "06,00,ff" (optionally with `0x` prefixes) into bytes.
pub fn parse_hex_bytes(s: &str) -> Result<Vec<u8>, String> {
    parse_hex_bytes_spanned(s).map(|(b, _)| b).map_err(|(msg, _)| msg)
}

/// [`parse_hex_bytes`] with each byte's range in `s`; an error names the range of the bad token.
pub fn parse_hex_bytes_spanned(s: &str) -> Result<(Vec<u8>, Vec<Span>), (String, Span)> {
    let (mut out, mut spans) = (Vec::new(), Vec::new());
    let mut start = None;
    for (i, c) in s.char_indices().chain([(s.len(), ' ')]) {
        let sep = c.is_whitespace() || c == ',';
        match (sep, start) {
            (false, None) => start = Some(i),
            (true, Some(st)) => {
                start = None;
                let tok = &s[st..i];
                let digits = tok.trim_start_matches("0x").trim_start_matches("0X");
                let first = st + (tok.len() - digits.len());
                if digits.len() % 2 != 0 {
                    return Err((format!("odd number of hex digits in \"{digits}\""), Span::new(st, i)));
                }
                for k in (0..digits.len()).step_by(2) {
                    let place = Span::new(first + k, first + k + 2);
                    let pair = digits.get(k..k + 2).ok_or_else(|| (format!("invalid hex \"{digits}\""), Span::new(st, i)))?;
                    out.push(u8::from_str_radix(pair, 16).map_err(|_| (format!("invalid hex \"{pair}\""), place))?);
                    spans.push(place);
                }
            }
            _ => {}
        }
    }
    Ok((out, spans))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn integers_in_every_radix() {
        let doc = parse("a = 0x41\nb = 0o17\nc = 0b101\nd = -12\ne = 1_000").unwrap();
        let t = Table::root(&doc);
        let mut d = Diagnostics::new();
        let get = |k: &str, d: &mut Diagnostics| t.get(k).unwrap().int(d);
        assert_eq!(get("a", &mut d), Some(0x41));
        assert_eq!(get("b", &mut d), Some(0o17));
        assert_eq!(get("c", &mut d), Some(5));
        assert_eq!(get("d", &mut d), Some(-12));
        assert_eq!(get("e", &mut d), Some(1000));
        assert!(d.is_empty());
    }
}
