//! HID report descriptor lints, one module per rule family. Codes `UD41xx` (errors and warnings on
//! items and values), `UD8xxx` (rules Windows enforces and Linux does not: warnings with a note).

use super::{AttachContext, SpannedItem};
use crate::diag::Diagnostics;

/// Run every lint over the items.
pub fn check(items: &[SpannedItem], ctx: &AttachContext, d: &mut Diagnostics) {
    let _ = (items, ctx, d);
}
