//! `usbdesc lint --format github`: one GitHub Actions workflow command per diagnostic
//! (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=UDxxxx::message`), which the runner
//! turns into annotations on the lines of a pull request. Help and note follow the message on
//! their own lines (`%0A`).

use super::{has_text_positions, Checked, Region};
use usbdesc_compiler::diag::{LineIndex, Severity};

/// Escape a command's message (GitHub's `escapeData`).
fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escape a property value (GitHub's `escapeProperty`).
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn commands(files: &[Checked]) -> String {
    let mut out = String::new();
    for c in files {
        let l = match c {
            Checked::Loaded(l) => l,
            Checked::Unreadable { file, message } => {
                out.push_str(&format!("::error file={},title=usbdesc::{}\n", property(file), data(message)));
                continue;
            }
        };
        let lines = LineIndex::new(&l.source.text);
        for d in l.diagnostics.sorted() {
            let kind = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let mut props = vec![format!("file={}", property(&l.source.name))];
            if let (Some(span), true) = (d.span, has_text_positions(l)) {
                let r = Region::of(&lines, span);
                props.push(format!("line={},col={},endLine={},endColumn={}", r.line, r.column, r.end_line, r.end_column));
            }
            props.push(format!("title={}", property(d.code)));
            let mut message = d.message.clone();
            for (word, text) in [("help", &d.help), ("note", &d.note)] {
                if let Some(t) = text {
                    message.push_str(&format!("\n{word}: {t}"));
                }
            }
            out.push_str(&format!("::{kind} {}::{}\n", props.join(","), data(&message)));
        }
    }
    out
}
