//! Decode a corpus-style hex blob and print it as TOML (a development aid; the CLI does more).
fn main() {
    let path = std::env::args().nth(1).expect("usage: decode FILE.hex");
    let text = std::fs::read_to_string(path).expect("read");
    let bytes: Vec<u8> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(|l| l.split_whitespace())
        .filter_map(|b| u8::from_str_radix(b, 16).ok())
        .collect();
    match usbdesc_compiler::decode::decode_blob(&bytes) {
        Ok(d) => print!("{}", usbdesc_compiler::emit::toml::to_toml(&d)),
        Err(e) => eprintln!("{}", e.message),
    }
}
