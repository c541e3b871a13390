//! Rendering diagnostics rustc-style with miette's graphical handler: the [`header`] line, then
//! the source snippet with labels, and help. Feature `render`; without it [`super::render_all`] is
//! [`super::render_plain`] (header, help and label lines, no snippet).

use super::{header, Diagnostic, Diagnostics, LineIndex, Severity, Source, Span};
use std::fmt;

/// A diagnostic bound to its source, implementing `miette::Diagnostic`.
pub struct Report<'a> {
    pub diag: &'a Diagnostic,
    pub source: &'a IndexedSource<'a>,
}

/// The source text with its [`LineIndex`]: miette reads each snippet from the few lines around it
/// (miette's own `SourceCode` for strings scans from the start of the text for every snippet, which
/// made rendering many diagnostics quadratic).
pub struct IndexedSource<'a> {
    name: &'a str,
    text: &'a str,
    lines: &'a LineIndex,
}

impl miette::SourceCode for IndexedSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        // The window: whole lines from `before` lines above the span to one line past `after`
        // lines below its end, where miette's scan of the whole text would stop; then miette's own
        // reading of that window, moved back to whole-text coordinates.
        let first = self.lines.line(span.offset()).saturating_sub(before);
        let last_byte = (span.offset() + span.len()).saturating_sub(1);
        let last = self.lines.line(last_byte).saturating_add(after).saturating_add(2);
        let (from, to) = (self.lines.line_start(first), self.lines.line_start(last).min(self.text.len()));
        if to - from > MAX_WINDOW_BYTES {
            return self.fragment(span);
        }
        let window = &self.text[from..to];
        let local = miette::SourceSpan::new(span.offset().saturating_sub(from).into(), span.len());
        let c = window.read_span(&local, before, after)?;
        let contents = miette::MietteSpanContents::new_named(
            self.name.to_string(),
            c.data(),
            miette::SourceSpan::new((c.span().offset() + from).into(), c.span().len()),
            c.line() + first,
            c.column(),
            c.line_count() + first,
        );
        Ok(Box::new(contents))
    }
}

/// Lines around a snippet longer than this in all are shown as a fragment of the span's line.
const MAX_WINDOW_BYTES: usize = 16 << 10;
/// Characters of a long line shown before and after the span.
const FRAGMENT_MARGIN: usize = 80;

impl IndexedSource<'_> {
    /// The span with [`FRAGMENT_MARGIN`] bytes around it, for lines too long to show whole (a
    /// 4 MiB one-line array: every snippet would print all of it, and miette panics on columns
    /// past 65535). Spans themselves are cut to [`MAX_LABEL_BYTES`] by `labels`; a wider request
    /// (two labels far apart on one line, which miette tries to merge) is refused, so miette shows
    /// them apart.
    fn fragment<'a>(&'a self, span: &miette::SourceSpan) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        if span.len() > 2 * MAX_LABEL_BYTES {
            return Err(miette::MietteError::OutOfBounds);
        }
        let text = self.text;
        let start = span.offset().min(text.len());
        let end = (start + span.len()).min(text.len());
        let line_start = self.lines.line_start(self.lines.line(start));
        let mut from = start.saturating_sub(FRAGMENT_MARGIN).max(line_start);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let line_end = text[end..].find('\n').map(|i| end + i).unwrap_or(text.len());
        let mut to = (end + FRAGMENT_MARGIN).min(line_end).max(end);
        while !text.is_char_boundary(to) {
            to += 1;
        }
        let (line, col) = self.lines.line_col(from);
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.to_string(),
            &text.as_bytes()[from..to],
            miette::SourceSpan::new(from.into(), to - from),
            line - 1,
            col - 1,
            self.lines.line(to),
        )))
    }
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
        let (len, lines) = (self.source.text.len(), self.source.lines);
        // A span over many lines shows its first MAX_SPAN_LINES: every line of it would be printed,
        // so one diagnostic over a 1 MiB `bytes` string would print the whole string.
        let clamp = move |s: Span| {
            let start = s.start.min(len);
            let cut = lines.line_start(lines.line(start) + MAX_SPAN_LINES).saturating_sub(1).max(start + 1);
            let end = s.end.min(len).min(cut).max(start);
            // On a long line, a few hundred bytes of the span (shown as a fragment).
            let end = if end - start > MAX_LABEL_BYTES && lines.line_start(lines.line(start) + 1) - lines.line_start(lines.line(start)) > MAX_WINDOW_BYTES {
                start + MAX_LABEL_BYTES
            } else {
                end
            };
            (start, end - start)
        };
        let mut v = vec![miette::LabeledSpan::new_primary_with_span(self.diag.primary_label.clone(), clamp(span))];
        for l in &self.diag.labels {
            v.push(miette::LabeledSpan::new_with_span(Some(l.message.clone()), clamp(l.span)));
        }
        Some(Box::new(v.into_iter()))
    }
}

/// Lines of a multi-line span shown under a diagnostic.
const MAX_SPAN_LINES: usize = 12;
/// Bytes of a span on a long line shown under a diagnostic.
const MAX_LABEL_BYTES: usize = 256;

/// Render diagnostics the way rustc does (code, message, `file:line:col`, source line with carets,
/// labels, help), without colour. Used by snapshots; the CLI uses the same handler with colour when
/// writing to a terminal.
pub fn render(diags: &[&Diagnostic], source: &Source, color: bool) -> String {
    let lines = LineIndex::new(&source.text);
    let named = IndexedSource { name: &source.name, text: &source.text, lines: &lines };
    let theme = if color { miette::GraphicalTheme::unicode() } else { miette::GraphicalTheme::unicode_nocolor() };
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(100).with_links(false);
    let mut out = String::new();
    for d in diags {
        let report = Report { diag: d, source: &named };
        // Location line first, rustc style, so tools can jump to it.
        let head = header(d, source, &lines);
        out.push_str(&if color { colored_header(d, &head) } else { head });
        let mut body = String::new();
        let _ = handler.render_report(&mut body, &report);
        out.push_str(&char_columns(&without_message(&body), source));
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

/// The [`header`] line in rustc's colours: the place and message bold, `error[CODE]` bold red,
/// `warning[CODE]` bold yellow.
fn colored_header(d: &Diagnostic, head: &str) -> String {
    let (word, colour) = match d.severity {
        Severity::Error => ("error", "31"),
        Severity::Warning => ("warning", "33"),
    };
    let kind = format!("{word}[{}]", d.code);
    // `head` is `{place}: {kind}: {message}\n`; the place is what comes before the kind.
    let tail = format!("{kind}: {}\n", d.message);
    let Some(place) = head.strip_suffix(tail.as_str()).and_then(|p| p.strip_suffix(": ")) else {
        return head.to_string();
    };
    format!("\x1b[1m{place}:\x1b[0m \x1b[1;{colour}m{kind}\x1b[0m\x1b[1m: {}\x1b[0m\n", d.message)
}

/// miette writes a snippet's `[file:line:col]` with the column in bytes; the header line (and
/// editors, rustc, the JSON output) count characters. Rewrite each snippet column in characters.
fn char_columns(body: &str, source: &Source) -> String {
    let tag = format!("{}:", source.name);
    let mut out = String::with_capacity(body.len());
    for line in body.split_inclusive('\n') {
        match snippet_location(line, &tag) {
            Some((at, end, line_no, byte_col)) => {
                let text = source.text.split('\n').nth(line_no.saturating_sub(1)).unwrap_or("");
                let mut cut = byte_col.saturating_sub(1).min(text.len());
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                out.push_str(&line[..at]);
                out.push_str(&format!("{tag}{line_no}:{}", text[..cut].chars().count() + 1));
                out.push_str(&line[end..]);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// In a snippet's top line (`╭─[file:line:col]`), where `file:line:col` starts and ends, with
/// the line and the byte column.
fn snippet_location(line: &str, tag: &str) -> Option<(usize, usize, usize, usize)> {
    let bracket = line.find("─[")?;
    let at = bracket + line[bracket..].find(tag)?;
    let rest = &line[at + tag.len()..];
    let digits = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let n1 = digits(rest);
    let after = rest[n1..].strip_prefix(':')?;
    let n2 = digits(after);
    let line_no = rest[..n1].parse().ok()?;
    let col = after[..n2].parse().ok()?;
    Some((at, at + tag.len() + n1 + 1 + n2, line_no, col))
}

/// Render every diagnostic in the collector, sorted by position.
pub fn render_all(diags: &Diagnostics, source: &Source) -> String {
    render(&diags.sorted(), source, false) + &diags.dropped_note()
}
