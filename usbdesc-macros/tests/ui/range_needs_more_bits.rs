use usbdesc_runtime::hid_report;

#[hid_report(usage_page = "Generic Desktop", usage = "Joystick")]
pub struct Stick {
    #[input(usage = "X", bits = 4, logical_min = 0, logical_max = 100)]
    pub x: u8,
}

fn main() {}
