//! Input sniffing and loading, shared by the CLI and tests: one function turns the bytes of any
//! supported file into a checked model with diagnostics in source coordinates.
//!
//! Recognised inputs:
//! - a TOML device description (`[device]`, `[[configuration]]`);
//! - a standalone TOML HID report document (a top-level `[report]` table);
//! - a binary blob: the sysfs `descriptors` layout (18-byte device descriptor followed by the
//!   configuration descriptors) or a HID report descriptor (e.g. sysfs `report_descriptor`);
//! - the same bytes as hex text (`# comment` lines, then hex pairs separated by spaces or commas,
//!   optional `0x` prefixes), the corpus format;
//! - hid-tools / hid-recorder output: the `R: <length> <hex bytes>` line.
//!
//! Never panics. Bad input is a diagnostic with a stable code (`UD01xx`).

use crate::diag::{Diagnostic, Diagnostics, Source, Span};
use crate::hid::{AttachContext, ReportDescriptor};
use crate::model::Device;

/// The input is empty (or holds only whitespace and comments).
pub const EMPTY: &str = "UD0101";
/// The input is larger than [`MAX_INPUT_BYTES`].
pub const TOO_LARGE: &str = "UD0102";
/// The input is none of the recognised formats.
pub const UNKNOWN_FORMAT: &str = "UD0103";
/// Hex text or an `R:` line that does not parse.
pub const BAD_HEX: &str = "UD0104";

/// Text (TOML, hex) that is not valid UTF-8.
pub const NOT_UTF8: &str = "UD0105";

/// Longest report descriptor: the HID descriptor's wDescriptorLength is 16 bits.
pub const MAX_REPORT_DESCRIPTOR: usize = crate::hid::MAX_DESCRIPTOR_BYTES;

/// Largest input accepted (descriptors are at most a few 64 KiB configurations).
pub const MAX_INPUT_BYTES: usize = 4 * 1024 * 1024;

/// How the input is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Encoding {
    Toml,
    Binary,
    HexText,
    /// hid-tools `R:` line.
    HidRecorder,
}

/// What the input describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Kind {
    /// A whole device: device descriptor and configurations.
    Device,
    /// A HID report descriptor.
    Report,
}

/// A sniffed input.
#[derive(Clone, Debug)]
pub struct Input {
    pub name: String,
    pub encoding: Encoding,
    pub kind: Kind,
    /// The text of a text input (TOML, hex text, `R:` lines).
    pub text: Option<String>,
    /// Descriptor bytes of a blob input (empty for TOML).
    pub bytes: Vec<u8>,
    /// For hex text: the text range of each byte.
    positions: Vec<Span>,
}

impl Input {
    /// The source diagnostics are rendered against: the text itself, or a hex view of binary
    /// bytes (16 bytes a line, `xx ` each).
    pub fn source(&self) -> Source {
        match &self.text {
            Some(t) => Source::new(self.name.clone(), t.clone()),
            None => Source::new(format!("{} (hex view)", self.name), hex_lines(&self.bytes)),
        }
    }

    /// Map a byte range of the blob to a range of [`Input::source`].
    pub fn byte_span(&self, s: Span) -> Span {
        if self.encoding == Encoding::Toml {
            return s;
        }
        let pos = |i: usize| -> Span {
            if self.text.is_some() {
                match self.positions.get(i).or(self.positions.last()) {
                    Some(p) => *p,
                    None => Span::new(0, 0),
                }
            } else {
                let at = (i / 16) * 48 + (i % 16) * 3;
                Span::new(at, at + 2)
            }
        };
        if s.is_empty() {
            let p = pos(s.start);
            return if s.start >= self.bytes.len() { Span::new(p.end, p.end) } else { Span::new(p.start, p.start) };
        }
        Span::new(pos(s.start).start, pos(s.end - 1).end)
    }

    /// A blob diagnostic with its spans moved into source coordinates.
    pub fn remap(&self, mut d: Diagnostic) -> Diagnostic {
        d.span = d.span.map(|s| self.byte_span(s));
        for l in d.labels.iter_mut() {
            l.span = self.byte_span(l.span);
        }
        d
    }
}

/// Bytes as lines of 16 hex pairs (the corpus `.hex` layout); lives in the leaf [`crate::spec`].
pub use crate::spec::hex_lines;

fn err(code: &'static str, msg: impl Into<String>) -> Diagnostic {
    Diagnostic::error(code, msg)
}

const FORMATS_HELP: &str = "usbdesc reads a TOML device or `[report]` document, a binary descriptor blob \
(sysfs `descriptors` or `report_descriptor`), the same bytes as hex text, or a hid-tools `R:` line";

/// Recognise the format of `data` and extract its bytes or text.
pub fn sniff(name: &str, data: &[u8]) -> Result<Input, Diagnostic> {
    if data.len() > MAX_INPUT_BYTES {
        return Err(err(TOO_LARGE, format!("input is larger than the {} byte limit", MAX_INPUT_BYTES))
            .help("descriptor files are small: a configuration is at most 65535 bytes; is this the right file?"));
    }
    let text = std::str::from_utf8(data).ok().filter(|t| t.chars().all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t')));
    let Some(text) = text else {
        if data.is_empty() {
            return Err(empty());
        }
        if let Some(e) = broken_utf8_text(data) {
            return Err(e);
        }
        return classify(name, Encoding::Binary, None, data.to_vec(), Vec::new());
    };
    let meaningful = text.lines().map(str::trim).any(|l| !l.is_empty() && !l.starts_with('#'));
    if !meaningful {
        return Err(empty());
    }
    if let Some((bytes, positions)) = recorder_line(text)? {
        let input = Input { name: name.into(), encoding: Encoding::HidRecorder, kind: Kind::Report, text: Some(text.into()), bytes, positions };
        return Ok(input);
    }
    if let Some((bytes, positions)) = hex_text(text) {
        return classify(name, Encoding::HexText, Some(text.into()), bytes, positions);
    }
    let kind = match crate::tomlr::parse(text) {
        Ok(doc) => {
            let t = doc.get_ref();
            if t.contains_key("report") && !t.contains_key("device") && !t.contains_key("configuration") {
                Kind::Report
            } else {
                Kind::Device
            }
        }
        // Text that reads like TOML gets the TOML syntax error from the front end.
        Err(_) if looks_like_toml(text) => Kind::Device,
        Err(_) => {
            return Err(err(UNKNOWN_FORMAT, "unrecognised input: not TOML, hex text, an `R:` line or a descriptor blob")
                .help(FORMATS_HELP))
        }
    };
    Ok(Input { name: name.into(), encoding: Encoding::Toml, kind, text: Some(text.into()), bytes: Vec::new(), positions: Vec::new() })
}

/// Text that turns binary only at a byte sequence that is not UTF-8 (a TOML file saved as
/// Latin-1, say): everything before it is text that reads like TOML, with no control characters.
/// A descriptor blob starts with a length byte, a control character, so it never gets here.
fn broken_utf8_text(data: &[u8]) -> Option<Diagnostic> {
    let e = std::str::from_utf8(data).err()?;
    let at = e.valid_up_to();
    let before = std::str::from_utf8(&data[..at]).ok()?;
    let texty = |c: char| !c.is_control() || matches!(c, '\n' | '\r' | '\t');
    if before.is_empty() || !before.chars().all(texty) || !looks_like_toml(before) {
        return None;
    }
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map(|l| l.chars().count() + 1).unwrap_or(1);
    Some(
        err(NOT_UTF8, format!("the text is not UTF-8: byte 0x{:02x} at line {line}, column {col} (byte offset {at})", data[at]))
            .at_labeled(Span::new(at, at + '\u{FFFD}'.len_utf8()), "not UTF-8")
            .help("TOML files are UTF-8: save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)"),
    )
}

fn empty() -> Diagnostic {
    err(EMPTY, "input is empty").help(FORMATS_HELP)
}

fn looks_like_toml(text: &str) -> bool {
    text.lines().map(str::trim).any(|l| l.starts_with('[') || l.contains('='))
}

/// Whether a byte can start a HID report descriptor: a short Global or Local item, or a long item.
fn hid_start(b: u8) -> bool {
    b == 0xFE || matches!(b & 0x0c, 0x04 | 0x08)
}

fn classify(name: &str, encoding: Encoding, text: Option<String>, bytes: Vec<u8>, positions: Vec<Span>) -> Result<Input, Diagnostic> {
    let kind = match bytes.as_slice() {
        [] => return Err(empty()),
        [18, 0x01, ..] => Kind::Device,
        b if b.len() >= 18 && crate::decode::device_start(b) => Kind::Device,
        [9, 0x02, ..] => {
            return Err(err(UNKNOWN_FORMAT, "a configuration descriptor without the device descriptor before it")
                .at(Span::new(0, 2))
                .help("prepend the 18-byte device descriptor (the sysfs `descriptors` layout: device descriptor, then configurations)"))
        }
        [b, ..] if hid_start(*b) => Kind::Report,
        [b, ..] => {
            return Err(err(
                UNKNOWN_FORMAT,
                format!("binary data starting with byte 0x{b:02x} is neither a device descriptor (12 01 ...) nor a HID report descriptor"),
            )
            .help(FORMATS_HELP))
        }
    };
    Ok(Input { name: name.into(), encoding, kind, text, bytes, positions })
}

/// The bytes of hex text (`#` comment lines, then hex pairs separated by white space or commas,
/// optional `0x`): the format of the corpus `.hex` files and of `usbdesc`'s hex input. `None` if
/// any token is not hex.
pub fn hex_text_bytes(text: &str) -> Option<Vec<u8>> {
    hex_text(text).map(|(bytes, _)| bytes)
}

/// Hex text: every non-comment token is a run of hex pairs (optional `0x`). `None` if not hex.
fn hex_text(text: &str) -> Option<(Vec<u8>, Vec<Span>)> {
    let mut bytes = Vec::new();
    let mut pos = Vec::new();
    let mut line_start = 0usize;
    for line in text.split_inclusive('\n') {
        let body = line.trim_start();
        if !body.starts_with('#') {
            for (off, tok) in tokens(line, |c| c.is_whitespace() || c == ',') {
                let at = line_start + off;
                let (digits, skip) = match tok.strip_prefix("0x").or_else(|| tok.strip_prefix("0X")) {
                    Some(d) => (d, 2),
                    None => (tok, 0),
                };
                if digits.is_empty() || digits.len() % 2 != 0 || !digits.bytes().all(|c| c.is_ascii_hexdigit()) {
                    return None;
                }
                for k in (0..digits.len()).step_by(2) {
                    bytes.push(u8::from_str_radix(&digits[k..k + 2], 16).ok()?);
                    let s = at + skip + k;
                    pos.push(Span::new(s, s + 2));
                }
            }
        }
        line_start += line.len();
    }
    Some((bytes, pos))
}

/// Non-empty tokens of `s` split at `sep`, with their byte offsets.
fn tokens(s: &str, sep: impl Fn(char) -> bool) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (sep(c), start) {
            (true, Some(st)) => {
                out.push((st, &s[st..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push((st, &s[st..]));
    }
    out
}

/// The first `R: <length> <hex>` line (hid-tools `hid-recorder` output), if any.
fn recorder_line(text: &str) -> Result<Option<(Vec<u8>, Vec<Span>)>, Diagnostic> {
    let mut line_start = 0usize;
    for line in text.split_inclusive('\n') {
        let Some(rest) = line.strip_prefix("R:") else {
            line_start += line.len();
            continue;
        };
        let line_span = Span::new(line_start, line_start + line.trim_end().len());
        let bad = |msg: String| {
            err(BAD_HEX, msg)
                .at(line_span)
                .help("an `R:` line is `R: <number of bytes> <bytes as hex pairs>`, as hid-recorder prints it")
        };
        let toks = tokens(rest, char::is_whitespace);
        let count: usize = match toks.first().map(|(_, t)| t.parse()) {
            Some(Ok(n)) => n,
            _ => return Err(bad("`R:` line without a byte count".into())),
        };
        let mut bytes = Vec::new();
        let mut pos = Vec::new();
        for (off, tok) in toks.into_iter().skip(1) {
            let at = 2 + off;
            if tok.len() != 2 || !tok.bytes().all(|c| c.is_ascii_hexdigit()) {
                return Err(bad(format!("`R:` line: \"{tok}\" is not a hex byte")));
            }
            bytes.push(u8::from_str_radix(tok, 16).unwrap_or(0));
            pos.push(Span::new(line_start + at, line_start + at + 2));
        }
        if bytes.len() != count {
            return Err(bad(format!("`R:` line announces {count} bytes but holds {}", bytes.len())));
        }
        if bytes.is_empty() {
            return Err(empty());
        }
        return Ok(Some((bytes, pos)));
    }
    Ok(None)
}

/// A loaded model.
#[derive(Clone, Debug)]
pub enum Model {
    Device(Box<Device>),
    Report(ReportDescriptor),
}

/// An input with its model (when it could be built) and every diagnostic, spans in `source`.
#[derive(Debug)]
pub struct Loaded {
    /// `None` when the input could not even be recognised.
    pub input: Option<Input>,
    pub source: Source,
    pub model: Option<Model>,
    pub diagnostics: Diagnostics,
}

impl Loaded {
    pub fn render(&self, color: bool) -> String {
        crate::diag::render(&self.diagnostics.sorted(), &self.source, color) + &self.diagnostics.dropped_note()
    }
}

/// Diagnostics that do not apply to a blob, which is judged only by what it holds: the sysfs
/// layout carries no string descriptors, holds only the configuration of the speed the device
/// runs at (its other-speed configuration is not in it, so UD5302 would judge a made-up one), and
/// names no controller (the profile rules would judge the decoder's guessed generic target).
const BLOB_EXEMPT: &[&str] = &[
    crate::check::codes::MISSING_STRING,
    crate::check::codes::OTHER_SPEED,
    crate::check::codes::PROFILE_ENDPOINT_NUMBER,
    crate::check::codes::PROFILE_MAX_PACKET,
    crate::check::codes::PROFILE_ENDPOINT_BUFFER,
    crate::check::codes::PROFILE_BUFFER_POOL,
    crate::check::codes::PROFILE_CONFIGURATION,
];

/// Sniff, parse or decode, and check an input.
pub fn load(name: &str, data: &[u8]) -> Loaded {
    let input = match sniff(name, data) {
        Ok(i) => i,
        Err(e) => {
            let mut d = Diagnostics::new();
            let text = std::str::from_utf8(data).ok().filter(|t| !t.contains('\0'));
            if e.code == NOT_UTF8 {
                // Shown as text with the bad bytes replaced (the text before them is unchanged).
                d.push(e);
                return Loaded { input: None, source: Source::new(name, String::from_utf8_lossy(data)), model: None, diagnostics: d };
            }
            let source = match (text, e.span) {
                (_, None) => Source::new(name, ""),
                (Some(t), _) => Source::new(name, t),
                // Binary: show the first bytes as a hex view, the span moved onto their pairs.
                (None, Some(_)) => {
                    let view = Input {
                        name: name.into(),
                        encoding: Encoding::Binary,
                        kind: Kind::Device,
                        text: None,
                        bytes: data[..data.len().min(256)].to_vec(),
                        positions: Vec::new(),
                    };
                    let e2 = view.remap(e.clone());
                    d.push(e2);
                    return Loaded { input: None, source: view.source(), model: None, diagnostics: d };
                }
            };
            d.push(e);
            return Loaded { input: None, source, model: None, diagnostics: d };
        }
    };
    let source = input.source();
    let mut d = Diagnostics::new();
    let model = match (input.encoding, input.kind) {
        (Encoding::Toml, Kind::Device) => {
            let c = crate::compile_str(name, input.text.as_deref().unwrap_or(""));
            d = c.diagnostics;
            c.device.map(|x| Model::Device(Box::new(x)))
        }
        (Encoding::Toml, Kind::Report) => report_document(input.text.as_deref().unwrap_or(""), &mut d).map(Model::Report),
        (_, Kind::Device) => match crate::decode::decode_blob(&input.bytes) {
            Ok(dev) => {
                let mut all = Diagnostics::new();
                crate::check::run(&dev, &mut all);
                crate::check::blob::check(&input.bytes, &mut all);
                d.extend(all.map(|x| (!BLOB_EXEMPT.contains(&x.code)).then(|| input.remap(x))));
                Some(Model::Device(Box::new(dev)))
            }
            Err(e) => {
                d.push(input.remap(crate::check::linux::decode_note(e)));
                None
            }
        },
        (_, Kind::Report) if input.bytes.len() > MAX_REPORT_DESCRIPTOR => {
            let len = input.bytes.len();
            d.push(input.remap(
                Diagnostic::error(
                    crate::codes::LENGTH_OVERFLOW,
                    format!("the HID report descriptor is {len} bytes long; its length field holds at most {MAX_REPORT_DESCRIPTOR}"),
                )
                .at(Span::new(MAX_REPORT_DESCRIPTOR, MAX_REPORT_DESCRIPTOR + 1))
                .help("a HID descriptor gives the report descriptor's length in 16 bits (wDescriptorLength): is this the right file?"),
            ));
            None
        }
        (_, Kind::Report) => {
            let (r, all) = lint_report_bytes(&input.bytes);
            d.extend(all.map(|x| Some(input.remap(x))));
            r.map(Model::Report)
        }
    };
    let model = if d.has_errors() && matches!(input.encoding, Encoding::Toml) { None } else { model };
    Loaded { input: Some(input), source, model, diagnostics: d }
}

/// A binary report descriptor as `usbdesc lint` judges it: decoded, then every HID lint with no
/// interface context (spans are byte ranges of `bytes`). `None` when it does not decode.
pub fn lint_report_bytes(bytes: &[u8]) -> (Option<ReportDescriptor>, Diagnostics) {
    let mut all = Diagnostics::new();
    match ReportDescriptor::decode(bytes) {
        Ok(r) => {
            r.check(&AttachContext::default(), &mut all);
            (Some(r), all)
        }
        Err(e) => {
            all.push(e);
            (None, all)
        }
    }
}

/// Read a standalone report document: a top-level `[report]` table (field form, item form or
/// bytes), checked by the HID lints. Codes listed in an optional top-level `allow = [...]` are
/// reported as warnings, as in device files.
pub fn report_document(text: &str, d: &mut Diagnostics) -> Option<ReportDescriptor> {
    report_document_for(text, &AttachContext::default(), d)
}

/// [`report_document`], linted as if attached to an interface with `ctx` (its endpoint sizes).
pub fn report_document_for(text: &str, ctx: &AttachContext, d: &mut Diagnostics) -> Option<ReportDescriptor> {
    let doc = match crate::tomlr::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            d.push(e);
            return None;
        }
    };
    let root = crate::tomlr::Table::root(&doc);
    let mut local = Diagnostics::new();
    let allow: Vec<String> = match root.get("allow").and_then(|v| v.array(&mut local)) {
        Some(items) => items.iter().filter_map(|v| v.str(&mut local).map(str::to_string)).collect(),
        None => Vec::new(),
    };
    let r = root.table("report", &mut local).and_then(|t| ReportDescriptor::from_toml(&t, &mut local));
    root.finish(&["report", "allow"], &mut local);
    if let Some(r) = &r {
        r.check(ctx, &mut local);
    }
    d.extend(crate::check::apply_allow(&allow, local));
    if d.has_errors() {
        return None;
    }
    r
}

/// A report descriptor as a standalone `[report]` document that [`report_document`] reads back to
/// the same bytes; the lint errors the descriptor has are listed in `allow`.
pub fn report_document_text(r: &ReportDescriptor, comment: &str) -> String {
    // Lint the document as it will be read back: in the field form when `to_toml` writes one,
    // where the rules shipping devices break harmlessly (UD4123, ...) are errors, not warnings.
    let allow = r.written_form_errors();
    let mut doc = ::toml::Table::new();
    if !allow.is_empty() {
        doc.insert("allow".into(), ::toml::Value::Array(allow.iter().map(|a| ::toml::Value::String(a.to_string())).collect()));
    }
    doc.insert("report".into(), ::toml::Value::Table(r.to_toml()));
    let mut out = String::new();
    for l in comment.lines() {
        out.push_str("# ");
        out.push_str(l);
        out.push('\n');
    }
    if !allow.is_empty() {
        out.push_str("# lint errors these bytes have (reported as warnings):\n");
    }
    out.push_str(&crate::hid::toml::tidy(&doc.to_string()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_text_positions_point_at_the_pairs() {
        let i = sniff("x.hex", b"# c\n12 01, 0x0002\n").unwrap();
        assert_eq!(i.encoding, Encoding::HexText);
        assert_eq!(i.bytes, [0x12, 0x01, 0x00, 0x02]);
        assert_eq!(i.byte_span(Span::new(0, 1)), Span::new(4, 6));
        // "0x0002" starts at 11: "00" is 13..15, "02" is 15..17.
        assert_eq!(i.byte_span(Span::new(2, 4)), Span::new(13, 17));
    }

    #[test]
    fn binary_spans_map_into_the_hex_view() {
        let mut b = vec![0x05, 0x01, 0x09, 0x00];
        b.extend([0u8; 20]);
        b[0] = 0x05;
        let i = sniff("r.bin", &[0x05, 0x01, 0x00, 0xff]).unwrap();
        assert_eq!(i.encoding, Encoding::Binary);
        assert_eq!(i.kind, Kind::Report);
        assert_eq!(i.source().text, "05 01 00 ff\n");
        assert_eq!(i.byte_span(Span::new(3, 4)), Span::new(9, 11));
        let long = sniff("r.bin", &b).unwrap();
        assert_eq!(long.byte_span(Span::new(17, 18)), Span::new(51, 53));
    }

    #[test]
    fn recorder_lines() {
        let i = sniff("r.txt", b"# name\nN: x\nR: 4 05 01 09 02\nI: 3 1 2\n").unwrap();
        assert_eq!((i.encoding, i.kind), (Encoding::HidRecorder, Kind::Report));
        assert_eq!(i.bytes, [5, 1, 9, 2]);
        assert_eq!(sniff("r", b"R: 3 05 01\n").unwrap_err().code, BAD_HEX);
        assert_eq!(sniff("r", b"R: 2 05 zz\n").unwrap_err().code, BAD_HEX);
    }

    #[test]
    fn rejects() {
        assert_eq!(sniff("e", b"").unwrap_err().code, EMPTY);
        assert_eq!(sniff("e", b"  \n# only a comment\n").unwrap_err().code, EMPTY);
        assert_eq!(sniff("g", &[0x00, 0xff, 0x13, 0x80]).unwrap_err().code, UNKNOWN_FORMAT);
        assert_eq!(sniff("c", &[9, 2, 9, 0, 0, 1, 0, 0x80, 50]).unwrap_err().code, UNKNOWN_FORMAT);
        assert_eq!(sniff("t", b"hello world\n").unwrap_err().code, UNKNOWN_FORMAT);
        assert_eq!(sniff("h", &vec![b'0'; MAX_INPUT_BYTES + 1]).unwrap_err().code, TOO_LARGE);
    }

    #[test]
    fn toml_kinds() {
        assert_eq!(sniff("d", b"[device]\nvid = 1\n").unwrap().kind, Kind::Device);
        assert_eq!(sniff("r", b"[report]\nbytes = \"05 01\"\n").unwrap().kind, Kind::Report);
        // Broken TOML still goes to the TOML front end for its syntax error.
        assert_eq!(sniff("b", b"[device\n").unwrap().encoding, Encoding::Toml);
    }
}
