use usbdesc_runtime::hid_report;

// `allow` takes HID lint codes, not the macro's own errors.
#[hid_report(usage_page = "Generic Desktop", usage = "Mouse", allow(UD7006, UD4123))]
pub struct Mouse {
    #[input(usages = ["X", "Y"])]
    pub xy: [i8; 2],
}

fn main() {}
