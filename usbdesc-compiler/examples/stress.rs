//! A plain mutation driver for the fuzz targets' bodies (`usbdesc_compiler::selfcheck`), for
//! machines where the libFuzzer build is not available:
//! `cargo run --release --example stress -- decode|toml|hid ITERATIONS SECONDS`
//! (set `CARGO_PROFILE_RELEASE_OVERFLOW_CHECKS=true` so arithmetic overflow panics too).
//! Seeds are the corpus blobs (tests/corpus) / HID report descriptors, or the example and fixture TOML
//! files; each input is a seed with random byte flips, inserts, deletes and splices
//! (deterministic xorshift). Any panic aborts the run.
use usbdesc_compiler::selfcheck;

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

fn seeds(which: &str) -> Vec<Vec<u8>> {
    match which {
        "decode" | "hid" => {
            let sub = if which == "hid" { "hid" } else { "config" };
            usbdesc_tests::corpus_files(sub).iter().map(|p| usbdesc_tests::read_hex_file(p)).collect()
        }
        _ => {
            let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
            [usbdesc_tests::examples_dir(), here.join("tests/fixtures/check")]
                .iter()
                .flat_map(|dir| std::fs::read_dir(dir).into_iter().flatten())
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .filter_map(|p| std::fs::read(p).ok())
                .collect()
        }
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
            "decode" => selfcheck::blob(&input),
            "hid" => selfcheck::hid(&input),
            _ => selfcheck::toml(&input),
        };
        accepted += ok as u64;
        runs += 1;
    }
    println!("{which}: {runs} executions, {accepted} accepted, no panic, {:.1} s", start.elapsed().as_secs_f64());
}
