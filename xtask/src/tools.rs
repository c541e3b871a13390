//! The tools the benchmarks need, installed here when missing: the thumbv6m target, a section
//! size tool (rustup `llvm-tools`, else `llvm-size` / `arm-none-eabi-size` on PATH, else Debian
//! `binutils-arm-none-eabi`), valgrind (Debian) and hid-tools' `hid-decode` (PyPI).

use crate::cmd::{output, stdout, which};
use crate::Result;
use std::path::PathBuf;
use std::process::Command;

pub struct Tools {
    pub rustc: String,
    /// A `size`-compatible tool that understands `-A` (SysV format).
    pub size: PathBuf,
    pub size_version: String,
    /// The `nm` next to it (`llvm-nm`, `arm-none-eabi-nm`).
    pub nm: PathBuf,
    pub valgrind: Option<String>,
    pub hid_decode: Option<PathBuf>,
    pub hid_tools_version: Option<String>,
}

impl Tools {
    pub fn ensure(quick: bool) -> Result<Tools> {
        let rustc = stdout(Command::new("rustc").arg("-V"))?;
        // rust-toolchain.toml lists the target, but rustup only adds listed targets on first
        // install of the toolchain; make sure it is there.
        output(Command::new("rustup").args(["target", "add", "thumbv6m-none-eabi"]))?;
        let size = size_tool()?;
        let size_version = stdout(Command::new(&size).arg("--version"))?
            .lines()
            .find(|l| l.contains("version"))
            .unwrap_or("")
            .trim()
            .to_string();
        let nm = size.with_file_name(
            size.file_name()
                .map(|n| n.to_string_lossy().replace("size", "nm"))
                .unwrap_or_else(|| "nm".into()),
        );
        let (mut valgrind, mut hid_decode, mut hid_tools_version) = (None, None, None);
        if !quick {
            valgrind = Some(valgrind_version()?);
            hid_decode = Some(hid_decode_tool()?);
            hid_tools_version = stdout(Command::new("python3").args([
                "-c",
                "import importlib.metadata as m; print(m.version('hid-tools'))",
            ]))
            .ok();
        }
        Ok(Tools {
            rustc,
            size,
            size_version,
            nm,
            valgrind,
            hid_decode,
            hid_tools_version,
        })
    }
}

fn apt_install(pkg: &str) -> Result<()> {
    eprintln!("xtask: installing Debian package {pkg}");
    let _ = output(Command::new("apt-get").arg("update"));
    output(Command::new("apt-get").args(["install", "-y", "--no-install-recommends", pkg]))?;
    Ok(())
}

fn size_tool() -> Result<PathBuf> {
    if output(Command::new("rustup").args(["component", "add", "llvm-tools"])).is_ok() {
        let sysroot = stdout(Command::new("rustc").args(["--print", "sysroot"]))?;
        let vv = stdout(Command::new("rustc").arg("-vV"))?;
        let host = vv
            .lines()
            .find_map(|l| l.strip_prefix("host: "))
            .unwrap_or("x86_64-unknown-linux-gnu");
        let p = PathBuf::from(sysroot)
            .join("lib/rustlib")
            .join(host)
            .join("bin/llvm-size");
        if p.is_file() {
            return Ok(p);
        }
    }
    if let Some(p) = which("llvm-size").or_else(|| which("arm-none-eabi-size")) {
        return Ok(p);
    }
    apt_install("binutils-arm-none-eabi")?;
    which("arm-none-eabi-size")
        .ok_or_else(|| "no size tool (llvm-size, arm-none-eabi-size) found".into())
}

fn valgrind_version() -> Result<String> {
    if which("valgrind").is_none() {
        apt_install("valgrind")?;
    }
    stdout(Command::new("valgrind").arg("--version"))
}

fn hid_decode_tool() -> Result<PathBuf> {
    if let Some(p) = which("hid-decode") {
        return Ok(p);
    }
    eprintln!("xtask: installing hid-tools (PyPI)");
    output(Command::new("python3").args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "hid-tools",
    ]))?;
    which("hid-decode").ok_or_else(|| "hid-tools installed but `hid-decode` is not on PATH".into())
}
