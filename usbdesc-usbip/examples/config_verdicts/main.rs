//! Device command of the harness's configuration-verdict mode (`harness/config_verdicts.py`):
//! builds every input blob (the corpus `tests/corpus/config/*.hex`, every `examples/*.toml`
//! compiled, and the deterministic mutants of three of them), lints each with the library's blob
//! lint, serves each over USB/IP on its own port (a device that is nothing but the blob, see
//! `blobdev.rs`) and writes one JSON file listing them. Then it serves until killed.
//!
//! `config_verdicts --root REPO --out FILE [--list]`; `--list` writes the file without serving
//! (port 0).

mod blobdev;
mod mutants;

use serde_json::json;
use usbdesc_compiler::input;
use usbdesc_usbip::Speed;

/// The examples whose blobs are mutated: a HID keyboard, a CDC + HID composite with an IAD, a
/// high-speed composite with 512-byte bulk endpoints.
const MUTATED: &[&str] = &["keyboard", "cdc-hid-composite", "hs-composite"];

struct Input {
    id: String,
    speed: Speed,
    bytes: Vec<u8>,
}

fn fail(msg: String) -> ! {
    eprintln!("config_verdicts: {msg}");
    std::process::exit(2)
}

/// High speed when the blob cannot be a full-speed device: an endpoint larger than 64 bytes
/// (bulk 512, high-bandwidth interrupt) or a hub with a high-speed bDeviceProtocol.
fn speed_of(blob: &[u8]) -> Speed {
    let hs_hub = blob.len() >= 7 && blob[4] == 9 && blob[6] != 0;
    let mut p = 18usize;
    let mut big = false;
    while p + 1 < blob.len() && blob[p] >= 2 {
        let l = blob[p] as usize;
        if blob[p + 1] == 5 && l >= 7 && p + 6 <= blob.len() {
            big |= u16::from_le_bytes([blob[p + 4], blob[p + 5]]) & 0x7ff > 64;
        }
        p += l;
    }
    if hs_hub || big {
        Speed::High
    } else {
        Speed::Full
    }
}

fn read_dir_sorted(dir: &std::path::Path, ext: &str) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| fail(format!("{}: {e}", dir.display())))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    v.sort();
    v
}

fn stem(p: &std::path::Path) -> String {
    p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

fn inputs(root: &std::path::Path) -> Vec<Input> {
    let mut v = Vec::new();
    for p in read_dir_sorted(&root.join("tests/corpus/config"), "hex") {
        let text = std::fs::read_to_string(&p).unwrap_or_else(|e| fail(format!("{}: {e}", p.display())));
        let bytes = input::hex_text_bytes(&text).unwrap_or_else(|| fail(format!("{}: not hex", p.display())));
        let id = format!("corpus/{}", stem(&p).chars().take(3).collect::<String>());
        v.push(Input { id, speed: speed_of(&bytes), bytes });
    }
    let mut bases = Vec::new();
    for p in read_dir_sorted(&root.join("examples"), "toml") {
        let c = usbdesc_compiler::compile_file(&p).unwrap_or_else(|e| fail(format!("{}: {e}", p.display())));
        let Some(dev) = c.device else { fail(format!("{}: does not compile", p.display())) };
        let bytes = usbdesc_compiler::encode::blob(&dev);
        let name = stem(&p);
        if MUTATED.contains(&name.as_str()) {
            bases.push((name.clone(), bytes.clone()));
        }
        v.push(Input { id: format!("example/{name}"), speed: speed_of(&bytes), bytes });
    }
    for (name, blob) in bases {
        let speed = speed_of(&blob);
        let hs = speed == Speed::High;
        for (m, bytes) in mutants::mutants(&blob, hs) {
            // The high-speed base repeats the full-speed families; it adds what speed changes.
            if hs && !(m.contains("wMaxPacketSize") || m.contains("bMaxPacketSize0") || m.starts_with("dup.")) {
                continue;
            }
            v.push(Input { id: format!("mutant/{name}/{m}"), speed, bytes });
        }
        // The high-speed blob as a full-speed device (512-byte bulk at full speed).
        if hs {
            v.push(Input { id: format!("mutant/{name}/served-full-speed"), speed: Speed::Full, bytes: blob });
        }
    }
    v
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |k: &str| args.iter().position(|a| a == k).and_then(|i| args.get(i + 1)).cloned();
    let root = opt("--root").unwrap_or_else(|| fail("--root REPO required".into()));
    let out = opt("--out").unwrap_or_else(|| fail("--out FILE required".into()));
    let list_only = args.iter().any(|a| a == "--list");
    let mut rows = Vec::new();
    for i in inputs(std::path::Path::new(&root)) {
        let loaded = input::load(&format!("{}.bin", i.id), &i.bytes);
        let codes = |err: bool| -> Vec<&str> {
            loaded.diagnostics.sorted().into_iter().filter(|d| d.is_error() == err).map(|d| d.code).collect()
        };
        let port = if list_only {
            0
        } else {
            blobdev::serve(i.bytes.clone(), i.speed).unwrap_or_else(|e| fail(format!("{}: {e}", i.id)))
        };
        rows.push(json!({
            "id": i.id,
            "speed": if i.speed == Speed::High { "high" } else { "full" },
            "hex": hex(&i.bytes),
            "port": port,
            "lint_errors": codes(true),
            "lint_warnings": codes(false),
        }));
    }
    let tmp = format!("{out}.tmp");
    let text = serde_json::to_string_pretty(&rows).unwrap_or_default();
    std::fs::write(&tmp, text).and_then(|_| std::fs::rename(&tmp, &out)).unwrap_or_else(|e| fail(format!("{out}: {e}")));
    if list_only {
        return;
    }
    loop {
        std::thread::park();
    }
}
