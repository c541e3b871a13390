//! Measurement 1, firmware size: the same boot keyboard firmware with each class (and an empty
//! one) in two main loops (`bench/board`'s and `bench/bare`'s), measured from section headers; the
//! class object's RAM from the firmware's `BENCH_*` absolute symbols.

use crate::cmd::{cargo_build, stdout};
use crate::tools::Tools;
use crate::{Options, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Section sizes of one ELF, in bytes.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sections {
    pub vector_table: u64,
    pub text: u64,
    pub rodata: u64,
    pub data: u64,
    pub bss: u64,
}

impl Sections {
    /// What the chip's flash holds: vector table, code, constants and the .data load image.
    pub fn flash(&self) -> u64 {
        self.vector_table + self.text + self.rodata + self.data
    }
    /// Statically allocated RAM.
    pub fn ram(&self) -> u64 {
        self.data + self.bss
    }
}

/// The two main loops every class is measured in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MainLoop {
    /// `bench/board`: Feather M0 board support, button D5 types `a`.
    Board,
    /// `bench/bare`: atsamd-hal and usb-device only, busy-poll typing once configured.
    Bare,
}

pub struct Variant {
    pub key: &'static str,
    pub label: &'static str,
    pub main_loop: MainLoop,
    pub sections: Option<Sections>,
    /// The firmware's `BENCH_*` symbols (`BENCH_CLASS_BYTES`: the class object's size).
    pub symbols: HashMap<String, u64>,
    /// Why there is no figure, or what was measured.
    pub note: String,
}

pub struct Sizes {
    pub variants: Vec<Variant>,
}

impl Sizes {
    pub fn variant(&self, main_loop: MainLoop, key: &str) -> Option<&Variant> {
        self.variants
            .iter()
            .find(|v| v.key == key && v.main_loop == main_loop)
    }
    /// Flash of `key` in `board::run`'s main loop.
    pub fn flash(&self, key: &str) -> Option<u64> {
        self.flash_in(MainLoop::Board, key)
    }
    pub fn flash_in(&self, main_loop: MainLoop, key: &str) -> Option<u64> {
        self.variant(main_loop, key)?.sections.map(|s| s.flash())
    }
    /// Class code: flash of `key` minus the empty class's in the same main loop.
    pub fn class_code(&self, main_loop: MainLoop, key: &str) -> Option<u64> {
        Some(self.flash_in(main_loop, key)?.saturating_sub(self.flash_in(main_loop, "null")?))
    }
}

/// The peer variants in bench/ (crate name, key, label). `null` is a reference, not a keyboard.
const PEERS: [(&str, &str, &str); 4] = [
    (
        "fw-null",
        "null",
        "reference: empty class, no interface (shared code only)",
    ),
    (
        "fw-floor",
        "floor",
        "floor: hand-written class, static bytes",
    ),
    (
        "fw-usbd-hid",
        "usbd-hid",
        "usbd-hid 0.10 (`KeyboardReport`)",
    ),
    (
        "fw-uhid",
        "uhid",
        "usbd-human-interface-device 0.6 (`BootKeyboard`)",
    ),
];

/// The size profile every variant is built with (also forced onto the usbdesc firmware).
pub const PROFILE: [&str; 5] = [
    "profile.release.opt-level=\"s\"",
    "profile.release.lto=true",
    "profile.release.codegen-units=1",
    "profile.release.panic=\"abort\"",
    "profile.release.debug=false",
];

pub fn measure(o: &Options, tools: &Tools) -> Result<Sizes> {
    let bench = o.root.join("bench");
    let mut args = vec!["--release", "--locked", "--target", "thumbv6m-none-eabi"];
    for (krate, _, _) in PEERS {
        args.extend(["-p", krate]);
    }
    let exes = cargo_build(&bench, &args)?;
    let mut variants = usbdesc(o, tools);
    for main_loop in [MainLoop::Board, MainLoop::Bare] {
        for (krate, key, label) in PEERS {
            let bin = bin_name(krate, main_loop);
            let exe = exes
                .iter()
                .find(|(n, _)| *n == bin)
                .map(|(_, p)| p.clone())
                .ok_or_else(|| format!("cargo built no executable {bin}"))?;
            variants.push(Variant {
                key,
                label,
                main_loop,
                sections: Some(sections(tools, &exe)?),
                symbols: bench_symbols(tools, &exe)?,
                note: format!("bench/{krate} (bin `{bin}`)"),
            });
        }
    }
    Ok(Sizes { variants })
}

/// The binary of crate/bin `name` in `main_loop`: `name` itself in `board::run`, `name-bare`
/// in `bare::run`.
fn bin_name(name: &str, main_loop: MainLoop) -> String {
    match main_loop {
        MainLoop::Board => name.to_string(),
        MainLoop::Bare => format!("{name}-bare"),
    }
}

/// Variant (d): the firmware crate of the runtime issue, built with the same profile: bin
/// `keyboard-bench` (`board::run`) and `keyboard-bare` (`bare::run`).
fn usbdesc(o: &Options, tools: &Tools) -> Vec<Variant> {
    let label = "usbdesc (`usbdesc-runtime`)";
    let manifest = o.firmware.join("Cargo.toml");
    let built = build_foreign(&manifest);
    [MainLoop::Board, MainLoop::Bare]
        .into_iter()
        .map(|main_loop| {
            let bin = match main_loop {
                MainLoop::Board => "keyboard-bench",
                MainLoop::Bare => "keyboard-bare",
            };
            let measured = built.as_ref().map_err(Clone::clone).and_then(|exes| {
                let exe = exes
                    .iter()
                    .find(|(n, _)| n == bin)
                    .map(|(_, p)| p.clone())
                    .ok_or_else(|| format!("{} built no bin {bin}", manifest.display()))?;
                Ok((sections(tools, &exe)?, bench_symbols(tools, &exe)?))
            });
            match measured {
                Ok((s, symbols)) => Variant {
                    key: "usbdesc",
                    label,
                    main_loop,
                    sections: Some(s),
                    symbols,
                    note: format!("{} (bin `{bin}`)", rel(o, &o.firmware)),
                },
                Err(e) => {
                    eprintln!("xtask: usbdesc firmware: {e}");
                    Variant {
                        key: "usbdesc",
                        label,
                        main_loop,
                        sections: None,
                        symbols: HashMap::new(),
                        note: format!("build failed: {}", rel(o, &o.firmware)),
                    }
                }
            }
        })
        .collect()
}

fn build_foreign(manifest: &Path) -> Result<Vec<(String, PathBuf)>> {
    let dir = manifest.parent().unwrap_or(Path::new("."));
    let mut args = vec![
        "--release",
        "--target",
        "thumbv6m-none-eabi",
        "--manifest-path",
    ];
    let m = manifest.to_string_lossy().into_owned();
    args.push(&m);
    for p in PROFILE {
        args.extend(["--config", p]);
    }
    cargo_build(dir, &args)
}

fn rel(o: &Options, p: &Path) -> String {
    p.strip_prefix(&o.root).unwrap_or(p).display().to_string()
}

/// Reads the section headers with `size -A`.
pub fn sections(tools: &Tools, elf: &Path) -> Result<Sections> {
    let text = stdout(Command::new(&tools.size).arg("-A").arg(elf))?;
    parse_sysv(&text).ok_or_else(|| {
        format!(
            "{}: no .text section in `size -A` output:\n{text}",
            elf.display()
        )
    })
}

/// The `BENCH_*` absolute symbols of an ELF (`nm`: `value type name`), e.g. `BENCH_CLASS_BYTES`.
pub fn bench_symbols(tools: &Tools, elf: &Path) -> Result<HashMap<String, u64>> {
    let text = stdout(Command::new(&tools.nm).arg(elf))?;
    Ok(parse_nm(&text))
}

/// `BENCH_*` rows of `nm` output (hex values).
pub fn parse_nm(text: &str) -> HashMap<String, u64> {
    text.lines()
        .filter_map(|l| {
            let mut cols = l.split_whitespace();
            let (value, _kind, name) = (cols.next()?, cols.next()?, cols.next()?);
            let name = name.strip_prefix("BENCH_")?;
            Some((name.to_string(), u64::from_str_radix(value, 16).ok()?))
        })
        .collect()
}

/// Parses `size -A` (SysV) output: `name size addr` rows. `.uninit` counts as `.bss` (RAM only).
pub fn parse_sysv(text: &str) -> Option<Sections> {
    let mut s = Sections::default();
    for line in text.lines() {
        let mut cols = line.split_whitespace();
        let (Some(name), Some(size)) = (cols.next(), cols.next()) else {
            continue;
        };
        let Ok(size) = size.parse::<u64>() else {
            continue;
        };
        match name {
            ".vector_table" => s.vector_table += size,
            ".text" => s.text += size,
            ".rodata" => s.rodata += size,
            ".data" => s.data += size,
            ".bss" | ".uninit" => s.bss += size,
            _ => {}
        }
    }
    (s.text != 0).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_llvm_size_sysv_output() {
        let text = "fw  :\nsection              size        addr\n.vector_table         176        8192\n\
                    .text               10788        8368\n.rodata               160       19156\n\
                    .data                   4   536870912\n.bss                 2548   536870912\n\
                    .uninit                 8   536873460\n.comment              139           0\nTotal 13859\n";
        let s = parse_sysv(text).unwrap();
        assert_eq!(
            (s.vector_table, s.text, s.rodata, s.data, s.bss),
            (176, 10788, 160, 4, 2556)
        );
        assert_eq!(s.flash(), 176 + 10788 + 160 + 4);
        assert_eq!(s.ram(), 4 + 2556);
    }

    #[test]
    fn reads_bench_symbols_from_nm_output() {
        let text = "00000098 A BENCH_CLASS_BYTES\n00000014 A BENCH_STATE_BYTES\n000020b0 T Reset\n";
        let s = parse_nm(text);
        assert_eq!(s.len(), 2);
        assert_eq!(s["CLASS_BYTES"], 0x98);
        assert_eq!(s["STATE_BYTES"], 0x14);
    }

    #[test]
    fn no_text_section_is_an_error() {
        assert!(parse_sysv("section size addr\n.bss 12 0\n").is_none());
    }
}
