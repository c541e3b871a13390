//! A plain mutation driver for the two fuzz targets' bodies, for machines where the libFuzzer build
//! is not available: `cargo run --example stress -- decode|toml|hid ITERATIONS SECONDS`.
//! Seeds are the shared corpus blobs / the example and fixture TOML files; each input is a seed with random byte
//! flips, inserts, deletes and splices (deterministic xorshift). Any panic aborts the run.
use usbdesc_compiler::{compile_str, decode::decode_blob, emit::toml::to_toml, encode};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(seed: &[u8], other: &[u8], r: &mut Rng, alphabet: &[u8]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for _ in 0..1 + r.below(4) {
        let at = r.below(v.len() + 1);
        match r.below(5) {
            0 if at < v.len() => v[at] = r.next() as u8,
            1 if at < v.len() => v[at] = alphabet[r.below(alphabet.len())],
            2 => v.insert(at, alphabet[r.below(alphabet.len())]),
            3 if at < v.len() => {
                v.remove(at);
            }
            _ => {
                let s = r.below(other.len() + 1);
                let e = (s + r.below(32)).min(other.len());
                v.splice(at..at, other[s..e].iter().copied());
            }
        }
    }
    v
}

fn decode_body(data: &[u8]) -> bool {
    if let Ok(d) = decode_blob(data) {
        assert_eq!(encode::blob(&d), data);
        let text = to_toml(&d);
        let c = compile_str("blob.toml", &text);
        if c.device.is_none() {
        panic!("{}\n{text}", c.render());
    }
    let back = c.device.unwrap();
        assert_eq!(encode::blob(&back), data);
        return true;
    }
    false
}

fn toml_body(data: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(data) else { return false };
    let c = compile_str("fuzz.toml", text);
    let _ = c.render();
    if let Some(d) = c.device {
        let bytes = encode::blob(&d);
        let strings = encode::string_descriptors(&d);
        let printed = to_toml(&d);
        let again = compile_str("printed.toml", &printed);
        if again.device.is_none() {
        panic!("{}\n{printed}", again.render());
    }
    let back = again.device.unwrap();
        assert_eq!(encode::blob(&back), bytes);
        assert_eq!(encode::string_descriptors(&back), strings);
        return true;
    }
    false
}

/// The body of `fuzz-hid`'s `hid_decode` target: any bytes through the HID item decoder, layout,
/// lints, dumps and the TOML form, which must read back to the same bytes.
fn hid_body(data: &[u8]) -> bool {
    use usbdesc_compiler::{diag::Diagnostics, hid::ReportDescriptor, tomlr};
    let Ok(r) = ReportDescriptor::decode(data) else { return false };
    assert_eq!(r.encode(), data);
    let _ = r.layout();
    let mut d = Diagnostics::new();
    r.check(&Default::default(), &mut d);
    let _ = r.dump_items();
    let _ = r.dump_layout();
    let mut doc = toml::Table::new();
    doc.insert("report".into(), toml::Value::Table(r.to_toml()));
    let text = toml::to_string(&doc).expect("report TOML prints");
    let parsed = tomlr::parse(&text).expect("printed TOML parses");
    let root = tomlr::Table::root(&parsed);
    let mut d = Diagnostics::new();
    let t = root.require("report", &mut d).and_then(|v| v.table(&mut d)).expect("report table");
    let back = ReportDescriptor::from_toml(&t, &mut d).unwrap_or_else(|| panic!("{text}\n{d:?}"));
    assert!(!d.has_errors(), "{text}\n{d:?}");
    assert_eq!(back.encode(), data, "{text}");
    true
}

fn files(dir: &std::path::Path, ext: &str) -> Vec<Vec<u8>> {
    let Ok(rd) = std::fs::read_dir(dir) else { return Vec::new() };
    rd.filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .filter_map(|p| std::fs::read(p).ok())
        .collect()
}

fn seeds(which: &str) -> Vec<Vec<u8>> {
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    if which == "decode" || which == "hid" {
        let sub = if which == "hid" { "shared/corpus/hid" } else { "shared/corpus/config" };
        let corpus = here.ancestors().map(|a| a.join(sub)).find(|p| p.is_dir()).expect("shared/corpus");
        files(&corpus, "hex")
            .iter()
            .map(|t| {
                let t = String::from_utf8_lossy(t);
                let hex: String = t.lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>().join(" ");
                usbdesc_compiler::tomlr::parse_hex_bytes(&hex).unwrap_or_default()
            })
            .collect()
    } else {
        let mut v = files(&here.join("../examples"), "toml");
        v.extend(files(&here.join("tests/fixtures/check"), "toml"));
        v
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let which = args.get(1).map(String::as_str).unwrap_or("decode");
    let iterations: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let seconds: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(600);
    let seeds = seeds(which);
    let alphabet: Vec<u8> = if which == "decode" || which == "hid" { (0..=255).collect() } else { b"[]=\"{},.#\n 0123456789abcdefxinoutbulk_-".to_vec() };
    let dump = std::env::var_os("STRESS_DUMP");
    let mut r = Rng(0x9e3779b97f4a7c15);
    let start = std::time::Instant::now();
    let (mut runs, mut accepted) = (0u64, 0u64);
    while runs < iterations && start.elapsed().as_secs() < seconds {
        let a = &seeds[r.below(seeds.len())];
        let b = &seeds[r.below(seeds.len())];
        let input = mutate(a, b, &mut r, &alphabet);
        // STRESS_DUMP=FILE keeps the current input on disk, so a run killed by the OOM killer or a
        // memory limit (no panic to catch) leaves its culprit behind.
        if let Some(path) = &dump {
            let _ = std::fs::write(path, &input);
        }
        let ok = match which {
            "decode" => decode_body(&input),
            "hid" => hid_body(&input),
            _ => toml_body(&input),
        };
        accepted += ok as u64;
        runs += 1;
    }
    println!("{which}: {runs} executions, {accepted} accepted, no panic, {:.1} s", start.elapsed().as_secs_f64());
}
