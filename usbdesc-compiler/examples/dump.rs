//! Compile a TOML device file and print its bytes (a development aid; the CLI does more).
fn main() {
    let path = std::env::args().nth(1).expect("usage: dump FILE.toml");
    let c = usbdesc_compiler::compile_file(std::path::Path::new(&path)).expect("read file");
    eprint!("{}", c.render());
    if let Some(d) = c.device {
        let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<Vec<_>>().join(" ");
        println!("device: {}", hex(&usbdesc_compiler::encode::device_descriptor(&d)));
        for i in 0..d.configurations.len() {
            println!("config {i}: {}", hex(&usbdesc_compiler::encode::configuration(&d, i)));
        }
        for (i, l, b) in usbdesc_compiler::encode::string_descriptors(&d) {
            println!("string {i} {l:04x}: {}", hex(&b));
        }
    }
}
