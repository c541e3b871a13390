//! Measurement 3, corpus throughput: decode + lint every corpus HID report descriptor, usbdesc vs
//! hid-tools' `hid-decode`, each as one process over the whole corpus (start-up included on both sides).

use crate::adapters::corpus::decode_and_lint;
use crate::cmd::{cargo_build, output};
use crate::tools::Tools;
use crate::{Options, Result};
use std::path::Path;
// The corpus location and `.hex` reader every test uses (the core's hex parser).
use usbdesc_tests::{hex_files, read_hex_file};
use std::process::Command;
use std::time::{Duration, Instant};

/// Runs per side; the fastest counts (the machine is shared, the slow runs are noise).
pub const RUNS: usize = 2;

pub struct Corpus {
    pub files: usize,
    pub bytes: usize,
    pub hid_decode: Duration,
    /// usbdesc's time (`None` when skipped).
    pub usbdesc: Option<Duration>,
    /// usbdesc's own summary line (files decoded, diagnostics).
    pub usbdesc_summary: String,
    pub skipped: Option<String>,
}

pub fn measure(o: &Options, tools: &Tools) -> Result<Corpus> {
    let mut c = Corpus {
        files: 0,
        bytes: 0,
        hid_decode: Duration::ZERO,
        usbdesc: None,
        usbdesc_summary: String::new(),
        skipped: None,
    };
    let files = match o.corpus.is_dir().then(|| hex_files(&o.corpus)) {
        Some(f) if !f.is_empty() => f,
        _ => {
            c.skipped = Some(format!(
                "no corpus at {} (set --corpus DIR)",
                o.corpus.display()
            ));
            return Ok(c);
        }
    };
    // hid-decode reads hid-recorder text (`R: <len> <hex bytes>`); write the corpus in that form.
    let rec_dir = o.root.join("target/bench/corpus-rec");
    std::fs::create_dir_all(&rec_dir).map_err(|e| e.to_string())?;
    let mut recs = Vec::new();
    for f in &files {
        let bytes = read_hex_file(f);
        c.bytes += bytes.len();
        let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let rec = rec_dir
            .join(f.file_stem().unwrap_or_default())
            .with_extension("rec");
        std::fs::write(&rec, format!("R: {} {}\n", bytes.len(), hex.join(" ")))
            .map_err(|e| e.to_string())?;
        recs.push(rec);
    }
    c.files = files.len();

    let exes = cargo_build(&o.root, &["--release", "-p", "xtask"])?;
    let xtask = exes
        .iter()
        .find(|(n, _)| n == "xtask")
        .map(|(_, p)| p.clone())
        .ok_or("no release xtask")?;
    let hid_decode = tools.hid_decode.clone().ok_or("hid-decode missing")?;
    let (mut best_hd, mut best_ud) = (Duration::MAX, Duration::MAX);
    for run in 0..RUNS {
        eprintln!("xtask: corpus run {}/{RUNS}", run + 1);
        let t = Instant::now();
        let out = output(
            Command::new(&hid_decode)
                .args(["--output", "/dev/null"])
                .args(&recs),
        )?;
        best_hd = best_hd.min(t.elapsed());
        if !out.stderr.is_empty() {
            return Err(format!(
                "hid-decode reported: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let t = Instant::now();
        let out = output(Command::new(&xtask).arg("corpus-run").arg(&o.corpus))?;
        best_ud = best_ud.min(t.elapsed());
        c.usbdesc_summary = String::from_utf8_lossy(&out.stdout).trim().to_string();
    }
    c.hid_decode = best_hd;
    c.usbdesc = Some(best_ud);
    Ok(c)
}

/// `xtask corpus-run DIR`: the usbdesc side, run as its own (release) process.
pub fn run_usbdesc(dir: &Path) -> Result<()> {
    let files = hex_files(dir);
    let (mut decoded, mut diagnostics) = (0usize, 0usize);
    for f in &files {
        let out = decode_and_lint(&read_hex_file(f));
        decoded += usize::from(out.decoded);
        diagnostics += out.diagnostics;
    }
    println!(
        "{} files, {decoded} decoded, {diagnostics} diagnostics",
        files.len()
    );
    Ok(())
}
