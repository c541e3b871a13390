//! `usbdesc lint --format sarif`: the diagnostics as a SARIF 2.1.0 log (OASIS Static Analysis
//! Results Interchange Format), for GitHub code scanning and IDE viewers. One run; one rule per
//! code that occurs; columns counted in Unicode code points, as in the text output.

use super::{has_text_positions, Checked, Region};
use serde_json::{json, Value};
use usbdesc_compiler::diag::{LineIndex, Severity, Source, Span};

/// A relative or absolute path as a URI reference: bytes outside RFC 3986's unreserved set and
/// `/` are percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.replace('\\', "/").bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn location(src: &Source, lines: &LineIndex, span: Option<Span>, text_positions: bool) -> Value {
    let mut physical = json!({ "artifactLocation": { "uri": uri(&src.name) } });
    if let (Some(s), true) = (span, text_positions) {
        let r = Region::of(lines, s);
        physical["region"] = json!({ "startLine": r.line, "startColumn": r.column, "endLine": r.end_line, "endColumn": r.end_column });
    }
    json!({ "physicalLocation": physical })
}

pub fn log(files: &[Checked]) -> Value {
    let mut rules: Vec<&'static str> = Vec::new();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for c in files {
        let l = match c {
            Checked::Loaded(l) => l,
            Checked::Unreadable { file, message } => {
                notifications.push(json!({
                    "level": "error",
                    "message": { "text": message },
                    "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri(file) } } }],
                }));
                continue;
            }
        };
        let text_positions = has_text_positions(l);
        let lines = LineIndex::new(&l.source.text);
        for d in l.diagnostics.sorted() {
            let index = rules.iter().position(|r| *r == d.code).unwrap_or_else(|| {
                rules.push(d.code);
                rules.len() - 1
            });
            let mut text = d.message.clone();
            for (word, t) in [("help", &d.help), ("note", &d.note)] {
                if let Some(t) = t {
                    text.push_str(&format!("\n{word}: {t}"));
                }
            }
            let related: Vec<Value> = d
                .labels
                .iter()
                .enumerate()
                .map(|(i, lab)| {
                    let mut v = location(&l.source, &lines, Some(lab.span), text_positions);
                    v["id"] = json!(i);
                    v["message"] = json!({ "text": lab.message });
                    v
                })
                .collect();
            let mut result = json!({
                "ruleId": d.code,
                "ruleIndex": index,
                "level": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "message": { "text": text },
                "locations": [location(&l.source, &lines, d.span, text_positions)],
            });
            if !related.is_empty() {
                result["relatedLocations"] = json!(related);
            }
            results.push(result);
        }
    }
    let rules: Vec<Value> = rules.iter().map(|code| rule(code)).collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": { "name": "usbdesc", "version": env!("CARGO_PKG_VERSION"), "rules": rules } },
            "invocations": [{ "executionSuccessful": notifications.is_empty(), "toolExecutionNotifications": notifications }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

/// A rule (reportingDescriptor) for a code, from the code registry.
fn rule(code: &str) -> Value {
    match usbdesc_compiler::codes::find(code) {
        Some(c) => json!({
            "id": c.code,
            "name": c.name,
            "shortDescription": { "text": c.summary },
            "fullDescription": { "text": c.explanation },
            "help": { "text": format!("usbdesc explain {}", c.code) },
        }),
        None => json!({ "id": code }),
    }
}
