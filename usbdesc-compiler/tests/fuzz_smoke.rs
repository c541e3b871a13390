//! Bounded fuzz smoke run on stable Rust: every saved finding of every target
//! (`fuzz/findings/<target>/`) replays without a panic, then a fixed number of mutated inputs per
//! target (the driver of `examples/stress.rs`, fixed seed). Longer runs: `examples/stress.rs` or
//! `cargo +nightly fuzz run <target>` in `fuzz/`.
use usbdesc_tests::fuzz;

/// Inputs per target: the whole smoke run stays within seconds in a debug build.
const ITERATIONS: u64 = 600;

#[test]
fn saved_findings_replay() {
    let mut replayed = 0;
    for target in fuzz::TARGETS {
        for path in fuzz::findings(target) {
            if path.extension().is_some_and(|e| e == "md") {
                continue;
            }
            let data = std::fs::read(&path).unwrap();
            let r = std::panic::catch_unwind(|| fuzz::run_one(target, &data));
            assert!(r.is_ok(), "{target}: {} panicked", path.display());
            replayed += 1;
        }
    }
    assert!(replayed >= 10, "only {replayed} saved findings");
}

#[test]
fn every_target_survives_a_fixed_number_of_mutations() {
    for target in fuzz::TARGETS {
        let r = fuzz::run(target, 0x5eed_0015, ITERATIONS, f64::INFINITY, None);
        assert_eq!(r.executions, ITERATIONS, "{target}");
        assert!(r.accepted > 0, "{target}: no mutated input was accepted: the smoke run tests nothing");
    }
}
