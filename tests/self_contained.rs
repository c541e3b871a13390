//! A user's clone is the whole project: nothing it tracks may read a path outside the repository
//! (the sibling checkout the project's corpus was first copied from is absent on a fresh machine),
//! and the corpus the tests read is inside it.
use std::process::Command;

/// Tracked files (outside `target/`) whose text names the parent directory's `shared` folder.
#[test]
fn no_tracked_file_reads_outside_the_repository() {
    let root = usbdesc_tests::repo_root();
    let out = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(&root)
        .output()
        .expect("git ls-files");
    assert!(out.status.success(), "git ls-files failed");
    // Spelled in two pieces so this file does not match itself.
    let needles = [format!("../{}", "shared"), format!("{}/corpus", "shared")];
    let mut offenders = Vec::new();
    for path in out.stdout.split(|&b| b == 0).filter(|p| !p.is_empty()) {
        let path = String::from_utf8_lossy(path).into_owned();
        if path.starts_with("target/") {
            continue;
        }
        let Ok(text) = std::fs::read(root.join(&path)) else { continue };
        let text = String::from_utf8_lossy(&text);
        for (n, line) in text.lines().enumerate() {
            if needles.iter().any(|k| line.contains(k.as_str())) {
                offenders.push(format!("{path}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(offenders.is_empty(), "tracked files refer to a folder outside the repository:\n{}", offenders.join("\n"));
}

/// The corpus is in the repository, with its index and every file the tests iterate.
#[test]
fn corpus_is_in_the_repository() {
    let c = usbdesc_tests::corpus_dir();
    assert!(c.starts_with(usbdesc_tests::repo_root()));
    assert_eq!(usbdesc_tests::corpus_files("hid").len(), 719, "tests/corpus/hid");
    assert_eq!(usbdesc_tests::corpus_files("config").len(), 60, "tests/corpus/config");
    for f in ["README.md", "hid/index.tsv", "config/index.tsv", "oracles/hidtools_oracle.py"] {
        assert!(c.join(f).is_file(), "tests/corpus/{f} missing");
    }
}
