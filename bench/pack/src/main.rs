//! Report packing cost, measured by `cargo xtask bench` under `valgrind --tool=callgrind`.
//!
//! `pack CASE N` packs the CASE report N times into a 64-byte buffer. Cases: `baseline` (the same
//! loop without packing), `usbd-hid-keyboard`, `usbd-hid-digitizer`, `usbdesc-keyboard`,
//! `usbdesc-digitizer`, and `memcpy-keyboard` / `memcpy-digitizer` (`copy_from_slice` of the
//! report's number of bytes, the floor of any pack).
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
                "usbd-hid-keyboard" => bytes(&peers::keyboard()),
                "usbd-hid-digitizer" => bytes(&peers::digitizer()),
                "usbdesc-keyboard" => bytes(&usbdesc_adapter::keyboard()),
                "usbdesc-digitizer" => bytes(&usbdesc_adapter::digitizer()),
                "memcpy-keyboard" => bytes(&usbdesc_adapter::memcpy_keyboard()),
                "memcpy-digitizer" => bytes(&usbdesc_adapter::memcpy_digitizer()),
                _ => return usage(),
            };
            println!("{out}");
            ExitCode::SUCCESS
        }
        [case, n] => {
            let Ok(n) = n.parse::<u64>() else {
                return usage();
            };
            let total = match *case {
                "baseline" => baseline(n),
                "usbd-hid-keyboard" => run(&peers::keyboard(), n),
                "usbd-hid-digitizer" => run(&peers::digitizer(), n),
                "usbdesc-keyboard" => run(&usbdesc_adapter::keyboard(), n),
                "usbdesc-digitizer" => run(&usbdesc_adapter::digitizer(), n),
                "memcpy-keyboard" => run(&usbdesc_adapter::memcpy_keyboard(), n),
                "memcpy-digitizer" => run(&usbdesc_adapter::memcpy_digitizer(), n),
                _ => return usage(),
            };
            println!("{total}");
            ExitCode::SUCCESS
        }
        _ => usage(),
    }
}
