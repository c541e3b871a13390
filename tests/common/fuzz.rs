//! The stable-Rust fuzz driver shared by `usbdesc-compiler/examples/stress.rs` (long runs) and the
//! smoke test (`usbdesc-compiler/tests/fuzz_smoke.rs`): seeds from the corpus, the examples and the
//! fixtures, mutated by byte flips, inserts, deletes and splices (deterministic xorshift), each
//! input run through one `usbdesc_compiler::selfcheck` target. A broken invariant panics.

use std::path::{Path, PathBuf};
use usbdesc_compiler::selfcheck;

/// The fuzz targets: the names of `usbdesc-compiler/fuzz/fuzz_targets/*.rs` and of the folders of
/// saved findings (`usbdesc-compiler/fuzz/findings/<target>/`).
pub const TARGETS: &[&str] = &["decode_blob", "compile_toml", "hid_decode", "load"];

/// Run one target's self-check on one input; `true` when the input was accepted.
pub fn run_one(target: &str, input: &[u8]) -> bool {
    match target {
        "decode_blob" => selfcheck::blob(input),
        "compile_toml" => selfcheck::toml(input),
        "hid_decode" => selfcheck::hid(input),
        "load" => selfcheck::load(input),
        _ => panic!("unknown fuzz target `{target}` (one of {TARGETS:?})"),
    }
}

/// Deterministic xorshift64.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// `seed` with 1 to 4 mutations: a random byte, a byte of `alphabet`, an insert, a delete, or a
/// splice of up to 32 bytes of `other`.
pub fn mutate(seed: &[u8], other: &[u8], r: &mut Rng, alphabet: &[u8]) -> Vec<u8> {
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

fn files_in(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    v.sort();
    v
}

fn toml_seeds() -> Vec<Vec<u8>> {
    let root = crate::repo_root();
    [crate::examples_dir(), root.join("usbdesc-compiler/tests/fixtures/check")]
        .iter()
        .flat_map(|dir| files_in(dir, "toml"))
        .filter_map(|p| std::fs::read(p).ok())
        .collect()
}

/// The seeds of a target: corpus blobs for `decode_blob`, corpus report descriptors for
/// `hid_decode`, TOML examples and fixtures for `compile_toml`; all of them (blobs, the same as hex
/// text, TOML) for `load`.
pub fn seeds(target: &str) -> Vec<Vec<u8>> {
    let blobs = |sub: &str| crate::corpus_files(sub).iter().map(|p| crate::read_hex_file(p)).collect::<Vec<_>>();
    match target {
        "decode_blob" => blobs("config"),
        "hid_decode" => blobs("hid"),
        "compile_toml" => toml_seeds(),
        _ => {
            let mut v = toml_seeds();
            for sub in ["config", "hid"] {
                for (k, b) in blobs(sub).into_iter().enumerate() {
                    if k % 4 == 0 {
                        v.push(usbdesc_compiler::input::hex_lines(&b).into_bytes());
                    }
                    v.push(b);
                }
            }
            v
        }
    }
}

/// The byte alphabet mutations draw from: any byte for blobs, TOML punctuation and words for text.
pub fn alphabet(target: &str) -> Vec<u8> {
    match target {
        "compile_toml" => b"[]=\"{},.#\n 0123456789abcdefxinoutbulk_-".to_vec(),
        _ => (0..=255).collect(),
    }
}

/// Counts of one run.
#[derive(Debug, Default, Clone, Copy)]
pub struct Run {
    pub executions: u64,
    pub accepted: u64,
    /// The longest single execution (a hint of superlinear paths; no timing is asserted).
    pub slowest: std::time::Duration,
}

/// Fuzz `target` for `iterations` inputs or `seconds`, whichever ends first. `dump`: a file that
/// always holds the current input (a run killed by a memory limit leaves its culprit behind).
pub fn run(target: &str, seed: u64, iterations: u64, seconds: f64, dump: Option<&Path>) -> Run {
    let seeds = seeds(target);
    assert!(!seeds.is_empty(), "no seeds for {target}");
    let alphabet = alphabet(target);
    let mut r = Rng(seed | 1);
    let start = std::time::Instant::now();
    let mut out = Run::default();
    while out.executions < iterations && start.elapsed().as_secs_f64() < seconds {
        let a = &seeds[r.below(seeds.len())];
        let b = &seeds[r.below(seeds.len())];
        let input = mutate(a, b, &mut r, &alphabet);
        if let Some(path) = dump {
            let _ = std::fs::write(path, &input);
        }
        let t = std::time::Instant::now();
        out.accepted += run_one(target, &input) as u64;
        out.slowest = out.slowest.max(t.elapsed());
        out.executions += 1;
    }
    out
}

/// Saved findings of a target (`usbdesc-compiler/fuzz/findings/<target>/*`), sorted.
pub fn findings(target: &str) -> Vec<PathBuf> {
    let dir = crate::repo_root().join("usbdesc-compiler/fuzz/findings").join(target);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir).into_iter().flatten().filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect();
    v.sort();
    v
}
