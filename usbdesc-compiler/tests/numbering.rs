//! Automatic numbering, built-in offsets and unit conversions, asserted on the resolved model.
use usbdesc_compiler::{compile_str, model::*};

fn compile(text: &str) -> Device {
    let c = compile_str("t.toml", text);
    let r = c.render();
    c.device.unwrap_or_else(|| panic!("{r}"))
}

const DEV: &str = "[device]\nvid = 1\npid = 2\n";

fn endpoints(d: &Device) -> Vec<(u8, u8, u8)> {
    d.configurations[0]
        .interfaces()
        .flat_map(|i| i.endpoints().map(move |e| (i.number, i.alternate, e.address())))
        .collect()
}

const EP: &str = "\n[[configuration.interface.endpoint]]\ndirection = \"{dir}\"\ntransfer = \"bulk\"\nmax_packet_size = 64\n";

fn ep(dir: &str) -> String {
    EP.replace("{dir}", dir)
}

#[test]
fn endpoints_count_up_per_direction_and_alternates_reuse_them() {
    let text = format!(
        "{DEV}[[configuration]]\n[[configuration.interface]]\nclass = \"vendor\"\n{}{}\n[[configuration.interface]]\nalternate = 1\nclass = \"vendor\"\n{}{}{}\n[[configuration.interface]]\nclass = \"vendor\"\n{}",
        ep("in"), ep("out"), ep("in"), ep("out"), ep("in"), ep("out")
    );
    let d = compile(&text);
    assert_eq!(
        endpoints(&d),
        [(0, 0, 0x81), (0, 0, 0x01), (0, 1, 0x81), (0, 1, 0x01), (0, 1, 0x82), (1, 0, 0x02)]
    );
}

#[test]
fn builtin_offsets_move_interfaces_endpoints_and_strings() {
    let text = format!(
        "{DEV}manufacturer = \"M\"\n[builtin]\nitf_max = 3\nep_max = 4\nstr_max = 6\n[[configuration]]\n[[configuration.interface]]\nclass = \"vendor\"\nname = \"V\"\n{}{}",
        ep("in"), ep("out")
    );
    let d = compile(&text);
    assert_eq!(endpoints(&d), [(3, 0, 0x84), (3, 0, 0x04)]);
    assert_eq!(d.manufacturer.index, 6);
    assert_eq!(d.configurations[0].interfaces().next().unwrap().name.index, 7);
    let cfg = usbdesc_compiler::encode::configuration(&d, 0);
    assert_eq!(cfg[4], 4, "bNumInterfaces counts the 3 built-in interfaces");
}

#[test]
fn micropython_preset_prefixes_the_builtin_cdc() {
    let text = format!("{DEV}[builtin]\npreset = \"micropython-cdc\"\n[[configuration]]\n");
    let d = compile(&text);
    let cfg = usbdesc_compiler::encode::configuration(&d, 0);
    assert_eq!(&cfg[9..17], &[0x08, 0x0b, 0x00, 0x02, 0x02, 0x02, 0x00, 0x00]);
    assert_eq!(u16::from_le_bytes([cfg[2], cfg[3]]) as usize, cfg.len());
    assert_eq!(cfg[4], 2);
    // The built-in IAD makes the device class misc/common/IAD by default.
    assert_eq!((d.class, d.subclass, d.protocol), (0xef, 0x02, 0x01));
}

#[test]
fn equal_texts_share_a_string_and_explicit_indices_are_skipped() {
    let text = format!("{DEV}manufacturer = 1\nproduct = \"P\"\nserial = \"P\"\n[[configuration]]\nname = \"C\"\n");
    let d = compile(&text);
    assert_eq!((d.manufacturer.index, d.product.index, d.serial.index), (1, 2, 2));
    assert_eq!(d.configurations[0].name.index, 3);
}

fn interval(target: &str, transfer: &str, ms: u32) -> u8 {
    let text = format!(
        "target = \"{target}\"\n{DEV}[[configuration]]\n[[configuration.interface]]\nclass = \"vendor\"\n[[configuration.interface.endpoint]]\ndirection = \"in\"\ntransfer = \"{transfer}\"\nmax_packet_size = 8\ninterval_ms = {ms}\n"
    );
    compile(&text).configurations[0].interfaces().next().unwrap().endpoints().next().unwrap().interval
}

#[test]
fn interval_ms_is_converted_per_speed() {
    assert_eq!(interval("generic-fs", "interrupt", 10), 10);
    assert_eq!(interval("generic-fs", "isochronous", 1), 1);
    assert_eq!(interval("generic-fs", "isochronous", 8), 4);
    assert_eq!(interval("generic-hs", "interrupt", 1), 4); // 8 microframes = 2^(4-1)
    assert_eq!(interval("generic-hs", "interrupt", 16), 8); // 128 microframes
    let bad = compile_str("t.toml", &format!(
        "target = \"generic-hs\"\n{DEV}[[configuration]]\n[[configuration.interface]]\nclass = \"vendor\"\n[[configuration.interface.endpoint]]\ndirection = \"in\"\ntransfer = \"interrupt\"\nmax_packet_size = 8\ninterval_ms = 10\n"
    ));
    assert!(bad.diagnostics.iter().any(|d| d.code == "UD2002"), "{}", bad.render());
}

#[test]
fn allow_downgrades_an_error_to_a_warning() {
    let text = format!("allow = [\"UD2006\"]\n{DEV}[[configuration]]\nmax_power_ma = 510\n");
    let c = compile_str("t.toml", &text);
    assert!(c.device.is_some());
    assert_eq!(c.diagnostics.warning_count(), 1);
    assert!(c.render().contains("warning[UD2006]"));
}

#[test]
fn hid_interfaces_are_listed_with_their_endpoints() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/cdc-hid-composite.toml")).unwrap();
    let d = compile(&text);
    let h = d.hid_interfaces();
    assert_eq!(h.len(), 1);
    assert_eq!((h[0].interface, h[0].in_endpoint, h[0].in_max_packet, h[0].report.len()), (2, Some(0x83), Some(8), 63));
    // The JSON view carries the computed numbers.
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["configurations"][0]["items"][3]["number"], 2);
}
