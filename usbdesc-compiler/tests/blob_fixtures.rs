//! Every rule on a blob's raw bytes (`check::blob`) has a failing fixture in
//! `tests/fixtures/blob/CODE-name.hex`; `usbdesc lint` on it must report CODE, and the rendered
//! diagnostics are snapshotted.
mod support;
use usbdesc_compiler::{check::blob, input};

fn fixtures() -> Vec<std::path::PathBuf> {
    support::fixture_files("blob", "hex")
}

#[test]
fn every_blob_fixture_reports_its_code() {
    for f in fixtures() {
        let stem = f.file_stem().unwrap().to_string_lossy().to_string();
        let code = &stem[..6];
        let l = input::load(&format!("fixtures/blob/{stem}.hex"), &std::fs::read(&f).unwrap());
        assert!(l.diagnostics.iter().any(|d| d.code == code), "{stem}: expected {code}, got:\n{}", l.render(false));
        insta::with_settings!({ snapshot_path => "snapshots/blob", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(stem, l.render(false));
        });
    }
}

#[test]
fn every_blob_code_has_a_fixture() {
    let names: Vec<String> = fixtures().iter().map(|p| p.file_name().unwrap().to_string_lossy().to_string()).collect();
    for code in blob::CODES {
        assert!(names.iter().any(|n| n.starts_with(code)), "no fixture for {code}");
    }
}
