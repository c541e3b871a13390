//! The code registry (`src/codes.md`, `usbdesc_compiler::codes`) is the one list of diagnostic
//! codes: it names every code the sources raise and no other, and every code has a name, a
//! summary, an explanation and a bad and a fixed example (what `usbdesc explain` prints).

use std::collections::BTreeSet;
use std::path::Path;
use usbdesc_compiler::codes;

/// `"UDnnnn"` string literals in the Rust sources under `dir`.
fn literals(dir: &Path, out: &mut BTreeSet<String>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            literals(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            let text = std::fs::read_to_string(&p).unwrap();
            for (i, _) in text.match_indices("\"UD") {
                let lit = &text[i + 1..];
                if lit.len() >= 7 && lit[2..6].bytes().all(|b| b.is_ascii_digit()) && lit.as_bytes()[6] == b'"' {
                    out.insert(lit[..6].to_string());
                }
            }
        }
    }
}

#[test]
fn registry_names_every_code_of_the_sources_and_no_other() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut used = BTreeSet::new();
    for crate_dir in ["usbdesc-compiler/src", "usbdesc-macros/src", "usbdesc-cli/src"] {
        literals(&root.join(crate_dir), &mut used);
    }
    // A placeholder in a unit test of the usage-name lookup, not a code.
    used.remove("UD0000");
    let registered: BTreeSet<String> = codes::all().iter().map(|c| c.code.to_string()).collect();
    let missing: Vec<_> = used.difference(&registered).collect();
    let stale: Vec<_> = registered.difference(&used).collect();
    assert!(missing.is_empty(), "codes used in the sources but not in src/codes.md: {missing:?}");
    assert!(stale.is_empty(), "codes in src/codes.md that no source raises: {stale:?}");
}

#[test]
fn every_code_is_explained_with_a_bad_and_a_fixed_example() {
    let all = codes::all();
    assert!(all.len() > 100);
    let mut names = BTreeSet::new();
    for c in all {
        assert!(c.code.len() == 6 && c.code.starts_with("UD"), "{c:?}");
        assert!(!c.name.is_empty() && c.name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{}: name {:?}", c.code, c.name);
        assert!(names.insert(c.name), "{}: name {} used twice", c.code, c.name);
        assert!(c.summary.len() > 10 && c.summary.len() < 200, "{}: summary {:?}", c.code, c.summary);
        for label in ["\nBad:\n\n```", "\nFixed:\n\n```"] {
            assert!(c.explanation.contains(label), "{}: no `{}` example", c.code, label.trim().lines().next().unwrap());
        }
        let (_, fixed) = c.explanation.split_once("\nFixed:\n").unwrap();
        assert!(fixed.matches("```").count() >= 2, "{}: the fixed example's code block is not closed", c.code);
        assert!(c.explanation.find("\nBad:").unwrap() < c.explanation.find("\nFixed:").unwrap(), "{}: Bad before Fixed", c.code);
    }
    // In code order within the file.
    let order: Vec<&str> = all.iter().map(|c| c.code).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
}
