//! `cargo xtask verdicts`: the host side of the differential test of `usbdesc lint` against the
//! real Linux kernel (harness/hid_verdicts.py boots the guest in between).
//!
//! - `verdicts hid-bundle DIR`: writes the inputs (`usbdesc_tests::hid_verdicts::inputs`) as
//!   `DIR/hid.bundle` (records of u32 id, u32 length, bytes) for the guest helper `uhidq`.
//! - `verdicts hid-check OBSERVED.jsonl [--update]`: compares what the kernel did with lint's
//!   verdict and the kernel's parsed layout with ours, and the kernel's verdicts with the
//!   checked-in table (`tests/verdicts/hid.tsv`); `--update` rewrites the table instead of
//!   reporting changed verdicts. Fails on any disagreement outside the allow-list.
use std::collections::BTreeMap;
use std::path::Path;

use usbdesc_tests::hid_verdicts::{self as hv, KernelVerdict};

use crate::Result;

pub fn run(args: &[String]) -> Result<()> {
    match args {
        [cmd, dir] if cmd == "hid-bundle" => bundle(Path::new(dir)),
        [cmd, obs, rest @ ..] if cmd == "hid-check" => check(Path::new(obs), rest.iter().any(|a| a == "--update")),
        _ => Err("usage: cargo xtask verdicts hid-bundle DIR | hid-check OBSERVED.jsonl [--update]".into()),
    }
}

fn bundle(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let inputs = hv::inputs();
    let mut b = Vec::new();
    let mut index = String::new();
    for (id, i) in inputs.iter().enumerate() {
        b.extend_from_slice(&(id as u32).to_le_bytes());
        b.extend_from_slice(&(i.bytes.len() as u32).to_le_bytes());
        b.extend_from_slice(&i.bytes);
        index.push_str(&format!("{id}\t{}\t{}\n", i.key(), i.source));
    }
    let path = dir.join("hid.bundle");
    std::fs::write(&path, b).map_err(|e| format!("{}: {e}", path.display()))?;
    // The bundle's id -> key map: observations are matched to inputs by content, not position.
    std::fs::write(dir.join("hid.index"), index).map_err(|e| e.to_string())?;
    // Descriptors only USB can judge (a report over uhid's limit): one device file each.
    let usb = dir.join("usb");
    let _ = std::fs::remove_dir_all(&usb);
    std::fs::create_dir_all(&usb).map_err(|e| e.to_string())?;
    let mut n = 0;
    for i in inputs.iter().filter(|i| hv::needs_usb(&i.bytes)) {
        std::fs::write(usb.join(format!("{}.toml", i.key())), hv::usb_device_toml(&i.bytes)).map_err(|e| e.to_string())?;
        n += 1;
    }
    eprintln!("verdicts: {n} of them also as USB devices in {}", usb.display());
    eprintln!("verdicts: {} HID descriptors in {}", inputs.len(), path.display());
    Ok(())
}

/// One line of the observations: what the guest saw for input `id`.
struct Observed {
    verdict: String,
    /// Over USB/IP (descriptors with a report over uhid's limit): the interface's driver.
    usb: Option<String>,
    log: Vec<String>,
    fields: Vec<hv::KernelField>,
}

fn read_observed(path: &Path) -> Result<(String, BTreeMap<String, Observed>)> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut kernel = String::new();
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| format!("{}: {e}", path.display()))?;
        if let Some(k) = v.get("kernel").and_then(|k| k.as_str()) {
            kernel = k.to_string();
            continue;
        }
        let key = v["key"].as_str().ok_or("observation without key")?.to_string();
        let log = v["log"].as_array().map(|a| a.iter().filter_map(|l| l.as_str().map(String::from)).collect()).unwrap_or_default();
        let mut fields: Vec<_> = v["fields"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|f| {
                        let n = |i: usize| f.get(i).and_then(|x| x.as_i64());
                        Some(hv::KernelField {
                            kind: f.get(0)?.as_str()?.to_string(),
                            id: n(1)? as u32,
                            size: n(2)? as u32,
                            count: n(3)? as u32,
                            offset: n(4)? as u32,
                            min: n(5),
                            max: n(6),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        fields.sort();
        let usb = v["usb"].as_str().map(String::from);
        out.insert(key, Observed { verdict: v["verdict"].as_str().unwrap_or("?").to_string(), usb, log, fields });
    }
    Ok((kernel, out))
}

/// The kernel's reason: the first log line naming a problem, without the device prefix.
fn reason(log: &[String]) -> String {
    // Rate-limit notices ("N callbacks suppressed") vary from run to run: never a reason.
    let interesting = |l: &&String| {
        !l.contains("hidraw") && !l.contains("input:") && !l.contains("probe with driver") && !l.contains("callbacks suppressed")
    };
    log.iter()
        .find(interesting)
        .map(|l| l.splitn(2, ": ").nth(1).unwrap_or(l).trim().to_string())
        .unwrap_or_else(|| "-".into())
}

/// The kernel's verdict over USB: uhid refuses reports over 4096 bytes that usbhid takes, so for
/// those the USB/IP observation decides.
fn verdict_of(o: &Observed) -> String {
    if o.verdict == "rejected" && o.log.iter().any(|l| l.contains("report is too long")) {
        return match o.usb.as_deref() {
            Some("usbhid") => "usb-accepted".into(),
            None | Some("attach-failed") => "uhid-too-long".into(),
            Some(_) => "usb-rejected".into(),
        };
    }
    o.verdict.clone()
}

fn check(observed: &Path, update: bool) -> Result<()> {
    let inputs = hv::inputs();
    let (kernel, obs) = read_observed(observed)?;
    let table_text = std::fs::read_to_string(hv::table_path()).unwrap_or_default();
    let (table_kernel, table) = hv::read_table(&table_text);
    let table: BTreeMap<&str, &KernelVerdict> = table.iter().map(|r| (r.key.as_str(), r)).collect();
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut changed = Vec::new();
    let (mut accepted, mut layouts) = (0, 0);
    for input in &inputs {
        let Some(o) = obs.get(&input.key()) else {
            problems.push(format!("{}: no kernel observation (the inputs changed: rerun scripts/realhost.sh)", input.source));
            continue;
        };
        let row = KernelVerdict {
            key: input.key(),
            source: input.source.clone(),
            verdict: verdict_of(o),
            reason: match o.usb.as_deref() {
                Some(drv) if verdict_of(o).starts_with("usb-") => format!("uhid: report is too long; over USB/IP the interface's driver: {drv}"),
                _ => reason(&o.log),
            },
        };
        if let Some(old) = table.get(row.key.as_str()) {
            if old.verdict != row.verdict {
                changed.push(format!("{}: {} -> {} ({})", input.source, old.verdict, row.verdict, row.reason));
            }
        }
        if row.verdict == "timeout" || row.verdict == "missing" {
            problems.push(format!("{}: the kernel gave no verdict ({}); log: {:?}", input.source, row.verdict, o.log));
        }
        problems.extend(hv::disagreement(input, &row));
        if o.verdict == "accepted" {
            accepted += 1;
            if let Some(ours) = hv::kernel_form_layout(&input.bytes) {
                if ours != o.fields {
                    problems.push(format!(
                        "{}: kernel layout differs from ours\n  kernel {:?}\n  ours   {:?}",
                        input.source, o.fields, ours
                    ));
                } else {
                    layouts += 1;
                }
            }
        }
        rows.push(row);
    }
    if update {
        std::fs::write(hv::table_path(), hv::write_table(&kernel, &rows)).map_err(|e| e.to_string())?;
        eprintln!("verdicts: wrote {} rows to {}", rows.len(), hv::table_path().display());
    } else if !changed.is_empty() {
        problems.push(format!(
            "kernel {kernel} changed {} verdicts against the table (kernel {table_kernel}); rerun with REALHOST_UPDATE_VERDICTS=1 after review:\n  {}",
            changed.len(),
            changed.join("\n  ")
        ));
    }
    eprintln!("verdicts: kernel {kernel}: {accepted} accepted, layout equal to ours for {layouts}");
    if problems.is_empty() {
        println!("{} HID descriptors: lint and kernel agree on all", inputs.len());
        Ok(())
    } else {
        for p in &problems {
            eprintln!("DISAGREE {p}");
        }
        Err(format!("{} disagreements between lint and the kernel", problems.len()))
    }
}
