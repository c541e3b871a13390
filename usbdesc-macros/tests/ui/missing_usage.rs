use usbdesc_runtime::hid_report;

#[hid_report(usage_page = "Generic Desktop", usage = "Joystick")]
pub struct Stick {
    #[input(logical_min = 0, logical_max = 10)]
    pub x: u8,
}

fn main() {}
