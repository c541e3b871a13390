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

/// `(array name, length define in bytes)` of every descriptor array in a header: `uint8_t`
/// arrays and the `uint16_t` string descriptors, each after its `#define NAME_LEN`.
fn c_arrays(header: &str) -> Vec<(String, String)> {
    let mut last_len = String::new();
    let mut v = Vec::new();
    for l in header.lines() {
        if let Some(d) = l.strip_prefix("#define ").and_then(|d| d.split_once(' ')).filter(|(k, _)| k.ends_with("_LEN")) {
            last_len = d.0.to_string();
        }
        let decl = l.strip_prefix("USBDESC_UNUSED static const ");
        if let Some(rest) = decl.and_then(|d| d.strip_prefix("uint8_t ").or_else(|| d.strip_prefix("uint16_t "))) {
            if let Some((name, _)) = rest.split_once('[').filter(|(n, _)| !n.starts_with('*')) {
                v.push((name.to_string(), last_len.clone()));
            }
        }
    }
    v
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
    v.extend(t.vendor.iter().map(|x| (x.title.to_string(), x.bytes.clone())));
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
                "  if (sizeof {name} != {len}) return 1;\n  printf(\"{name}:\");\n  for (i = 0; i < {len}; i++) printf(\" %02x\", ((const unsigned char *){name})[i]);\n  printf(\"\\n\");\n"
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
    format!("{module}\nBUILTIN_PREFIX = bytes(({},))\n{}{harness}", prefix.join(", "), control_helpers())
}

/// tests/support/mpy_ids.py after the module of examples/feature-vendor.toml (report IDs, features).
fn micropython_ids_program() -> String {
    let module = String::from_utf8(build(&root().join("examples/feature-vendor.toml"), "micropython")).unwrap();
    module + &control_helpers() + &std::fs::read_to_string(root().join("usbdesc-cli/tests/support/mpy_ids.py")).unwrap()
}

/// tests/support/mpy_out.py after the module of examples/feather-keyboard.toml (interrupt OUT).
fn micropython_out_program() -> String {
    let module = String::from_utf8(build(&root().join("examples/feather-keyboard.toml"), "micropython")).unwrap();
    module + &control_helpers() + &std::fs::read_to_string(root().join("usbdesc-cli/tests/support/mpy_out.py")).unwrap()
}

/// tests/support/mpy_control.py: SETUP packets and the three stages of a control transfer.
fn control_helpers() -> String {
    std::fs::read_to_string(root().join("usbdesc-cli/tests/support/mpy_control.py")).unwrap()
}

fn run_cpython(program: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("prog.py");
    std::fs::write(&f, program).unwrap();
    let out = std::process::Command::new("python3").arg(&f).output().expect("python3");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    stdout
}

/// MicroPython itself: the WebAssembly port from npm, installed by scripts/install-deps.sh into
/// `$USBDESC_MICROPYTHON_DIR` (default `~/.cache/usbdesc/micropython`).
fn run_micropython(program: &str) -> String {
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
    std::fs::write(&f, program).unwrap();
    let out = std::process::Command::new("node")
        .arg(root().join("usbdesc-cli/tests/support/run_micropython.mjs"))
        .arg(&dir)
        .arg(&f)
        .output()
        .expect("node");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("implementation micropython"), "{stdout}");
    stdout
}

#[test]
fn micropython_module_follows_the_builtin_driver_rules_in_cpython() {
    assert!(run_cpython(&micropython_program()).contains("micropython module OK"));
    assert!(run_cpython(&micropython_ids_program()).contains("micropython report IDs OK"));
    assert!(run_cpython(&micropython_out_program()).contains("micropython interrupt OUT OK"));
}

#[test]
fn micropython_module_runs_in_micropython() {
    assert!(run_micropython(&micropython_program()).contains("micropython module OK"));
    assert!(run_micropython(&micropython_ids_program()).contains("micropython report IDs OK"));
    assert!(run_micropython(&micropython_out_program()).contains("micropython interrupt OUT OK"));
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
        let vendor = |n: &str| t.vendor.iter().find(|x| x.name == n).map(|x| hex(&x.bytes));
        assert_eq!(field("msos20_descriptor_set"), vendor("msos20_descriptor_set"), "{name}");
        assert_eq!(field("webusb_url"), vendor("webusb_url"), "{name}");
        if name == "webusb-winusb.toml" {
            assert!(vendor("msos20_descriptor_set").is_some() && vendor("webusb_url").is_some(), "the example serves both");
        }
        assert_eq!(v["configurations"][0]["other_speed_bytes"].as_str().map(str::to_string), t.other_speed_configuration.as_deref().map(hex), "{name}");
    }
}

#[test]
fn micropython_warns_about_descriptors_config_cannot_serve() {
    let out = Command::cargo_bin("usbdesc").unwrap().args(["build", root().join("examples/webusb-winusb.toml").to_str().unwrap(), "--emit", "micropython"]).env("NO_COLOR", "1").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("UD1105") && err.contains("the Microsoft OS 2.0 descriptor set") && err.contains("the WebUSB landing page"), "{err}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("desc_msos20_descriptor_set = bytes(("));
}

/// The MicroPython module of every corpus device MicroPython can serve, each compiled on its own
/// (`exec`, as an import would; `const()` names are per compilation unit) in one MicroPython run:
/// each runs, and its control_xfer_cb answers GET_DESCRIPTOR(Report) of each HID interface with
/// the report descriptor and STALLs an unknown interface.
#[test]
fn micropython_modules_of_corpus_devices_run_in_micropython() {
    use usbdesc_compiler::input::{load, Model};
    let checks = "\nfor h in _HID:\n    r = memoryview(bytes((0x81, 6, 0, 0x22, h[0], 0, 0xff, 0xff)))\n    assert bytes(control_xfer_cb(1, r)) == h[1]\n\
                  assert control_xfer_cb(1, memoryview(bytes((0x81, 6, 0, 0x22, 0xfe, 0, 0xff, 0xff)))) is False\n";
    let mut modules = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("tests/corpus/config")).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "hex")).collect();
    files.sort();
    for f in files {
        let Some(Model::Device(dev)) = load(&f.display().to_string(), &std::fs::read(&f).unwrap()).model else { continue };
        if usbdesc_compiler::emit::micropython::check(&dev).has_errors() {
            continue;
        }
        let text = usbdesc_compiler::emit::micropython::module(&dev, &f.display().to_string()) + checks;
        modules.push(serde_json::Value::String(text).to_string());
    }
    let n = modules.len();
    assert!(n > 20, "{n}");
    let program = format!("MODULES = [\n{}\n]\nfor i, m in enumerate(MODULES):\n    exec(m, {{}})\nprint(\"modules OK\", len(MODULES))\n", modules.join(",\n"));
    let expect = format!("modules OK {n}");
    assert!(run_cpython(&program).contains(&expect));
    assert!(run_micropython(&program).contains(&expect));
}

/// A file name with a line break stays inside the module's first comment (it cannot become code).
#[test]
fn micropython_module_name_cannot_inject_code() {
    let dev = usbdesc_compiler::compile_file(&root().join("examples/micropython-hid.toml")).unwrap().device.unwrap();
    let text = usbdesc_compiler::emit::micropython::module(&dev, "x.toml\nraise SystemExit\r\n");
    assert!(!text.contains("\nraise SystemExit"), "{}", &text[..200]);
    assert!(run_cpython(&format!("{text}\nprint(\"ran\")\n")).contains("ran"));
}

/// The UAC2 clock defines a C driver answers the host with: gcc reads them into an array whose
/// size is the rate count, and the rates and interface are the declaration's.
#[test]
fn c_header_carries_uac2_clock_rates() {
    let ex = root().join("examples/uac2-headset.toml");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("uac2_headset.h"), build(&ex, "c")).unwrap();
    let dev = usbdesc_compiler::compile_file(&ex).unwrap().device.unwrap();
    let clocks = usbdesc_compiler::class::uac2::clocks(&dev);
    assert!(!clocks.is_empty());
    let mut body = format!("  if (UAC2_HEADSET_AUDIO_CLOCK_COUNT != {}) return 1;\n", clocks.len());
    for c in &clocks {
        let p = format!("UAC2_HEADSET_AUDIO_CLOCK_{}", c.id);
        body += &format!("  {{ static const unsigned long r[] = {p}_RATES;\n    if (sizeof r / sizeof r[0] != {p}_RATE_COUNT || {p}_INTERFACE != {}) return 1;\n    printf(\"{}:\");\n    for (i = 0; i < {p}_RATE_COUNT; i++) printf(\" %lu\", r[i]);\n    printf(\"\\n\"); }}\n", c.interface, c.id);
    }
    let src = dir.path().join("clocks.c");
    std::fs::write(&src, format!("#include <stdio.h>\n#include \"uac2_headset.h\"\nint main(void) {{\n  unsigned i;\n{body}  return 0;\n}}\n")).unwrap();
    let out = std::process::Command::new("gcc").args(["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-o"]).arg(dir.path().join("clocks")).arg(&src).output().expect("gcc");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let run = std::process::Command::new(dir.path().join("clocks")).output().unwrap();
    assert!(run.status.success(), "a count or interface define differs");
    let want: String = clocks.iter().map(|c| format!("{}:{}\n", c.id, c.rates.iter().map(|r| format!(" {r}")).collect::<String>())).collect();
    assert_eq!(String::from_utf8(run.stdout).unwrap(), want);
}
