//! Every HID diagnostic code has a failing fixture in tests/fixtures/hid/lint/, named after its code;
//! the rendered diagnostics are snapshotted. Fixtures of front-end codes (reading, compiling) must
//! raise no lint (UD41xx, UD8xxx) on top.
use usbdesc_compiler::diag::{render_all, Diagnostics, Source};
use usbdesc_compiler::hid::AttachContext;
use usbdesc_compiler::input::report_document_for;

#[test]
fn every_lint_fixture_raises_its_code() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hid/lint");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    // Every code the HID part can raise (the registry's UD40xx, UD41xx, UD8xxx) has its fixture.
    let hid_codes = usbdesc_compiler::codes::all().iter().map(|c| c.code).filter(|c| ["UD40", "UD41", "UD8"].iter().any(|p| c.starts_with(p)));
    for code in hid_codes {
        let prefix = code.to_ascii_lowercase();
        assert!(files.iter().any(|f| f.file_name().unwrap().to_string_lossy().starts_with(&prefix)), "no fixture for {code}");
    }
    for path in files {
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let code = stem[..6].to_ascii_uppercase();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut d = Diagnostics::new();
        let ctx = AttachContext { in_max_packet: Some(8), out_max_packet: Some(8), ..Default::default() };
        let _ = report_document_for(&text, &ctx, &mut d);
        assert!(d.iter().any(|x| x.code == code), "{stem}: expected {code}, got {:?}", d.iter().map(|x| x.code).collect::<Vec<_>>());
        // A front-end error (reading or compiling the TOML) stops there: no lint restates it.
        let is_lint = |c: &str| c.starts_with("UD41") || c.starts_with("UD8");
        if !is_lint(&code) {
            let lints: Vec<_> = d.iter().filter(|x| is_lint(x.code)).map(|x| x.code).collect();
            assert!(lints.is_empty(), "{stem}: lints after a front-end error: {lints:?}");
        }
        if stem == "ud0006_unknown_usage_page" {
            // The usage names under the unknown page are not reported again.
            assert_eq!(d.iter().count(), 1, "{d:?}");
        }
        let rendered = render_all(&d, &Source::new(format!("fixtures/hid/lint/{stem}.toml"), text));
        insta::assert_snapshot!(stem.clone(), rendered);
    }
}
