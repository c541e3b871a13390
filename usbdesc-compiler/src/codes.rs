//! The one registry of diagnostic codes: each code's name, one-line summary and long explanation
//! with a bad and a fixed example, kept as the Markdown file `codes.md` (readable on its own, and
//! what `usbdesc explain UDxxxx` prints). The checks keep their code constants next to the rule;
//! `tests/codes_registry.rs` checks that this registry names every code the sources use and no
//! other, and the fixture tests iterate it to demand a failing fixture per code.

use std::sync::OnceLock;

/// A length above what its length field holds (the check family `check::lengths`, and HID report
/// descriptors longer than wDescriptorLength holds). Here, below both, since both report it.
pub const LENGTH_OVERFLOW: &str = "UD2011";

/// The registry text: an introduction, then one `## UDnnnn name` section per code.
pub const TEXT: &str = include_str!("codes.md");

/// One diagnostic code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Code {
    /// `UD1002`.
    pub code: &'static str,
    /// `alternate-settings`: a short kebab-case name.
    pub name: &'static str,
    /// The section's first paragraph, on one line.
    pub summary: &'static str,
    /// The whole section after its heading: summary, explanation, `Bad:` and `Fixed:` examples.
    pub explanation: &'static str,
}

fn parse(text: &'static str) -> Vec<Code> {
    let mut out = Vec::new();
    for section in text.split("\n## ").skip(1) {
        let (heading, body) = section.split_once('\n').unwrap_or((section, ""));
        let (code, name) = heading.split_once(' ').unwrap_or((heading, ""));
        let explanation = body.trim();
        let first = explanation.split("\n\n").next().unwrap_or("");
        // The summary is the first paragraph; a one-line paragraph is a slice of the text.
        let summary = if first.contains('\n') { Box::leak(first.replace('\n', " ").into_boxed_str()) } else { first };
        out.push(Code { code: code.trim(), name: name.trim(), summary, explanation });
    }
    out
}

/// Every code, in the registry's order (by family and number).
pub fn all() -> &'static [Code] {
    static ALL: OnceLock<Vec<Code>> = OnceLock::new();
    ALL.get_or_init(|| parse(TEXT))
}

/// A code by its text, any case (`ud1002` finds `UD1002`).
pub fn find(code: &str) -> Option<&'static Code> {
    all().iter().find(|c| c.code.eq_ignore_ascii_case(code.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_parse() {
        let c = find("ud1002").unwrap();
        assert_eq!((c.code, c.name), ("UD1002", "alternate-settings"));
        assert!(c.summary.starts_with("Two interfaces with the same number"), "{}", c.summary);
        assert!(!c.summary.contains('\n'));
        assert!(c.explanation.contains("Bad:") && c.explanation.contains("Fixed:"));
        assert!(find("ud9999").is_none());
    }
}
