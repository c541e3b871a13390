//! Our report layout against freedesktop hid-tools (the corpus oracle), for every corpus descriptor:
//! report IDs, report sizes, and each field's bit offset, size and count.
//!
//! hid-tools splits fields differently from us (one field per element of a variable item, one merged
//! field for usage-less padding), so our layout is expanded to its granularity before comparing.
mod hid_common;
use hid_common::*;
use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};
use usbdesc_compiler::hid::layout::Layout;
use usbdesc_compiler::hid::{ReportDescriptor, ReportKind};

const DRIVER: &str = r##"
import sys, json, importlib.util
spec = importlib.util.spec_from_file_location("oracle", sys.argv[1])
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
out = {}
for path in sys.stdin.read().split("\n"):
    if not path: continue
    # Read the hex text here: the oracle's own loader falls back to raw bytes when a comment line
    # is not ASCII (e.g. "Microsoft\u00ae"), which would feed it the text itself.
    text = open(path, encoding="utf-8").read()
    data = bytes(int(t, 16) for l in text.splitlines() if not l.lstrip().startswith("#") for t in l.split())
    try:
        out[path] = m.summarize(data)
    except Exception as e:
        out[path] = {"error": f"{type(e).__name__}: {e}"}
print(json.dumps(out))
"##;

type Shape = BTreeMap<(String, Option<u32>), (u64, Vec<(u64, u64, u64)>)>;

fn ours(layout: &Layout) -> Shape {
    let mut m = Shape::new();
    for r in &layout.reports {
        let kind = match r.kind {
            ReportKind::Input => "input",
            ReportKind::Output => "output",
            ReportKind::Feature => "feature",
        };
        let mut fields = Vec::new();
        for f in &r.fields {
            let (start, size, count) = (f.bit_offset as u64, f.bits as u64, f.count as u64);
            let range = f.usage_range.is_some_and(|(a, b)| a != 0 && b != 0);
            if f.flags.0 & 3 != 0 {
                if range || !f.usages.is_empty() {
                    for i in 0..count {
                        fields.push((start + i * size, size, 1));
                    }
                } else {
                    fields.push((start, size * count, 1));
                }
            } else {
                fields.push((start, size, count));
            }
        }
        m.insert((kind.to_string(), r.id), (r.bits, fields));
    }
    m
}

fn theirs(v: &serde_json::Value) -> Shape {
    let mut m = Shape::new();
    for kind in ["input", "output", "feature"] {
        for r in v[kind].as_array().into_iter().flatten() {
            let id = r["id"].as_u64().map(|x| x as u32);
            let fields = r["fields"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|f| (f["start"].as_u64().unwrap(), f["size"].as_u64().unwrap(), f["count"].as_u64().unwrap()))
                .collect();
            m.insert((kind.to_string(), id), (r["bits"].as_u64().unwrap(), fields));
        }
    }
    m
}

#[test]
fn layout_matches_hid_tools_on_the_corpus() {
    let have = Command::new("python3").args(["-c", "import hidtools"]).status().is_ok_and(|s| s.success());
    if !have {
        let msg = "hid-tools is not installed: run scripts/install-deps.sh (pip install hid-tools)";
        if std::env::var_os("CI").is_some() {
            panic!("{msg}");
        }
        eprintln!("\n\n!!!!!!!! SKIPPED layout_matches_hid_tools_on_the_corpus: {msg} !!!!!!!!\n\n");
        return;
    }
    let files = corpus_hid_files();
    let oracle = corpus_dir().join("oracles/hidtools_oracle.py");
    let mut child = Command::new("python3")
        .args(["-c", DRIVER, oracle.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run python3");
    let list: String = files.iter().map(|p| format!("{}\n", p.display())).collect();
    child.stdin.take().unwrap().write_all(list.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "oracle driver failed");
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut mismatches = Vec::new();
    for path in &files {
        let key = path.display().to_string();
        let v = &all[&key];
        assert!(v.get("error").is_none(), "{key}: hid-tools failed: {}", v["error"]);
        let bytes = read_hex_file(path);
        let layout = ReportDescriptor::decode(&bytes).unwrap().layout();
        let (a, b) = (ours(&layout), theirs(v));
        if a != b {
            let diff: Vec<String> = a
                .keys()
                .chain(b.keys())
                .filter(|k| a.get(*k) != b.get(*k))
                .map(|k| format!("{k:?}: ours {:?} / hid-tools {:?}", a.get(k).map(|x| x.0), b.get(k).map(|x| x.0)))
                .collect();
            mismatches.push(format!("{}: {}", path.file_name().unwrap().to_string_lossy(), diff.join("; ")));
        }
    }
    eprintln!("layout vs hid-tools: {} files, {} mismatches", files.len(), mismatches.len());
    assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n"));
}
