//! Finding names and reading about codes: `usbdesc usages`, `usbdesc explain`, and the "did you
//! mean" of an unknown usage name.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn run(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_usbdesc")).current_dir(root()).args(args).env("NO_COLOR", "1").stdin(Stdio::null()).output().unwrap();
    (o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stdout).into(), String::from_utf8_lossy(&o.stderr).into())
}

#[test]
fn usages_lists_pages_and_usages() {
    let (code, pages, _) = run(&["usages"]);
    assert_eq!(code, 0);
    for l in ["0x0001  Generic Desktop", "0x0007  Keyboard/Keypad", "0x0009  Button", "0x000C  Consumer"] {
        assert!(pages.lines().any(|x| x == l), "{l}\n{pages}");
    }
    // By name in any spelling, or by number.
    for arg in ["Generic Desktop", "generic-desktop", "0x01", "1"] {
        let (code, gd, err) = run(&["usages", arg]);
        assert_eq!(code, 0, "{arg}: {err}");
        assert!(gd.starts_with("# Generic Desktop (0x0001)"), "{gd}");
        assert!(gd.lines().any(|l| l == "0x0030  X") && gd.lines().any(|l| l == "0x0002  Mouse"), "{arg}");
    }
    let (_, vol, _) = run(&["usages", "consumer", "--search", "VOLUME INC"]);
    assert_eq!(vol, "# Consumer (0x000C): usage = \"Name\" or the number.\n0x00E9  Volume Increment\n");
    // Without a page, every page is searched.
    let (_, any, _) = run(&["usages", "--search", "Volume Increment"]);
    assert!(any.lines().any(|l| l == "0x000C 0x00E9  Consumer / Volume Increment"), "{any}");
    let (code, _, err) = run(&["usages", "Generic Dsktop"]);
    assert_eq!(code, 2);
    assert_eq!(err, "error: unknown usage page \"Generic Dsktop\": did you mean \"Generic Desktop\"? `usbdesc usages` lists the pages\n");
}

#[test]
fn unknown_usage_name_gets_a_suggestion() {
    let (code, _, err) = run(&["lint", "usbdesc-cli/tests/fixtures/discovery/mouse-button.toml"]);
    assert_eq!(code, 1);
    assert!(err.contains("\"Mouse Button\" is not a usage on page Button"), "{err}");
    let (_, json, _) = run(&["lint", "--format", "json", "usbdesc-cli/tests/fixtures/discovery/mouse-button.toml"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["files"][0]["diagnostics"][0]["help"],
        "did you mean \"Button 1\"? A number 0..=0xFFFF is also accepted; `usbdesc usages \"Button\"` lists them"
    );
}

#[test]
fn explain_prints_the_registry_entry() {
    let (code, text, _) = run(&["explain", "UD1002"]);
    assert_eq!(code, 0);
    let entry = usbdesc_compiler::codes::find("UD1002").unwrap();
    assert_eq!(text, format!("UD1002 alternate-settings\n\n{}\n", entry.explanation));
    assert!(text.contains("\nBad:\n") && text.contains("\nFixed:\n") && text.contains("alternate = 1"));
    // The same entry by lower case, by number and by name.
    for alias in ["ud1002", "1002", "alternate-settings"] {
        assert_eq!(run(&["explain", alias]).1, text, "{alias}");
    }
    let (code, _, err) = run(&["explain", "UD9999"]);
    assert_eq!((code, err.as_str()), (2, "error: no diagnostic code `UD9999`: `usbdesc explain` lists them\n"));
}

#[test]
fn explain_without_a_code_lists_every_code() {
    let (_, index, _) = run(&["explain"]);
    let all = usbdesc_compiler::codes::all();
    assert_eq!(index.lines().count(), all.len() + 1);
    for c in all {
        assert!(index.contains(&format!("{}  {:<32} {}\n", c.code, c.name, c.summary)), "{}", c.code);
    }
}

#[test]
fn lint_help_points_at_explain() {
    let (_, help, _) = run(&["--help"]);
    let lint = help.lines().find(|l| l.trim_start().starts_with("lint")).unwrap();
    let next = help.lines().skip_while(|l| *l != lint).nth(1).unwrap();
    assert!(format!("{lint} {next}").contains("usbdesc explain"), "{help}");
    let (_, lint_help, _) = run(&["lint", "--help"]);
    assert!(lint_help.contains("usbdesc explain UD1002"), "{lint_help}");
}
