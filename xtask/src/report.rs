//! BENCHMARKS.md: tables, ratios against the issue's targets, versions and the command.

use crate::corpus::Corpus;
use crate::macros::{Macros, Side};
use crate::pack::Pack;
use crate::size::Sizes;
use crate::tools::Tools;
use crate::{Options, Result};
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Issue 20's targets for section 1: usbdesc's class code (flash − the empty class's) and its
/// whole firmware against the hand-written floor's.
const CLASS_TARGET: f64 = 1.10;
const FLASH_TARGET: f64 = 1.01;

/// usbd-hid keyboard flash measured when the project started (DESIGN.md), for a sanity check.
const DESIGN_USBD_HID: u64 = 11_628;
const DESIGN_UHID: u64 = 12_464;

pub struct Report {
    pub quick: bool,
    pub date: String,
    pub machine: String,
    pub commit: String,
    pub versions: Vec<(String, String)>,
    pub sizes: Option<Sizes>,
    pub pack: Option<Pack>,
    pub corpus: Option<Corpus>,
    pub macros: Option<Macros>,
    /// Section 5 (markdown, heading included), from `cpu::measure`.
    pub cpu: Option<String>,
    /// Section 6, from `growth::measure`.
    pub growth: Option<crate::growth::Growth>,
    pub elapsed: Duration,
}

/// The version of package `name` in a Cargo.lock.
pub fn lock_version(lock: &Path, name: &str) -> Option<String> {
    let text = std::fs::read_to_string(lock).ok()?;
    let mut lines = text.lines();
    while let Some(l) = lines.next() {
        if l == format!("name = \"{name}\"") {
            return lines
                .next()?
                .strip_prefix("version = \"")?
                .strip_suffix('"')
                .map(String::from);
        }
    }
    None
}

fn sh(cmd: &str, args: &[&str]) -> String {
    Command::new(cmd)
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

/// `ratio` against an upper bound: "met" or how far off.
fn at_most(ratio: f64, target: f64) -> String {
    if ratio <= target {
        "met".into()
    } else {
        format!(
            "**missed** by {:.0}% ({ratio:.2} vs ≤ {target:.2})",
            (ratio / target - 1.0) * 100.0
        )
    }
}

fn at_least(ratio: f64, target: f64) -> String {
    if ratio >= target {
        "met".into()
    } else {
        format!(
            "**missed**: {ratio:.1}× vs ≥ {target:.0}× ({:.0}% of target)",
            ratio / target * 100.0
        )
    }
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

impl Report {
    pub fn new(o: &Options, tools: &Tools) -> Result<Report> {
        let bench_lock = o.root.join("bench/Cargo.lock");
        let mut versions = vec![("rustc".to_string(), tools.rustc.clone())];
        for name in [
            "usb-device",
            "usbd-hid",
            "usbd-hid-macros",
            "usbd-human-interface-device",
            "atsamd-hal",
            "feather_m0",
            "cortex-m",
            "cortex-m-rt",
        ] {
            if let Some(v) = lock_version(&bench_lock, name) {
                versions.push((format!("crate {name}"), format!("{v} (bench/Cargo.lock)")));
            }
        }
        if let Some(v) = lock_version(&o.root.join("Cargo.lock"), "usbdesc-compiler") {
            versions.push((
                "crate usbdesc-compiler / -runtime / -macros".into(),
                format!("{v} (this repository)"),
            ));
        }
        versions.push((
            "size tool".into(),
            format!("{} ({})", tools.size_version, tools.size.display()),
        ));
        if let Some(v) = &tools.valgrind {
            versions.push(("valgrind".into(), v.clone()));
        }
        if let Some(v) = &tools.hid_tools_version {
            versions.push(("hid-tools (hid-decode)".into(), v.clone()));
        }
        if tools.hid_tools_version.is_some() {
            versions.push(("python3".into(), sh("python3", &["--version"])));
        }
        let dirty = if sh(
            "git",
            // BENCHMARKS.md is the output, not a change to what is measured.
            &[
                "-C",
                &o.root.display().to_string(),
                "status",
                "--porcelain",
                "--",
                ".",
                ":!BENCHMARKS.md",
            ],
        )
        .is_empty()
        {
            ""
        } else {
            " (with uncommitted changes)"
        };
        Ok(Report {
            quick: o.quick,
            date: sh("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
            machine: format!(
                "{}, {} CPUs available, load average {} at start",
                sh("uname", &["-sm"]),
                std::thread::available_parallelism()
                    .map(|n| n.get())
                    .unwrap_or(1),
                std::fs::read_to_string("/proc/loadavg")
                    .ok()
                    .and_then(|l| l.split_whitespace().next().map(String::from))
                    .unwrap_or_else(|| "unknown".into())
            ),
            commit: format!(
                "{}{dirty}",
                sh(
                    "git",
                    &[
                        "-C",
                        &o.root.display().to_string(),
                        "rev-parse",
                        "--short",
                        "HEAD"
                    ]
                )
            ),
            versions,
            sizes: None,
            pack: None,
            corpus: None,
            macros: None,
            cpu: None,
            growth: None,
            elapsed: Duration::ZERO,
        })
    }

    pub fn render(&self) -> String {
        let mut s = String::new();
        s.push_str("# Benchmarks\n\n");
        let _ = writeln!(
            s,
            "Written by `cargo xtask bench{}` on {} ({}; commit {}; run took {:.0} s). Do not edit by hand: \
             rerun the command. Every figure is a ratio against a peer measured in the same run.\n",
            if self.quick { " --quick" } else { "" },
            self.date,
            self.machine,
            self.commit,
            self.elapsed.as_secs_f64()
        );
        self.summary(&mut s);
        s.push_str("## 1. Firmware size\n\n");
        s.push_str(&self.size_table());
        self.pack_section(&mut s);
        self.corpus_section(&mut s);
        self.macro_section(&mut s);
        if let Some(c) = &self.cpu {
            s.push_str(c);
            s.push('\n');
        }
        if let Some(g) = &self.growth {
            s.push_str(&crate::growth::section(g));
        }
        s.push_str("## Versions\n\n| what | version |\n|---|---|\n");
        for (k, v) in &self.versions {
            let _ = writeln!(s, "| {k} | {v} |");
        }
        s.push_str(REPRODUCE);
        s
    }

    fn summary(&self, s: &mut String) {
        s.push_str(
            "## Summary\n\n| measurement | usbdesc / peer | target | status |\n|---|---|---|---|\n",
        );
        if let Some(z) = &self.sizes {
            use crate::size::MainLoop::{Bare, Board};
            for (main_loop, name) in [(Board, "`board::run`"), (Bare, "`bare::run`")] {
                let class = (z.class_code(main_loop, "usbdesc"), z.class_code(main_loop, "floor"));
                let row = match class {
                    (Some(u), Some(f)) if f > 0 => {
                        let r = u as f64 / f as f64;
                        format!("{r:.3} | ≤ {CLASS_TARGET:.2} | {}", at_most(r, CLASS_TARGET))
                    }
                    _ => format!("build failed | ≤ {CLASS_TARGET:.2} | not measured"),
                };
                let _ = writeln!(s, "| 1. keyboard class code vs floor, {name} | {row} |");
                let row = match (z.flash_in(main_loop, "usbdesc"), z.flash_in(main_loop, "floor")) {
                    (Some(u), Some(f)) => {
                        let r = u as f64 / f as f64;
                        format!("{r:.3} | ≤ {FLASH_TARGET:.2} | {}", at_most(r, FLASH_TARGET))
                    }
                    _ => format!("build failed | ≤ {FLASH_TARGET:.2} | not measured"),
                };
                let _ = writeln!(s, "| 1. keyboard firmware flash vs floor, {name} | {row} |");
            }
        }
        if let Some(p) = &self.pack {
            for c in &p.cases {
                let r = c.usbdesc / c.usbd_hid;
                let row = format!("{r:.3} | ≤ 0.50 | {}", at_most(r, 0.5));
                let _ = writeln!(
                    s,
                    "| 2. pack {} report, instructions vs usbd-hid | {row} |",
                    c.report
                );
            }
        }
        if let Some(c) = &self.corpus {
            let row = match (c.usbdesc, &c.skipped) {
                (Some(u), None) => {
                    let r = c.hid_decode.as_secs_f64() / u.as_secs_f64();
                    format!("{r:.1}× faster | ≥ 50× faster | {}", at_least(r, 50.0))
                }
                (_, why) => format!(
                    "skipped: {} | ≥ 50× faster | skipped",
                    why.as_deref().unwrap_or("not measured")
                ),
            };
            let _ = writeln!(s, "| 3. corpus decode + lint vs hid-decode | {row} |");
        }
        if let Some(m) = &self.macros {
            let r = m.usbdesc.clean.as_secs_f64() / m.usbd_hid.clean.as_secs_f64();
            let row = format!("{r:.2} | ≤ 1.00 | {}", at_most(r, 1.0));
            let _ = writeln!(
                s,
                "| 4. clean build, 50 reports, vs `#[gen_hid_descriptor]` | {row} |"
            );
        }
        s.push('\n');
    }

    /// Section 1 as markdown (also what `--quick` prints).
    pub fn size_table(&self) -> String {
        use crate::size::MainLoop::{Bare, Board};
        let mut s = String::new();
        let Some(z) = &self.sizes else { return s };
        s.push_str(
            "The same boot keyboard firmware for the Adafruit Feather M0 (SAMD21G18A, `thumbv6m-none-eabi`, \
             opt-level \"s\", LTO, codegen-units 1, panic abort), each class in two main loops. `board::run` \
             (`bench/board`, the Feather M0 board support crate): poll USB, read a button (D5), send the 8-byte \
             keyboard report, light D13 from Caps Lock. `bare::run` (`bench/bare`, atsamd-hal and usb-device \
             only, no board support code): busy-poll USB and, once configured, type `a` over and over (press, \
             release), light PA17 from Caps Lock. In each loop the variants differ only in the USB class. Bytes \
             from the ELF section headers; `.text` includes the 176-byte `.vector_table`; flash = .text + \
             .rodata + .data; RAM = .data + .bss (.bss holds atsamd-hal's 2 KiB USB buffer; the class object \
             itself lives on `main`'s stack, so it is listed apart: *class RAM* is its size, read from the \
             firmware's `BENCH_CLASS_BYTES` symbol). *Class code* = flash − the empty class's flash in the same \
             main loop.\n\n",
        );
        for (main_loop, title) in [(Board, "`board::run` (Feather M0 board support)"), (Bare, "`bare::run` (busy-poll, atsamd-hal and usb-device only)")] {
            let _ = writeln!(s, "Main loop {title}:\n");
            s.push_str("| variant | .text | .rodata | .data | .bss | flash | RAM | class code | class RAM | flash / floor | class code / floor's | flash / usbd-hid | built from |\n");
            s.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            let floor = z.flash_in(main_loop, "floor");
            let peer = z.flash_in(main_loop, "usbd-hid");
            let floor_class = z.class_code(main_loop, "floor");
            for v in z.variants.iter().filter(|v| v.main_loop == main_loop) {
                let Some(x) = v.sections else {
                    let _ = writeln!(s, "| {} | – | – | – | – | **not measured** | – | – | – | – | – | – | {} |", v.label, v.note);
                    continue;
                };
                let ratio = |a: Option<u64>, b: Option<u64>| match (a, b) {
                    (Some(a), Some(b)) if b > 0 => format!("{:.3}", a as f64 / b as f64),
                    _ => String::new(),
                };
                let class = z.class_code(main_loop, v.key);
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} | {} | **{}** | {} | {} | {} | {} | {} | {} | {} |",
                    v.label,
                    x.vector_table + x.text,
                    x.rodata,
                    x.data,
                    x.bss,
                    x.flash(),
                    x.ram(),
                    class.map(|c| c.to_string()).unwrap_or_default(),
                    v.symbols.get("CLASS_BYTES").map(|c| c.to_string()).unwrap_or_default(),
                    ratio(Some(x.flash()), floor),
                    if v.key == "null" { String::new() } else { ratio(class, floor_class) },
                    ratio(Some(x.flash()), peer),
                    v.note
                );
            }
            s.push('\n');
        }
        if let Some(v) = z.variant(Board, "usbdesc") {
            let get = |k: &str| v.symbols.get(k).copied();
            if let (Some(all), Some(state), Some(scratch), Some(alts)) =
                (get("CLASS_BYTES"), get("STATE_BYTES"), get("SCRATCH_BYTES"), get("ALTS_BYTES"))
            {
                let _ = writeln!(
                    s,
                    "- Class RAM: usbdesc's {all} B are the report state arena (`STATE`: the protocol, each report's \
                     flags, idle rate, idle countdown and bytes) {state} B, the scratch buffer `send` packs a typed report \
                     into {scratch} B, the alternate setting of interfaces 0–{} {alts} B, and {} B of endpoints and \
                     device reference; usbd-hid keeps {} B (its endpoints, report descriptor, a SET_REPORT buffer and \
                     settings), usbd-human-interface-device {} B, the floor {} B (one report, idle and protocol byte, \
                     the LED byte).",
                    alts.saturating_sub(1),
                    all.saturating_sub(state + scratch + alts),
                    z.variant(Board, "usbd-hid").and_then(|v| v.symbols.get("CLASS_BYTES")).copied().unwrap_or(0),
                    z.variant(Board, "uhid").and_then(|v| v.symbols.get("CLASS_BYTES")).copied().unwrap_or(0),
                    z.variant(Board, "floor").and_then(|v| v.symbols.get("CLASS_BYTES")).copied().unwrap_or(0),
                );
            }
        }
        for main_loop in [Board, Bare] {
            let class = |k| z.class_code(main_loop, k);
            if let (Some(u), Some(f), Some(p), Some(h)) = (class("usbdesc"), class("floor"), class("usbd-hid"), class("uhid")) {
                let _ = writeln!(
                    s,
                    "- Class code in `{}::run`: usbdesc {u} B, floor {f} B, usbd-hid {p} B, usbd-human-interface-device {h} B: \
                     usbdesc is {:.3} × the floor's ({:+} B) and {:.3} × usbd-hid's.",
                    if main_loop == Board { "board" } else { "bare" },
                    u as f64 / f as f64,
                    u as i64 - f as i64,
                    u as f64 / p as f64
                );
            }
        }
        s.push_str(SIZE_NOTES);
        if let Some(p) = peer_flash(z) {
            let uhid = z.flash("uhid").unwrap_or(0);
            let _ = writeln!(
                s,
                "- Cross-check with DESIGN.md (another main loop, same crates and profile): usbd-hid {DESIGN_USBD_HID} B \
                 there vs {p} B here ({:+.1}%), usbd-human-interface-device {DESIGN_UHID} B vs {uhid} B ({:+.1}%).",
                (p as f64 / DESIGN_USBD_HID as f64 - 1.0) * 100.0,
                (uhid as f64 / DESIGN_UHID as f64 - 1.0) * 100.0
            );
        }
        s.push_str(
            "- usbdesc is measured from `firmware/keyboard` (option `--firmware DIR`), built with the same profile \
             forced through `--config profile.release.*`: its class (`src/usbdesc.rs`) serves the device compiled from \
             `firmware/keyboard/keyboard.toml` by `include_device!` (the floor's wire descriptors and the board's \
             manufacturer and product strings) and sends through the generated typed reports, as a user writes it; \
             bin `keyboard-bench` runs it in `board::run`, bin `keyboard-bare` in `bare::run`.\n\n",
        );
        s
    }

    fn pack_section(&self, s: &mut String) {
        let Some(p) = &self.pack else { return };
        s.push_str("## 2. Report packing cost\n\n");
        let _ = writeln!(
            s,
            "Instructions per packed report on x86-64, counted by `valgrind --tool=callgrind` (deterministic): \
             `bench/pack CASE {}` packs the same report {} times into a 64-byte buffer; per report = (Ir(case) − \
             Ir(empty loop)) / {} (the empty loop costs {:.1} instructions per iteration and is subtracted, and so \
             is start-up). Built with the firmware profile (opt-level \"s\", LTO); each side's pack function is \
             `#[inline(never)]` and its inputs go through `black_box`. usbd-hid's side is the serializer its macro \
             generates (`AsInputReport::serialize`, what `HIDClass::push_input` calls). usbdesc's side is the \
             generated `pack_into` of `#[hid_report]` structs with usbd-hid's field types (the modifier and \
             contact-state bits are one `u8` each: `bits = 1, count = N`, usbd-hid's `#[packed_bits = N]`). The \
             digitizer is a two-contact touch screen of 20 fields (per contact: 2 state bits, id, x, y, width, \
             height, pressure, azimuth, tilt; then scan time and contact count) without a report ID, because \
             usbd-hid 0.10 generates no serializer for reports with IDs.\n",
            crate::pack::N,
            crate::pack::N,
            crate::pack::N,
            p.baseline_per_iter
        );
        s.push_str("| report | bytes (usbd-hid) | usbd-hid instr/pack | usbdesc instr/pack | usbdesc / usbd-hid | target |\n|---|---|---:|---:|---:|---|\n");
        for c in &p.cases {
            let _ = writeln!(
                s,
                "| {} | `{}` | {:.1} | {:.1} | {:.3} | ≤ 0.50 |",
                c.report,
                c.bytes,
                c.usbd_hid,
                c.usbdesc,
                c.usbdesc / c.usbd_hid
            );
            if let Some(m) = &c.mismatch {
                let _ = writeln!(s, "\n**Bytes differ** for {}: {m}.\n", c.report);
            }
        }
        s.push('\n');
        if p.cases.iter().any(|c| c.usbdesc / c.usbd_hid > 0.5) {
            s.push_str(
                "Why the ≤ 0.50 target is missed: usbd-hid 0.10's serializer is itself straight-line code (a length \
                 check, then one load and one store per field), so half of it is less than the unavoidable work: \
                 each figure includes the call from the loop and the length check, and every field has to be \
                 loaded and stored at least once. usbdesc's `pack_into` is that minimum plus little: it copies \
                 byte-aligned fields whole (adjacent ones merge into wide loads and stores), shifts and ORs bit \
                 fields per byte, and stores the report once. What is left above the minimum is the zeroed local \
                 array the report is assembled in (writing the caller's buffer field by field measured slower: the \
                 compiler merges stores into the local array, not into the buffer). `[bool; N]` fields instead of \
                 packed bits cost a few instructions more (eight bools are gathered with one multiply).\n\n",
            );
        }
    }

    fn corpus_section(&self, s: &mut String) {
        let Some(c) = &self.corpus else { return };
        s.push_str("## 3. Corpus throughput\n\n");
        if let Some(why) = &c.skipped {
            let _ = writeln!(s, "Skipped: {why}.\n");
            return;
        }
        let _ = writeln!(
            s,
            "Decode + lint of all {} corpus HID report descriptors ({} bytes), each side one process over the whole \
             corpus, start-up included, fastest of {} runs. hid-tools: `hid-decode --output /dev/null` over the \
             descriptors in hid-recorder form (it parses and prints every item and report layout). usbdesc: release \
             `xtask corpus-run DIR` (`hid::ReportDescriptor::decode` + `check` on each).\n",
            c.files,
            c.bytes,
            crate::corpus::RUNS
        );
        s.push_str(
            "| hid-decode | usbdesc | hid-decode / usbdesc | target |\n|---:|---:|---:|---|\n",
        );
        if let Some(u) = c.usbdesc {
            let _ = writeln!(
                s,
                "| {} | {} | {:.1}× | ≥ 50× |\n\nusbdesc: {}.\n",
                secs(c.hid_decode),
                secs(u),
                c.hid_decode.as_secs_f64() / u.as_secs_f64(),
                c.usbdesc_summary
            );
        }
    }

    fn macro_section(&self, s: &mut String) {
        if let Some(m) = &self.macros {
            s.push_str(&macro_table(m));
        }
    }
}

/// Section 4 as markdown (also what `--macros` prints).
pub fn macro_table(m: &Macros) -> String {
    let mut text = String::new();
    let s = &mut text;
    s.push_str("## 4. Macro compile cost\n\n");
    let _ = writeln!(
        s,
        "One generated crate per side in `target/bench/macro/` with the same {} reports (game controllers with \
         1–8 buttons, 1–7 axes of mixed width and sign, an LED output byte in every fifth), `cargo build` (dev \
         profile, CARGO_INCREMENTAL=0). *Clean*: empty target dir, dependencies included (registry sources \
         fetched beforehand). *Crate only*: dependencies built, `cargo clean -p` the crate, rebuild. Each is the \
         fastest of {} with the sides alternating.\n",
        crate::macros::REPORTS,
        crate::macros::RUNS
    );
    s.push_str("| build | `#[gen_hid_descriptor]` | `#[hid_report]` | ratio | target |\n|---|---:|---:|---:|---|\n");
    let row = |name: &str, f: fn(&Side) -> Duration, s: &mut String| {
        let (peer, ours) = (f(&m.usbd_hid), f(&m.usbdesc));
        let _ = writeln!(
            s,
            "| {name} | {} | {} | {:.2} | ≤ 1.00 |",
            secs(peer),
            secs(ours),
            ours.as_secs_f64() / peer.as_secs_f64()
        );
    };
    row("clean (with dependencies)", |x| x.clean, s);
    row("crate only", |x| x.crate_only, s);
    s.push('\n');
    s.push_str(
        "What each clean build compiles besides its crate: `#[hid_report]`: proc-macro2, quote, syn 2 (`full`), \
         hut (the HID usage tables that resolve names like \"Generic Desktop\"), strsim, usbdesc-compiler with no \
         default features (the HID model, encoder, layout, lints and Rust generator: no TOML, serde, JSON or \
         miette), usbdesc-macros, usb-device and usbdesc-runtime; `#[gen_hid_descriptor]`: proc-macro2, quote, \
         syn 3 (`full`, `extra-traits`, `visit`), usbd-hid-macros, usbd-hid-descriptors, bitfield, serde (no \
         derive), byteorder, log, heapless, usb-device and usbd-hid. `include_device!` is the runtime's `device` \
         feature (toml's parser and the device half of the compiler; `render` adds miette's source snippets to \
         its errors), so a crate that only declares reports does not build them. The crate-only row is the \
         per-edit cost: expansion (name lookup, layout, lints, generated source parsed back into tokens; rustc's \
         `-Z time-passes` gave both sides about the same expansion time when checked) plus type checking, \
         borrow checking and code generation of the generated items, where usbdesc spends its extra time: its \
         `const fn pack`, `pack_into`, `unpack` and descriptor consts per report are more code than usbd-hid's \
         serializer.\n\n",
    );
    text
}

/// usbd-hid's flash in `board::run`.
fn peer_flash(z: &crate::size::Sizes) -> Option<u64> {
    z.flash("usbd-hid")
}

/// Where usbdesc's class code goes, and which of it is structural (`llvm-nm --size-sort` of
/// usbdesc's and the floor's ELF, `board::run`).
const SIZE_NOTES: &str = "\
- Where usbdesc's class code goes against the floor's (`llvm-nm --size-sort -S` of both ELFs, `board::run`): \
the control IN handler (descriptors by type and index, strings, HID and report descriptors, GET_REPORT per kind, \
GET_IDLE, GET_PROTOCOL, plus the STALL for standard requests to an interface or endpoint the device does not have) \
is about 20 B larger than the floor's, counting usb-device's `accept_with`, which the floor inlines three times; \
the control OUT handler is about 65 B larger (SET_REPORT checked against the declared report's kind, ID and \
length, SET_IDLE per report ID with its countdown, SET_PROTOCOL only for a boot interface, the same STALL); the bus \
reset clears the report state and stores its non-zero head; the string descriptors (UTF-16, 60 B, with a 36-B \
index table) are usbdesc's own, where the floor lets usb-device's builder encode the same text at run time (the \
builder gets no strings in the usbdesc firmware: nothing would send them). Structural: the strings (served \
verbatim, in every declared language), the per-report state, and the STALL for missing targets (atsamd-hal \
0.23.4's `is_stalled` unwraps a missing endpoint's bank, so without it GET_STATUS to a missing endpoint panics the \
firmware; about 40 B as compares with the device's endpoint addresses). What depends only on the device (the \
init checks and interface plan, string layout, report-state layout and power-on state, each typed report's \
place, the HID descriptor as a slice of the configuration bundle) is computed at compile time and costs nothing. \
The rest of the difference is code placement: with usbdesc's class the optimiser keeps six of atsamd-hal's USB \
functions out of line (`poll`, `enable`, `is_stalled`, `reset`, `set_device_address`, `resume`), which the \
floor's `board::run` inlines.
";

const REPRODUCE: &str = "
## Reproduce

```sh
cargo xtask bench            # everything, writes BENCHMARKS.md (< 15 min on a fresh machine)
cargo xtask bench --quick    # firmware sizes only (CI: scripts/test.sh), writes target/bench/sizes.md
cargo xtask bench --macros   # macro compile cost only (section 4), writes target/bench/macros.md
cargo xtask bench --cpu      # CPU cost in the emulated board only (section 5), spliced into BENCHMARKS.md
cargo xtask bench --growth   # time and memory against input size only (section 6), rewritten in BENCHMARKS.md
# options: --firmware DIR (usbdesc keyboard firmware crate, default firmware/keyboard)
#          --corpus DIR   (HID corpus *.hex, default tests/corpus/hid)
#          --out FILE
```

The command installs what it needs: the `thumbv6m-none-eabi` target and rustup's `llvm-tools` (else
Debian `binutils-arm-none-eabi`), valgrind (Debian) and hid-tools (PyPI). Sources: `xtask/` (the
measurements), `bench/` (its own workspace and Cargo.lock: `board` shared board code and main loop,
`bare` the second, busy-poll main loop, `fw-floor`, `fw-usbd-hid`, `fw-uhid` firmware variants (each
a bin per main loop), `fw-null` the empty-class reference, `pack` the packing program).

The usbdesc side of each measurement: (1) the firmware crate `firmware/keyboard` (bins
`keyboard-bench` and `keyboard-bare`; its device is `firmware/keyboard/keyboard.toml` through
`include_device!`); (2) `bench/pack/src/usbdesc_adapter.rs`
(`#[hid_report]` structs); (3) `xtask/src/adapters.rs` `corpus` (the core's decoder and lints);
(4) `xtask/src/adapters.rs` `hid_report` (the generated `#[hid_report]` crate).
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_status() {
        assert_eq!(at_most(0.97, 1.03), "met");
        assert_eq!(at_most(1.2, 1.0), "**missed** by 20% (1.20 vs ≤ 1.00)");
        assert_eq!(at_least(60.0, 50.0), "met");
        assert_eq!(
            at_least(25.0, 50.0),
            "**missed**: 25.0× vs ≥ 50× (50% of target)"
        );
    }

    #[test]
    fn reads_versions_from_a_lock_file() {
        let lock = std::env::temp_dir().join(format!("xtask-lock-{}", std::process::id()));
        std::fs::write(&lock, "[[package]]\nname = \"usbd-hid\"\nversion = \"0.10.2\"\n\n[[package]]\nname = \"usbd-hid-macros\"\nversion = \"0.10.1\"\n").unwrap();
        assert_eq!(
            lock_version(&lock, "usbd-hid-macros").as_deref(),
            Some("0.10.1")
        );
        assert_eq!(lock_version(&lock, "usbd-hid").as_deref(), Some("0.10.2"));
        assert_eq!(lock_version(&lock, "usb-device"), None);
        std::fs::remove_file(&lock).unwrap();
    }
}

/// `doc` with the section headed `title` replaced by `section` (up to the next `## ` heading), or
/// `section` inserted before `## Versions` (or appended) when the document has no such section.
pub fn splice_section(doc: &str, title: &str, section: &str) -> String {
    let start = doc.find(title).or_else(|| doc.find("## Versions")).unwrap_or(doc.len());
    let end = match doc[start..].strip_prefix(title) {
        Some(rest) => rest.find("\n## ").map(|i| start + title.len() + i + 1).unwrap_or(doc.len()),
        None => start,
    };
    format!("{}{}{}", &doc[..start], section, &doc[end..])
}
