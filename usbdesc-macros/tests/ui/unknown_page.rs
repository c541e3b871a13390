use usbdesc_runtime::hid_report;

#[hid_report(usage_page = "Generic Dsktop", usage = "Mouse")]
pub struct Mouse {
    #[input(usage = 0x30)]
    pub x: i8,
}

fn main() {}
