//! Measurement 5: CPU cost per USB operation, in Cortex-M0 instructions counted by the emulated
//! Feather M0 (`emu/`, `python3 -m usbdesc_emu bench`): the usbdesc keyboard (firmware/keyboard)
//! against the bench/ peers, all on bench/board's main loop. Needs the firmware built (the size
//! measurement builds it; `--cpu` alone expects scripts/firmware.sh and the bench/ build).

use std::process::Command;

use crate::{Options, Result};

pub const HEADING: &str = "## 5. CPU cost per USB operation (emulated Cortex-M0)\n\n";

const INTRO: &str =
    "The firmware users flash, run in the emulated Feather M0 (`emu/`: unicorn 2.1.4 \
Cortex-M0, SAMD21 USB controller model); instructions counted exactly from the first packet of an \
operation until the firmware is idle again, minus the idle iterations in between. Method: \
`emu/usbdesc_emu/cpubench.py`. Lower is better.\n\n";

/// The section's markdown (heading included).
pub fn measure(o: &Options) -> Result<String> {
    let out = Command::new("python3")
        .args(["-m", "usbdesc_emu", "bench"])
        .current_dir(o.root.join("emu"))
        .output()
        .map_err(|e| format!("python3 -m usbdesc_emu bench: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "python3 -m usbdesc_emu bench failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(format!(
        "{HEADING}{INTRO}{}\n",
        String::from_utf8_lossy(&out.stdout).trim_end()
    ))
}

/// `doc` with its section 5 replaced by `section` (or `section` inserted before "## Versions").
pub fn splice(doc: &str, section: &str) -> String {
    crate::report::splice_section(doc, HEADING.trim_end(), &format!("{section}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splice_inserts_then_replaces() {
        let doc = "# B\n\n## 4. Macro\n\nm\n\n## Versions\n\nv\n";
        let once = splice(doc, &format!("{HEADING}t1\n"));
        assert_eq!(
            once,
            format!("# B\n\n## 4. Macro\n\nm\n\n{HEADING}t1\n\n## Versions\n\nv\n")
        );
        let twice = splice(&once, &format!("{HEADING}t2\n"));
        assert_eq!(twice, once.replace("t1", "t2"));
    }
}
