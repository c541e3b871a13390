//! Every device+configuration blob of the corpus decodes, prints as TOML, compiles back
//! and re-encodes to the same bytes.
mod support;
use usbdesc_compiler::{compile_str, decode::decode_blob, emit::toml::to_toml, encode};

#[test]
fn all_corpus_blobs_round_trip_byte_for_byte() {
    let files = support::config_files();
    assert_eq!(files.len(), 60, "expected the 60 corpus blobs in {}", support::corpus_dir().join("config").display());
    let mut failures = Vec::new();
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let bytes = support::read_hex(f);
        let dev = match decode_blob(&bytes) {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!("{name}: decode: {}", e.message));
                continue;
            }
        };
        assert_eq!(encode::blob(&dev), bytes, "{name}: model re-encode");
        let text = to_toml(&dev);
        let c = compile_str(&name, &text);
        let Some(back) = c.device else {
            failures.push(format!("{name}: compile:\n{}\n{text}", c.render()));
            continue;
        };
        let again = encode::blob(&back);
        if again != bytes {
            failures.push(format!("{name}: bytes differ\n  want {}\n  got  {}\n{text}", support::hex(&bytes), support::hex(&again)));
        }
    }
    assert!(failures.is_empty(), "{} of {} failed:\n{}", failures.len(), files.len(), failures.join("\n"));
}
