//! `--emit c` and `--emit tinyusb` with gcc: every header compiles on its own (`-x c -c`, C99 and
//! C++17, `-Wall -Wextra -Werror -pedantic`), every TinyUSB file compiles against our own
//! declarations of TinyUSB's callbacks (tests/support/tusb_callbacks.h) and links into a checker
//! (tests/support/tusb_check.c) that calls every callback for every index and compares with the
//! compiler's bytes, passed as expectation lines on stdin.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use usbdesc_compiler::tables::RuntimeTables;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn support() -> PathBuf {
    root().join("usbdesc-cli/tests/support")
}

fn inputs(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join(dir)).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "toml")).collect();
    v.sort();
    assert!(!v.is_empty(), "{dir}");
    v
}

fn build(file: &Path, emit: &str, out: &Path) {
    let r = Command::cargo_bin("usbdesc").unwrap().args(["build", file.to_str().unwrap(), "--emit", emit, "-o", out.to_str().unwrap()]).env("NO_COLOR", "1").output().unwrap();
    assert!(r.status.success(), "{} --emit {emit}: {}", file.display(), String::from_utf8_lossy(&r.stderr));
}

fn cc(compiler: &str, args: &[&str], files: &[&Path]) {
    let out = std::process::Command::new(compiler).args(args).args(files).output().unwrap_or_else(|e| panic!("{compiler}: {e} (apt-get install gcc g++)"));
    assert!(out.status.success(), "{compiler} {args:?} {files:?}:\n{}", String::from_utf8_lossy(&out.stderr));
}

const C99: &[&str] = &["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic"];
const CXX17: &[&str] = &["-std=c++17", "-Wall", "-Wextra", "-Werror", "-pedantic"];

/// A header on its own, as C99 and as C++17, once per example device and `[report]` document.
#[test]
fn c_headers_compile_on_their_own_as_c99_and_cxx17() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = inputs("examples");
    files.extend(inputs("examples/reports"));
    for f in files {
        let h = dir.path().join(format!("{}.h", f.file_stem().unwrap().to_str().unwrap()));
        build(&f, "c", &h);
        let o = dir.path().join("x.o");
        cc("gcc", &[C99, &["-x", "c", "-c", "-o", o.to_str().unwrap()]].concat(), &[&h]);
        cc("g++", &[CXX17, &["-x", "c++", "-c", "-o", o.to_str().unwrap()]].concat(), &[&h]);
    }
}

/// A report document's header: the defines equal the compiler's layout.
#[test]
fn report_header_defines_ids_and_lengths() {
    let dir = tempfile::tempdir().unwrap();
    let f = root().join("examples/reports/mouse.toml");
    let h = dir.path().join("mouse.h");
    build(&f, "c", &h);
    let text = std::fs::read_to_string(&h).unwrap();
    let loaded = usbdesc_compiler::input::load("mouse.toml", &std::fs::read(&f).unwrap());
    let Some(usbdesc_compiler::input::Model::Report(r)) = loaded.model else { panic!("a report document") };
    let bytes = r.encode();
    assert!(text.contains(&format!("#define MOUSE_REPORT_DESCRIPTOR_LEN {}\n", bytes.len())), "{text}");
    for rep in r.layout().reports {
        let kind = format!("{:?}", rep.kind).to_ascii_uppercase();
        let name = match rep.id {
            Some(id) => format!("MOUSE_{kind}_{id}_LEN"),
            None => format!("MOUSE_{kind}_LEN"),
        };
        assert!(text.contains(&format!("#define {name} {}\n", rep.bytes)), "{name} in {text}");
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Expectation lines for tusb_check.c: every callback at every index (and one past the end).
fn expectations(t: &RuntimeTables, languages: &[u16]) -> String {
    let mut v = vec![format!("device 0 0 {}", hex(&t.device))];
    for (i, c) in t.configurations.iter().enumerate() {
        v.push(format!("configuration {i} 0 {}", hex(c)));
    }
    v.push(format!("configuration {} 0 NULL", t.configurations.len()));
    v.push("configuration 255 0 NULL".into());
    let top = t.strings.iter().map(|s| s.index).max().unwrap_or(0);
    for s in &t.strings {
        if s.index == 0 {
            v.push(format!("string 0 0 {}", hex(&s.bytes)));
            v.push(format!("string 0 0409 {}", hex(&s.bytes)));
        } else {
            v.push(format!("string {} {:04x} {}", s.index, s.langid, hex(&s.bytes)));
            // A LANGID the device does not declare gets the first language.
            if Some(&s.langid) == languages.first() {
                v.push(format!("string {} 7fff {}", s.index, hex(&s.bytes)));
            }
        }
    }
    for i in 1..top {
        if !t.strings.iter().any(|s| s.index == i) {
            v.push(format!("string {i} 0409 NULL"));
        }
    }
    v.push(format!("string {} 0409 NULL", top as u32 + 1));
    v.push("string 255 0409 NULL".into());
    if !t.hid.is_empty() {
        for (i, h) in t.hid.iter().enumerate() {
            v.push(format!("hid {i} 0 {}", hex(&h.report_descriptor)));
        }
        v.push(format!("hid {} 0 NULL", t.hid.len()));
    }
    if let Some(b) = &t.bos {
        v.push(format!("bos 0 0 {}", hex(b)));
    }
    if let Some(b) = &t.device_qualifier {
        v.push(format!("qualifier 0 0 {}", hex(b)));
    }
    if let Some(b) = &t.other_speed_configuration {
        v.push(format!("other_speed 0 0 {}", hex(b)));
        v.push("other_speed 1 0 NULL".into());
    }
    v.join("\n") + "\n"
}

#[test]
fn tinyusb_callbacks_return_the_compilers_bytes_for_every_index() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let inc = format!("-I{}", support().display());
    let checker_o = d.join("tusb_check.o");
    cc("gcc", &["-std=c99", "-Wall", "-Werror", &inc, "-c", "-o", checker_o.to_str().unwrap()], &[&support().join("tusb_check.c")]);
    let mut total = 0;
    for f in inputs("examples") {
        let stem = f.file_stem().unwrap().to_str().unwrap().to_string();
        let src = d.join(format!("{stem}_tusb.c"));
        build(&f, "tinyusb", &src);
        let o = d.join(format!("{stem}_tusb.o"));
        // Our declarations first: a callback defined with another signature is a compile error.
        let decls = support().join("tusb_callbacks.h");
        let strict = ["-Wmissing-prototypes", "-include", decls.to_str().unwrap()];
        cc("gcc", &[C99, &strict, &["-c", "-o", o.to_str().unwrap()]].concat(), &[&src]);
        cc("g++", &[CXX17, &["-include", decls.to_str().unwrap(), "-x", "c++", "-c", "-o"], &[d.join("x.o").to_str().unwrap()]].concat(), &[&src]);
        let exe = d.join(&stem);
        cc("gcc", &["-o", exe.to_str().unwrap()], &[&checker_o, &o]);

        let dev = usbdesc_compiler::compile_file(&f).unwrap().device.unwrap();
        let t = RuntimeTables::from_device(&dev);
        let lines = expectations(&t, &dev.languages);
        let mut child = std::process::Command::new(&exe).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), lines.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{stem}: {stdout}\nexpectations:\n{lines}");
        let n: usize = stdout.trim().strip_prefix("checked ").unwrap().parse().unwrap();
        assert_eq!(n, lines.lines().count(), "{stem}");
        total += n;
    }
    assert!(total > 100, "{total}");
    eprintln!("tinyusb: {total} callback calls checked against the compiler's bytes");
}

/// With tusb_config.h seen first, a count too small for the device is a compile error.
#[test]
fn tinyusb_file_checks_tusb_config_counts() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("c.c");
    build(&root().join("examples/cdc-hid-composite.toml"), "tinyusb", &src);
    let o = dir.path().join("c.o");
    let run = |defs: &[&str]| std::process::Command::new("gcc").args(C99).args(defs).args(["-c", "-o", o.to_str().unwrap()]).arg(&src).output().unwrap();
    assert!(run(&["-DCFG_TUD_HID=1", "-DCFG_TUD_CDC=1", "-DCFG_TUD_ENDPOINT0_SIZE=64"]).status.success());
    let bad = run(&["-DCFG_TUD_HID=0", "-DCFG_TUD_CDC=1"]);
    assert!(!bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("CFG_TUD_HID >= 1"));
    let bad = run(&["-DCFG_TUD_ENDPOINT0_SIZE=8"]);
    assert!(!bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("CFG_TUD_ENDPOINT0_SIZE"));
    let text = std::fs::read_to_string(&src).unwrap();
    assert!(text.contains("     #define CFG_TUD_CDC 1\n") && text.contains("     #define CFG_TUD_HID 1\n") && text.contains("     #define CFG_TUD_HID_EP_BUFSIZE 8\n"), "{text}");
}

/// The class driver counts: built-in interfaces count (they are in the configuration TinyUSB
/// serves), a MIDI function is MIDI and not Audio, DFU run-time and DFU mode are told apart.
#[test]
fn tinyusb_counts_per_class_driver() {
    let counts = |name: &str| -> Vec<(String, u32)> {
        let dev = usbdesc_compiler::compile_file(&root().join("examples").join(name)).unwrap().device.unwrap();
        usbdesc_compiler::emit::tinyusb::config_counts(&dev).into_iter().filter(|c| c.value > 0).map(|c| (c.name.to_string(), c.value)).collect()
    };
    let v = |x: &[(&str, u32)]| x.iter().map(|(k, n)| (k.to_string(), *n)).collect::<Vec<_>>();
    assert_eq!(counts("micropython-hid.toml"), v(&[("CFG_TUD_ENDPOINT0_SIZE", 64), ("CFG_TUD_CDC", 1), ("CFG_TUD_HID", 1), ("CFG_TUD_HID_EP_BUFSIZE", 8)]));
    assert_eq!(counts("midi.toml"), v(&[("CFG_TUD_ENDPOINT0_SIZE", 64), ("CFG_TUD_MIDI", 1)]));
    assert_eq!(counts("msc.toml"), v(&[("CFG_TUD_ENDPOINT0_SIZE", 64), ("CFG_TUD_MSC", 1)]));
    assert_eq!(counts("dfu-mode.toml"), v(&[("CFG_TUD_ENDPOINT0_SIZE", 64), ("CFG_TUD_DFU", 1)]));
    assert_eq!(counts("dfu-runtime.toml"), v(&[("CFG_TUD_ENDPOINT0_SIZE", 64), ("CFG_TUD_VENDOR", 1), ("CFG_TUD_DFU_RUNTIME", 1)]));
    assert_eq!(counts("feature-vendor.toml"), v(&[("CFG_TUD_ENDPOINT0_SIZE", 16), ("CFG_TUD_HID", 1), ("CFG_TUD_HID_EP_BUFSIZE", 8)]));
}

/// Every corpus device (61 sysfs blobs) and HID report descriptor (720) as a header, all included
/// in one C99 translation unit with `-Werror` (distinct prefixes, so every define and array name
/// must be unique within a header and well formed); every device's TinyUSB file compiled too.
#[test]
fn corpus_headers_and_tinyusb_files_compile() {
    use usbdesc_compiler::emit;
    use usbdesc_compiler::input::{load, Model};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut includes = String::new();
    let mut tinyusb = Vec::new();
    for (sub, tag) in [("config", "D"), ("hid", "R")] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("tests/corpus").join(sub)).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "hex")).collect();
        files.sort();
        for (i, f) in files.iter().enumerate() {
            let loaded = load(&f.display().to_string(), &std::fs::read(f).unwrap());
            let prefix = format!("{tag}{i}");
            let name = f.file_name().unwrap().to_str().unwrap();
            let text = match loaded.model {
                Some(Model::Device(dev)) => {
                    let c = d.join(format!("{prefix}.c"));
                    std::fs::write(&c, emit::tinyusb::source(&dev, &prefix, name)).unwrap();
                    tinyusb.push(c);
                    emit::c::header(&dev, &prefix, name)
                }
                Some(Model::Report(r)) => emit::c::report_header(&r, &prefix, name),
                None => continue,
            };
            std::fs::write(d.join(format!("{prefix}.h")), text).unwrap();
            includes += &format!("#include \"{prefix}.h\"\n");
        }
    }
    assert!(includes.lines().count() > 700 && tinyusb.len() > 50, "{} headers, {} devices", includes.lines().count(), tinyusb.len());
    let all = d.join("all.c");
    std::fs::write(&all, includes + "int main(void) { return 0; }\n").unwrap();
    cc("gcc", &[C99, &["-c", "-o", d.join("all.o").to_str().unwrap()]].concat(), &[&all]);
    let out = std::process::Command::new("gcc").args(C99).arg("-c").args(&tinyusb).current_dir(d).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// `--prefix` of any text gives C identifiers (a leading digit gets `USB_`).
#[test]
fn any_prefix_gives_c_identifiers() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("p.c");
    let r = Command::cargo_bin("usbdesc").unwrap().args(["build", "examples/keyboard.toml", "--emit", "tinyusb", "--prefix", "9 lives/é", "-o"]).arg(&src).current_dir(root()).output().unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(std::fs::read_to_string(&src).unwrap().contains("#define USB_9_LIVES_USBDESC_H"));
    cc("gcc", &[C99, &["-c", "-o", dir.path().join("p.o").to_str().unwrap()]].concat(), &[&src]);
}

/// The EP0 handler of docs/outputs.md compiles against the generated keyboard header.
#[test]
fn docs_c_example_compiles() {
    let doc = std::fs::read_to_string(root().join("docs/outputs.md")).unwrap();
    let at = doc.find("A bare-metal EP0 handler").expect("the example in docs/outputs.md");
    let code = doc[at..].split("```c\n").nth(1).and_then(|c| c.split("\n```").next()).unwrap();
    assert!(code.contains("#include \"keyboard.h\""), "{code}");
    let dir = tempfile::tempdir().unwrap();
    build(&root().join("examples/keyboard.toml"), "c", &dir.path().join("keyboard.h"));
    let src = dir.path().join("use.c");
    std::fs::write(&src, code).unwrap();
    let o = dir.path().join("use.o");
    cc("gcc", &[C99, &["-c", "-o", o.to_str().unwrap()]].concat(), &[&src]);
    cc("g++", &[CXX17, &["-x", "c++", "-c", "-o", o.to_str().unwrap()]].concat(), &[&src]);
}
