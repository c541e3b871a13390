use usbdesc_runtime::hid_report;

// Two `nested(...)` arguments used to nest the second inside the first without a word.
#[hid_report(usage_page = "Generic Desktop", usage = "Mouse", nested(physical, usage = "Pointer"), nested(logical, usage = "Wheel"))]
pub struct Mouse {
    #[input(usages = ["X", "Y"])]
    pub xy: [i8; 2],
}

fn main() {}
