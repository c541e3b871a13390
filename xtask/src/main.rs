//! Repository tasks. `cargo xtask bench [--quick]` builds and measures everything issue 9 asks for
//! and writes BENCHMARKS.md (`--quick`: firmware sizes only, written to target/bench/sizes.md and
//! printed, for CI; `--macros`: the macro compile cost only, written to target/bench/macros.md and
//! printed; `--cpu`: Cortex-M0 instructions per USB operation in the emulated board, spliced into
//! BENCHMARKS.md as section 5; `--growth`: time and memory against input size only, section 6
//! rewritten in place). See BENCHMARKS.md "Reproduce" for the options.

mod adapters;
mod cmd;
mod corpus;
mod cpu;
mod growth;
mod macros;
mod pack;
mod report;
mod size;
mod tools;
mod verdicts;

use std::path::PathBuf;
use std::process::ExitCode;

pub type Result<T> = std::result::Result<T, String>;

/// Options of `cargo xtask bench`.
pub struct Options {
    pub quick: bool,
    /// Measurement 4 (macro compile cost) only.
    pub macros_only: bool,
    /// Measurement 5 (CPU cost in the emulated board) only, spliced into BENCHMARKS.md.
    pub cpu_only: bool,
    /// Measurement 5 (growth with input size) only: rewrites its section of BENCHMARKS.md.
    pub growth_only: bool,
    /// Repository root.
    pub root: PathBuf,
    /// The usbdesc keyboard firmware crate (variant (d) of the size table).
    pub firmware: PathBuf,
    /// Directory of the corpus HID report descriptors (`*.hex`).
    pub corpus: PathBuf,
    /// Where the report goes.
    pub out: PathBuf,
}

const USAGE: &str =
    "usage: cargo xtask bench [--quick | --macros | --cpu | --growth] [--firmware DIR] [--corpus DIR] [--out FILE]
       cargo xtask verdicts hid-bundle DIR | hid-check OBSERVED.jsonl [--update]   (scripts/realhost.sh)
       cargo xtask corpus-run DIR   (internal: usbdesc decode + lint of every *.hex in DIR)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("bench") => parse_bench(&args[1..]).and_then(|o| bench(&o)),
        Some("verdicts") => verdicts::run(&args[1..]),
        Some("corpus-run") if args.len() == 2 => corpus::run_usbdesc(&PathBuf::from(&args[1])),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse_bench(args: &[String]) -> Result<Options> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .map_err(|e| e.to_string())?;
    let mut o = Options {
        quick: false,
        macros_only: false,
        cpu_only: false,
        growth_only: false,
        firmware: root.join("firmware/keyboard"),
        // The tests' corpus (`tests/corpus/hid`).
        corpus: usbdesc_tests::corpus_dir().join("hid"),
        out: PathBuf::new(),
        root,
    };
    let mut out = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        // Relative paths are relative to where the command was started.
        let mut value = || {
            let p = it
                .next()
                .map(PathBuf::from)
                .ok_or_else(|| format!("{a} needs a value\n{USAGE}"))?;
            std::env::current_dir()
                .map(|d| d.join(p))
                .map_err(|e| e.to_string())
        };
        match a.as_str() {
            "--quick" => o.quick = true,
            "--macros" => o.macros_only = true,
            "--cpu" => o.cpu_only = true,
            "--growth" => o.growth_only = true,
            "--firmware" => o.firmware = value()?,
            "--corpus" => o.corpus = value()?,
            "--out" => out = Some(value()?),
            _ => return Err(format!("unknown argument `{a}`\n{USAGE}")),
        }
    }
    o.out = out.unwrap_or_else(|| {
        if o.macros_only {
            o.root.join("target/bench/macros.md")
        } else if o.quick {
            o.root.join("target/bench/sizes.md")
        } else {
            o.root.join("BENCHMARKS.md")
        }
    });
    Ok(o)
}

fn bench(o: &Options) -> Result<()> {
    let started = std::time::Instant::now();
    if o.growth_only {
        let g = growth::measure(o)?;
        let section = growth::section(&g);
        let old = std::fs::read_to_string(&o.out).unwrap_or_default();
        std::fs::write(&o.out, growth::splice(&old, &section)).map_err(|e| format!("{}: {e}", o.out.display()))?;
        println!("{section}");
        eprintln!("xtask: wrote the growth section of {} in {:.0} s", o.out.display(), started.elapsed().as_secs_f64());
        return Ok(());
    }
    if o.macros_only {
        let m = macros::measure(o)?;
        let text = report::macro_table(&m);
        std::fs::create_dir_all(o.root.join("target/bench")).map_err(|e| e.to_string())?;
        std::fs::write(&o.out, &text).map_err(|e| format!("{}: {e}", o.out.display()))?;
        println!("{text}");
        eprintln!("xtask: wrote {} in {:.0} s", o.out.display(), started.elapsed().as_secs_f64());
        return Ok(());
    }
    if o.cpu_only {
        let section = cpu::measure(o)?;
        let doc = std::fs::read_to_string(&o.out).unwrap_or_default();
        std::fs::write(&o.out, cpu::splice(&doc, &section)).map_err(|e| format!("{}: {e}", o.out.display()))?;
        println!("{section}");
        eprintln!("xtask: wrote section 5 of {} in {:.0} s", o.out.display(), started.elapsed().as_secs_f64());
        return Ok(());
    }
    let tools = tools::Tools::ensure(o.quick)?;
    let mut r = report::Report::new(o, &tools)?;
    r.sizes = Some(size::measure(o, &tools)?);
    if !o.quick {
        r.pack = Some(pack::measure(o)?);
        r.corpus = Some(corpus::measure(o, &tools)?);
        r.macros = Some(macros::measure(o)?);
        r.cpu = Some(cpu::measure(o)?);
        r.growth = Some(growth::measure(o)?);
    }
    r.elapsed = started.elapsed();
    let text = r.render();
    if let Some(dir) = o.out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(&o.out, &text).map_err(|e| format!("{}: {e}", o.out.display()))?;
    println!("{}", if o.quick { r.size_table() } else { text });
    eprintln!(
        "xtask: wrote {} in {:.0} s",
        o.out.display(),
        r.elapsed.as_secs_f64()
    );
    Ok(())
}
