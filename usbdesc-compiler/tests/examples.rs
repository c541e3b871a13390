//! The TOML examples in `examples/`: they compile without diagnostics, their bytes are pinned by
//! reviewed snapshots, and printing them back as TOML gives the same bytes.
mod support;
use usbdesc_compiler::{compile_str, emit::toml::to_toml, encode, model::Device};

fn render_bytes(d: &Device) -> String {
    let mut s = String::new();
    let dev = encode::device_descriptor(d);
    s += &format!("device descriptor ({} bytes)\n{}\n", dev.len(), support::hex_lines(&dev));
    for i in 0..d.configurations.len() {
        let c = encode::configuration(d, i);
        s += &format!("\nconfiguration {} ({} bytes)\n{}\n", i + 1, c.len(), support::hex_lines(&c));
    }
    for (index, lang, b) in encode::string_descriptors(d) {
        let units: Vec<u16> = b.get(2..).unwrap_or(&[]).chunks(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        let text = if index == 0 { String::new() } else { format!(" {:?}", String::from_utf16_lossy(&units)) };
        s += &format!("\nstring {index} lang {lang:#06x}{text}\n{}\n", support::hex_lines(&b));
    }
    if let Some(b) = encode::bos(d) {
        s += &format!("\nBOS ({} bytes)\n{}\n", b.len(), support::hex_lines(&b));
    }
    for v in d.vendor_descriptors() {
        s += &format!(
            "\n{}, vendor code {:#04x}, wValue {}, wIndex {} ({} bytes)\n{}\n",
            v.title,
            v.request,
            v.value,
            v.index,
            v.bytes.len(),
            support::hex_lines(&v.bytes)
        );
    }
    if let Some(q) = encode::device_qualifier(d) {
        s += &format!("\ndevice qualifier ({} bytes)\n{}\n", q.len(), support::hex_lines(&q));
    }
    for i in 0..d.configurations.len() {
        if let Some(c) = encode::other_speed_configuration(d, i) {
            s += &format!("\nother-speed configuration {} ({} bytes)\n{}\n", i + 1, c.len(), support::hex_lines(&c));
        }
    }
    for h in d.hid_interfaces() {
        s += &format!(
            "\nHID interface {} (config {}, alt {}): IN {:?} ({:?} B), OUT {:?}, report {} bytes\n",
            h.interface,
            h.configuration,
            h.alternate,
            h.in_endpoint.map(|a| format!("{a:#04x}")),
            h.in_max_packet,
            h.out_endpoint.map(|a| format!("{a:#04x}")),
            h.report.len()
        );
    }
    s
}

fn example(name: &str) {
    let path = support::examples_dir().join(format!("{name}.toml"));
    let text = std::fs::read_to_string(&path).unwrap();
    let c = compile_str(&format!("examples/{name}.toml"), &text);
    assert!(c.diagnostics.is_empty(), "{}", c.render());
    let d = c.device.expect("compiles");
    insta::assert_snapshot!(name, render_bytes(&d));
    // Printing the model back as TOML compiles to the same bytes and strings.
    let again = compile_str("printed", &to_toml(&d));
    let rendered = again.render();
    let back = again.device.unwrap_or_else(|| panic!("{rendered}\n{}", to_toml(&d)));
    assert_eq!(encode::blob(&back), encode::blob(&d));
    assert_eq!(encode::string_descriptors(&back), encode::string_descriptors(&d));
    assert_eq!(encode::bos(&back), encode::bos(&d));
    assert_eq!(back.vendor_descriptors(), d.vendor_descriptors());
    for i in 0..d.configurations.len() {
        assert_eq!(encode::other_speed_configuration(&back, i), encode::other_speed_configuration(&d, i));
    }
}

#[test]
fn keyboard() {
    example("keyboard");
}
#[test]
fn mouse() {
    example("mouse");
}
#[test]
fn cdc_hid_composite() {
    example("cdc-hid-composite");
}
#[test]
fn micropython_hid() {
    example("micropython-hid");
}
#[test]
fn feature_vendor() {
    example("feature-vendor");
}
#[test]
fn vendor() {
    example("vendor");
}
#[test]
fn midi() {
    example("midi");
}
#[test]
fn msc() {
    example("msc");
}
#[test]
fn dfu_runtime() {
    example("dfu-runtime");
}
#[test]
fn dfu_mode() {
    example("dfu-mode");
}
#[test]
fn webusb_winusb() {
    example("webusb-winusb");
}
#[test]
fn hs_composite() {
    example("hs-composite");
}

#[test]
fn feather_keyboard() {
    example("feather-keyboard");
}
#[test]
fn feather_mouse() {
    example("feather-mouse");
}
#[test]
fn feather_keypad() {
    example("feather-keypad");
}
#[test]
fn feather_composite() {
    example("feather-composite");
}

#[test]
fn raw_hid_report_ids() {
    example("raw-hid-report-ids");
}

#[test]
fn uac2_headset() {
    example("uac2-headset");
}

#[test]
fn uvc_camera() {
    example("uvc-camera");
}

#[test]
fn every_example_has_a_test() {
    let mut names: Vec<String> = std::fs::read_dir(support::examples_dir())
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension()? == "toml").then(|| p.file_stem().unwrap().to_string_lossy().to_string())
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "cdc-hid-composite", "dfu-mode", "dfu-runtime", "feather-composite", "feather-keyboard", "feather-keypad", "feather-mouse",
            "feature-vendor", "hs-composite", "keyboard", "micropython-hid", "midi", "mouse", "msc",
            "raw-hid-report-ids", "uac2-headset", "uvc-camera", "vendor", "webusb-winusb"
        ]
    );
}
