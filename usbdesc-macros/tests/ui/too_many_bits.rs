use usbdesc_runtime::hid_report;

#[hid_report(usage_page = "Generic Desktop", usage = "Joystick")]
pub struct Stick {
    #[input(usage = "X", bits = 9)]
    pub x: u8,
}

fn main() {}
