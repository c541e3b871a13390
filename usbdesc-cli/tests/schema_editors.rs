//! The JSON Schema as editors use it: every example (`examples/**/*.toml`, report documents with
//! unit names too) validates with a real validator (the `jsonschema` crate) and with taplo
//! (`taplo lint --schema`, what Even Better TOML runs), and taplo reports a wrong key inside an
//! `[[configuration.interface.endpoint]]` on that key's line, not as one `anyOf` error over the
//! whole block.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn schema_path() -> PathBuf {
    root().join("schemas/usbdesc.schema.json")
}

/// Every `.toml` under `examples/`, firmware crates' own files excluded (there are none today).
fn all_examples() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "toml") {
                out.push(p);
            }
        }
    }
    let mut v = Vec::new();
    walk(&root().join("examples"), &mut v);
    v.sort();
    assert!(v.iter().any(|p| p.ends_with("reports/gamepad.toml")), "{v:?}");
    v
}

#[test]
fn every_example_validates_with_jsonschema() {
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(schema_path()).unwrap()).unwrap();
    let v = jsonschema::validator_for(&schema).unwrap();
    for ex in all_examples() {
        let doc: serde_json::Value = toml::from_str(&std::fs::read_to_string(&ex).unwrap()).unwrap();
        let errors: Vec<String> = v.iter_errors(&doc).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", ex.display());
    }
    // Unit names are checked, not just accepted.
    let bad: serde_json::Value = toml::from_str("[[report.collection]]\ncollection = \"application\"\n[[report.collection.fields]]\ninput = []\nunit = \"furlong\"\n").unwrap();
    assert!(!v.is_valid(&bad));
}

/// No `anyOf` offers a table and an array of tables as two branches: taplo would report any error
/// inside such a block as one "not valid under any of the schemas" over the whole block.
#[test]
fn no_any_of_between_a_table_and_an_array() {
    fn walk(v: &serde_json::Value, path: &str, bad: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::Array(branches)) = m.get("anyOf") {
                    let kinds: Vec<&str> = branches.iter().filter_map(|b| b.get("type").and_then(|t| t.as_str())).collect();
                    if kinds.contains(&"object") && kinds.contains(&"array") {
                        bad.push(path.to_string());
                    }
                }
                for (k, x) in m {
                    walk(x, &format!("{path}/{k}"), bad);
                }
            }
            serde_json::Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| walk(x, &format!("{path}/{i}"), bad)),
            _ => {}
        }
    }
    let mut bad = Vec::new();
    walk(&usbdesc_compiler::schema::schema(), "", &mut bad);
    assert!(bad.is_empty(), "{bad:?}");
}

/// taplo, installed by scripts/install-deps.sh (npm `@taplo/cli`) into `$USBDESC_TAPLO_DIR`
/// (default `~/.cache/usbdesc/taplo`), or on PATH.
fn taplo() -> PathBuf {
    let dir = std::env::var("USBDESC_TAPLO_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/usbdesc/taplo"));
    let local = dir.join("node_modules/.bin/taplo");
    if local.exists() {
        return local;
    }
    let on_path = Command::new("taplo").arg("--version").output().is_ok_and(|o| o.status.success());
    assert!(on_path, "taplo not found in {} or on PATH: run scripts/install-deps.sh", dir.display());
    PathBuf::from("taplo")
}

fn taplo_lint(files: &[PathBuf]) -> (bool, String) {
    let schema = format!("file://{}", schema_path().display());
    let out = Command::new(taplo())
        .args(["lint", "--no-auto-config", "--colors", "never", "--schema", &schema])
        .args(files)
        .env("RUST_LOG", "error")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn every_example_passes_taplo_lint() {
    let (ok, text) = taplo_lint(&all_examples());
    assert!(ok, "{text}");
}

#[test]
fn taplo_reports_a_wrong_endpoint_key_on_its_line() {
    let f = root().join("usbdesc-cli/tests/fixtures/schema/endpoint-wrong-key.toml");
    let (ok, text) = taplo_lint(&[f]);
    assert!(!ok, "{text}");
    assert!(!text.contains("anyOf"), "{text}");
    // An error whose location is line 16, the `intervl = 3` line, naming the key.
    let lines: Vec<&str> = text.lines().collect();
    let at_key = lines.windows(3).any(|w| {
        w[0].starts_with("error: ") && w[0].contains("'intervl' was unexpected") && w[1].contains("endpoint-wrong-key.toml:16:1") && w[2].contains("intervl = 3")
            || w[1].starts_with("error: ") && w[1].contains("'intervl'") && w[2].contains("endpoint-wrong-key.toml:16:")
    });
    assert!(at_key, "{text}");
}

/// docs/format.md is `usbdesc schema --markdown`, generated from the same key tables as the schema.
#[test]
fn format_reference_is_current() {
    let out = Command::new(env!("CARGO_BIN_EXE_usbdesc")).args(["schema", "--markdown"]).output().unwrap();
    assert!(out.status.success());
    let file = std::fs::read_to_string(root().join("docs/format.md")).unwrap();
    assert!(String::from_utf8(out.stdout).unwrap() == file, "docs/format.md is stale: run `usbdesc schema --markdown > docs/format.md`");
}

/// Every key's documented example (`key = value`) is valid for that key's schema: the examples in
/// docs/format.md cannot name a value the reader rejects.
#[test]
fn every_documented_example_is_valid() {
    fn walk(v: &serde_json::Value, bad: &mut Vec<String>, checked: &mut usize) {
        let serde_json::Value::Object(m) = v else {
            if let serde_json::Value::Array(a) = v {
                a.iter().for_each(|x| walk(x, bad, checked));
            }
            return;
        };
        if let Some(serde_json::Value::Object(props)) = m.get("properties") {
            for (k, p) in props {
                let Some(example) = p.get("x-example").and_then(|e| e.as_str()) else { continue };
                let Some(value) = example.strip_prefix(&format!("{k} = ")) else { continue };
                if serde_json::to_string(p).unwrap().contains("$ref") {
                    continue;
                }
                let doc: Result<toml::Table, _> = toml::from_str(&format!("v = {value}"));
                let ok = doc.ok().and_then(|t| serde_json::to_value(&t["v"]).ok()).is_some_and(|j| jsonschema::validator_for(p).unwrap().is_valid(&j));
                *checked += 1;
                if !ok {
                    bad.push(example.to_string());
                }
            }
        }
        m.values().for_each(|x| walk(x, bad, checked));
    }
    let (mut bad, mut checked) = (Vec::new(), 0);
    walk(&usbdesc_compiler::schema::schema(), &mut bad, &mut checked);
    assert!(checked > 150, "{checked}");
    assert!(bad.is_empty(), "examples the schema rejects: {bad:#?}");
}

/// One `$defs` entry per table: a copy per use and per form (table, array) doubles at every level
/// of nesting (the schema once reached 1 MB that way, and taplo took seconds to load it).
#[test]
fn schema_stays_small() {
    let len = std::fs::metadata(schema_path()).unwrap().len();
    assert!(len < 200_000, "schemas/usbdesc.schema.json is {len} bytes");
}
