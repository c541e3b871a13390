//! Every check has a failing fixture in `tests/fixtures/check/CODE-name.toml`. Compiling it must
//! report CODE; the rendered diagnostics (rustc-style, with line:column) are snapshotted.
mod support;
use usbdesc_compiler::{codes, compile_str};

fn fixtures() -> Vec<std::path::PathBuf> {
    support::fixture_files("check", "toml")
}

#[test]
fn every_fixture_reports_its_code() {
    let files = fixtures();
    assert!(files.len() >= check_codes().count());
    for f in files {
        let stem = f.file_stem().unwrap().to_string_lossy().to_string();
        let code = &stem[..6];
        let text = std::fs::read_to_string(&f).unwrap();
        let c = compile_str(&format!("fixtures/check/{stem}.toml"), &text);
        assert!(
            c.diagnostics.iter().any(|d| d.code == code),
            "{stem}: expected {code}, got:\n{}",
            c.render()
        );
        // Warnings alone still build the device; any error prevents it.
        assert_eq!(c.device.is_none(), c.diagnostics.has_errors(), "{stem}");
        insta::with_settings!({ snapshot_path => "snapshots/check", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(stem, c.render());
        });
    }
}

/// The registry's codes that a device file can raise: the TOML reader (`UD000x`), numbering
/// (`UD10xx`), chapter 9 (`UD2xxx`), profiles (`UD3xxx`), classes and speeds (`UD5xxx`).
fn check_codes() -> impl Iterator<Item = &'static str> {
    codes::all().iter().map(|c| c.code).filter(|c| ["UD000", "UD10", "UD2", "UD3", "UD5"].iter().any(|p| c.starts_with(p)))
}

#[test]
fn every_check_code_has_a_fixture() {
    let names: Vec<String> = fixtures().iter().map(|p| p.file_name().unwrap().to_string_lossy().to_string()).collect();
    for code in check_codes() {
        assert!(names.iter().any(|n| n.starts_with(code)), "no fixture for {code}");
    }
}
