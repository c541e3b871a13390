//! Generated code runs where it is meant to: the C header compiles with gcc -std=c99 -Wall -Werror,
//! the MicroPython module passes the builtin_driver rules under MicroPython (WebAssembly port) and
//! CPython, and decoded documents validate against the JSON Schema.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn examples() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("examples")).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "toml")).collect();
    v.sort();
    assert!(v.len() >= 5);
    v
}

fn build(file: &Path, emit: &str) -> Vec<u8> {
    let out = Command::cargo_bin("usbdesc").unwrap().args(["build", file.to_str().unwrap(), "--emit", emit]).env("NO_COLOR", "1").output().unwrap();
    assert!(out.status.success(), "{}: {}", file.display(), String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// `(array name, length define)` of every `static const uint8_t NAME[LEN]` in a header.
fn c_arrays(header: &str) -> Vec<(String, String)> {
    header
        .lines()
        .filter_map(|l| l.strip_prefix("static const uint8_t "))
        .filter_map(|l| {
            let (name, rest) = l.split_once('[')?;
            Some((name.to_string(), rest.split_once(']')?.0.to_string()))
        })
        .collect()
}

/// Every descriptor the core produces for a device (runtime tables), as hex text.
fn core_blobs(file: &Path) -> Vec<(String, String)> {
    let c = usbdesc_compiler::compile_file(file).unwrap();
    let t = usbdesc_compiler::tables::RuntimeTables::from_device(c.device.as_ref().unwrap());
    let mut v = vec![("device".to_string(), t.device.clone())];
    v.extend(t.configurations.iter().enumerate().map(|(i, b)| (format!("configuration {}", i + 1), b.clone())));
    v.extend(t.bos.clone().map(|b| ("bos".into(), b)));
    v.extend(t.device_qualifier.clone().map(|b| ("device qualifier".into(), b)));
    v.extend(t.other_speed_configuration.clone().map(|b| ("other-speed configuration".into(), b)));
    v.extend(t.msos20.clone().map(|(_, b)| ("MS OS 2.0 set".into(), b)));
    v.extend(t.webusb_url.clone().map(|(_, b)| ("WebUSB URL".into(), b)));
    v.extend(t.strings.iter().map(|s| (format!("string {} langid {:04x}", s.index, s.langid), s.bytes.clone())));
    v.extend(t.hid.iter().map(|h| (format!("HID report of interface {}", h.interface), h.report_descriptor.clone())));
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<Vec<_>>().join(" ");
    v.into_iter().map(|(k, b)| (k, hex(&b))).collect()
}

#[test]
fn c_headers_compile_with_gcc_c99_wall_werror_and_carry_every_descriptor() {
    let dir = tempfile::tempdir().unwrap();
    for ex in examples() {
        let stem = ex.file_stem().unwrap().to_str().unwrap().to_string();
        let header = build(&ex, "c");
        let header_text = String::from_utf8(header.clone()).unwrap();
        std::fs::write(dir.path().join(format!("{stem}.h")), &header).unwrap();
        // Print every array (checking its length define) so the bytes the C compiler sees can be
        // compared with the core's; including the header twice checks the include guard.
        let mut body = String::new();
        for (name, len) in c_arrays(&header_text) {
            body += &format!(
                "  if (sizeof {name} != {len}) return 1;\n  printf(\"{name}:\");\n  for (i = 0; i < {len}; i++) printf(\" %02x\", {name}[i]);\n  printf(\"\\n\");\n"
            );
        }
        let c = format!("#include <stdio.h>\n#include \"{stem}.h\"\n#include \"{stem}.h\"\nint main(void) {{\n  unsigned i;\n{body}  return 0;\n}}\n");
        let src = dir.path().join(format!("{stem}.c"));
        std::fs::write(&src, c).unwrap();
        let out = std::process::Command::new("gcc")
            .args(["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-o"])
            .arg(dir.path().join(&stem))
            .arg(&src)
            .output()
            .expect("gcc (apt-get install gcc)");
        assert!(out.status.success(), "{stem}.h:\n{header_text}\n{}", String::from_utf8_lossy(&out.stderr));
        let run = std::process::Command::new(dir.path().join(&stem)).output().unwrap();
        assert!(run.status.success(), "{stem}: a length define differs from its array");
        let printed: Vec<String> = String::from_utf8(run.stdout).unwrap().lines().map(|l| l.split_once(": ").map(|x| x.1.to_string()).unwrap_or_default()).collect();
        for (what, bytes) in core_blobs(&ex) {
            assert!(printed.contains(&bytes), "{stem}.h has no array holding the core's {what}: {bytes}");
        }
        // The interface count enum equals bNumInterfaces of configuration 1.
        let prefix = usbdesc_compiler::emit::c::prefix_from_path(&stem);
        let count = header_text.lines().find_map(|l| l.trim().strip_prefix(&format!("{prefix}_ITF_COUNT = "))).map(|x| x.trim_end_matches(',').to_string());
        let cfg = usbdesc_compiler::compile_file(&ex).unwrap().device.map(|d| usbdesc_compiler::encode::configuration(&d, 0)).unwrap();
        assert_eq!(count, Some(cfg[4].to_string()), "{stem}: {prefix}_ITF_COUNT");
    }
}

/// The harness (tests/support/mpy_harness.py) after the generated module, with the preset's
/// built-in descriptors taken from the core (not from the emitter).
fn micropython_program() -> String {
    let module = String::from_utf8(build(&root().join("examples/micropython-hid.toml"), "micropython")).unwrap();
    let prefix: Vec<String> = usbdesc_compiler::builtin::MICROPYTHON_CDC.config_bytes.iter().map(|b| b.to_string()).collect();
    let harness = std::fs::read_to_string(root().join("usbdesc-cli/tests/support/mpy_harness.py")).unwrap();
    format!("{module}\nBUILTIN_PREFIX = bytes(({},))\n{harness}", prefix.join(", "))
}

#[test]
fn micropython_module_follows_the_builtin_driver_rules_in_cpython() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("prog.py");
    std::fs::write(&f, micropython_program()).unwrap();
    let out = std::process::Command::new("python3").arg(&f).output().expect("python3");
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("micropython module OK"));
}

/// MicroPython itself: the WebAssembly port from npm, installed by scripts/install-deps.sh into
/// `$USBDESC_MICROPYTHON_DIR` (default `~/.cache/usbdesc/micropython`).
#[test]
fn micropython_module_runs_in_micropython() {
    let dir = std::env::var("USBDESC_MICROPYTHON_DIR").map(PathBuf::from).unwrap_or_else(|_| {
        PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/usbdesc/micropython")
    });
    assert!(
        dir.join("node_modules/@micropython/micropython-webassembly-pyscript").is_dir(),
        "MicroPython not found in {}: run scripts/install-deps.sh",
        dir.display()
    );
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("prog.py");
    std::fs::write(&f, micropython_program()).unwrap();
    let out = std::process::Command::new("node")
        .arg(root().join("usbdesc-cli/tests/support/run_micropython.mjs"))
        .arg(&dir)
        .arg(&f)
        .output()
        .expect("node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("micropython module OK") && stdout.contains("implementation micropython"), "{stdout}");
}

fn validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(root().join("schemas/usbdesc.schema.json")).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn toml_as_json(text: &str) -> serde_json::Value {
    toml::from_str(text).unwrap()
}

/// Every example validates: tests/schema_editors.rs (with jsonschema and taplo).
#[test]
fn decoded_documents_validate_against_the_schema() {
    let v = validator();
    // Decoded documents validate (device with allow list, report field form).
    for f in ["usbdesc-cli/tests/fixtures/mouse-report.toml"] {
        let doc = toml_as_json(&std::fs::read_to_string(root().join(f)).unwrap());
        assert!(v.is_valid(&doc), "{f}");
    }
    let decoded = Command::cargo_bin("usbdesc").unwrap().args(["decode"]).arg(root().join("usbdesc-cli/tests/fixtures/tinyusb-cdc-msc.hex")).output().unwrap();
    let doc = toml_as_json(&String::from_utf8(decoded.stdout).unwrap());
    let errors: Vec<String> = v.iter_errors(&doc).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn schema_rejects_what_the_front_end_rejects() {
    let v = validator();
    for bad in [
        "[device]\nvid = 1\npid = 2\nprodcut = \"x\"\n",
        "[device]\nvid = 0x10000\npid = 2\n",
        "[device]\npid = 2\n",
        "target = \"esp32\"\n[device]\nvid = 1\npid = 2\n",
        "[device]\nvid = 1\npid = 2\n[[configuration]]\n[[configuration.interface]]\n[[configuration.interface.endpoint]]\ndirection = \"sideways\"\ntransfer = \"bulk\"\nmax_packet_size = 64\n",
    ] {
        assert!(!v.is_valid(&toml_as_json(bad)), "accepted: {bad}");
        assert!(usbdesc_compiler::compile_str("x", bad).diagnostics.has_errors(), "front end accepted: {bad}");
    }
}

#[test]
fn json_carries_bos_msos20_webusb_and_dual_speed_descriptors() {
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<Vec<_>>().join(" ");
    for name in ["webusb-winusb.toml", "hs-composite.toml"] {
        let file = root().join("examples").join(name);
        let v: serde_json::Value = serde_json::from_slice(&build(&file, "json")).unwrap();
        let dev = usbdesc_compiler::compile_file(&file).unwrap().device.unwrap();
        let t = usbdesc_compiler::tables::RuntimeTables::from_device(&dev);
        let field = |k: &str| v[k]["bytes"].as_str().map(str::to_string);
        assert_eq!(field("bos_descriptor"), t.bos.as_deref().map(hex), "{name}");
        assert_eq!(field("device_qualifier"), t.device_qualifier.as_deref().map(hex), "{name}");
        assert_eq!(field("msos20_descriptor_set"), t.msos20.as_ref().map(|x| hex(&x.1)), "{name}");
        assert_eq!(field("webusb_url_descriptor"), t.webusb_url.as_ref().map(|x| hex(&x.1)), "{name}");
        assert_eq!(v["configurations"][0]["other_speed_bytes"].as_str().map(str::to_string), t.other_speed_configuration.as_deref().map(hex), "{name}");
    }
}

#[test]
fn micropython_warns_about_descriptors_config_cannot_serve() {
    let out = Command::cargo_bin("usbdesc").unwrap().args(["build", root().join("examples/webusb-winusb.toml").to_str().unwrap(), "--emit", "micropython"]).env("NO_COLOR", "1").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("UD1105") && err.contains("MS OS 2.0"), "{err}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("desc_msos20 = bytes(("));
}
