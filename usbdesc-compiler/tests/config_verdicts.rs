//! Lint against the real Linux kernel without booting it: `tests/verdicts/config.tsv` holds what
//! usbcore did with each configuration blob (written by `harness/config_verdicts.py` through
//! `scripts/realhost.sh`, which regenerates and re-checks it against the live kernel on every CI
//! run). `usbdesc lint` on a blob must report an error exactly when the kernel rejected it
//! (`kernel_rejects = yes`), except the inputs of `tests/verdicts/config-allow.tsv`, each listed
//! with its reason.
use std::collections::BTreeMap;
use usbdesc_compiler::input;

fn table(name: &str) -> Vec<BTreeMap<String, String>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/verdicts").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty());
    let head: Vec<&str> = lines.next().expect("header").split('\t').collect();
    lines.map(|l| head.iter().map(|h| h.to_string()).zip(l.split('\t').map(str::to_string)).collect()).collect()
}

fn bytes(hex: &str) -> Vec<u8> {
    (0..hex.len() / 2).map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex")).collect()
}

#[test]
fn lint_errors_exactly_where_linux_rejects() {
    let rows = table("config.tsv");
    let allow: BTreeMap<String, String> = table("config-allow.tsv").into_iter().map(|r| (r["id"].clone(), r["reason"].clone())).collect();
    assert!(rows.len() >= 200, "only {} configurations in the verdict table", rows.len());
    let mut wrong = Vec::new();
    let mut allowed_seen = 0;
    for r in &rows {
        let l = input::load(&format!("{}.bin", r["id"]), &bytes(&r["hex"]));
        let rejects = r["kernel_rejects"] == "yes";
        if l.diagnostics.has_errors() != rejects {
            if allow.contains_key(&r["id"]) {
                allowed_seen += 1;
                continue;
            }
            let codes: Vec<_> = l.diagnostics.iter().map(|d| format!("{}({:?})", d.code, d.severity)).collect();
            wrong.push(format!("{}: kernel_rejects={} ({}; {}), lint {codes:?}", r["id"], r["kernel_rejects"], r["reason"], r["messages"]));
        }
    }
    assert!(wrong.is_empty(), "{} disagreements:\n{}", wrong.len(), wrong.join("\n"));
    // An allow-list entry that no longer disagrees must go.
    assert_eq!(allowed_seen, allow.len(), "stale entries in config-allow.tsv");
}

#[test]
fn the_corpus_raises_no_lint_error() {
    for r in table("config.tsv").iter().filter(|r| r["id"].starts_with("corpus/")) {
        let l = input::load(&format!("{}.bin", r["id"]), &bytes(&r["hex"]));
        assert!(!l.diagnostics.has_errors(), "{}:\n{}", r["id"], l.render(false));
    }
}

#[test]
fn every_rejected_blob_has_an_error_that_quotes_linux() {
    let allow: Vec<String> = table("config-allow.tsv").into_iter().map(|r| r["id"].clone()).collect();
    let mut bare = Vec::new();
    for r in table("config.tsv").iter().filter(|r| r["kernel_rejects"] == "yes" && !allow.contains(&r["id"])) {
        let l = input::load(&format!("{}.bin", r["id"]), &bytes(&r["hex"]));
        let quoted = l.diagnostics.iter().any(|d| d.is_error() && d.note.as_deref().is_some_and(|n| n.starts_with("Linux ")));
        if !quoted {
            let codes: Vec<_> = l.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.code).collect();
            bare.push(format!("{} {codes:?} ({})", r["id"], r["messages"]));
        }
    }
    assert!(bare.is_empty(), "rejected blobs whose errors do not say what Linux does:\n{}", bare.join("\n"));
}
