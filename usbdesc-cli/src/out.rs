//! Where results and messages go. `-o -` (or no `-o`) is stdout. A closed pipe (`usbdesc dump … |
//! head`) ends the program quietly with status 0, as `cat` and `grep` do, on stdout and stderr alike.

use crate::{io_text, Fail, Res};
use std::io::{ErrorKind, Write};
use std::path::Path;

/// The reader went away: stop here, quietly.
fn closed_pipe() -> ! {
    std::process::exit(0)
}

/// Write `bytes` to the file `output`, or to stdout when it is `None` or `-`.
pub fn write_out(output: Option<&Path>, bytes: &[u8]) -> Res {
    match output {
        Some(p) if p != Path::new("-") => {
            std::fs::write(p, bytes).map_err(|e| Fail::usage(format!("cannot write `{}`: {}", p.display(), io_text(&e))))
        }
        _ => stdout(bytes),
    }
}

pub fn stdout(bytes: &[u8]) -> Res {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => closed_pipe(),
        r => r.map_err(|e| Fail::usage(format!("cannot write stdout: {e}"))),
    }
}

/// Write a message to stderr (what `eprint!` does, without its panic on a closed pipe).
pub fn err(text: impl AsRef<str>) {
    let mut e = std::io::stderr().lock();
    if let Err(x) = e.write_all(text.as_ref().as_bytes()).and_then(|_| e.flush()) {
        if x.kind() == ErrorKind::BrokenPipe {
            closed_pipe();
        }
    }
}

/// [`err`] with a newline.
pub fn errln(text: impl AsRef<str>) {
    err(format!("{}\n", text.as_ref()));
}
