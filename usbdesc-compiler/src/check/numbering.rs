//! Numbering rules: contiguous interface numbers and alternate settings, unique endpoint
//! addresses, IADs that cover the interfaces that follow them.

use super::codes;
use super::linux;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::*;
use std::collections::HashMap;

pub fn check(dev: &Device, d: &mut Diagnostics) {
    for (ci, c) in dev.configurations.iter().enumerate() {
        let start = match (&dev.builtin, ci) {
            (Some(b), 0) => b.itf_max,
            _ => 0,
        };
        interface_numbers(c, start, d);
        alternates(c, d);
        endpoints(c, d);
        associations(c, d);
    }
}

fn interface_numbers(c: &Configuration, start: u8, d: &mut Diagnostics) {
    let numbers = c.interface_numbers();
    let end = start as usize + numbers.len();
    // The first declaration of each number (one map, not a search per number).
    let mut first: HashMap<u8, &Interface> = HashMap::new();
    for i in c.interfaces() {
        first.entry(i.number).or_insert(i);
    }
    for n in &numbers {
        if (*n as usize) < end && *n >= start {
            continue;
        }
        if *n < start {
            continue; // below the built-in offset: `check::builtin` reports it
        }
        let Some(itf) = first.get(n) else { continue };
        let expect = if numbers.len() == 1 { format!("{start}") } else { format!("{start}..={}", end - 1) };
        let missing = (start as usize..end).find(|k| !numbers.contains(&(*k as u8))).unwrap_or(end);
        d.push(linux::accepts(
            Diagnostic::error(
                codes::INTERFACE_NUMBERS,
                format!("interface number {n} leaves a gap: this configuration's interfaces must be numbered {expect}"),
            )
            .at_labeled(itf.spans.at("number").unwrap_or_default(), "not contiguous")
            .help("number interfaces consecutively, or omit `number` to number them automatically"),
            format!(
                "config {} has an invalid interface number: {n} but max is {}; config {} has no interface number {missing} (the interface works under its number)",
                c.value,
                end.saturating_sub(1),
                c.value
            ),
        ));
    }
}

fn alternates(c: &Configuration, d: &mut Diagnostics) {
    // Maps instead of searches per interface: a configuration may declare thousands (an error,
    // but reported in linear time).
    let mut seen: HashMap<(u8, u8), &Interface> = HashMap::new();
    let mut alternates_of: HashMap<u8, usize> = HashMap::new();
    for itf in c.interfaces() {
        *alternates_of.entry(itf.number).or_default() += 1;
    }
    for itf in c.interfaces() {
        if let Some(first) = seen.get(&(itf.number, itf.alternate)).copied() {
            d.push(declared_twice(itf, Some(first)));
            continue;
        }
        seen.insert((itf.number, itf.alternate), itf);
    }
    for itf in c.interfaces() {
        let alts = alternates_of.get(&itf.number).copied().unwrap_or(1);
        if itf.alternate as usize >= alts {
            d.push(
                Diagnostic::error(
                    codes::ALTERNATES,
                    format!(
                        "alternate setting {} of interface {} leaves a gap: its alternate settings must be 0..={}",
                        itf.alternate,
                        itf.number,
                        alts - 1
                    ),
                )
                .at_labeled(itf.spans.at("alternate").unwrap_or_default(), "not contiguous")
                .help("number alternate settings 0, 1, 2, ... without gaps"),
            );
        }
    }
}

/// UD1002 for a second interface with the same number and alternate setting. Without an
/// `alternate` key the user meant a second interface, not an alternate setting: say so at `number`.
fn declared_twice(itf: &Interface, first: Option<&Interface>) -> Diagnostic {
    let key = |i: &Interface| if i.spans.has("alternate") { "alternate" } else { "number" };
    let (n, alt) = (itf.number, itf.alternate);
    let d = if itf.spans.has("alternate") {
        Diagnostic::error(codes::ALTERNATES, format!("alternate setting {alt} of interface {n} is declared twice"))
            .at_labeled(itf.spans.at("alternate").unwrap_or_default(), "second declaration")
            .help("give each alternate setting of an interface its own `alternate` number, counting from 0")
    } else {
        Diagnostic::error(codes::ALTERNATES, format!("interface number {n} is declared twice"))
            .at_labeled(itf.spans.at("number").unwrap_or_default(), format!("second interface numbered {n}"))
            .help(format!(
                "give each interface its own `number`, or leave `number` out and it is computed; \
                 for an alternate setting of interface {n}, add `alternate = 1` (and so on)"
            ))
    };
    d.label(first.and_then(|f| f.spans.at(key(f))), "first declaration")
}

fn endpoints(c: &Configuration, d: &mut Diagnostics) {
    let mut seen: Vec<(u8, u8, u8, &Endpoint)> = Vec::new();
    for itf in c.interfaces() {
        for e in itf.endpoints() {
            if e.number == 0 || e.number > 15 {
                let kernel = format!(
                    "config {} interface {} altsetting {} has an invalid endpoint with address {:#X}, skipping",
                    c.value,
                    itf.number,
                    itf.alternate,
                    e.address()
                );
                let diag = Diagnostic::error(codes::ENDPOINT_NUMBER, format!("endpoint number {} is not available", e.number))
                        .at(e.spans.at("number"))
                        .help(if e.number == 0 {
                            "endpoint 0 is the default control pipe; use a number from 1 to 15".to_string()
                        } else {
                            "USB has endpoint numbers 1 to 15 besides endpoint 0; declare fewer endpoints or share numbers between IN and OUT".to_string()
                        });
                d.push(if e.number == 0 { linux::rejects(diag, kernel) } else { diag });
                continue;
            }
            let addr = e.address();
            if let Some((_, n, a, first)) = seen.iter().find(|(a2, n, alt, _)| {
                *a2 == addr && (*n != itf.number || *alt == itf.alternate)
            }) {
                d.push(linux::rejects(
                    Diagnostic::error(
                        codes::ENDPOINT_REUSED,
                        format!("endpoint address {addr:#04x} is used twice in configuration {}", c.value),
                    )
                    .at_labeled(e.spans.at("number").unwrap_or_default(), format!("{addr:#04x} again (interface {})", itf.number))
                    .label(first.spans.at("number"), format!("first used by interface {n} alternate {a}"))
                    .help("only alternate settings of the same interface may share an endpoint address; omit `number` to number endpoints automatically"),
                    format!(
                        "config {} interface {} altsetting {} has a duplicate endpoint with address {addr:#X}, skipping",
                        c.value, itf.number, itf.alternate
                    ),
                ));
                continue;
            }
            seen.push((addr, itf.number, itf.alternate, e));
        }
    }
}

fn associations(c: &Configuration, d: &mut Diagnostics) {
    let numbers = c.interface_numbers();
    // The number of the first interface after each item (one backward pass, not a search each).
    let mut next_after = vec![None; c.items.len()];
    let mut next = None;
    for (k, item) in c.items.iter().enumerate().rev() {
        next_after[k] = next;
        if let ConfigItem::Interface(x) = item {
            next = Some(x.number);
        }
    }
    for (k, item) in c.items.iter().enumerate() {
        let ConfigItem::Association(a) = item else { continue };
        let next = next_after[k];
        let last = a.first_interface as usize + a.interface_count as usize;
        let missing: Vec<usize> = (a.first_interface as usize..last).filter(|n| !numbers.contains(&(*n as u8))).collect();
        let problem = if a.interface_count == 0 {
            Some("it groups no interfaces".to_string())
        } else if next != Some(a.first_interface) {
            Some(match next {
                Some(n) => format!("bFirstInterface is {} but the next interface is {n}", a.first_interface),
                None => format!("bFirstInterface is {} but no interface follows it", a.first_interface),
            })
        } else if !missing.is_empty() {
            Some(format!(
                "it covers interfaces {}..={} but interface {} does not exist",
                a.first_interface,
                last - 1,
                missing[0]
            ))
        } else {
            None
        };
        if let Some(p) = problem {
            d.push(linux::accepts(
                Diagnostic::error(codes::ASSOCIATION, format!("interface association: {p}"))
                    .at(a.spans.at("first_interface").or(a.spans.at("interface_count")))
                    .help("an IAD must come right before the contiguous interfaces it groups; omit first_interface and interface_count to compute them"),
                "it does not check IAD ranges and binds each interface on its own (Windows' composite driver groups interfaces by IAD and is stricter)",
            ));
        }
    }
}
