use usbdesc_runtime::hid_report;

#[hid_report(usage_page = "Generic Desktop", usage = "Joystick")]
pub struct Stick {
    #[input(usage = "X", logical_min = -1, logical_max = 255)]
    pub x: u8,
}

fn main() {}
