use usbdesc_runtime::hid_report;

#[hid_report(usage_page = "Generic Desktop", usage = "Gamepad")]
pub struct Pad {
    #[input(usage_page = "Button", usage_min = 1, usage_max = 9, bits = 1, count = 9)]
    pub buttons: u8,
}

fn main() {}
