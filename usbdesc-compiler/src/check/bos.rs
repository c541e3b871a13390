//! BOS rules: every Microsoft OS 2.0 function subset names an interface of the first
//! configuration (its bFirstInterface), and no two subsets name the same one.

use crate::bos::msos20::BAD_FUNCTION;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::*;

pub fn check(dev: &Device, d: &mut Diagnostics) {
    let Some(ms) = &dev.platform.msos20 else { return };
    let numbers: Vec<u8> = match dev.configurations.first() {
        Some(c) => {
            let b = dev.builtin.as_ref().map(|b| b.itf_max).unwrap_or(0);
            (0..b).chain(c.interface_numbers()).collect()
        }
        None => Vec::new(),
    };
    for (k, f) in ms.functions.iter().enumerate() {
        if !numbers.contains(&f.first_interface) {
            d.push(
                Diagnostic::error(BAD_FUNCTION, format!("MS OS 2.0 function subset for interface {}, which configuration 1 does not have", f.first_interface))
                    .at(f.span)
                    .help(format!("name one of the interfaces {numbers:?} in `interface`")),
            );
        } else if let Some(prev) = ms.functions[..k].iter().find(|p| p.first_interface == f.first_interface) {
            d.push(
                Diagnostic::error(BAD_FUNCTION, format!("two MS OS 2.0 function subsets for interface {}", f.first_interface))
                    .at(f.span)
                    .label(prev.span, "first subset here")
                    .help("merge the two `[[bos.msos20.function]]` tables"),
            );
        }
    }
}
