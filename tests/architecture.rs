//! The compiler's layers do not loop: no two source files, and no two top-level modules, import
//! each other, directly or around a cycle (`scripts/imports.py`, issue 16). A change that adds an
//! import circle fails here with the pair or cycle named.

use std::process::Command;

#[test]
fn compiler_has_no_import_circles() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::new("python3")
        .current_dir(root)
        .args(["scripts/imports.py", "usbdesc-compiler/src", "--list", "--check"])
        .output()
        .expect("python3 (scripts/install-deps.sh installs it)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "import circles in usbdesc-compiler/src:\n{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("by file: 0 mutual pairs, 0 cycles") && text.contains("by top-level module: 0 mutual pairs, 0 cycles"), "{text}");
}
