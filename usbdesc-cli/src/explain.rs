//! `usbdesc explain [UDxxxx]`: a code's long explanation with a bad and a fixed example, from the
//! one code registry (`usbdesc_compiler::codes`); without a code, the index of every code.

use crate::{out, Fail, Res};
use usbdesc_compiler::codes;

pub fn run(code: Option<&str>) -> Res {
    let Some(code) = code else {
        let mut text = String::from("# Diagnostic codes (`usbdesc explain UDxxxx` for one):\n");
        for c in codes::all() {
            text.push_str(&format!("{}  {:<32} {}\n", c.code, c.name, c.summary));
        }
        return out::stdout(text.as_bytes());
    };
    // By code (`UD1002`, `ud1002`, `1002`) or by name (`alternate-settings`).
    let wanted = if code.bytes().all(|b| b.is_ascii_digit()) { format!("UD{code}") } else { code.to_string() };
    let found = codes::find(&wanted).or_else(|| codes::all().iter().find(|c| c.name == wanted));
    match found {
        Some(c) => out::stdout(format!("{} {}\n\n{}\n", c.code, c.name, c.explanation).as_bytes()),
        None => Err(Fail::usage(format!("no diagnostic code `{code}`: `usbdesc explain` lists them"))),
    }
}
