use usbdesc_runtime::hid_report;

#[hid_report(usage_page = "Generic Desktop", usage = "Joystick")]
pub struct Stick {
    #[input(usage = "X", logical_maxi = 10)]
    pub x: u8,
}

fn main() {}
