use usbdesc_runtime::hid_descriptor;

#[hid_descriptor]
mod composite {
    #[hid_report(report_id = 1, usage_page = "Generic Desktop", usage = "Mouse")]
    pub struct Mouse {
        #[input(usages = ["X", "Y"])]
        pub xy: [i8; 2],
    }

    #[hid_report(report_id = 1, usage_page = "Consumer", usage = "Consumer Control")]
    pub struct Media {
        #[input(usage = "Volume Increment")]
        pub up: bool,
        #[input(padding, bits = 7)]
        _pad: (),
    }
}

fn main() {}
