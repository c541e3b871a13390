//! `usbdesc lint` against the real Linux kernel without booting it: every input of the HID
//! differential test (corpus, fixtures, systematic mutants) has the kernel's verdict in
//! `tests/verdicts/hid.tsv` (recorded by `scripts/realhost.sh` through /dev/uhid), and lint must
//! give an error exactly when the kernel rejects the descriptor.
use std::collections::BTreeMap;

use usbdesc_tests::hid_verdicts as hv;

#[test]
fn lint_errors_exactly_when_linux_rejects() {
    let text = std::fs::read_to_string(hv::table_path()).expect("tests/verdicts/hid.tsv");
    let (kernel, rows) = hv::read_table(&text);
    assert!(kernel.starts_with("6."), "the table names its kernel: {kernel:?}");
    let table: BTreeMap<&str, &hv::KernelVerdict> = rows.iter().map(|r| (r.key.as_str(), r)).collect();
    let inputs = hv::inputs();
    assert!(inputs.len() >= 2000, "the differential test has {} HID inputs, fewer than 2000", inputs.len());
    let mut problems = Vec::new();
    let (mut rejected, mut accepted) = (0, 0);
    for input in &inputs {
        let Some(k) = table.get(input.key().as_str()) else {
            problems.push(format!("{}: no kernel verdict recorded (run REALHOST_UPDATE_VERDICTS=1 scripts/realhost.sh)", input.source));
            continue;
        };
        let kernel_rejects = k.rejects(&input.bytes);
        if kernel_rejects {
            rejected += 1;
        } else {
            accepted += 1;
        }
        problems.extend(hv::disagreement(input, k));
    }
    assert!(problems.is_empty(), "{} disagreements with Linux {kernel}:\n{}", problems.len(), problems.join("\n"));
    // Both verdicts occur often: the comparison can fail either way.
    assert!(rejected > 500 && accepted > 1500, "rejected {rejected}, accepted {accepted}");
}

/// The corpus holds real, working devices: lint raises no error on any of them.
#[test]
fn the_corpus_raises_no_lint_error() {
    let mut errors = Vec::new();
    for f in usbdesc_tests::corpus_files("hid") {
        let lint = hv::lint(&usbdesc_tests::read_hex_file(&f));
        if lint.rejects() {
            errors.push(format!("{}: {:?}", f.display(), lint.errors));
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
