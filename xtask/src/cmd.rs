//! Running child processes: logged, with readable errors.

use crate::Result;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn describe(c: &Command) -> String {
    let mut s = c.get_program().to_string_lossy().into_owned();
    for a in c.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    if s.len() > 160 {
        s.truncate(160);
        s.push_str(" ...");
    }
    s
}

/// Runs `c`, capturing output; an error unless it exits 0.
pub fn output(c: &mut Command) -> Result<Output> {
    let out = c
        .output()
        .map_err(|e| format!("cannot run `{}`: {e}", describe(c)))?;
    if !out.status.success() {
        return Err(format!(
            "`{}` failed ({}):\n{}{}",
            describe(c),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(out)
}

/// Runs `c` and returns its trimmed stdout.
pub fn stdout(c: &mut Command) -> Result<String> {
    Ok(String::from_utf8_lossy(&output(c)?.stdout)
        .trim()
        .to_string())
}

/// Runs `c` with inherited stderr (progress visible in the log), stdout discarded; returns the
/// wall time.
pub fn timed(c: &mut Command) -> Result<Duration> {
    eprintln!("xtask: $ {}", describe(c));
    let t = Instant::now();
    let status = c
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run `{}`: {e}", describe(c)))?;
    let elapsed = t.elapsed();
    if !status.success() {
        return Err(format!("`{}` failed ({status})", describe(c)));
    }
    Ok(elapsed)
}

/// `wait4` on the child: its exit code (128 + signal when killed), peak RSS in KiB and CPU time.
pub fn wait_with_rusage(pid: u32) -> Result<(i32, u64, Duration)> {
    let mut status = 0i32;
    // SAFETY: plain FFI with valid pointers to locals; the pid is our own child, reaped here once.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut ru) };
    if r < 0 {
        return Err(format!("wait4: {}", std::io::Error::last_os_error()));
    }
    let exit = if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { 128 + libc::WTERMSIG(status) };
    let tv = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    Ok((exit, ru.ru_maxrss as u64, tv(ru.ru_utime) + tv(ru.ru_stime)))
}

/// Runs `c` like [`timed`]; returns the wall time and the CPU time (user + system) of `c` and
/// every process it waited for (`wait4`: cargo and its rustc).
pub fn timed_cpu(c: &mut Command) -> Result<(Duration, Duration)> {
    eprintln!("xtask: $ {}", describe(c));
    let t = Instant::now();
    let child = c
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run `{}`: {e}", describe(c)))?;
    let (exit, _, cpu) = wait_with_rusage(child.id())?;
    let elapsed = t.elapsed();
    if exit != 0 {
        return Err(format!("`{}` failed (exit {exit})", describe(c)));
    }
    Ok((elapsed, cpu))
}

/// `cargo build ARGS --message-format=json` in `dir`; returns (target name, executable) pairs.
pub fn cargo_build(dir: &Path, args: &[&str]) -> Result<Vec<(String, PathBuf)>> {
    let mut c = Command::new(cargo());
    c.current_dir(dir)
        .arg("build")
        .args(args)
        .arg("--message-format=json-render-diagnostics");
    eprintln!("xtask: $ (cd {}; {})", dir.display(), describe(&c));
    let out = c
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`cargo build {}` in {} failed",
            args.join(" "),
            dir.display()
        ));
    }
    let mut exes = Vec::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if v["reason"] == "compiler-artifact" {
            if let (Some(name), Some(exe)) =
                (v["target"]["name"].as_str(), v["executable"].as_str())
            {
                exes.push((name.to_string(), PathBuf::from(exe)));
            }
        }
    }
    Ok(exes)
}

/// The cargo that runs us (so children use the same toolchain).
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Finds `name` on PATH.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}
