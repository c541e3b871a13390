//! Every corpus report descriptor as `#[hid_descriptor]` source (`usbdesc decode --to rust`,
//! `hid::rust_source`), compiled in one generated crate (one module per descriptor, one cargo
//! build): each `DESCRIPTOR` must be the original bytes for at least 95% of the corpus (the rest
//! are listed with the reason the writer gives). The same build runs the generated `pack` on one
//! report of each type with known element values and compares the bytes with the layout
//! (`hid::layout`: each element at its bit offset), and `unpack` must give back a value that packs
//! to the same bytes.
//!
//! The generated crate lives in `target/tests/macro-corpus` with its own target directory (the
//! running `cargo test` holds the workspace's); its dependencies are built once and kept.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use usbdesc_compiler::hid::layout::LayoutField;
use usbdesc_compiler::hid::rust_source::{self, Written};
use usbdesc_compiler::hid::{ReportDescriptor, ReportKind};
use usbdesc_compiler::scalar::Scalar;
use usbdesc_tests::{corpus_files, read_hex_file, repo_root};

/// The value of element `k` of data main item `main`: a fixed mix, cut to `bits` by the test and
/// by the generated `V` trait alike.
fn mix(main: usize, k: u32) -> u64 {
    ((main as u64) << 20 | k as u64).wrapping_add(0x1234_5678).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29)
}

fn mask(bits: u32) -> u64 {
    if bits >= 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    }
}

/// Items shared by every module: the value source.
const PRELUDE: &str = r#"
pub fn mix(main: usize, k: u32) -> u64 {
    ((main as u64) << 20 | k as u64).wrapping_add(0x1234_5678).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29)
}
fn mask(bits: u32) -> u64 { if bits >= 64 { u64::MAX } else { (1u64 << bits) - 1 } }
/// `bits` low bits of the mix, sign-extended for signed types.
pub trait V { fn v(main: usize, k: u32, bits: u32) -> Self; }
impl V for bool { fn v(main: usize, k: u32, _: u32) -> bool { mix(main, k) & 1 != 0 } }
macro_rules! unsigned { ($($t:ty)*) => { $(impl V for $t { fn v(main: usize, k: u32, bits: u32) -> $t { (mix(main, k) & mask(bits)) as $t } })* } }
macro_rules! signed { ($($t:ty)*) => { $(impl V for $t { fn v(main: usize, k: u32, bits: u32) -> $t { let up = 64 - bits; (((mix(main, k) & mask(bits)) << up) as i64 >> up) as $t } })* } }
unsigned!(u8 u16 u32 u64);
signed!(i8 i16 i32 i64);
pub fn hex(b: &[u8]) -> String { b.iter().map(|x| format!("{x:02x}")).collect() }
"#;

/// The data main items of `rd`'s layout in descriptor order (index = `main_index`).
fn main_items(rd: &ReportDescriptor) -> Vec<LayoutField> {
    let mut v: Vec<LayoutField> = rd.layout().reports.into_iter().flat_map(|r| r.fields).collect();
    v.sort_by_key(|f| f.item_index);
    v
}

/// The `run` function of one module: prints its descriptor, and per report type the packed
/// bytes and whether unpack → pack gives them back.
fn harness(m: &str, w: &Written, rd: &ReportDescriptor) -> String {
    let items = main_items(rd);
    let mut s = format!("pub fn run(out: &mut String) {{\n    use std::fmt::Write;\n    use crate::V;\n    let _ = writeln!(out, \"D {m} {{}}\", crate::hex(&{m}::DESCRIPTOR));\n");
    for st in &w.structs {
        for kind in ReportKind::ALL {
            let fields: Vec<_> = st.fields.iter().filter(|f| f.kind == kind).collect();
            if fields.is_empty() {
                continue;
            }
            let ty = st.type_name(kind);
            let mut init = Vec::new();
            for f in &fields {
                let bits = items[f.main_index].bits;
                let e = match f.array {
                    Some(_) => format!("core::array::from_fn(|k| V::v({}, k as u32, {bits}))", f.main_index),
                    None => format!("V::v({}, 0, {bits})", f.main_index),
                };
                init.push(format!("{}: {e}", f.name));
            }
            let _ = writeln!(
                s,
                "    {{ let v = {m}::{ty} {{ {} }}; let b = v.pack(); let back = {m}::{ty}::unpack(&b).map(|u| u.pack() == b).unwrap_or(false); let _ = writeln!(out, \"P {m} {ty} {{}} {{}}\", crate::hex(&b), back); }}",
                init.join(", ")
            );
        }
    }
    s.push_str("}\n");
    s
}

/// What the packed bytes of one report type must be: its ID byte, then every element of its
/// typed fields at the layout's bit offset (padding and untyped bits zero).
fn expected(w: &Written, ty: &str, rd: &ReportDescriptor) -> Option<Vec<u8>> {
    let items = main_items(rd);
    let layout = rd.layout();
    for st in &w.structs {
        for kind in ReportKind::ALL {
            if st.type_name(kind) != ty || !st.fields.iter().any(|f| f.kind == kind) {
                continue;
            }
            let r = layout.report(kind, st.report_id.map(u32::from))?;
            let mut out = vec![0u8; r.bytes as usize];
            if let Some(id) = r.id {
                out[0] = id as u8;
            }
            for f in st.fields.iter().filter(|f| f.kind == kind) {
                let lf = &items[f.main_index];
                for k in 0..lf.count {
                    let raw = if f.scalar == Scalar::Bool { mix(f.main_index, k) & 1 } else { mix(f.main_index, k) & mask(lf.bits) };
                    let at = lf.bit_offset as u64 + k as u64 * lf.bits as u64;
                    for b in 0..lf.bits.min(64) as u64 {
                        if raw >> b & 1 != 0 {
                            let bit = at + b;
                            out[(bit / 8) as usize] |= 1 << (bit % 8);
                        }
                    }
                }
            }
            return Some(out);
        }
    }
    None
}

fn write_file(p: &Path, text: &str) {
    // Unchanged files keep their mtime, so an unchanged corpus rebuilds nothing.
    if std::fs::read_to_string(p).ok().as_deref() != Some(text) {
        std::fs::write(p, text).unwrap();
    }
}

#[test]
fn corpus_descriptors_compile_back_from_macro_source() {
    let t0 = std::time::Instant::now();
    let files = corpus_files("hid");
    assert!(files.len() >= 719, "expected the 719 corpus descriptors, found {}", files.len());
    let dir = repo_root().join("target/tests/macro-corpus");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let mut written: BTreeMap<String, (Written, ReportDescriptor, Vec<u8>, String)> = BTreeMap::new();
    let mut not_written: Vec<(String, String)> = Vec::new();
    let mut main = format!("#![allow(dead_code, non_snake_case, unused)]\n{PRELUDE}\n");
    let mut runs = String::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = read_hex_file(path);
        let rd = ReportDescriptor::decode(&bytes).unwrap();
        let m = format!("d{}", &name[..4]);
        match rust_source::write(&rd, &m) {
            Ok(w) => {
                let text = format!("// {name}\n{}\n{}", w.source, harness(&m, &w, &rd));
                write_file(&dir.join(format!("src/{m}.rs")), &text);
                let _ = writeln!(main, "mod {m};");
                let _ = writeln!(runs, "    {m}::run(&mut out);");
                written.insert(m, (w, rd, bytes, name));
            }
            Err(why) => not_written.push((name, why.0)),
        }
    }
    // Modules of descriptors no longer written would stay in `src/` otherwise (unused, but built).
    for e in std::fs::read_dir(dir.join("src")).unwrap().flatten() {
        let stem = e.path().file_stem().unwrap().to_string_lossy().to_string();
        if stem != "main" && !written.contains_key(&stem) {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
    let _ = write!(main, "fn main() {{\n    let mut out = String::new();\n{runs}    print!(\"{{out}}\");\n}}\n");
    write_file(&dir.join("src/main.rs"), &main);
    let root = repo_root();
    write_file(
        &dir.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"macro-corpus\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\nusbdesc-runtime = {{ path = {:?} }}\n\n[workspace]\n\n[profile.dev]\ndebug = false\nincremental = false\n",
            root.join("usbdesc-runtime").display().to_string()
        ),
    );
    if !dir.join("Cargo.lock").exists() {
        std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    }
    let gen_time = t0.elapsed();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target: PathBuf = dir.join("target");
    let out = Command::new(cargo)
        .args(["run", "--quiet", "--offline", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "the generated crate does not build or run:\n{}", String::from_utf8_lossy(&out.stderr));
    let mut exact = 0usize;
    let mut failures = Vec::new();
    let (mut packed, mut pack_ok) = (0usize, 0usize);
    for line in stdout.lines() {
        let parts: Vec<&str> = line.split(' ').collect();
        match parts.as_slice() {
            ["D", m, hex] => {
                let (_, _, bytes, name) = &written[*m];
                if *hex == bytes.iter().map(|b| format!("{b:02x}")).collect::<String>() {
                    exact += 1;
                } else {
                    failures.push(format!("{name}: DESCRIPTOR differs from the original bytes"));
                }
            }
            ["P", m, ty, hex, back] => {
                let (w, rd, _, name) = &written[*m];
                packed += 1;
                let want: String = expected(w, ty, rd).unwrap_or_default().iter().map(|b| format!("{b:02x}")).collect();
                if *hex != want {
                    failures.push(format!("{name}: {ty}::pack gives {hex}, the layout says {want}"));
                } else if *back != "true" {
                    failures.push(format!("{name}: {ty}::unpack does not give back what was packed"));
                } else {
                    pack_ok += 1;
                }
            }
            _ => failures.push(format!("unexpected output line {line:?}")),
        }
    }
    let total = files.len();
    eprintln!(
        "macro corpus: {exact} of {total} descriptors byte-exact from #[hid_descriptor] source ({:.1}%), {} not written; {pack_ok} of {packed} report types pack and unpack as the layout says; generate {:.1?}, build and run {:.1?}",
        100.0 * exact as f64 / total as f64,
        not_written.len(),
        gen_time,
        t0.elapsed() - gen_time
    );
    let mut reasons: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, why) in &not_written {
        reasons.entry(why.as_str()).or_default().push(name.as_str());
    }
    for (why, names) in &reasons {
        let more = if names.len() > 12 { format!(", and {} more", names.len() - 12) } else { String::new() };
        eprintln!("  not written ({}): {why}: {}{more}", names.len(), names[..names.len().min(12)].join(", "));
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert!(exact * 100 >= total * 95, "only {exact} of {total} descriptors compile back from macro source");
}
