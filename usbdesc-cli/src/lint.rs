//! `usbdesc lint`: every diagnostic of every file, rustc-style on stderr with the error and
//! warning counts at the end, or one document on stdout: JSON, SARIF 2.1.0 ([`sarif`]) or GitHub
//! workflow commands ([`github`]).

mod github;
mod sarif;

use crate::out;
use crate::{read_input, Fail, LintFormat, Res};
use serde_json::{json, Value};
use usbdesc_compiler::diag::{Diagnostic, LineIndex, Span};
use usbdesc_compiler::input::{self, Encoding, Loaded};

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// One file on the command line: checked, or not readable.
pub(crate) enum Checked {
    Loaded(Loaded),
    Unreadable { file: String, message: String },
}

/// 1-based start and end line and column (characters) of a span, the end exclusive.
#[derive(Clone, Copy)]
pub(crate) struct Region {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Region {
    /// `lines` is the file's index, built once per file (a scan per diagnostic would be quadratic).
    pub fn of(lines: &LineIndex, span: Span) -> Region {
        let (line, column) = lines.line_col(span.start);
        let (end_line, end_column) = lines.line_col(span.end.max(span.start));
        Region { line, column, end_line, end_column }
    }
}

/// Whether the diagnostics' spans are places in the file itself (not in a hex view of a binary).
pub(crate) fn has_text_positions(l: &Loaded) -> bool {
    l.input.as_ref().is_none_or(|i| i.encoding != Encoding::Binary)
}

fn diag_json(d: &Diagnostic, lines: &LineIndex) -> Value {
    let pos = |s: Span| {
        let r = Region::of(lines, s);
        json!({ "start": s.start, "end": s.end, "line": r.line, "column": r.column, "end_line": r.end_line, "end_column": r.end_column })
    };
    json!({
        "code": d.code,
        "severity": d.severity,
        "message": d.message,
        "span": d.span.map(pos),
        "label": d.primary_label,
        "labels": d.labels.iter().map(|l| json!({ "message": l.message, "span": pos(l.span) })).collect::<Vec<_>>(),
        "help": d.help,
        "note": d.note,
    })
}

fn file_json(c: &Checked) -> Value {
    match c {
        Checked::Unreadable { file, message } => json!({ "file": file, "io_error": message }),
        Checked::Loaded(l) => {
            let lines = LineIndex::new(&l.source.text);
            json!({
            "file": l.source.name,
            "encoding": l.input.as_ref().map(|i| i.encoding),
            "kind": l.input.as_ref().map(|i| i.kind),
            "errors": l.diagnostics.error_count(),
            "warnings": l.diagnostics.warning_count(),
            "diagnostics": l.diagnostics.sorted().into_iter().map(|d| diag_json(d, &lines)).collect::<Vec<_>>(),
            })
        }
    }
}

pub fn run(files: &[String], format: LintFormat, deny_warnings: bool, color: bool) -> Res {
    let (mut errors, mut warnings, mut io_failures) = (0usize, 0usize, 0usize);
    let mut checked = Vec::new();
    for f in files {
        let c = match read_input(f) {
            Ok((name, data)) => Checked::Loaded(input::load(&name, &data)),
            Err(fail) => Checked::Unreadable { file: f.clone(), message: fail.message.unwrap_or_default() },
        };
        match &c {
            Checked::Loaded(l) => {
                errors += l.diagnostics.error_count();
                warnings += l.diagnostics.warning_count();
                // Text goes out file by file, as it is found.
                if format == LintFormat::Text && !l.diagnostics.is_empty() {
                    out::err(l.render(color));
                }
            }
            Checked::Unreadable { message, .. } => {
                io_failures += 1;
                if format == LintFormat::Text {
                    out::errln(format!("error: {message}"));
                }
            }
        }
        if format != LintFormat::Text {
            checked.push(c);
        }
    }
    match format {
        LintFormat::Text => {
            let mut summary =
                format!("{} checked: {}, {}", plural(files.len() - io_failures, "file"), plural(errors, "error"), plural(warnings, "warning"));
            if io_failures > 0 {
                summary.push_str(&format!(", {} unreadable", plural(io_failures, "file")));
            }
            if deny_warnings && warnings > 0 {
                summary.push_str(" (warnings denied)");
            }
            out::errln(summary);
        }
        LintFormat::Json => {
            let v = json!({
                "files": checked.iter().map(file_json).collect::<Vec<_>>(),
                "errors": errors,
                "warnings": warnings,
                "unreadable": io_failures,
            });
            out::stdout(format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default()).as_bytes())?;
        }
        LintFormat::Sarif => out::stdout(format!("{}\n", serde_json::to_string_pretty(&sarif::log(&checked)).unwrap_or_default()).as_bytes())?,
        LintFormat::Github => out::stdout(github::commands(&checked).as_bytes())?,
    }
    let failed = errors > 0 || (deny_warnings && warnings > 0);
    match (io_failures, failed) {
        (0, false) => Ok(()),
        (0, true) => Err(Fail::errors()),
        _ => Err(Fail { code: 2, message: None }),
    }
}
