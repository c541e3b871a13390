//! Diagnostics: one collector (serde_derive's `Ctxt` pattern) that every front end and check pushes
//! into, so the user sees every problem at once, each at its own place.
//!
//! Every diagnostic has a stable code (`UDnnnn`), a severity, a message, an optional primary span
//! (byte range into the source it came from), secondary labels and a help line. Rendering (feature `render`,
//! [`render`]) goes through miette so the CLI, tests and snapshots share one renderer.
//!
//! Code families:
//! - `UD0xxx` input front ends (TOML syntax, unknown keys, types, value ranges)
//! - `UD1xxx` numbering and built-in driver offsets
//! - `UD2xxx` USB 2.0 chapter 9 rules
//! - `UD3xxx` controller profiles
//! - `UD4xxx` HID report descriptor items and lints
//! - `UD5xxx` class-specific descriptors (CDC, MIDI, MSC, DFU, BOS, MS OS 2.0)
//! - `UD6xxx` blob decoders (descriptor bytes)
//! - `UD7xxx` macro front end
//! - `UD8xxx` rules Windows enforces and Linux does not (warnings)

use std::fmt;

pub mod linux;
mod lines;
pub use lines::LineIndex;

/// A byte range into a source text (TOML file, Rust attribute text, or a descriptor blob).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl From<std::ops::Range<usize>> for Span {
    fn from(r: std::ops::Range<usize>) -> Self {
        Span::new(r.start, r.end)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Label {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Diagnostic {
    /// Stable code, e.g. `UD2001`.
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Primary location. `None` only when there is truly no source location (e.g. a built-in preset).
    pub span: Option<Span>,
    /// Text shown under the primary caret.
    pub primary_label: Option<String>,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    pub note: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Error, message)
    }
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Warning, message)
    }
    fn new(code: &'static str, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            span: None,
            primary_label: None,
            labels: Vec::new(),
            help: None,
            note: None,
        }
    }
    pub fn at(mut self, span: impl Into<Option<Span>>) -> Self {
        self.span = span.into();
        self
    }
    /// Primary span with a label under the caret.
    pub fn at_labeled(mut self, span: Span, label: impl Into<String>) -> Self {
        self.span = Some(span);
        self.primary_label = Some(label.into());
        self
    }
    /// [`Self::at_labeled`] when there is a span; unchanged without one (items built through the
    /// API have none).
    pub fn at_labeled_opt(self, span: Option<Span>, label: impl Into<String>) -> Self {
        match span {
            Some(s) => self.at_labeled(s, label),
            None => self,
        }
    }
    pub fn label(mut self, span: Option<Span>, message: impl Into<String>) -> Self {
        if let Some(span) = span {
            self.labels.push(Label { span, message: message.into() });
        }
        self
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diagnostic {}

/// Diagnostics a collector keeps; further ones are only counted (per code and severity), so a
/// hostile file with a million problems costs time and memory for [`MAX_KEPT`], and renders as
/// many plus one line saying how many more there are.
pub const MAX_KEPT: usize = 5_000;

/// The collector. Checks push into it and go on; callers look at `has_errors()` at the end.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// Diagnostics past [`MAX_KEPT`]: how many of each code and severity.
    dropped: std::collections::BTreeMap<(&'static str, Severity), usize>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn push(&mut self, d: Diagnostic) {
        if self.is_full() {
            *self.dropped.entry((d.code, d.severity)).or_default() += 1;
        } else {
            self.items.push(d);
        }
    }
    /// Whether further diagnostics are only counted (checks may skip costly help texts then).
    pub fn is_full(&self) -> bool {
        self.items.len() >= MAX_KEPT
    }
    pub fn extend(&mut self, other: Diagnostics) {
        self.absorb_dropped(&other);
        for d in other.items {
            self.push(d);
        }
    }
    fn absorb_dropped(&mut self, other: &Diagnostics) {
        for (k, n) in &other.dropped {
            *self.dropped.entry(*k).or_default() += n;
        }
    }
    /// Each kept diagnostic through `f` (`None` drops it); the counts of diagnostics past
    /// [`MAX_KEPT`] go through `f` as far as their code and severity tell (`f` sees a stand-in).
    pub fn map(self, mut f: impl FnMut(Diagnostic) -> Option<Diagnostic>) -> Diagnostics {
        let mut out = Diagnostics::new();
        for ((code, severity), n) in self.dropped {
            if let Some(x) = f(Diagnostic::new(code, severity, "")) {
                *out.dropped.entry((x.code, x.severity)).or_default() += n;
            }
        }
        for d in self.items {
            if let Some(x) = f(d) {
                out.push(x);
            }
        }
        out
    }
    /// Downgrade errors whose code `allow` lists to warnings with a note saying so (a device
    /// file's or report document's `allow = [...]`, `#[hid_report(allow(...))]`).
    pub fn allowing(self, allow: &[String]) -> Diagnostics {
        if allow.is_empty() {
            return self;
        }
        self.map(|mut x| {
            if x.is_error() && allow.iter().any(|a| a == x.code) {
                x.severity = Severity::Warning;
                x.note = Some(format!("{} is allowed by `allow`", x.code));
            }
            Some(x)
        })
    }
    /// The codes of every error, kept or only counted, sorted and without repeats (what an
    /// `allow` list that silences them all must hold).
    pub fn error_codes(&self) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = self.items.iter().filter(|d| d.is_error()).map(|d| d.code).collect();
        v.extend(self.dropped.keys().filter(|(_, s)| *s == Severity::Error).map(|(c, _)| *c));
        v.sort();
        v.dedup();
        v
    }
    /// Diagnostics past [`MAX_KEPT`] that were counted, not kept.
    pub fn dropped_count(&self) -> usize {
        self.dropped.values().sum()
    }
    fn dropped_of(&self, severity: Severity) -> usize {
        self.dropped.iter().filter(|((_, s), _)| *s == severity).map(|(_, n)| n).sum()
    }
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.is_error()) || self.dropped_of(Severity::Error) > 0
    }
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count() + self.dropped_of(Severity::Error)
    }
    pub fn warning_count(&self) -> usize {
        self.items.iter().filter(|d| !d.is_error()).count() + self.dropped_of(Severity::Warning)
    }
    /// The line renderers end with when diagnostics were counted, not kept (empty otherwise).
    pub fn dropped_note(&self) -> String {
        if self.dropped.is_empty() {
            return String::new();
        }
        let codes: Vec<String> = self.dropped.iter().map(|((c, _), n)| format!("{c} × {n}")).collect();
        format!(
            "note: {} more diagnostic{} not shown (only the first {MAX_KEPT} are kept): {}\n",
            self.dropped_count(),
            if self.dropped_count() == 1 { "" } else { "s" },
            codes.join(", ")
        )
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.dropped.is_empty()
    }
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
    /// Sorted by position (errors without span last), stable otherwise.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by_key(|d| d.span.map(|s| s.start).unwrap_or(usize::MAX));
        v
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// 1-based line and column (in characters) of a byte offset. One lookup scans the text; for many
/// lookups in one text build a [`LineIndex`] once.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(text).line_col(offset)
}

/// The direct scan [`LineIndex`] is tested against.
#[cfg(test)]
fn line_col_scan(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

#[cfg(test)]
fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A named source text, for rendering.
#[derive(Clone, Debug)]
pub struct Source {
    pub name: String,
    pub text: String,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Source { name: name.into(), text: text.into() }
    }
}

/// The rustc-style first line of a diagnostic: `file:line:col: error[CODE]: message` (`file:` alone
/// when it has no span); `lines` indexes `source.text`.
pub fn header(d: &Diagnostic, source: &Source, lines: &LineIndex) -> String {
    let place = match d.span {
        Some(span) => {
            let (line, col) = lines.line_col(span.start);
            format!("{}:{line}:{col}", source.name)
        }
        None => source.name.clone(),
    };
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    format!("{place}: {severity}[{}]: {}\n", d.code, d.message)
}

/// Every diagnostic, sorted by position, as text without source snippets: the [`header`] line,
/// then `= label:`, `= help:` and `= note:` lines (labels with their `line:col`). What
/// [`render_all`] gives without feature `render` (e.g. `include_device!` errors in a build without
/// miette).
pub fn render_plain(diags: &Diagnostics, source: &Source) -> String {
    let mut out = String::new();
    let lines = LineIndex::new(&source.text);
    for d in diags.sorted() {
        out.push_str(&header(d, source, &lines));
        if let Some(l) = &d.primary_label {
            out.push_str(&format!("  = label: {l}\n"));
        }
        for l in &d.labels {
            let (line, col) = lines.line_col(l.span.start);
            out.push_str(&format!("  = label: {line}:{col}: {}\n", l.message));
        }
        for (kind, text) in [("help", &d.help), ("note", &d.note)] {
            if let Some(t) = text {
                out.push_str(&format!("  = {kind}: {t}\n"));
            }
        }
    }
    out.push_str(&diags.dropped_note());
    out
}

#[cfg(feature = "render")]
mod render;
#[cfg(feature = "render")]
pub use render::{render, render_all, Report};
#[cfg(not(feature = "render"))]
pub use render_plain as render_all;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_rendering_has_header_labels_help_and_note() {
        let source = Source::new("usb.toml", "[device]\nvid = 0x1209\npdi = 1\n");
        let mut d = Diagnostics::new();
        d.push(
            Diagnostic::error("UD0002", "unknown key `device.pdi`")
                .at_labeled(Span::new(22, 25), "not a device key")
                .label(Some(Span::new(0, 8)), "in this table")
                .help("did you mean `pid`?")
                .note("keys are case-sensitive"),
        );
        d.push(Diagnostic::warning("UD2006", "no span here"));
        assert_eq!(
            render_plain(&d, &source),
            "usb.toml:3:1: error[UD0002]: unknown key `device.pdi`\n  = label: not a device key\n  = label: 1:1: in this table\n  \
             = help: did you mean `pid`?\n  = note: keys are case-sensitive\nusb.toml: warning[UD2006]: no span here\n"
        );
    }
}

/// [`Diagnostics::allowing`] as a function.
pub fn apply_allow(allow: &[String], d: Diagnostics) -> Diagnostics {
    d.allowing(allow)
}
