use usbdesc_runtime::hid_report;

#[hid_report(usage_page = "Generic Desktop", usage = "Joystick")]
pub struct Stick {
    #[input(usage = "X")]
    pub x: f32,
    pub y: u8,
}

fn main() {}
