//! `decode` writes keys in declaration order with the spec's hex numbers (pages, usages without a
//! name, report IDs), and builds back to the same bytes; `dump` shows a run of identical elements
//! as one `NxB` row.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn usbdesc(args: &[&str], stdin: Option<&str>) -> String {
    let mut c = Command::new(env!("CARGO_BIN_EXE_usbdesc"));
    c.current_dir(root()).args(args).env("NO_COLOR", "1").stdout(Stdio::piped()).stderr(Stdio::piped());
    c.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
    let mut child = c.spawn().unwrap();
    if let Some(text) = stdin {
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), text.as_bytes()).unwrap();
    }
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

const VENDOR: &str = "usbdesc-cli/tests/fixtures/decode/vendor-63.hex";

#[test]
fn decode_writes_declaration_order_and_hex() {
    let toml = usbdesc(&["decode", VENDOR], None);
    let field = &toml[toml.find("[[report.collection.fields]]").unwrap()..];
    assert_eq!(
        field,
        "[[report.collection.fields]]\ninput = [\"data\", \"variable\", \"absolute\"]\nreport_id = 0x5A\nusage = 0x0001\n\
         logical = [0, 255]\nbits = 8\ncount = 63\n"
    );
    assert!(toml.contains("usage = 0x0001\n\n"), "{toml}");
    // Built back, the same bytes.
    let hex = usbdesc(&["build", "-", "--emit", "hex"], Some(&toml));
    let original: String = std::fs::read_to_string(root().join(VENDOR)).unwrap().lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>().join(" ");
    assert_eq!(hex.split_whitespace().collect::<Vec<_>>(), original.split_whitespace().collect::<Vec<_>>());
}

#[test]
fn decode_keeps_usage_min_before_usage_max() {
    let toml = usbdesc(&["decode", "usbdesc-cli/tests/fixtures/boot-keyboard-report.hex"], None);
    let (min, max) = (toml.find("usage_min = \"Keyboard LeftControl\"").unwrap(), toml.find("usage_max = \"Keyboard Right GUI\"").unwrap());
    assert!(min < max, "{toml}");
    assert!(toml.contains("usage_min = 0x0000\nusage_max = \"Keyboard Application\""), "{toml}");
}

#[test]
fn dump_collapses_a_run_of_identical_elements() {
    let dump = usbdesc(&["dump", VENDOR], None);
    let rows: Vec<&str> = dump.lines().filter(|l| l.contains("Vendor Defined Page 0xFF00 / 0x0001")).collect();
    assert_eq!(rows.len(), 1, "{dump}");
    assert!(rows[0].trim_start().starts_with("8   504  63x8 Vendor Defined Page 0xFF00 / 0x0001"), "{}", rows[0]);
    // Elements with different usages keep a row each (the keyboard's modifier bits).
    let kb = usbdesc(&["dump", "examples/keyboard.toml"], None);
    assert!(kb.contains("Keyboard LeftControl") && kb.contains("Keyboard Right GUI"));
}

/// `decode --to rust` prints `#[hid_descriptor]` source; docs/cli.md shows exactly that output.
/// (tests/macro_corpus.rs compiles such source for the whole corpus.)
#[test]
fn decode_to_rust_is_what_the_docs_show() {
    let rust = usbdesc(&["decode", "--to", "rust", "usbdesc-cli/tests/fixtures/mouse.rec"], None);
    assert!(rust.contains("#[::usbdesc_runtime::hid_descriptor]\npub mod report {"), "{rust}");
    assert!(rust.contains("#[hid_report(usage_page = \"Generic Desktop\", usage = \"Mouse\")]"), "{rust}");
    let doc = std::fs::read_to_string(root().join("docs/cli.md")).unwrap();
    assert!(doc.contains(&format!("$ usbdesc decode --to rust usbdesc-cli/tests/fixtures/mouse.rec\n{rust}```")), "docs/cli.md is not the output:\n{rust}");
    // A device has no report source: a usage error naming the way out.
    let o = Command::new(env!("CARGO_BIN_EXE_usbdesc"))
        .current_dir(root())
        .args(["decode", "--to", "rust", "usbdesc-cli/tests/fixtures/keyboard-descriptors.bin"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("`--to rust` writes HID report descriptors"));
}
