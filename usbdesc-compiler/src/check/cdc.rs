//! CDC ACM: what Linux's cdc_acm needs to bind a communication interface (class 02, subclass 02):
//! an endpoint on the communication interface (its notification endpoint) and a data interface,
//! named by the union (or call management) functional descriptor, with two endpoints (bulk IN and
//! OUT). Without them cdc_acm's probe fails and the serial port does not exist (observed by the
//! real-host harness, `tests/verdicts/config.tsv`).

use super::codes;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::*;

pub fn check(dev: &Device, d: &mut Diagnostics) {
    for c in &dev.configurations {
        for itf in c.interfaces().filter(|i| i.alternate == 0 && i.class == 0x02 && i.subclass == 0x02 && i.protocol <= 6) {
            if let Some(p) = problem(c, itf) {
                d.push(super::linux::driver_rejects(
                    "cdc_acm",
                    Diagnostic::error(codes::CDC_ACM, format!("CDC ACM interface {}: {p}", itf.number))
                        .at(itf.spans.table)
                        .help("a CDC ACM function is a communication interface with an interrupt IN endpoint, a union descriptor, and a data interface (class 0x0a) with a bulk IN and a bulk OUT endpoint"),
                    "probe of the interface fails (\"cdc_acm: probe of 1-1:1.0 failed with error -22\", or silently with -19): no ttyACM device",
                ));
            }
        }
    }
}

fn problem(c: &Configuration, comm: &Interface) -> Option<String> {
    let data_number = functional(comm, 6).or_else(|| functional(comm, 1));
    // Without either descriptor cdc_acm only takes a "castrated" device: three endpoints on the
    // communication interface itself.
    let Some(data_number) = data_number else {
        return (comm.endpoints().count() != 3)
            .then(|| "no union or call management functional descriptor names its data interface".to_string());
    };
    if comm.endpoints().count() == 0 {
        return Some("the communication interface has no (notification) endpoint".into());
    }
    let Some(data) = c.interfaces().find(|i| i.number == data_number && i.alternate == 0) else {
        return Some(format!("its data interface {data_number} does not exist"));
    };
    let n = data.endpoints().count();
    (n < 2).then(|| format!("its data interface {data_number} has {n} endpoint{}, it needs 2", if n == 1 { "" } else { "s" }))
}

/// The interface number a union (subtype 6: its first subordinate) or call management (subtype 1:
/// bDataInterface) functional descriptor names, typed or still raw (the decoder types them only in
/// the usual order).
fn functional(itf: &Interface, subtype: u8) -> Option<u8> {
    itf.items.iter().find_map(|i| match (i, subtype) {
        (InterfaceItem::Cdc(CdcFunctional::Union { subordinates, .. }), 6) => subordinates.first().copied(),
        (InterfaceItem::Cdc(CdcFunctional::CallManagement { data_interface, .. }), 1) => Some(*data_interface),
        (InterfaceItem::Raw(r), _) if r.descriptor_type == crate::encode::CS_INTERFACE && r.data.first() == Some(&subtype) => {
            r.data.get(2).copied()
        }
        _ => None,
    })
}
