//! Measurement 1, firmware size: the same boot keyboard firmware built four ways, measured from section headers.

use crate::cmd::{cargo_build, stdout};
use crate::tools::Tools;
use crate::{Options, Result};
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

pub struct Variant {
    pub key: &'static str,
    pub label: &'static str,
    pub sections: Option<Sections>,
    /// Why there is no figure, or what was measured.
    pub note: String,
}

pub struct Sizes {
    pub variants: Vec<Variant>,
}

impl Sizes {
    pub fn flash(&self, key: &str) -> Option<u64> {
        self.variants
            .iter()
            .find(|v| v.key == key)?
            .sections
            .map(|s| s.flash())
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
    let mut variants = Vec::new();
    variants.push(usbdesc(o, tools));
    for (krate, key, label) in PEERS {
        let exe = exes
            .iter()
            .find(|(n, _)| n == krate)
            .map(|(_, p)| p.clone())
            .ok_or_else(|| format!("cargo built no executable for {krate}"))?;
        variants.push(Variant {
            key,
            label,
            sections: Some(sections(tools, &exe)?),
            note: format!("bench/{krate}"),
        });
    }
    Ok(Sizes { variants })
}

/// Variant (d): the firmware crate of the runtime issue, built with the same profile.
fn usbdesc(o: &Options, tools: &Tools) -> Variant {
    let label = "usbdesc (`usbdesc-runtime`)";
    let manifest = o.firmware.join("Cargo.toml");
    let built = build_foreign(&manifest).and_then(|exe| Ok((sections(tools, &exe)?, exe)));
    match built {
        Ok((s, exe)) => Variant {
            key: "usbdesc",
            label,
            sections: Some(s),
            note: format!(
                "{} (bin `{}`)",
                rel(o, &o.firmware),
                exe.file_name().unwrap_or_default().to_string_lossy()
            ),
        },
        Err(e) => {
            eprintln!("xtask: usbdesc firmware: {e}");
            Variant {
                key: "usbdesc",
                label,
                sections: None,
                note: format!("build failed: {}", rel(o, &o.firmware)),
            }
        }
    }
}

fn build_foreign(manifest: &Path) -> Result<PathBuf> {
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
    let exes = cargo_build(dir, &args)?;
    // Prefer a binary named like the keyboard example when the crate has several.
    let pick = exes
        .iter()
        .find(|(n, _)| n.contains("keyboard"))
        .or_else(|| exes.last());
    pick.map(|(_, p)| p.clone())
        .ok_or_else(|| format!("{} produced no executable", manifest.display()))
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
    fn no_text_section_is_an_error() {
        assert!(parse_sysv("section size addr\n.bss 12 0\n").is_none());
    }
}
