use usbdesc_runtime::hid_report;

#[hid_report(usage_page = "Generic Desktop", usage = "Mouse")]
pub struct Mouse {
    #[input(usage_page = "Button", usage_min = 1, usage_max = 3)]
    pub buttons: [bool; 3],
    #[input(padding)]
    _pad: (),
}

fn main() {}
