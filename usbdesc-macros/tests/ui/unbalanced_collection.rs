use usbdesc_runtime::{hid_descriptor, hid_report};

#[hid_report(usage_page = "Generic Desktop", usage = "Mouse")]
pub struct Mouse {
    #[input(usage = "X")]
    #[end_collection]
    pub x: i8,
}

#[hid_descriptor]
mod pad {
    #[hid_report(usage_page = "Generic Desktop", usage = "Keypad")]
    pub struct Keys {
        #[collection(logical, usage = "Keypad")]
        #[input(usage = "Keypad")]
        pub a: i8,
    }
}

fn main() {}
