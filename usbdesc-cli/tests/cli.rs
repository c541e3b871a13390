//! CLI snapshot tests: every subcommand, every input format, bad files. Each snapshot holds the
//! command, the exit code, stdout and stderr. Run from the workspace root so paths are relative.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

const FX: &str = "usbdesc-cli/tests/fixtures";

struct Run {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut cmd = Command::cargo_bin("usbdesc").unwrap();
    cmd.current_dir(dir).args(args).env("NO_COLOR", "1").env_remove("CLICOLOR_FORCE");
    if let Some(s) = stdin {
        cmd.write_stdin(s.to_vec());
    }
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn run(args: &[&str]) -> Run {
    run_in(&root(), args, None)
}

/// Command, exit code, stdout and stderr as one snapshot text.
fn transcript(args: &[&str], r: &Run) -> String {
    format!(
        "$ usbdesc {}\nexit: {}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        r.code,
        String::from_utf8_lossy(&r.stdout),
        r.stderr
    )
}

fn snap(name: &str, args: &[&str], code: i32) {
    let r = run(args);
    assert_eq!(r.code, code, "{}", transcript(args, &r));
    insta::assert_snapshot!(name, transcript(args, &r));
}

// ---------- lint ----------

#[test]
fn lint_examples_clean() {
    snap("lint_examples", &["lint", "examples/keyboard.toml", "examples/mouse.toml", "examples/vendor.toml", "examples/cdc-hid-composite.toml", "examples/micropython-hid.toml"], 0);
}

#[test]
fn lint_bad_toml() {
    snap("lint_bad_keyboard", &["lint", &format!("{FX}/bad-keyboard.toml")], 1);
    snap("lint_bad_device", &["lint", &format!("{FX}/bad-device.toml")], 1);
}

#[test]
fn lint_json() {
    let args = ["lint", "--format", "json", &format!("{FX}/bad-device.toml")];
    let r = run(&args);
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    // wMaxPacketSize 128 on a full-speed interrupt endpoint is a warning: Linux cuts it to 64.
    assert_eq!(v["errors"], 4);
    let d = &v["files"][0]["diagnostics"];
    // In source order: the boot keyboard without key codes (its HID table, line 18), the unclosed
    // collection (line 20), then the endpoint errors.
    assert_eq!(d[0]["code"], "UD2014");
    assert_eq!(d[0]["span"]["line"], 18);
    assert_eq!(d[1]["code"], "UD4102");
    // At the Collection item's hex pairs (`a1 01`) inside the `bytes` string.
    assert_eq!((d[1]["span"]["line"].as_u64(), d[1]["span"]["column"].as_u64()), (Some(20), Some(33)));
    assert_eq!(d[2]["code"], "UD3001");
    assert_eq!(d[2]["span"]["line"], 23);
    assert_eq!(d[2]["span"]["column"], 10);
    insta::assert_snapshot!("lint_json", transcript(&args, &r));
}

#[test]
fn lint_blobs_and_text_formats() {
    snap("lint_formats", &[
        "lint",
        &format!("{FX}/keyboard-descriptors.bin"),
        &format!("{FX}/boot-keyboard-report.hex"),
        &format!("{FX}/tinyusb-cdc-msc.hex"),
        &format!("{FX}/mouse.rec"),
        &format!("{FX}/mouse-report.toml"),
    ], 0);
}

#[test]
fn bad_files() {
    snap("bad_missing", &["lint", "no/such/file.toml"], 2);
    snap("bad_directory", &["dump", "examples"], 2);
    snap("bad_empty", &["lint", &format!("{FX}/empty.toml")], 1);
    snap("bad_garbage", &["dump", &format!("{FX}/garbage.bin")], 1);
    snap("bad_config_only", &["decode", &format!("{FX}/config-only.bin")], 1);
    snap("bad_truncated", &["lint", &format!("{FX}/truncated.hex")], 1);
    snap("bad_mixed", &["lint", "no/such/file.toml", "examples/mouse.toml"], 2);
    snap("bad_build_errors", &["build", &format!("{FX}/bad-device.toml"), "--emit", "c"], 1);
}

#[test]
fn huge_input() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("huge.bin"), vec![0x05u8; 5 * 1024 * 1024]).unwrap();
    let args = ["lint", "huge.bin"];
    let r = run_in(dir.path(), &args, None);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("bad_huge", transcript(&args, &r));
}

#[test]
fn usage_errors() {
    snap("usage_no_subcommand", &[], 2);
    snap("usage_bad_emit", &["build", "examples/keyboard.toml", "--emit", "java"], 2);
    snap("usage_report_to_tinyusb", &["build", &format!("{FX}/mouse.rec"), "--emit", "tinyusb"], 2);
    let r = run(&["--help"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!("help", String::from_utf8_lossy(&r.stdout));
}

// ---------- dump ----------

#[test]
fn dump_keyboard_bit_layout_matches_the_hid_spec() {
    let r = run(&["dump", "examples/keyboard.toml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = String::from_utf8(r.stdout).unwrap();
    // HID 1.11 Appendix B.1: modifiers bits 0-7, reserved byte 8-15, six key codes 16-63;
    // LEDs output bits 0-4, padding 5-7.
    let layout = &text[text.find("Report layout").unwrap()..];
    let rows: Vec<(u32, u32, String)> = layout
        .lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            let off = w.next()?.parse().ok()?;
            let bits = w.next()?.parse().ok()?;
            Some((off, bits, w.collect::<Vec<_>>().join(" ")))
        })
        .collect();
    let input: Vec<_> = rows.iter().take(10).collect();
    for (i, m) in ["LeftControl", "LeftShift", "LeftAlt", "Left GUI", "RightControl", "RightShift", "RightAlt", "Right GUI"].iter().enumerate() {
        assert_eq!((input[i].0, input[i].1), (i as u32, 1));
        assert!(input[i].2.contains(m), "{:?}", input[i]);
    }
    assert_eq!((input[8].0, input[8].1), (8, 8));
    assert!(input[8].2.starts_with("(padding)"));
    assert_eq!((input[9].0, input[9].1), (16, 48));
    assert!(input[9].2.starts_with("6x8 Keyboard/Keypad"));
    let output: Vec<_> = rows.iter().skip(10).take(6).collect();
    for (i, led) in ["Num Lock", "Caps Lock", "Scroll Lock", "Compose", "Kana"].iter().enumerate() {
        assert_eq!((output[i].0, output[i].1), (i as u32, 1));
        assert!(output[i].2.contains(led));
    }
    assert_eq!((output[5].0, output[5].1), (5, 3));
    assert!(text.contains("Input report, no report ID: 64 bits, 8 bytes"));
    assert!(text.contains("Output report, no report ID: 8 bits, 1 byte"));
}

#[test]
fn dump_every_format() {
    snap("dump_keyboard", &["dump", "examples/keyboard.toml"], 0);
    snap("dump_composite", &["dump", "examples/cdc-hid-composite.toml"], 0);
    snap("dump_micropython", &["dump", "examples/micropython-hid.toml"], 0);
    snap("dump_binary_blob", &["dump", &format!("{FX}/keyboard-descriptors.bin")], 0);
    snap("dump_hex_config", &["dump", &format!("{FX}/tinyusb-cdc-msc.hex")], 0);
    snap("dump_hex_report", &["dump", &format!("{FX}/boot-keyboard-report.hex")], 0);
    snap("dump_recorder", &["dump", &format!("{FX}/mouse.rec")], 0);
    snap("dump_report_toml", &["dump", &format!("{FX}/mouse-report.toml")], 0);
}

#[test]
fn dump_json() {
    let r = run(&["dump", "--format", "json", "examples/keyboard.toml"]);
    assert_eq!(r.code, 0);
    let v: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    let c = &v["device"]["configurations"][0];
    assert_eq!(c["total_length"], 34);
    assert_eq!(c["num_interfaces"], 1);
    assert_eq!(c["attributes"], 0xa0);
    let itf = &c["items"][0];
    assert_eq!(itf["num_endpoints"], 1);
    assert_eq!(itf["items"][0]["report_length"], 63);
    assert_eq!(itf["items"][1]["address"], 0x81);
    let layout = &itf["items"][0]["report"]["layout"]["reports"];
    assert_eq!(layout[0]["bits"], 64);
    assert_eq!(layout[0]["fields"][2]["bit_offset"], 16);
    let r = run(&["dump", "--format", "json", &format!("{FX}/mouse.rec")]);
    let v: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    assert_eq!(v["kind"], "report");
    assert_eq!(v["report"]["length"], 50);
    assert_eq!(v["report"]["layout"]["reports"][0]["bytes"], 3);
}

#[test]
fn stdin_dash() {
    let hex = std::fs::read(root().join(FX).join("boot-keyboard-report.hex")).unwrap();
    let args = ["decode", "-"];
    let r = run_in(&root(), &args, Some(&hex));
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("decode_stdin_report", transcript(&args, &r));
}

// ---------- decode / build ----------

#[test]
fn decode_blob_and_build_back() {
    snap("decode_binary_blob", &["decode", &format!("{FX}/keyboard-descriptors.bin")], 0);
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("k.toml");
    let r = run(&["decode", &format!("{FX}/keyboard-descriptors.bin"), "-o", toml.to_str().unwrap()]);
    assert_eq!(r.code, 0);
    let r = run(&["build", toml.to_str().unwrap(), "--emit", "bin"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, std::fs::read(root().join(FX).join("keyboard-descriptors.bin")).unwrap());
}

#[test]
fn build_outputs() {
    snap("build_keyboard_c", &["build", "examples/keyboard.toml", "--emit", "c"], 0);
    snap("build_composite_c", &["build", "examples/cdc-hid-composite.toml", "--emit", "c"], 0);
    snap("build_micropython", &["build", "examples/micropython-hid.toml", "--emit", "micropython"], 0);
    snap("build_keyboard_hex", &["build", "examples/keyboard.toml", "--emit", "hex"], 0);
    snap("build_report_hex", &["build", &format!("{FX}/mouse-report.toml"), "--emit", "hex"], 0);
    snap("build_report_c", &["build", "examples/reports/consumer_control.toml", "--emit", "c"], 0);
    snap("build_vendor_tinyusb", &["build", "examples/feature-vendor.toml", "--emit", "tinyusb"], 0);
    snap("build_keyboard_json", &["build", "examples/keyboard.toml", "--emit", "json"], 0);
    let r = run(&["build", "examples/keyboard.toml", "--emit", "bin"]);
    assert_eq!(r.stdout, std::fs::read(root().join(FX).join("keyboard-descriptors.bin")).unwrap());
}

#[test]
fn build_micropython_refuses_what_it_cannot_serve() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("examples/cdc-hid-composite.toml")).unwrap();
    std::fs::write(dir.path().join("composite.toml"), text).unwrap();
    let args = ["build", "composite.toml", "--emit", "micropython"];
    let r = run_in(dir.path(), &args, None);
    // Translations are dropped with a warning; the module is still written.
    assert_eq!(r.code, 0);
    assert!(r.stderr.contains("UD1104"));
    let two = "[device]\nvid = 1\npid = 2\nmanufacturer = \"Café\"\n\n[[configuration]]\n[[configuration.interface]]\nclass = \"vendor\"\n\n[[configuration]]\n[[configuration.interface]]\nclass = \"vendor\"\n";
    std::fs::write(dir.path().join("two.toml"), two).unwrap();
    let args = ["build", "two.toml", "--emit", "micropython"];
    let r = run_in(dir.path(), &args, None);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("build_micropython_refused", transcript(&args, &r));
}

#[test]
fn emit_rust_gives_the_device_module() {
    let r = run(&["build", "examples/keyboard.toml", "--emit", "rust"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = String::from_utf8(r.stdout).unwrap();
    // The device descriptor of examples/keyboard.toml: bLength 18, DEVICE, bcdUSB 2.00, VID 0x1209.
    assert!(s.contains("pub const DEVICE_DESCRIPTOR: [u8; 18] = [\n    0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x40, 0x09, 0x12,"), "{s}");
    assert!(s.contains("pub const REPORT_DESCRIPTOR: [u8; 63]"), "{s}");
    assert!(s.contains("pub static DEVICE: ::usbdesc_runtime::DeviceDescriptors"), "{s}");
}

// ---------- schema / completions ----------

#[test]
fn schema_file_is_current() {
    let r = run(&["schema"]);
    assert_eq!(r.code, 0);
    let file = std::fs::read_to_string(root().join("schemas/usbdesc.schema.json")).unwrap();
    assert_eq!(String::from_utf8(r.stdout).unwrap(), file, "schemas/usbdesc.schema.json is stale: run `usbdesc schema > schemas/usbdesc.schema.json`");
}

#[test]
fn completions() {
    for shell in ["bash", "zsh", "fish"] {
        let r = run(&["completions", shell]);
        assert_eq!(r.code, 0);
        let s = String::from_utf8(r.stdout).unwrap();
        for sub in ["lint", "dump", "decode", "build", "schema", "micropython"] {
            assert!(s.contains(sub), "{shell} completion lacks {sub}");
        }
    }
}

#[test]
fn colour_only_when_asked() {
    let bad = format!("{FX}/bad-device.toml");
    let mut cmd = Command::cargo_bin("usbdesc").unwrap();
    let out = cmd.current_dir(root()).args(["--color", "always", "lint", &bad]).env_remove("NO_COLOR").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains('\u{1b}'));
    // NO_COLOR against an explicit `--color always`: tests/conventions.rs.
    // Not a terminal: no colour by default.
    let mut cmd = Command::cargo_bin("usbdesc").unwrap();
    let out = cmd.current_dir(root()).args(["lint", &bad]).env_remove("NO_COLOR").output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains('\u{1b}'));
}

#[test]
fn dump_names_class_descriptors() {
    let text = |f: &str| String::from_utf8(run(&["dump", f]).stdout).unwrap();
    let midi = text("examples/midi.toml");
    for l in ["MIDI Streaming Interface Header:", "wTotalLength             65", "bJackType                 2  external", "baSourceID(0)             2", "bNumEmbMIDIJack           1"] {
        assert!(midi.contains(l), "{l}\n{midi}");
    }
    let dfu = text("examples/dfu-runtime.toml");
    assert!(dfu.contains("DFU Functional Descriptor:") && !dfu.contains("(hid)"), "{dfu}");
    assert!(dfu.contains("bmAttributes           0x09  can download, will detach"), "{dfu}");
    let web = text("examples/webusb-winusb.toml");
    for l in [
        "Platform Capability (WebUSB):",
        "PlatformCapabilityUUID         38 b6 08 34 a9 09 a0 47 8b fd a0 76 88 15 b6 65",
        "Microsoft OS 2.0 descriptor set (vendor request 0x02, wValue 0, wIndex 7, 162 bytes):",
        "WebUSB landing page URL descriptor (vendor request 0x01, wValue 1, wIndex 2, 22 bytes):",
        "URL                          \"example.com/usbdesc\"",
        "CompatibleID                 \"WINUSB\"",
        "PropertyName                 \"DeviceInterfaceGUIDs\"",
    ] {
        assert!(web.contains(l), "{l}\n{web}");
    }
}
