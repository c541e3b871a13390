//! Measurement 5, growth with input size (issue 15): wall time and peak RSS of every `usbdesc`
//! subcommand on generated hostile inputs (`usbdesc_tests::hostile`) of growing size, with the
//! fitted exponent of time against size (the log-log slope; linear cost is ≈ 1.0).
//! `cargo xtask bench --growth` runs this alone and rewrites its section of BENCHMARKS.md.

use crate::cmd::{cargo_build, wait_with_rusage};
use crate::{Options, Result};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use usbdesc_tests::hostile;

/// One input family: how its inputs are made and which subcommands run on them.
struct Series {
    name: &'static str,
    /// What `n` counts.
    unit: &'static str,
    sizes: &'static [usize],
    make: fn(usize) -> Vec<u8>,
    ext: &'static str,
    commands: &'static [&'static [&'static str]],
    /// Sizes above this are refused by a documented limit (UD2011: report descriptors over 65535
    /// bytes; UD0008: TOML over 100,000 keys and values) after a linear scan: shown, not fitted.
    limit: usize,
}

const BLOB_COMMANDS: &[&[&str]] = &[&["lint"], &["lint", "--format", "json"], &["dump"], &["decode"], &["build", "--emit", "json"]];
const TOML_COMMANDS: &[&[&str]] = &[&["lint"], &["dump"], &["decode"], &["build", "--emit", "rust"], &["build", "--emit", "c"]];

const SERIES: &[Series] = &[
    Series {
        name: "report descriptor (binary)",
        unit: "bytes",
        sizes: &[2 << 10, 8 << 10, 16 << 10, 32 << 10, 65_000, 128 << 10, 512 << 10, 1 << 20, 4 << 20],
        make: hostile::report_blob,
        ext: "bin",
        commands: BLOB_COMMANDS,
        limit: 65535,
    },
    Series {
        name: "report descriptor in TOML `bytes`",
        unit: "report bytes",
        sizes: &[2 << 10, 8 << 10, 16 << 10, 32 << 10, 65_000, 128 << 10, 512 << 10, 1 << 20],
        make: |n| hostile::report_toml(&hostile::report_blob(n)),
        ext: "toml",
        commands: TOML_COMMANDS,
        limit: 65535,
    },
    Series {
        name: "nested collections (binary)",
        unit: "depth",
        sizes: &[10, 100, 1_000, 10_000, 20_000, 100_000],
        make: hostile::nested_blob,
        ext: "bin",
        commands: BLOB_COMMANDS,
        limit: 21_000,
    },
    Series {
        name: "interfaces (TOML)",
        unit: "interfaces",
        sizes: &[100, 1_000, 10_000, 45_000, 100_000],
        make: hostile::interfaces_toml,
        ext: "toml",
        commands: TOML_COMMANDS,
        limit: 49_000,
    },
    Series {
        name: "descriptors in a device blob",
        unit: "descriptors",
        sizes: &[100, 1_000, 8_000, 100_000, 466_000],
        make: hostile::descriptors_blob,
        ext: "bin",
        commands: &[&["lint"], &["dump"], &["decode"], &["build", "--emit", "c"], &["build", "--emit", "json"]],
        limit: 8_192,
    },
    Series {
        name: "diagnostics (TOML, unknown keys)",
        unit: "diagnostics",
        sizes: &[10, 100, 1_000, 10_000, 99_000, 400_000],
        make: hostile::diagnostics_toml,
        ext: "toml",
        commands: &[&["lint"], &["lint", "--format", "json"]],
        limit: 99_900,
    },
    Series {
        name: "diagnostics (binary, usage-less Input items)",
        unit: "diagnostics",
        sizes: &[10, 100, 1_000, 10_000, 32_000],
        make: hostile::diagnostics_blob,
        ext: "bin",
        commands: &[&["lint"], &["lint", "--format", "json"], &["dump"]],
        limit: usize::MAX,
    },
];

/// One run of one subcommand on one input.
#[derive(Clone, Copy, Debug)]
pub struct Sample {
    pub time: Duration,
    /// User + system CPU time of the child (steady on a shared machine, where wall time is not).
    pub cpu: Duration,
    /// Peak resident set size in KiB.
    pub rss_kib: u64,
    pub exit: i32,
    pub output_bytes: u64,
}

/// One series' results: per size, the input bytes and per command the best of the runs.
pub struct SeriesResult {
    pub name: &'static str,
    pub unit: &'static str,
    pub commands: Vec<String>,
    pub limit: usize,
    /// (n, input bytes, one sample per command).
    pub rows: Vec<(usize, usize, Vec<Sample>)>,
}

pub struct Growth {
    pub series: Vec<SeriesResult>,
    pub runs: usize,
    /// `/proc/loadavg`'s 1-minute figure at the start, and the CPUs available (wall times on a
    /// shared machine grow with the load).
    pub load: String,
}

/// Runs `exe args input` with stdout and stderr counted and discarded; wall time and the child's
/// own peak RSS (`wait4`).
fn run_once(exe: &Path, args: &[&str], input: &Path, out: &Path) -> Result<Sample> {
    let stdout = std::fs::File::create(out).map_err(|e| e.to_string())?;
    let stderr = stdout.try_clone().map_err(|e| e.to_string())?;
    let start = Instant::now();
    let child = Command::new(exe)
        .args(args)
        .arg(input)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    let (exit, rss_kib, cpu) = wait_with_rusage(child.id())?;
    let time = start.elapsed();
    let output_bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    Ok(Sample { time, cpu, rss_kib, exit, output_bytes })
}

/// Least-squares slope of ln(time) against ln(n), where time is what a point costs above the
/// smallest size's (process start-up, the same for every size), over the points where that is at
/// least 5 ms; the three largest points when fewer qualify.
pub fn exponent(points: &[(usize, Duration)]) -> Option<f64> {
    let base = points.first()?.1.as_secs_f64();
    let above = |t: &Duration| (t.as_secs_f64() - base).max(1e-4);
    let mut p: Vec<(f64, f64)> = points
        .iter()
        .skip(1)
        .filter(|(_, t)| above(t) >= 0.005)
        .map(|(n, t)| ((*n as f64).ln(), above(t).ln()))
        .collect();
    if p.len() < 2 {
        p = points.iter().skip(1).rev().take(3).map(|(n, t)| ((*n as f64).ln(), above(t).ln())).collect();
    }
    if p.len() < 2 {
        return None;
    }
    let k = p.len() as f64;
    let (mx, my) = (p.iter().map(|x| x.0).sum::<f64>() / k, p.iter().map(|x| x.1).sum::<f64>() / k);
    let sxx: f64 = p.iter().map(|x| (x.0 - mx).powi(2)).sum();
    let sxy: f64 = p.iter().map(|x| (x.0 - mx) * (x.1 - my)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

pub fn measure(o: &Options) -> Result<Growth> {
    let exes = cargo_build(&o.root, &["--release", "--locked", "-p", "usbdesc-cli"])?;
    let exe = exes.into_iter().find(|(n, _)| n == "usbdesc").map(|(_, p)| p).ok_or("no usbdesc binary built")?;
    let dir = o.root.join("target/bench/growth");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let out = dir.join("output");
    let runs = 3;
    let load = std::fs::read_to_string("/proc/loadavg").ok().and_then(|l| l.split_whitespace().next().map(String::from)).unwrap_or_else(|| "?".into());
    let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let load = format!("load average {load} on {cpus} CPUs at the start");
    let mut series = Vec::new();
    for s in SERIES {
        let mut rows = Vec::new();
        for &n in s.sizes {
            let data = (s.make)(n);
            let input: PathBuf = dir.join(format!("{}-{n}.{}", s.name.split_whitespace().next().unwrap_or("input"), s.ext));
            std::fs::write(&input, &data).map_err(|e| format!("{}: {e}", input.display()))?;
            let mut samples = Vec::new();
            for args in s.commands {
                let mut best: Option<Sample> = None;
                for _ in 0..runs {
                    let x = run_once(&exe, args, &input, &out)?;
                    if best.is_none_or(|b| x.cpu < b.cpu) {
                        best = Some(x);
                    }
                }
                let b = best.ok_or("no run")?;
                eprintln!(
                    "xtask: growth: {} n={n} `usbdesc {}`: {:.3} s, {} MiB, exit {}",
                    s.name,
                    args.join(" "),
                    b.time.as_secs_f64(),
                    b.rss_kib / 1024,
                    b.exit
                );
                samples.push(b);
            }
            rows.push((n, data.len(), samples));
        }
        series.push(SeriesResult { name: s.name, unit: s.unit, limit: s.limit, commands: s.commands.iter().map(|a| a.join(" ")).collect(), rows });
    }
    let _ = std::fs::remove_file(&out);
    Ok(Growth { series, runs, load })
}

/// The BENCHMARKS.md section.
pub fn section(g: &Growth) -> String {
    let mut s = String::from(SECTION_TITLE);
    s.push_str("\n\n");
    let _ = writeln!(
        s,
        "Issue 15: every subcommand on any input up to the 4 MiB input limit in ≤ 1 s and ≤ 100 MB, exit 0, 1 or 2. \
         Inputs from `usbdesc_tests::hostile` (written to target/bench/growth/), run with the release `usbdesc`; each cell is \
         the run of least CPU time of {}: wall time (cpu: user + system), peak RSS (`wait4`; Linux counts the forking xtask's own few MB in it, so small \
         inputs show 4–14 MB), exit code, bytes written to stdout and stderr. *exp* is the log-log slope of CPU time against n, \
         start-up subtracted (the smallest size's CPU time; wall time varies with the machine's load): least squares over the \
         points costing ≥ 5 ms above start-up, else the three largest; ≈ 1.0 is linear, below 1 means fixed costs still \
         dominate or output is capped; sizes marked *refused* are left out. Limits that refuse an input after one linear scan: report descriptors over 65535 bytes (UD2011: the HID \
         descriptor's length field is 16 bits; nesting deeper than about 21,000 needs more bytes), device blobs of more than \
         8,192 descriptors (UD6009), TOML with more than \
         100,000 keys, values and array elements (UD0008: the TOML parser keeps a node of a few hundred bytes for each). More \
         than 256 interfaces is one error (UD1011) after reading them all; past 5,000 diagnostics the rest are counted, not \
         rendered. Measured with {}.\n",
        g.runs, g.load
    );
    let mut worst_time = Duration::ZERO;
    let mut worst_cpu = Duration::ZERO;
    let mut worst_rss = 0u64;
    for r in &g.series {
        let _ = writeln!(s, "### {}\n", r.name);
        let _ = write!(s, "| n ({}) | input |", r.unit);
        for c in &r.commands {
            let _ = write!(s, " `{c}` |");
        }
        s.push_str("\n|---:|---:|");
        for _ in &r.commands {
            s.push_str("---:|");
        }
        s.push('\n');
        for (n, bytes, samples) in &r.rows {
            let refused = if *n > r.limit { " (refused)" } else { "" };
            let _ = write!(s, "| {n}{refused} | {} |", human(*bytes as u64));
            for x in samples {
                worst_time = worst_time.max(x.time);
                worst_cpu = worst_cpu.max(x.cpu);
                worst_rss = worst_rss.max(x.rss_kib);
                let _ = write!(
                    s,
                    " {:.3} s (cpu {:.3}), {:.0} MB, exit {}, out {} |",
                    x.time.as_secs_f64(),
                    x.cpu.as_secs_f64(),
                    x.rss_kib as f64 / 1024.0,
                    x.exit,
                    human(x.output_bytes)
                );
            }
            s.push('\n');
        }
        s.push_str("| *exp* | |");
        for k in 0..r.commands.len() {
            let pts: Vec<(usize, Duration)> = r.rows.iter().filter(|(n, _, _)| *n <= r.limit).map(|(n, _, x)| (*n, x[k].cpu)).collect();
            match exponent(&pts) {
                Some(e) => {
                    let _ = write!(s, " **{e:.2}** |");
                }
                None => s.push_str(" – |"),
            }
        }
        s.push_str("\n\n");
    }
    let _ = writeln!(
        s,
        "Slowest run: {:.3} s wall, {:.3} s CPU; largest peak RSS: {:.0} MB (targets ≤ 1 s, ≤ 100 MB).\n",
        worst_time.as_secs_f64(),
        worst_cpu.as_secs_f64(),
        worst_rss as f64 / 1024.0
    );
    s
}

pub const SECTION_TITLE: &str = "## 6. Growth with input size";

fn human(b: u64) -> String {
    match b {
        0..1024 => format!("{b} B"),
        1024..1_048_576 => format!("{:.0} KiB", b as f64 / 1024.0),
        _ => format!("{:.1} MiB", b as f64 / 1_048_576.0),
    }
}

/// Replace (or insert before `## Versions`) the growth section of an existing BENCHMARKS.md.
pub fn splice(doc: &str, section: &str) -> String {
    crate::report::splice_section(doc, SECTION_TITLE, section)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slope_of_a_power_law() {
        // Start-up (the smallest size's cost) is subtracted.
        let pts: Vec<(usize, Duration)> =
            [1usize, 1_000, 10_000, 100_000].iter().map(|&n| (n, Duration::from_secs_f64(0.002 + 1e-6 * (n as f64).powi(2)))).collect();
        assert!((exponent(&pts).unwrap() - 2.0).abs() < 1e-3);
    }

    #[test]
    fn splice_replaces_or_inserts() {
        let doc = "# B\n\n## 4. M\n\nx\n\n## Versions\n\nv\n";
        let once = splice(doc, "## 6. Growth with input size\n\nA\n\n");
        assert_eq!(once, "# B\n\n## 4. M\n\nx\n\n## 6. Growth with input size\n\nA\n\n## Versions\n\nv\n");
        assert_eq!(splice(&once, "## 6. Growth with input size\n\nB\n\n"), once.replace("\nA\n", "\nB\n"));
    }
}
