//! Issue 15, hostile input: each case the issue lists, through the real binary. Behaviour only
//! (exit code, the diagnostic code, output bounded linearly in the input); timing lives in
//! `cargo xtask bench --growth`. Inputs come from `usbdesc_tests::hostile`.

use assert_cmd::Command;
use usbdesc_tests::hostile;

struct Run {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

/// `usbdesc ARGS FILE` with `data` written to a temporary FILE named `name`.
fn run(args: &[&str], name: &str, data: &[u8]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, data).unwrap();
    let out = Command::cargo_bin("usbdesc").unwrap().args(args).arg(&path).env("NO_COLOR", "1").output().unwrap();
    Run { code: out.status.code().unwrap_or(-1), stdout: out.stdout, stderr: String::from_utf8_lossy(&out.stderr).into_owned() }
}

/// Output linear in the input: at most `per_byte` bytes per input byte, plus 64 KiB.
fn assert_bounded(r: &Run, input: usize, per_byte: usize) {
    let total = r.stdout.len() + r.stderr.len();
    assert!(total <= per_byte * input + (64 << 10), "{total} bytes of output for {input} bytes of input");
}

fn errors(r: &Run, code: &str) -> usize {
    r.stderr.matches(&format!("error[{code}]")).count()
}

#[test]
fn deeply_nested_collections_are_bounded() {
    // 40,000 deep (120 KB) was 1.6 GB of dump indentation, then `memory allocation of 4294967296
    // bytes failed` in dump::report; `decode` overflowed the stack. Now over the 65535-byte limit
    // of a report descriptor: refused with UD2011.
    let data = hostile::nested_blob(40_000);
    for cmd in [&["dump"][..], &["decode"], &["lint"]] {
        let r = run(cmd, "nested.bin", &data);
        assert_eq!((r.code, errors(&r, "UD2011")), (1, 1), "{cmd:?}: {}", r.stderr);
    }
    // 20,000 deep (60 KB) is within the 16-bit limit: every subcommand works, output linear.
    // (Linux refuses report descriptors over 4096 bytes: `lint` says so, UD4158, and exits 1.)
    let data = hostile::nested_blob(20_000);
    for cmd in [&["dump"][..], &["decode"], &["lint"], &["build", "--emit", "json"]] {
        let r = run(cmd, "nested.bin", &data);
        let want = if cmd == ["lint"] { 1 } else { 0 };
        assert_eq!(r.code, want, "{cmd:?}: {}", r.stderr);
        if want == 1 {
            assert_eq!(errors(&r, "UD4158"), 1, "{}", r.stderr);
        }
        assert_bounded(&r, data.len(), 100);
    }
    // `decode` prints it as `bytes` (over 8,000 items; the field form is also at most 64 deep) and
    // `build` reads that back to the same bytes.
    let r = run(&["decode"], "nested.bin", &data);
    let back = run(&["build", "--emit", "bin"], "nested.toml", &r.stdout);
    assert_eq!((back.code, back.stdout), (0, data), "{}", back.stderr);
}

#[test]
fn a_4_gb_report_is_a_lint_error_not_an_abort() {
    // Report Size 0xFF000000 × Report Count 8. Was: lint clean, `build --emit rust` aborted
    // allocating 102,676,561,920 bytes.
    let toml = hostile::report_toml(&[0x77, 0x00, 0x00, 0x00, 0xff, 0x95, 0x08, 0x81, 0x01]);
    let lint = run(&["lint"], "big.toml", &toml);
    assert_eq!(lint.code, 1, "{}", lint.stderr);
    assert_eq!(errors(&lint, "UD4159"), 1, "{}", lint.stderr);
    for emit in ["rust", "c", "micropython", "json", "bin"] {
        let r = run(&["build", "--emit", emit], "big.toml", &toml);
        assert_eq!((r.code, r.stdout.len()), (1, 0), "--emit {emit}: {}", r.stderr);
        assert!(r.stderr.contains("UD4159"), "{}", r.stderr);
    }
    // The same bytes as a report descriptor file: a decoded blob keeps its model, with the error.
    let blob = run(&["lint"], "big.bin", &[0x77, 0x00, 0x00, 0x00, 0xff, 0x95, 0x08, 0x81, 0x01]);
    assert_eq!((blob.code, errors(&blob, "UD4159")), (1, 1), "{}", blob.stderr);
}

#[test]
fn elements_wider_than_64_bits_do_not_overflow() {
    // Report Size 0x26007777 × 15: was `attempt to add with overflow` in emit/rust/report.rs.
    let toml = hostile::report_toml(&[0x77, 0x77, 0x00, 0x00, 0x26, 0x95, 0x0f, 0xb1, 0x00]);
    let r = run(&["build", "--emit", "rust"], "wide.toml", &toml);
    assert_eq!((r.code, errors(&r, "UD4159")), (1, 1), "{}", r.stderr);
    // 2,015 elements of 65 bits (16,373 bytes) are fine and generate.
    let mut ok = vec![0x05, 0x01, 0x09, 0x02, 0xa1, 0x01, 0x09, 0x30, 0x75, 65, 0x96];
    ok.extend(2015u16.to_le_bytes());
    ok.extend([0xb1, 0x02, 0xc0]);
    let toml = hostile::report_toml(&ok);
    let r = run(&["build", "--emit", "rust"], "wide.toml", &toml);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(String::from_utf8_lossy(&r.stdout).contains("pub x_2014_hi: u8"));
    assert_bounded(&r, toml.len(), 20_000);
}

#[test]
fn more_than_256_interfaces_is_one_error_about_the_8_bit_limit() {
    for n in [300, 20_000] {
        let r = run(&["lint"], "many.toml", &hostile::interfaces_toml(n));
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert_eq!(errors(&r, "UD1011"), 1, "{}", r.stderr);
        assert!(!r.stderr.contains("declared twice"), "{}", r.stderr);
        assert!(r.stderr.contains("1 error"), "{}", r.stderr);
    }
    // 100,000 (2.8 MiB) is over the TOML node budget: refused before parsing, one error.
    let r = run(&["lint"], "many.toml", &hostile::interfaces_toml(100_000));
    assert_eq!((r.code, errors(&r, "UD0008")), (1, 1), "{}", r.stderr);
    let r = run(&["lint"], "ok.toml", &hostile::interfaces_toml(256));
    assert_eq!(errors(&r, "UD1011"), 0, "{}", r.stderr);
}

#[test]
fn latin1_toml_is_an_encoding_error() {
    let r = run(&["lint"], "latin1.toml", b"target = \"generic-fs\"\n[device]\nvid = 0x1209\npid = 1\nmanufacturer = \"M\xfcller\"\n");
    assert_eq!(r.code, 1);
    assert_eq!(errors(&r, "UD0105"), 1, "{}", r.stderr);
    assert!(r.stderr.contains("latin1.toml:5:18"), "{}", r.stderr);
    assert!(!r.stderr.contains("hex view"), "{}", r.stderr);
}

#[test]
fn decode_of_a_bare_device_descriptor_says_why_it_prints_no_toml() {
    let dev = [0x12, 0x01, 0x00, 0x02, 0, 0, 0, 0x40, 0x09, 0x12, 0x01, 0x00, 0x00, 0x01, 0x01, 0x02, 0x03, 0x01];
    let r = run(&["decode"], "dev.bin", &dev);
    assert_eq!((r.code, r.stdout.len(), errors(&r, "UD6008")), (1, 0, 1), "{}", r.stderr);
    // `dump` still shows its fields.
    let r = run(&["dump"], "dev.bin", &dev);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn report_descriptors_over_65535_bytes_are_refused() {
    let data = hostile::report_blob(1 << 20);
    for cmd in [&["lint"][..], &["dump"], &["decode"], &["build", "--emit", "hex"]] {
        let r = run(cmd, "big.bin", &data);
        assert_eq!(r.code, 1, "{cmd:?}: {}", r.stderr);
        assert_eq!(errors(&r, "UD2011"), 1, "{}", r.stderr);
        assert!(r.stdout.len() + r.stderr.len() < 4096, "{cmd:?}: {} bytes", r.stderr.len());
    }
    // Just under the limit: decoded, dumped and printed.
    let data = hostile::report_blob(65_000);
    let r = run(&["decode"], "ok.bin", &data);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_bounded(&r, data.len(), 40);
}

#[test]
fn many_diagnostics_render_in_bounded_output() {
    // 10,000 unknown keys: all counted, the first 5,000 (diag::MAX_KEPT) shown, then one note.
    let data = hostile::diagnostics_toml(10_000);
    let r = run(&["lint"], "keys.toml", &data);
    assert_eq!((r.code, errors(&r, "UD0002")), (1, 5_000));
    assert!(r.stderr.contains("note: 5000 more diagnostics not shown (only the first 5000 are kept): UD0002 × 5000"), "{}", &r.stderr[r.stderr.len() - 400..]);
    assert!(r.stderr.contains("1 file checked: 10000 errors, 0 warnings"));
    assert_bounded(&r, data.len(), 100);
    let r = run(&["lint", "--format", "json"], "keys.toml", &data);
    let v: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    // All counted, 5,000 listed.
    let listed = v["files"][0]["diagnostics"].as_array().unwrap();
    assert_eq!((v["errors"].as_u64(), listed.len()), (Some(10_000), 5_000));
    // Line numbers come from the line index: key `xN` is on line 6 + N.
    for d in listed.iter().step_by(997) {
        let n: u64 = d["message"].as_str().unwrap().trim_start_matches("unknown key `device.x").trim_end_matches('`').parse().unwrap();
        assert_eq!(d["span"]["line"], 6 + n, "{d}");
    }
}

#[test]
fn a_diagnostic_on_a_long_bytes_string_shows_a_few_lines_of_it() {
    // Input items larger than the 64-byte endpoint: one error per report, each spanning the whole
    // 1,700-line `bytes` string. Was: every error printed the whole string.
    let mut report = vec![0x05, 0x01, 0x09, 0x02, 0xa1, 0x01];
    for id in 1..=40u8 {
        report.extend([0x85, id, 0x09, 0x30, 0x75, 0x08, 0x96, 0x00, 0x01, 0x81, 0x02]);
    }
    report.push(0xc0);
    report.extend(std::iter::repeat_n([0x05, 0x01], 25_000).flatten());
    let toml = hostile::report_toml(&report);
    let r = run(&["lint"], "long.toml", &toml);
    assert_eq!(r.code, 1);
    assert_eq!(errors(&r, "UD4141"), 40, "{}", r.stderr);
    assert!(r.stderr.lines().count() < 40 * 30, "{} lines", r.stderr.lines().count());
}

#[test]
fn device_blobs_of_more_than_8192_descriptors_are_refused() {
    // 466,000 interface descriptors in 4 MiB took 1.2 GB and 3 s of CPU for `build --emit json`.
    let data = hostile::descriptors_blob(9_000);
    for cmd in [&["lint"][..], &["dump"], &["build", "--emit", "json"]] {
        let r = run(cmd, "many.bin", &data);
        assert_eq!((r.code, errors(&r, "UD6009")), (1, 1), "{cmd:?}: {}", r.stderr);
    }
    // 8,000 decode, dump and print back to the same bytes.
    let data = hostile::descriptors_blob(8_000);
    let r = run(&["decode"], "ok.bin", &data);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let back = run(&["build", "--emit", "bin"], "ok.toml", &r.stdout);
    assert_eq!((back.code, back.stdout == data), (0, true), "{}", back.stderr);
}
