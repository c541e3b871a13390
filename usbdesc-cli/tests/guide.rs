//! docs/guide.md walks through complete files (`# file: NAME.toml` on their first line): each one
//! must lint clean, so the guide cannot drift from the format.

use std::path::Path;

#[test]
fn every_complete_file_in_the_guide_lints_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let guide = std::fs::read_to_string(root.join("docs/guide.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for block in guide.split("```toml\n").skip(1) {
        let body = block.split("```").next().unwrap();
        if let Some(name) = body.lines().next().and_then(|l| l.strip_prefix("# file: ")) {
            std::fs::write(dir.path().join(name), body).unwrap();
            files.push(name.to_string());
        }
    }
    assert_eq!(files, ["mouse.toml", "composite.toml", "rawhid.toml"]);
    // The report-ID device is also examples/raw-hid-report-ids.toml (used by tests/guide_firmware.rs).
    let raw = std::fs::read_to_string(dir.path().join("rawhid.toml")).unwrap();
    let example = std::fs::read_to_string(root.join("examples/raw-hid-report-ids.toml")).unwrap();
    assert!(example.ends_with(raw.split_once('\n').unwrap().1), "examples/raw-hid-report-ids.toml differs from the guide");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_usbdesc")).current_dir(dir.path()).arg("lint").args(&files).env("NO_COLOR", "1").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && err.ends_with("3 files checked: 0 errors, 0 warnings\n"), "{err}");
}
