//! `usbdesc lint`: every diagnostic of every file, rustc-style on stderr (or JSON on stdout), with
//! the error and warning counts at the end.

use crate::{read_input, Fail, Res};
use serde_json::{json, Value};
use usbdesc_compiler::diag::{Diagnostic, LineIndex};
use usbdesc_compiler::input::{self, Loaded};

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn diag_json(d: &Diagnostic, lines: &LineIndex) -> Value {
    let pos = |s: usbdesc_compiler::diag::Span| {
        let (line, column) = lines.line_col(s.start);
        json!({ "start": s.start, "end": s.end, "line": line, "column": column })
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

fn file_json(l: &Loaded) -> Value {
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

pub fn run(files: &[String], as_json: bool, color: bool) -> Res {
    let (mut errors, mut warnings, mut io_failures) = (0usize, 0usize, 0usize);
    let mut out = Vec::new();
    for f in files {
        let (name, data) = match read_input(f) {
            Ok(x) => x,
            Err(fail) => {
                io_failures += 1;
                let msg = fail.message.unwrap_or_default();
                if as_json {
                    out.push(json!({ "file": f, "io_error": msg }));
                } else {
                    eprintln!("error: {msg}");
                }
                continue;
            }
        };
        let loaded = input::load(&name, &data);
        errors += loaded.diagnostics.error_count();
        warnings += loaded.diagnostics.warning_count();
        if as_json {
            out.push(file_json(&loaded));
        } else if !loaded.diagnostics.is_empty() {
            eprint!("{}", loaded.render(color));
        }
    }
    let checked = files.len() - io_failures;
    if as_json {
        let v = json!({ "files": out, "errors": errors, "warnings": warnings, "unreadable": io_failures });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        let mut summary = format!("{} checked: {}, {}", plural(checked, "file"), plural(errors, "error"), plural(warnings, "warning"));
        if io_failures > 0 {
            summary.push_str(&format!(", {} unreadable", plural(io_failures, "file")));
        }
        eprintln!("{summary}");
    }
    match (io_failures, errors) {
        (0, 0) => Ok(()),
        (0, _) => Err(Fail::errors()),
        _ => Err(Fail { code: 2, message: None }),
    }
}
