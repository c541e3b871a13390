//! Measurement 2, report packing cost: instructions per packed report, counted by callgrind (deterministic).

use crate::cmd::{cargo_build, output};
use crate::{Options, Result};
use std::path::Path;
use std::process::Command;

/// Reports packed per run; per-report cost = (Ir(case) − Ir(baseline)) / N.
pub const N: u64 = 100_000;

pub struct Case {
    pub report: &'static str,
    /// Instructions per pack, usbdesc side.
    pub usbdesc: f64,
    pub usbd_hid: f64,
    /// Instructions per `copy_from_slice` of the report's number of bytes (`memcpy-REPORT`).
    pub memcpy: f64,
    /// Packed bytes of the peer, and a mismatch note when usbdesc differs.
    pub bytes: String,
    pub mismatch: Option<String>,
}

impl Case {
    /// The target for this report: (what usbdesc is divided by, its name, the bound).
    /// Keyboard: at most a plain copy of its bytes; digitizer (bit fields): half of usbd-hid.
    pub fn target(&self) -> (f64, &'static str, f64) {
        match self.report {
            "keyboard" => (self.memcpy, "memcpy", 1.0),
            _ => (self.usbd_hid, "usbd-hid", 0.5),
        }
    }
}

pub struct Pack {
    pub baseline_per_iter: f64,
    pub cases: Vec<Case>,
}

pub fn measure(o: &Options) -> Result<Pack> {
    let exes = cargo_build(
        &o.root.join("bench"),
        &["--release", "--locked", "-p", "pack"],
    )?;
    let exe = exes
        .iter()
        .find(|(n, _)| n == "pack")
        .map(|(_, p)| p.clone())
        .ok_or("no `pack` executable")?;
    let base = instructions(&exe, "baseline", N)?;
    let zero = instructions(&exe, "baseline", 0)?;
    let mut cases = Vec::new();
    for report in ["keyboard", "digitizer"] {
        let peer = format!("usbd-hid-{report}");
        let ours = format!("usbdesc-{report}");
        let bytes =
            String::from_utf8_lossy(&output(Command::new(&exe).args(["bytes", &peer]))?.stdout)
                .trim()
                .to_string();
        let ours_bytes =
            String::from_utf8_lossy(&output(Command::new(&exe).args(["bytes", &ours]))?.stdout)
                .trim()
                .to_string();
        let mismatch = (ours_bytes != bytes).then(|| format!("usbdesc packs `{ours_bytes}`"));
        let usbdesc = per_pack(instructions(&exe, &ours, N)?, base);
        let usbd_hid = per_pack(instructions(&exe, &peer, N)?, base);
        let memcpy = per_pack(instructions(&exe, &format!("memcpy-{report}"), N)?, base);
        cases.push(Case {
            report,
            usbdesc,
            usbd_hid,
            memcpy,
            bytes,
            mismatch,
        });
    }
    Ok(Pack {
        baseline_per_iter: (base - zero) as f64 / N as f64,
        cases,
    })
}

fn per_pack(ir: u64, base: u64) -> f64 {
    (ir as f64 - base as f64) / N as f64
}

/// Total instructions of `pack CASE n` under callgrind.
fn instructions(exe: &Path, case: &str, n: u64) -> Result<u64> {
    let out_file = exe.with_file_name(format!("callgrind.{case}.{n}.out"));
    let out = output(
        Command::new("valgrind")
            .arg("--tool=callgrind")
            .arg(format!("--callgrind-out-file={}", out_file.display()))
            .arg(exe)
            .args([case, &n.to_string()]),
    )?;
    let err = String::from_utf8_lossy(&out.stderr);
    err.lines()
        .find_map(|l| l.split("Collected :").nth(1))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("no `Collected :` line in callgrind output for {case}:\n{err}"))
}
