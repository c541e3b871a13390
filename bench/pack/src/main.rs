//! Report packing cost, measured by `cargo xtask bench` under `valgrind --tool=callgrind`.
//!
//! `pack CASE N` packs the CASE report N times into a 64-byte buffer. Cases: `baseline` (the same
//! loop without packing), `usbd-hid-keyboard`, `usbd-hid-digitizer`, `usbdesc-keyboard`,
//! `usbdesc-digitizer`. Exit code 3 = the usbdesc adapter is still pending.
//! `pack bytes CASE` prints the packed bytes in hex (the xtask compares the two sides).
//! Instructions per pack = (Ir(CASE, N) − Ir(baseline, N)) / N; start-up costs cancel.

use std::hint::black_box;
use std::process::ExitCode;

mod peers;
mod usbdesc_adapter;

/// One report that can be packed into wire bytes.
pub trait Pack {
    fn pack(&self, buf: &mut [u8]) -> usize;
}

fn run<R: Pack>(report: &R, n: u64) -> u64 {
    let mut buf = [0u8; 64];
    let mut total = 0u64;
    for _ in 0..n {
        total += black_box(black_box(report).pack(black_box(&mut buf))) as u64;
    }
    total
}

fn baseline(n: u64) -> u64 {
    let mut buf = [0u8; 64];
    let mut total = 0u64;
    for _ in 0..n {
        black_box(&mut buf);
        total += black_box(0usize) as u64;
    }
    total
}

fn bytes<R: Pack>(report: &R) -> String {
    let mut buf = [0u8; 64];
    let len = report.pack(&mut buf);
    buf[..len]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = || {
        eprintln!("usage: pack CASE N | pack bytes CASE | pack describe");
        ExitCode::from(2)
    };
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["describe"] => {
            let d = peers::digitizer_descriptor();
            println!(
                "{}",
                d.iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            );
            ExitCode::SUCCESS
        }
        ["bytes", case] => {
            let out = match *case {
                "usbd-hid-keyboard" => Some(bytes(&peers::keyboard())),
                "usbd-hid-digitizer" => Some(bytes(&peers::digitizer())),
                "usbdesc-keyboard" => usbdesc_adapter::keyboard().map(|r| bytes(&r)),
                "usbdesc-digitizer" => usbdesc_adapter::digitizer().map(|r| bytes(&r)),
                _ => return usage(),
            };
            match out {
                Some(s) => {
                    println!("{s}");
                    ExitCode::SUCCESS
                }
                None => ExitCode::from(3),
            }
        }
        [case, n] => {
            let Ok(n) = n.parse::<u64>() else {
                return usage();
            };
            let total = match *case {
                "baseline" => Some(baseline(n)),
                "usbd-hid-keyboard" => Some(run(&peers::keyboard(), n)),
                "usbd-hid-digitizer" => Some(run(&peers::digitizer(), n)),
                "usbdesc-keyboard" => usbdesc_adapter::keyboard().map(|r| run(&r, n)),
                "usbdesc-digitizer" => usbdesc_adapter::digitizer().map(|r| run(&r, n)),
                _ => return usage(),
            };
            match total {
                Some(t) => {
                    println!("{t}");
                    ExitCode::SUCCESS
                }
                None => ExitCode::from(3),
            }
        }
        _ => usage(),
    }
}
