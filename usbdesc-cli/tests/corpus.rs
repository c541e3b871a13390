//! `usbdesc decode` on the corpus (tests/corpus): every device+configuration blob and every HID report
//! descriptor decodes to TOML that `usbdesc build --emit bin` turns back into the same bytes.

use assert_cmd::Command;
use usbdesc_compiler::input::{self, Model};

use usbdesc_tests::corpus_files;

fn usbdesc(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("usbdesc").unwrap().args(args).env("NO_COLOR", "1").output().unwrap()
}

#[test]
fn config_blobs_round_trip_through_the_cli() {
    let files = corpus_files("config");
    assert_eq!(files.len(), 60);
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for f in &files {
        let expected = input::sniff("x", &std::fs::read(f).unwrap()).unwrap().bytes;
        let toml = dir.path().join("d.toml");
        let out = usbdesc(&["decode", f.to_str().unwrap(), "-o", toml.to_str().unwrap()]);
        if !out.status.success() {
            failures.push(format!("{}: decode: {}", f.display(), String::from_utf8_lossy(&out.stderr)));
            continue;
        }
        let out = usbdesc(&["build", toml.to_str().unwrap(), "--emit", "bin"]);
        if out.stdout != expected {
            failures.push(format!("{}: build: exit {:?} {}", f.display(), out.status.code(), String::from_utf8_lossy(&out.stderr)));
        }
    }
    assert!(failures.is_empty(), "{} of {} failed:\n{}", failures.len(), files.len(), failures.join("\n"));
}

/// Every blob also dumps without error (the tree walker never gives up on real devices).
#[test]
fn config_blobs_dump() {
    for f in corpus_files("config") {
        let out = usbdesc(&["dump", f.to_str().unwrap()]);
        assert!(out.status.success(), "{}: {}", f.display(), String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.starts_with("Device Descriptor:") && text.contains("Configuration Descriptor:"), "{}", f.display());
    }
}

/// All HID report descriptors, in process through the same core calls the CLI makes (sniff,
/// decode, `[report]` document, encode), and a sample through the binary itself.
#[test]
fn hid_reports_round_trip() {
    let files = corpus_files("hid");
    assert!(files.len() >= 719);
    let mut failures = Vec::new();
    for f in &files {
        let data = std::fs::read(f).unwrap();
        let loaded = input::load(&f.display().to_string(), &data);
        let bytes = loaded.input.as_ref().map(|i| i.bytes.clone()).unwrap_or_default();
        let Some(Model::Report(r)) = loaded.model else {
            failures.push(format!("{}: not loaded as a report", f.display()));
            continue;
        };
        let text = input::report_document_text(&r, "round trip");
        let mut d = usbdesc_compiler::diag::Diagnostics::new();
        let again = usbdesc_compiler::input::report_document(&text, &mut d).map(|x| x.encode()).unwrap_or_default();
        if again != bytes {
            failures.push(format!("{}: bytes differ", f.display()));
        }
    }
    assert!(failures.is_empty(), "{} of {} failed:\n{}", failures.len(), files.len(), failures.join("\n"));

    let dir = tempfile::tempdir().unwrap();
    for f in files.iter().step_by(24) {
        let toml = dir.path().join("r.toml");
        let out = usbdesc(&["decode", f.to_str().unwrap(), "-o", toml.to_str().unwrap()]);
        assert!(out.status.success(), "{}: {}", f.display(), String::from_utf8_lossy(&out.stderr));
        let expected = input::sniff("x", &std::fs::read(f).unwrap()).unwrap().bytes;
        let out = usbdesc(&["build", toml.to_str().unwrap(), "--emit", "bin"]);
        assert_eq!(out.stdout, expected, "{}: {}", f.display(), String::from_utf8_lossy(&out.stderr));
    }
}

