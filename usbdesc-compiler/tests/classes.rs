//! Lengths the BOS / MS OS 2.0 / MIDI encoders compute, and the bcdUSB rule for BOS devices.
use usbdesc_compiler::{compile_str, encode};

fn example(name: &str) -> usbdesc_compiler::model::Device {
    let text = std::fs::read_to_string(format!("{}/../examples/{name}.toml", env!("CARGO_MANIFEST_DIR"))).unwrap();
    compile_str(name, &text).device.unwrap()
}

/// The MS OS 2.0 descriptor set the device serves (vendor request with its code, wIndex 7).
fn msos20_set(d: &usbdesc_compiler::model::Device) -> (u8, Vec<u8>) {
    let v = d.vendor_descriptors().into_iter().find(|v| v.capability == "msos20").expect("declares MS OS 2.0");
    assert_eq!((v.value, v.index), (0, 7));
    (v.request, v.bytes)
}

#[test]
fn container_id_is_a_guid_ordered_capability_after_the_others() {
    let c = compile_str("t", "[device]\nvid = 1\npid = 2\n[[configuration]]\n[[configuration.interface]]\nclass = \"vendor\"\n[bos.container_id]\nuuid = \"6f0c1a2e-4b8d-4c7e-9a51-3d2f8e7b6c10\"\n[bos.usb2_extension]\nlpm = true\n");
    let r = c.render();
    let d = c.device.unwrap_or_else(|| panic!("{r}"));
    let bos = encode::bos(&d).unwrap();
    // BOS header (5), USB 2.0 Extension (7, registered first), Container ID (20).
    assert_eq!(&bos[..5], &[5, 0x0f, 32, 0, 2]);
    assert_eq!(&bos[5..12], &[7, 0x10, 0x02, 0x02, 0, 0, 0]);
    assert_eq!(&bos[12..16], &[20, 0x10, 0x04, 0]);
    // First three fields little-endian, the rest as written.
    assert_eq!(&bos[16..32], &[0x2e, 0x1a, 0x0c, 0x6f, 0x8d, 0x4b, 0x7e, 0x4c, 0x9a, 0x51, 0x3d, 0x2f, 0x8e, 0x7b, 0x6c, 0x10]);
    assert_eq!(encode::device_descriptor(&d)[2..4], [0x01, 0x02]);
    // Written back as TOML and read again: the same bytes.
    let text = usbdesc_compiler::emit::toml::to_toml(&d);
    assert!(text.contains("[bos.container_id]\nuuid = \"6f0c1a2e-4b8d-4c7e-9a51-3d2f8e7b6c10\""), "{text}");
    let again = compile_str("again", &text).device.unwrap();
    assert_eq!(encode::bos(&again).unwrap(), bos);
}

#[test]
fn msos20_capability_announces_the_set_length() {
    let d = example("webusb-winusb");
    let bos = encode::bos(&d).unwrap();
    assert_eq!(u16::from_le_bytes([bos[2], bos[3]]) as usize, bos.len());
    let (code, set) = msos20_set(&d);
    // The MS OS 2.0 platform capability (28 bytes; the Container ID follows it): ...
    // dwWindowsVersion, wMSOSDescriptorSetTotalLength, bMS_VendorCode, bAltEnumCode.
    let mut caps = Vec::new();
    let mut at = 5;
    while at < bos.len() {
        caps.push(&bos[at..at + usize::from(bos[at])]);
        at += usize::from(bos[at]);
    }
    let cap = caps.iter().copied().find(|c| c.len() == 28 && c[..3] == [28, 0x10, 0x05]).expect("MS OS 2.0 capability");
    assert_eq!(u16::from_le_bytes([cap[24], cap[25]]) as usize, set.len());
    assert_eq!(cap[26], code);
    assert_eq!(u16::from_le_bytes([set[8], set[9]]) as usize, set.len());
    // bcdUSB raised to 2.01 because a BOS is declared and no version was written.
    assert_eq!(encode::device_descriptor(&d)[2..4], [0x01, 0x02]);
}

#[test]
fn explicit_usb_2_0_with_bos_is_an_error() {
    let c = compile_str("t", "[device]\nusb = \"2.0\"\nvid = 1\npid = 2\n[[configuration]]\n[[configuration.interface]]\nclass = \"vendor\"\n[bos.webusb]\nvendor_code = 1\n");
    assert!(c.diagnostics.iter().any(|d| d.code == "UD2008"), "{}", c.render());
    assert!(c.device.is_none());
}

#[test]
fn msos20_function_subsets_nest_in_a_configuration_subset() {
    let c = compile_str("t", "[device]\nvid = 1\npid = 2\n[[configuration]]\n[[configuration.interface]]\nclass = \"vendor\"\n[[configuration.interface]]\nclass = \"vendor\"\n[bos.msos20]\nvendor_code = 7\n[[bos.msos20.function]]\ninterface = 1\ncompatible_id = \"WINUSB\"\n");
    let r = c.render();
    let d = c.device.unwrap_or_else(|| panic!("{r}"));
    let (code, set) = msos20_set(&d);
    assert_eq!(code, 7);
    // set header 10 + configuration subset 8 + function subset 8 + compatible ID 20.
    assert_eq!(set.len(), 46);
    assert_eq!(&set[10..18], &[8, 0, 1, 0, 0, 0, 36, 0]);
    assert_eq!(&set[18..26], &[8, 0, 2, 0, 1, 0, 28, 0]);
    assert_eq!(&set[26..34], &[20, 0, 3, 0, b'W', b'I', b'N', b'U']);
}

#[test]
fn midi_jack_ids_skip_explicit_ones() {
    let c = compile_str("t", "[device]\nvid = 1\npid = 2\n[[configuration]]\n[[configuration.interface]]\nclass = \"audio\"\nsubclass = \"midi-streaming\"\n[configuration.interface.midi_streaming]\n[[configuration.interface.midi_in_jack]]\ntype = \"embedded\"\nlabel = \"a\"\n[[configuration.interface.midi_in_jack]]\ntype = \"external\"\nid = 1\n[[configuration.interface.midi_out_jack]]\ntype = \"external\"\nsources = [\"a\"]\n");
    let r = c.render();
    let d = c.device.unwrap_or_else(|| panic!("{r}"));
    let cfg = encode::configuration(&d, 0);
    // header (wTotalLength 7 + 6 + 6 + 9 = 28), IN jack "a" = 2, IN jack 1, OUT jack 3 fed by 2.
    let body = &cfg[18..];
    assert_eq!(body, &[7, 0x24, 1, 0, 1, 28, 0, 6, 0x24, 2, 1, 2, 0, 6, 0x24, 2, 2, 1, 0, 9, 0x24, 3, 2, 3, 1, 2, 1, 0]);
}

#[test]
fn new_examples_survive_blob_decode_and_print_typed() {
    for (name, typed) in [
        ("midi", &["midi_streaming]", "midi_in_jack]]", "midi_out_jack]]", "jacks = ["][..]),
        ("dfu-runtime", &[".dfu]", "will_detach = true", "protocol = \"runtime\""][..]),
        ("dfu-mode", &[".dfu]", "manifestation_tolerant = true", "protocol = \"dfu-mode\"", "alternate = 1"][..]),
        ("msc", &["class = \"msc\""][..]),
        ("webusb-winusb", &[][..]),
        ("hs-composite", &["cdc_acm]"][..]),
    ] {
        let blob = encode::blob(&example(name));
        let dev = usbdesc_compiler::decode::decode_blob(&blob).unwrap();
        let text = usbdesc_compiler::emit::toml::to_toml(&dev);
        for t in typed {
            assert!(text.contains(t), "{name}: {t} missing:\n{text}");
        }
        assert!(!text.contains("class_descriptor"), "{name}: raw left:\n{text}");
        let c = compile_str(name, &text);
        let r = c.render();
        let back = c.device.unwrap_or_else(|| panic!("{r}\n{text}"));
        assert_eq!(encode::blob(&back), blob, "{name}");
    }
}

#[test]
fn audio1_endpoints_get_refresh_and_synch_address_unless_extra_is_empty() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/midi.toml")).unwrap();
    let endpoints = |text: &str| -> Vec<usize> {
        let c = compile_str("midi.toml", text);
        let dev = c.device.clone().unwrap_or_else(|| panic!("{}", c.render()));
        let cfg = encode::configuration(&dev, 0);
        usbdesc_compiler::decode::split(&cfg, 0).unwrap().iter().filter(|(_, d)| d[1] == 5).map(|(_, d)| d.len()).collect()
    };
    // The example gives no `extra`: both MIDI endpoints are 9 bytes (MIDI 1.0 §6.2.1).
    assert_eq!(endpoints(&text), [9, 9]);
    // `extra = ""` keeps the 7-byte form some devices ship; it survives printing as TOML.
    let seven = text.replacen("max_packet_size = 64\n", "max_packet_size = 64\nextra = \"\"\n", 1);
    assert_eq!(endpoints(&seven), [7, 9]);
    assert!(usbdesc_compiler::selfcheck::toml(seven.as_bytes()));
    assert!(usbdesc_compiler::selfcheck::toml(text.as_bytes()));
}

#[test]
fn msos20_set_longer_than_its_16_bit_total_is_an_error() {
    let text = |n: usize| {
        format!(
            "target = \"generic-fs\"\n[device]\nvid = 0x1209\npid = 1\n[[configuration]]\n[[configuration.interface]]\nclass = \"vendor\"\n\
             [bos.msos20]\nvendor_code = 1\nregistry = [{{ name = \"Big\", value = \"{}\" }}]\n",
            "x".repeat(n)
        )
    };
    // 2 bytes per UTF-16 unit: 32,000 characters fit, 33,000 do not.
    assert!(compile_str("ok.toml", &text(32_000)).device.is_some());
    let c = compile_str("big.toml", &text(33_000));
    assert!(c.device.is_none() && c.diagnostics.iter().any(|d| d.code == "UD2011" && d.message.contains("MS OS 2.0")), "{}", c.render().chars().take(400).collect::<String>());
}
