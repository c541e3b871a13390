//! Count fields that disagree with the descriptors that follow them (bNumConfigurations,
//! bNumInterfaces, bNumEndpoints). The encoder computes them; a decoded blob or a TOML override
//! can still carry other values. Verdicts from Linux usbcore (see `linux`).

use super::codes;
use super::linux;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::*;

pub fn check(dev: &Device, d: &mut Diagnostics) {
    configurations(dev, d);
    for c in &dev.configurations {
        interfaces(c, d);
        for itf in c.interfaces() {
            endpoints(c, itf, d);
        }
    }
}

fn configurations(dev: &Device, d: &mut Diagnostics) {
    let Some(n) = dev.num_configurations_override else { return };
    let held = dev.configurations.len();
    let at = dev.spans.at("num_configurations");
    if n == 0 {
        d.push(linux::rejects(
            Diagnostic::error(codes::NUM_CONFIGURATIONS, "bNumConfigurations is 0")
                .at(at)
                .help("a device needs at least one configuration; omit `num_configurations` to count them"),
            "usb 1-1: no configurations; can't read configurations, error -22 (the device is not enumerated)",
        ));
    } else if n as usize > held {
        d.push(linux::rejects(
            Diagnostic::error(
                codes::NUM_CONFIGURATIONS,
                format!("bNumConfigurations is {n} but there {} only {held}", if held == 1 { "is" } else { "are" }),
            )
            .at(at)
            .help("the host reads every configuration index below bNumConfigurations; omit `num_configurations` to count them"),
            format!("unable to read config index {held} descriptor/start: -32; chopping to {held} config(s); can't read configurations, error -32 (the device is not enumerated)"),
        ));
    }
}

fn interfaces(c: &Configuration, d: &mut Diagnostics) {
    let Some(n) = c.num_interfaces_override else { return };
    let held = c.interface_numbers().len();
    if n as usize == held {
        return;
    }
    d.push(linux::accepts(
        Diagnostic::error(codes::NUM_INTERFACES, format!("bNumInterfaces is {n} but configuration {} has {held} interface{}", c.value, plural(held)))
            .at(c.spans.at("num_interfaces"))
            .help("omit `num_interfaces` to count the interfaces"),
        format!("config {} has {held} interface{}, different from the descriptor's value: {n}", c.value, plural(held)),
    ));
}

fn endpoints(c: &Configuration, itf: &Interface, d: &mut Diagnostics) {
    let Some(n) = itf.num_endpoints_override else { return };
    let held = itf.endpoints().count();
    if n as usize == held {
        return;
    }
    let kernel = format!(
        "config {} interface {} altsetting {} has {held} endpoint descriptor{}, different from the interface descriptor's value: {n}",
        c.value,
        itf.number,
        itf.alternate,
        plural(held)
    );
    let e = Diagnostic::error(
        codes::NUM_ENDPOINTS,
        format!(
            "interface {} alternate {}: bNumEndpoints is {n} but {held} endpoint descriptor{} follow{}",
            itf.number,
            itf.alternate,
            plural(held),
            if held == 1 { "s" } else { "" }
        ),
    )
    .at(itf.spans.at("num_endpoints"))
    .help("omit `num_endpoints` to count the endpoints");
    d.push(if (n as usize) < held {
        linux::rejects(e, format!("{kernel} (it uses the first {n} and skips the rest)"))
    } else {
        linux::accepts(e, format!("{kernel} (it uses the {held} that are there)"))
    });
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
