//! Diagnostics: one collector (serde_derive's `Ctxt` pattern) that every front end and check pushes
//! into, so the user sees every problem at once, each at its own place.
//!
//! Every diagnostic has a stable code (`UDnnnn`), a severity, a message, an optional primary span
//! (byte range into the source it came from), secondary labels and a help line. Rendering goes through
//! miette so the CLI, tests and snapshots share one renderer.
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

/// A byte range into a source text (TOML file, Rust attribute text, or a descriptor blob).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, PartialOrd, Ord, serde::Serialize)]
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
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

/// The collector. Checks push into it and go on; callers look at `has_errors()` at the end.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.is_error())
    }
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }
    pub fn warning_count(&self) -> usize {
        self.items.iter().filter(|d| !d.is_error()).count()
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
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

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

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

/// A diagnostic bound to its source, implementing `miette::Diagnostic`.
pub struct Report<'a> {
    pub diag: &'a Diagnostic,
    pub source: &'a miette::NamedSource<String>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diag, f)
    }
}
impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}
impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    // No `code()`: the rustc-style header line written by [`render`] carries the code.
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        match (&self.diag.help, &self.diag.note) {
            (Some(h), Some(n)) => Some(Box::new(format!("{h}\nnote: {n}"))),
            (Some(h), None) => Some(Box::new(h)),
            (None, Some(n)) => Some(Box::new(format!("note: {n}"))),
            (None, None) => None,
        }
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.diag.span.map(|_| self.source as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let span = self.diag.span?;
        let len = self.source.inner().len();
        let clamp = move |s: Span| {
            let start = s.start.min(len);
            let end = s.end.min(len).max(start);
            (start, end - start)
        };
        let mut v = vec![miette::LabeledSpan::new_primary_with_span(self.diag.primary_label.clone(), clamp(span))];
        for l in &self.diag.labels {
            v.push(miette::LabeledSpan::new_with_span(Some(l.message.clone()), clamp(l.span)));
        }
        Some(Box::new(v.into_iter()))
    }
}

/// Render diagnostics the way rustc does (code, message, `file:line:col`, source line with carets,
/// labels, help), without colour. Used by snapshots; the CLI uses the same handler with colour when
/// writing to a terminal.
pub fn render(diags: &[&Diagnostic], source: &Source, color: bool) -> String {
    let named = miette::NamedSource::new(source.name.clone(), source.text.clone());
    let theme = if color { miette::GraphicalTheme::unicode() } else { miette::GraphicalTheme::unicode_nocolor() };
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(100).with_links(false);
    let mut out = String::new();
    for d in diags {
        let report = Report { diag: d, source: &named };
        // Location line first, rustc style, so tools can jump to it.
        if let Some(span) = d.span {
            let (line, col) = line_col(&source.text, span.start);
            out.push_str(&format!("{}:{}:{}: ", source.name, line, col));
        } else {
            out.push_str(&format!("{}: ", source.name));
        }
        out.push_str(&format!(
            "{}[{}]: {}\n",
            match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            d.code,
            d.message
        ));
        let mut body = String::new();
        let _ = handler.render_report(&mut body, &report);
        out.push_str(&without_message(&body));
        out.push('\n');
    }
    out
}

/// miette's report minus its leading `× message` block (with wrapped `│` lines): the header line
/// of [`render`] already states the message, so only the source snippet, labels and help remain.
fn without_message(report: &str) -> String {
    // Line text without colour escapes (ESC [ ... m), for the tests below.
    let plain = |l: &str| {
        let mut s = String::new();
        let mut esc = false;
        for c in l.chars() {
            match (esc, c) {
                (false, '\u{1b}') => esc = true,
                (true, 'm') => esc = false,
                (true, _) => {}
                (false, c) => s.push(c),
            }
        }
        s
    };
    let mut lines = report.lines().peekable();
    while lines.peek().is_some_and(|l| plain(l).trim().is_empty()) {
        lines.next();
    }
    if lines.peek().is_some_and(|l| plain(l).trim_start().starts_with(['×', '⚠', '☞'])) {
        lines.next();
        while lines.peek().is_some_and(|l| plain(l).trim_start().starts_with('│')) {
            lines.next();
        }
    }
    let mut out = String::new();
    for l in lines {
        out.push_str(l);
        out.push('\n');
    }
    out
}

/// Render every diagnostic in the collector, sorted by position.
pub fn render_all(diags: &Diagnostics, source: &Source) -> String {
    render(&diags.sorted(), source, false)
}
