//! A plain mutation driver for the fuzz targets' bodies (`usbdesc_compiler::selfcheck`), for
//! machines without the libFuzzer build (cargo-fuzz needs nightly):
//! `cargo run --release --example stress -- TARGET [ITERATIONS] [SECONDS] [SEED]`, TARGET one of
//! `decode_blob`, `compile_toml`, `hid_decode`, `load` (the old names `decode`, `toml`, `hid` work too).
//! Set `CARGO_PROFILE_RELEASE_OVERFLOW_CHECKS=true` so arithmetic overflow panics too, and
//! `STRESS_DUMP=FILE` to keep the current input on disk. The driver is `usbdesc_tests::fuzz`
//! (shared with the smoke test `tests/fuzz_smoke.rs`). Any panic aborts the run.
use usbdesc_tests::fuzz;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let target = match args.get(1).map(String::as_str).unwrap_or("decode_blob") {
        "decode" => "decode_blob",
        "toml" => "compile_toml",
        "hid" => "hid_decode",
        t => t,
    };
    let iterations: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let seconds: f64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(600.0);
    let seed: u64 = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(0x9e3779b97f4a7c15);
    let dump = std::env::var_os("STRESS_DUMP").map(std::path::PathBuf::from);
    let start = std::time::Instant::now();
    let r = fuzz::run(target, seed, iterations, seconds, dump.as_deref());
    println!(
        "{target}: {} executions, {} accepted, no panic, {:.1} s, slowest execution {:.1} ms",
        r.executions,
        r.accepted,
        start.elapsed().as_secs_f64(),
        r.slowest.as_secs_f64() * 1000.0
    );
}
