//! The real firmware behind this crate's bus: `emu/` (Python, unicorn) runs a Feather M0 ELF and
//! drives a `UsbIpBus` through `usbdesc_usbip::pipe`. Needs python3 with unicorn
//! (scripts/install-deps.sh) and the firmware built (scripts/firmware.sh); without the ELF the
//! test fails and says how to build it. `cargo test --workspace` skips it (it runs before the
//! firmware build in scripts/test.sh); the emulator stage runs it with `--ignored`.

use std::io::BufReader;
use std::process::{Command, Stdio};
use std::time::Duration;

use usbdesc_usbip::{pipe, Config, LocalError, UsbIpBus};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

fn elf(bin: &str) -> String {
    let dir = std::env::var("USBDESC_FIRMWARE_DIR")
        .unwrap_or_else(|_| format!("{ROOT}/firmware/target/thumbv6m-none-eabi/release"));
    let p = format!("{dir}/{bin}");
    assert!(
        std::path::Path::new(&p).is_file(),
        "{p} is not built: run scripts/firmware.sh"
    );
    p
}

#[test]
#[ignore = "needs the firmware ELFs (scripts/firmware.sh) and unicorn; scripts/test.sh runs it after the firmware build"]
fn emulated_keyboard_answers_every_control_transfer_through_the_pipe() {
    let mut bus = UsbIpBus::new(Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        ..Config::default()
    })
    .unwrap();
    pipe::alloc(&mut bus, 64, &[(0x81, 3, 8), (0x01, 3, 8)]).unwrap();
    let handle = bus.handle();
    let mut child = Command::new("python3")
        .args(["-m", "usbdesc_emu", "serve", &elf("keyboard")])
        .current_dir(format!("{ROOT}/emu"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 -m usbdesc_emu");
    let (to_emu, from_emu) = (child.stdin.take().unwrap(), child.stdout.take().unwrap());
    std::thread::spawn(move || pipe::run(&bus, BufReader::new(from_emu), to_emu, std::io::sink()));
    let dev = handle
        .get_descriptor(1, 0, 0, 18)
        .expect("device descriptor");
    assert_eq!(dev[..4], [0x12, 0x01, 0x10, 0x02]);
    // Many transfers back to back, with short reads, long reads and STALLs between them.
    for i in 0..60u16 {
        let t = Duration::from_secs(3);
        let setup = |kind: u8, idx: u8, len: u16| {
            let l = len.to_le_bytes();
            [
                0x80,
                6,
                idx,
                kind,
                if kind == 3 { 0x09 } else { 0 },
                if kind == 3 { 0x04 } else { 0 },
                l[0],
                l[1],
            ]
        };
        assert_eq!(
            handle.control_in(setup(1, 0, 18), t),
            Ok(dev.clone()),
            "round {i}"
        );
        let cfg = handle
            .control_in(setup(2, 0, 9 + i % 40), t)
            .expect("configuration");
        assert_eq!(cfg.len(), usize::from(9 + i % 40).min(41), "round {i}");
        assert_eq!(
            handle.control_in(setup(0x0F, 0, 5), t).map(|b| b.len()),
            Ok(5),
            "BOS, round {i}"
        );
        // Two STALLs in a row (as Linux asks twice for a device qualifier), then an answer.
        assert_eq!(
            handle.control_in(setup(3, 9, 255), t),
            Err(LocalError::Status(-32)),
            "round {i}"
        );
        assert_eq!(
            handle.control_in(setup(6, 0, 10), t),
            Err(LocalError::Status(-32)),
            "round {i}"
        );
    }
    let _ = child.kill();
    let _ = child.wait();
}
