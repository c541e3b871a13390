//! A size budget checked before TOML parsing: the parser holds every key, value and array element
//! as its own node (a few hundred bytes each), so a 4 MiB file of `x = 0` lines or `1,` array
//! elements would take gigabytes' worth of nodes. A device description has a few thousand.

use crate::diag::{Diagnostic, Span};

/// Most keys, values and array elements a TOML input may hold (`=`, `,`, `[` and `{` outside
/// strings and comments, counted without parsing).
pub const MAX_TOML_NODES: usize = 100_000;

/// The `=`, `,`, `[` and `{` outside strings and comments; `Err` with the offset where the count
/// passes `max`.
pub fn count_nodes(text: &str, max: usize) -> Result<usize, usize> {
    let b = text.as_bytes();
    let (mut i, mut n) = (0usize, 0usize);
    while i < b.len() {
        match b[i] {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            q @ (b'"' | b'\'') => {
                let triple = b[i..].starts_with(if q == b'"' { b"\"\"\"" } else { b"'''" });
                let len = if triple { 3 } else { 1 };
                let delim = &b[i..i + len];
                i += len;
                while i < b.len() && !b[i..].starts_with(delim) && (triple || b[i] != b'\n') {
                    // Escapes only in basic strings.
                    i += if q == b'"' && b[i] == b'\\' { 2 } else { 1 };
                }
                i += len;
                continue;
            }
            b'=' | b',' | b'[' | b'{' => {
                n += 1;
                if n > max {
                    return Err(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    Ok(n)
}

/// `Err` with a `UD0008` diagnostic when `text` holds more than [`MAX_TOML_NODES`].
pub fn check(text: &str) -> Result<(), Diagnostic> {
    match count_nodes(text, MAX_TOML_NODES) {
        Ok(_) => Ok(()),
        Err(at) => Err(Diagnostic::error(
            super::TOO_MANY_NODES,
            format!("the TOML holds more than {MAX_TOML_NODES} keys, values and array elements"),
        )
        .at_labeled(Span::new(at, at + 1), format!("number {} starts here", MAX_TOML_NODES + 1))
        .help("a device description holds a few thousand; put long byte runs in one hex string (`bytes = \"05 01 ...\"`)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_outside_strings_and_comments() {
        assert_eq!(count_nodes("a = [1, 2]\n# x = [3, 4]\ns = \"=,[{\"\nt = '''\n=,\n'''\nu = \"\\\"=\"\n", 100), Ok(6));
        assert_eq!(count_nodes("x = [1,2,3]", 3), Err(8));
    }
}
