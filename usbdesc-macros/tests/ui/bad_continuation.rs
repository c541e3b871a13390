use usbdesc_runtime::hid_descriptor;

#[hid_descriptor]
mod touch {
    #[hid_report(report_id = 1, usage_page = "Digitizers", usage = "Touch Screen")]
    pub struct Touch {
        #[input(usage = "Tip Switch")]
        pub tip: bool,
        #[input(padding, bits = 7)]
        _pad: (),
    }
    #[hid_report(report_id = 2, usage_page = "Generic Desktop", usage = "Mouse")]
    pub struct Mouse {
        #[input(usages = ["X", "Y"])]
        pub xy: [i8; 2],
    }
    // `inside` needs the struct right before; `part_of` a struct before.
    #[hid_report(report_id = 3, inside = Touch)]
    pub struct MaxCount {
        #[feature(usage_page = "Digitizers", usage = "Contact Count Maximum")]
        pub max: u8,
    }
    #[hid_report(part_of = Pen)]
    pub struct PenMore {
        #[input(usage_page = "Digitizers", usage = "In Range")]
        pub range: bool,
    }
}

fn main() {}
