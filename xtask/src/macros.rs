//! Measurement 4, macro compile cost: one generated crate with 50 report structs per side, `#[hid_report]`
//! (adapter) vs usbd-hid's `#[gen_hid_descriptor]`, built clean in the same run.

use crate::adapters::hid_report;
use crate::cmd::{cargo, output, timed, timed_cpu};
use crate::{Options, Result};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

pub const REPORTS: usize = 50;
/// Clean builds and crate-only rebuilds per side, the sides alternating; the fastest counts (the
/// machine is shared: one clean build each swung the ratio by ±15%).
pub const RUNS: usize = 3;
/// Crate-only rebuilds (and `-Z time-passes` builds) per side, alternating: each is under a
/// second, so more of them keep the fastest stable on a loaded machine.
pub const CRATE_RUNS: usize = 10;

/// What a field's usage is.
#[derive(Clone, Debug)]
pub enum Usage {
    /// One usage on `FieldSpec::usage_page`; the field is one value of its type's width.
    One(u16),
    /// `n` one-bit buttons, Button page usages 1..=n, packed into a `u8` (padding after them).
    Buttons(u8),
}

/// One field of a generated report, neutral so both macros render the same report.
#[derive(Clone, Debug)]
pub struct FieldSpec {
    pub name: String,
    /// `u8`, `i8`, `u16` or `i16`; logical range is the type's full range (buttons: 0..=1).
    pub ty: &'static str,
    pub usage_page: u16,
    pub usage: Usage,
    /// Output (host to device) instead of input.
    pub output: bool,
}

/// One report: an Application collection (Generic Desktop page) holding the fields in order,
/// no report ID.
#[derive(Clone, Debug)]
pub struct ReportSpec {
    pub name: String,
    pub app_usage: u16,
    pub fields: Vec<FieldSpec>,
}

/// The 50 reports: game controllers with 1–8 buttons, 1–7 axes of mixed width and sign, and
/// every fifth one an LED output byte.
pub fn specs() -> Vec<ReportSpec> {
    (0..REPORTS)
        .map(|i| {
            let mut fields = vec![FieldSpec {
                name: "buttons".into(),
                ty: "u8",
                usage_page: 0x09,
                usage: Usage::Buttons(1 + (i % 8) as u8),
                output: false,
            }];
            for k in 0..1 + i % 7 {
                fields.push(FieldSpec {
                    name: format!("axis{k}"),
                    ty: ["u8", "i8", "u16", "i16"][(i + k) % 4],
                    usage_page: 0x01,
                    usage: Usage::One(0x30 + k as u16),
                    output: false,
                });
            }
            if i % 5 == 0 {
                fields.push(FieldSpec {
                    name: "leds".into(),
                    ty: "u8",
                    usage_page: 0x08,
                    usage: Usage::One(0x01),
                    output: true,
                });
            }
            ReportSpec {
                name: format!("Report{i:02}"),
                app_usage: [0x04, 0x05, 0x08][i % 3],
                fields,
            }
        })
        .collect()
}

/// The usbd-hid rendering of one report.
pub fn render_usbd_hid(spec: &ReportSpec) -> String {
    let mut s = String::from("#[gen_hid_descriptor(\n");
    let _ = writeln!(
        s,
        "    (collection = APPLICATION, usage_page = GENERIC_DESKTOP, usage = {:#04x}) = {{",
        spec.app_usage
    );
    for f in &spec.fields {
        let dir = if f.output { "output" } else { "input" };
        match f.usage {
            Usage::Buttons(n) => {
                let _ = writeln!(
                    s,
                    "        (usage_page = {:#04x}, usage_min = 0x01, usage_max = {n:#04x}) = {{ #[packed_bits = {n}] #[item_settings(data,variable,absolute)] {}={dir}; }};",
                    f.usage_page, f.name
                );
            }
            Usage::One(u) => {
                let _ = writeln!(
                    s,
                    "        (usage_page = {:#04x}, usage = {u:#04x},) = {{ #[item_settings(data,variable,absolute)] {}={dir}; }};",
                    f.usage_page, f.name
                );
            }
        }
    }
    s.push_str("    }\n)]\n");
    let _ = writeln!(s, "pub struct {} {{", spec.name);
    for f in &spec.fields {
        let _ = writeln!(s, "    pub {}: {},", f.name, f.ty);
    }
    s.push_str("}\n\n");
    s
}

pub struct Side {
    pub clean: Duration,
    pub crate_only: Duration,
    /// CPU time (user + system of cargo and rustc) of the crate-only build, least of the runs:
    /// less disturbed than wall time by other work on the machine.
    pub crate_only_cpu: Duration,
    /// rustc's `-Z time-passes` of the crate-only build: (pass, seconds, fastest of [`CRATE_RUNS`]), the
    /// passes in [`PASSES`] that it printed.
    pub passes: Vec<(&'static str, f64)>,
}

/// The passes of `-Z time-passes` shown in section 4: macro expansion (the proc macro runs here),
/// type checking, borrow checking, code generation (LLVM included) and the whole compilation.
pub const PASSES: [&str; 6] = [
    "expand_crate",
    "type_check_crate",
    "MIR_borrow_checking",
    "codegen_crate",
    "LLVM_passes",
    "total",
];

/// The passes of [`PASSES`] in rustc's `-Z time-passes` output (`time:   0.123; rss: ... NAME`).
pub fn parse_passes(text: &str) -> Vec<(&'static str, f64)> {
    let mut out = Vec::new();
    for name in PASSES {
        let secs = text.lines().filter_map(|l| {
            let rest = l.trim_start().strip_prefix("time:")?;
            (l.split_whitespace().last()? == name).then_some(())?;
            rest.split(';').next()?.trim().parse::<f64>().ok()
        });
        // A pass can run more than once (`LLVM_passes` per codegen unit): add them up.
        let all: Vec<f64> = secs.collect();
        if !all.is_empty() {
            out.push((name, all.iter().sum()));
        }
    }
    out
}

/// Crate-only builds with `-Z time-passes` (stable rustc through `RUSTC_BOOTSTRAP=1`, in a target
/// dir of its own so that the normal builds' dependencies are not rebuilt): each pass's fastest of
/// [`CRATE_RUNS`].
fn time_passes(c: &GenCrate) -> Result<Vec<(&'static str, f64)>> {
    let dir = c.dir.join("target-passes");
    let mut cmd = Command::new(cargo());
    cmd.current_dir(&c.dir)
        .env_remove("CARGO_TARGET_DIR")
        .env("CARGO_INCREMENTAL", "0")
        .env("RUSTC_BOOTSTRAP", "1");
    // Dependencies first, then the crate alone with the flag.
    output(cmd.args(["build", "--quiet", "--target-dir"]).arg(&dir))?;
    let mut best: Vec<(&'static str, f64)> = Vec::new();
    for _ in 0..CRATE_RUNS {
        output(Command::new(cargo()).current_dir(&c.dir).args(["clean", "-p", c.name, "--target-dir"]).arg(&dir))?;
        let out = output(
            Command::new(cargo())
                .current_dir(&c.dir)
                .env_remove("CARGO_TARGET_DIR")
                .env("CARGO_INCREMENTAL", "0")
                .env("RUSTC_BOOTSTRAP", "1")
                .args(["rustc", "--lib", "--target-dir"])
                .arg(&dir)
                .args(["--", "-Z", "time-passes"]),
        )?;
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        // Each pass's fastest of the runs (the machine is shared).
        for (name, t) in parse_passes(&text) {
            match best.iter_mut().find(|(n, _)| *n == name) {
                Some(b) => b.1 = b.1.min(t),
                None => best.push((name, t)),
            }
        }
    }
    Ok(best)
}

pub struct Macros {
    pub usbd_hid: Side,
    pub usbdesc: Side,
}

struct GenCrate {
    dir: PathBuf,
    name: &'static str,
}

fn write_crate(
    dir: &Path,
    name: &'static str,
    deps: &str,
    lib: &str,
    lock: Option<&Path>,
) -> Result<GenCrate> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    let manifest = format!(
        "# Generated by `cargo xtask bench` (measurement 4); not part of any workspace.\n[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{deps}\n[workspace]\n"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("src/lib.rs"), lib).map_err(|e| e.to_string())?;
    if let Some(lock) = lock {
        // Same dependency versions as the rest of the run; cargo drops what this crate does not use.
        std::fs::copy(lock, dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    }
    output(Command::new(cargo()).current_dir(dir).arg("fetch"))?;
    Ok(GenCrate {
        dir: dir.to_path_buf(),
        name,
    })
}

fn build(c: &GenCrate) -> Command {
    let mut cmd = Command::new(cargo());
    cmd.current_dir(&c.dir)
        .env_remove("CARGO_TARGET_DIR")
        .env("CARGO_INCREMENTAL", "0")
        .args(["build", "--quiet", "--target-dir"])
        .arg(c.dir.join("target"));
    cmd
}

fn clean_build(c: &GenCrate) -> Result<Duration> {
    let _ = std::fs::remove_dir_all(c.dir.join("target"));
    timed(&mut build(c))
}

/// Wall and CPU time of rebuilding the crate alone.
fn crate_only(c: &GenCrate) -> Result<(Duration, Duration)> {
    output(
        Command::new(cargo())
            .current_dir(&c.dir)
            .args(["clean", "-p", c.name, "--target-dir"])
            .arg(c.dir.join("target")),
    )?;
    timed_cpu(&mut build(c))
}

pub fn measure(o: &Options) -> Result<Macros> {
    let specs = specs();
    let base = o.root.join("target/bench/macro");
    let version = crate::report::lock_version(&o.root.join("bench/Cargo.lock"), "usbd-hid")
        .unwrap_or_else(|| "0.10".into());
    let mut lib = String::from(
        "//! 50 reports declared with usbd-hid's #[gen_hid_descriptor] (generated).\n#![no_std]\n#![allow(dead_code)]\nuse usbd_hid::descriptor::generator_prelude::*;\n\n",
    );
    specs.iter().for_each(|s| lib.push_str(&render_usbd_hid(s)));
    let peer = write_crate(
        &base.join("usbd-hid"),
        "bench-macro-usbd-hid",
        &format!("usbd-hid = \"={version}\"\n"),
        &lib,
        Some(&o.root.join("bench/Cargo.lock")),
    )?;

    let mut lib = format!(
        "//! 50 reports declared with #[hid_report] (generated).\n#![allow(dead_code)]\n{}\n",
        hid_report::PRELUDE
    );
    specs.iter().for_each(|s| lib.push_str(&hid_report::render(s)));
    let ours = write_crate(
        &base.join("usbdesc"),
        "bench-macro-usbdesc",
        &hid_report::dependencies(&o.root),
        &lib,
        Some(&o.root.join("Cargo.lock")),
    )?;

    let mut peer_side = Side {
        clean: Duration::MAX,
        crate_only: Duration::MAX,
        crate_only_cpu: Duration::MAX,
        passes: time_passes(&peer)?,
    };
    let mut our_side = Side {
        clean: Duration::MAX,
        crate_only: Duration::MAX,
        crate_only_cpu: Duration::MAX,
        passes: time_passes(&ours)?,
    };
    for _ in 0..RUNS {
        peer_side.clean = peer_side.clean.min(clean_build(&peer)?);
        our_side.clean = our_side.clean.min(clean_build(&ours)?);
    }
    for _ in 0..CRATE_RUNS {
        for (side, c) in [(&mut peer_side, &peer), (&mut our_side, &ours)] {
            let (wall, cpu) = crate_only(c)?;
            side.crate_only = side.crate_only.min(wall);
            side.crate_only_cpu = side.crate_only_cpu.min(cpu);
        }
    }
    Ok(Macros {
        usbd_hid: peer_side,
        usbdesc: our_side,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifty_distinct_reports() {
        let specs = specs();
        assert_eq!(specs.len(), REPORTS);
        assert_eq!(specs[7].name, "Report07");
        // Report 7: 8 buttons, 1 axis (7 % 7 = 0 → 1 axis), no LED byte.
        assert!(matches!(specs[7].fields[0].usage, Usage::Buttons(8)));
        assert_eq!(specs[7].fields.len(), 2);
        // Report 10: LED output byte last.
        assert!(specs[10].fields.last().unwrap().output);
    }

    #[test]
    fn reads_time_passes() {
        let text = "time:   0.002; rss:   40MB ->   45MB (   +5MB)\tparse_crate\n\
                    time:   0.150; rss:   45MB ->   90MB (  +45MB)\texpand_crate\n\
                    time:   0.010; rss:   90MB ->   91MB (   +1MB)\tLLVM_passes\n\
                    time:   0.020; rss:   91MB ->   92MB (   +1MB)\tLLVM_passes\n\
                    time:   0.400; rss:   30MB ->  100MB (  +70MB)\ttotal\n";
        let p = parse_passes(text);
        assert_eq!(p.len(), 3);
        assert_eq!(p[0], ("expand_crate", 0.150));
        assert_eq!(p[1].0, "LLVM_passes");
        assert!((p[1].1 - 0.030).abs() < 1e-9);
        assert_eq!(p[2], ("total", 0.400));
    }

    #[test]
    fn renders_usbd_hid_declaration() {
        let text = render_usbd_hid(&specs()[0]);
        assert_eq!(
            text,
            "#[gen_hid_descriptor(\n    (collection = APPLICATION, usage_page = GENERIC_DESKTOP, usage = 0x04) = {\n        \
             (usage_page = 0x09, usage_min = 0x01, usage_max = 0x01) = { #[packed_bits = 1] #[item_settings(data,variable,absolute)] buttons=input; };\n        \
             (usage_page = 0x01, usage = 0x30,) = { #[item_settings(data,variable,absolute)] axis0=input; };\n        \
             (usage_page = 0x08, usage = 0x01,) = { #[item_settings(data,variable,absolute)] leds=output; };\n    }\n)]\n\
             pub struct Report00 {\n    pub buttons: u8,\n    pub axis0: u8,\n    pub leds: u8,\n}\n\n"
        );
    }
}
