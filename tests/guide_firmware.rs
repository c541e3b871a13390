//! The firmware of docs/guide.md, section 5: `include_device!` on the guide's report-ID device
//! gives `DEVICE` and the typed reports `hid0::Input1` / `hid0::Output2` the guide uses.

mod device {
    usbdesc_runtime::include_device!("examples/raw-hid-report-ids.toml");
}

use device::hid0::{Input1, Output2};

#[test]
fn the_guide_firmware_types_exist_and_frame_their_reports() {
    assert_eq!(device::DEVICE.vid_pid(), (0x1209, 0x0003));
    assert_eq!(device::DEVICE.max_packet_size_0(), 64);
    let mut buf = [0u8; 9];
    assert_eq!(Input1 { status: [1, 2, 3, 4, 5, 6, 7, 8] }.pack_into(&mut buf), 9);
    assert_eq!(buf, [1, 1, 2, 3, 4, 5, 6, 7, 8]);
    assert_eq!((Input1::ID, Output2::ID, Output2::LEN), (1, 2, 9));
    let cmd = Output2::unpack(&[2, 9, 8, 7, 6, 5, 4, 3, 2]).unwrap();
    assert_eq!(cmd.command, [9, 8, 7, 6, 5, 4, 3, 2]);
}
