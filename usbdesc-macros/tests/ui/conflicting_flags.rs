use usbdesc_runtime::hid_report;

#[hid_report(usage_page = "Generic Desktop", usage = "Mouse")]
pub struct Mouse {
    #[input(usages = ["X", "Y"], variable, array, bits = 8, bits = 7)]
    pub xy: [i8; 2],
}

fn main() {}
