//! Generated code runs where it is meant to: the C header compiles with gcc -std=c99 -Wall -Werror,
//! the MicroPython module passes the builtin_driver rules under MicroPython (WebAssembly port) and
//! CPython, and every example validates against the JSON Schema.

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

#[test]
fn c_headers_compile_with_gcc_c99_wall_werror() {
    let dir = tempfile::tempdir().unwrap();
    for ex in examples() {
        let stem = ex.file_stem().unwrap().to_str().unwrap().to_string();
        let header = build(&ex, "c");
        let prefix = usbdesc_compiler::emit::c::prefix_from_path(&stem);
        let low = prefix.to_ascii_lowercase();
        std::fs::write(dir.path().join(format!("{stem}.h")), &header).unwrap();
        // Check the length defines, the interface count and the descriptor headers against the bytes
        // at run time (the program exits with the number of the failed check).
        let c = format!(
            "#include \"{stem}.h\"\n#include \"{stem}.h\"\n\
             typedef char check_dev[(sizeof {low}_device_descriptor == {prefix}_DEVICE_DESCRIPTOR_LEN && {prefix}_DEVICE_DESCRIPTOR_LEN == 18) ? 1 : -1];\n\
             int main(void) {{\n  \
             if (({low}_configuration_1[2] | ({low}_configuration_1[3] << 8)) != {prefix}_CONFIGURATION_1_LEN) return 1;\n  \
             if ({low}_configuration_1[1] != 2 || {low}_configuration_1[4] != {prefix}_ITF_COUNT) return 2;\n  \
             if ({low}_device_descriptor[0] != 18 || {low}_device_descriptor[1] != 1) return 3;\n  \
             if ({low}_string_0[0] != {prefix}_STRING_0_LEN || {low}_string_0[1] != 3) return 4;\n  \
             return 0;\n}}\n"
        );
        let src = dir.path().join(format!("{stem}.c"));
        std::fs::write(&src, c).unwrap();
        let out = std::process::Command::new("gcc")
            .args(["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-o"])
            .arg(dir.path().join(&stem))
            .arg(&src)
            .output()
            .expect("gcc (apt-get install gcc)");
        assert!(out.status.success(), "{stem}.h:\n{}\n{}", String::from_utf8_lossy(&header), String::from_utf8_lossy(&out.stderr));
        // Exit code 1..=4 names the failed check in `main` above.
        let run = std::process::Command::new(dir.path().join(&stem)).status().unwrap();
        assert!(run.success(), "{stem}.h: check {:?} failed:\n{}", run.code(), String::from_utf8_lossy(&header));
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

#[test]
fn examples_validate_against_the_schema() {
    let v = validator();
    for ex in examples() {
        let doc = toml_as_json(&std::fs::read_to_string(&ex).unwrap());
        let errors: Vec<String> = v.iter_errors(&doc).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", ex.display());
    }
    // Decoded documents validate too (device with allow list, report field form).
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
