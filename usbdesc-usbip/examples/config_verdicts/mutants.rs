//! Deterministic mutants of a valid single-configuration blob (device descriptor + one
//! configuration): every count and length field off by one, bLength 0 / short / long, duplicate
//! endpoint addresses, IAD ranges past the end, packet sizes of the other speed, an invalid
//! bMaxPacketSize0, truncation. The same blob always gives the same list (names and bytes), so the
//! names are stable keys of the verdict table.

const CONFIGURATION: u8 = 2;
const INTERFACE: u8 = 4;
const ENDPOINT: u8 = 5;
const IAD: u8 = 11;

/// One descriptor of the configuration: absolute offset, bLength, bDescriptorType.
#[derive(Clone, Copy)]
struct Desc {
    at: usize,
    len: usize,
    ty: u8,
}

fn descriptors(blob: &[u8]) -> Vec<Desc> {
    let mut v = Vec::new();
    let mut p = 18;
    while p + 1 < blob.len() && blob[p] >= 2 && p + blob[p] as usize <= blob.len() {
        v.push(Desc { at: p, len: blob[p] as usize, ty: blob[p + 1] });
        p += blob[p] as usize;
    }
    v
}

/// wTotalLength of the (only) configuration set to the bytes that follow the device descriptor.
fn fix_total(mut b: Vec<u8>) -> Vec<u8> {
    let t = (b.len().saturating_sub(18) as u16).to_le_bytes();
    if b.len() >= 22 {
        b[20] = t[0];
        b[21] = t[1];
    }
    b
}

fn set(blob: &[u8], at: usize, v: u8) -> Vec<u8> {
    let mut b = blob.to_vec();
    b[at] = v;
    b
}

fn set16(blob: &[u8], at: usize, v: u16) -> Vec<u8> {
    let mut b = blob.to_vec();
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
    b
}

/// A descriptor's name in mutant ids: `cfg`, `if0.0` (number.alternate), `ep81`, `iad0`,
/// `d24` (other types: type and running index).
fn label(blob: &[u8], d: &Desc, n: usize) -> String {
    let f = |i: usize| blob.get(d.at + i).copied().unwrap_or(0);
    match d.ty {
        CONFIGURATION => "cfg".into(),
        INTERFACE if d.len >= 4 => format!("if{}.{}", f(2), f(3)),
        ENDPOINT if d.len >= 3 => format!("ep{:02x}", f(2)),
        IAD if d.len >= 3 => format!("iad{}", f(2)),
        t => format!("d{t:02x}#{n}"),
    }
}

/// `(name, bytes)` for every mutant of `blob`, in a fixed order.
pub fn mutants(blob: &[u8], high_speed: bool) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let mut add = |name: String, b: Vec<u8>| {
        if b != blob && !out.iter().any(|(n, _)| *n == name) {
            out.push((name, b));
        }
    };
    let descs = descriptors(blob);
    // Device descriptor.
    for v in [0u8, 7, 9, 128] {
        add(format!("dev.bMaxPacketSize0={v}"), set(blob, 7, v));
    }
    add("dev.bMaxPacketSize0=8".into(), set(blob, 7, 8));
    add("dev.bNumConfigurations=0".into(), set(blob, 17, 0));
    add("dev.bNumConfigurations=2".into(), set(blob, 17, 2));
    add("dev.bLength=17".into(), set(blob, 0, 17));
    add("dev.bLength=19".into(), set(blob, 0, 19));
    let total = u16::from_le_bytes([blob[20], blob[21]]);
    for (k, v) in [("-1", total.wrapping_sub(1)), ("+1", total + 1), ("=9", 9), ("=65535", 0xffff)] {
        add(format!("cfg.wTotalLength{k}"), set16(blob, 20, v));
    }
    let nif = blob[22];
    for (k, v) in [("-1", nif.wrapping_sub(1)), ("+1", nif + 1), ("=0", 0)] {
        add(format!("cfg.bNumInterfaces{k}"), set(blob, 22, v));
    }
    add("cfg.bConfigurationValue=0".into(), set(blob, 23, 0));
    let iface_eps: Vec<(usize, Vec<Desc>)> = interfaces(&descs);
    for (n, d) in descs.iter().enumerate() {
        let l = label(blob, d, n);
        // bLength: the field alone (the stream misaligns), 0, 2 (short), and a real long/short
        // descriptor (a byte inserted / removed, wTotalLength kept consistent).
        add(format!("{l}.bLength=0"), set(blob, d.at, 0));
        if !matches!(d.ty, CONFIGURATION | INTERFACE | ENDPOINT | IAD) {
            // Class-specific descriptors belong to class drivers, not usbcore: only the stream.
            add(format!("cut@{l}"), fix_total(blob[..d.at].to_vec()));
            continue;
        }
        add(format!("{l}.bLength+1"), set(blob, d.at, d.len as u8 + 1));
        add(format!("{l}.bLength-1"), set(blob, d.at, d.len as u8 - 1));
        if d.ty != CONFIGURATION {
            add(format!("{l}.bLength=2"), set(blob, d.at, 2));
            let mut grown = blob.to_vec();
            grown.insert(d.at + d.len, 0);
            grown[d.at] += 1;
            add(format!("{l}.grown"), fix_total(grown));
            let mut shrunk = blob.to_vec();
            shrunk.remove(d.at + d.len - 1);
            shrunk[d.at] -= 1;
            add(format!("{l}.shrunk"), fix_total(shrunk));
            // Cut before this descriptor (wTotalLength follows; short reads: cfg.wTotalLength+1).
            add(format!("cut@{l}"), fix_total(blob[..d.at].to_vec()));
        }
        match d.ty {
            INTERFACE if d.len >= 9 => {
                let ne = blob[d.at + 4];
                add(format!("{l}.bNumEndpoints+1"), set(blob, d.at + 4, ne + 1));
                add(format!("{l}.bNumEndpoints-1"), set(blob, d.at + 4, ne.wrapping_sub(1)));
                add(format!("{l}.bInterfaceNumber+1"), set(blob, d.at + 2, blob[d.at + 2] + 1));
            }
            ENDPOINT if d.len >= 7 => {
                let mps = u16::from_le_bytes([blob[d.at + 4], blob[d.at + 5]]);
                let bulk = blob[d.at + 3] & 3 == 2;
                add(format!("{l}.wMaxPacketSize=0"), set16(blob, d.at + 4, 0));
                add(format!("{l}.wMaxPacketSize+1"), set16(blob, d.at + 4, mps + 1));
                let other = match (bulk, high_speed) {
                    (true, false) => 512,
                    (true, true) => 64,
                    (false, false) => 1024,
                    (false, true) => 64,
                };
                add(format!("{l}.wMaxPacketSize={other}"), set16(blob, d.at + 4, other));
                add(format!("{l}.bEndpointAddress=0"), set(blob, d.at + 2, blob[d.at + 2] & 0x80));
                if blob[d.at + 3] & 3 == 3 {
                    add(format!("{l}.bInterval=0"), set(blob, d.at + 6, 0));
                }
            }
            IAD if d.len >= 8 => {
                let (first, count) = (blob[d.at + 2], blob[d.at + 3]);
                add(format!("{l}.bFirstInterface+1"), set(blob, d.at + 2, first + 1));
                add(format!("{l}.bInterfaceCount+1"), set(blob, d.at + 3, count + 1));
                add(format!("{l}.bInterfaceCount-1"), set(blob, d.at + 3, count.wrapping_sub(1)));
                add(format!("{l}.bInterfaceCount=0"), set(blob, d.at + 3, 0));
                add(format!("{l}.past_end"), set(blob, d.at + 3, nif.saturating_sub(first) + 1));
            }
            _ => {}
        }
    }
    // Duplicate endpoint addresses: inside one interface, and across two interfaces.
    let all_eps: Vec<(usize, Desc)> = iface_eps.iter().flat_map(|(i, eps)| eps.iter().map(move |e| (*i, *e))).collect();
    for (a, (ia, ea)) in all_eps.iter().enumerate() {
        for (ib, eb) in all_eps.iter().skip(a + 1) {
            let (xa, xb) = (blob[ea.at + 2], blob[eb.at + 2]);
            let scope = if ia == ib { "same" } else { "other" };
            let name = format!("dup.{scope}.ep{xb:02x}=ep{xa:02x}");
            add(name, set(blob, eb.at + 2, xa));
        }
    }
    out
}

/// Interface descriptors (by offset) with the endpoint descriptors that follow each.
fn interfaces(descs: &[Desc]) -> Vec<(usize, Vec<Desc>)> {
    let mut v: Vec<(usize, Vec<Desc>)> = Vec::new();
    for d in descs {
        match d.ty {
            INTERFACE => v.push((d.at, Vec::new())),
            ENDPOINT if d.len >= 7 => {
                if let Some((_, eps)) = v.last_mut() {
                    eps.push(*d);
                }
            }
            _ => {}
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_distinct() {
        let blob = [
            18, 1, 0, 2, 0, 0, 0, 64, 0x09, 0x12, 1, 0, 0, 1, 0, 0, 0, 1, //
            9, 2, 25, 0, 1, 1, 0, 0x80, 50, 9, 4, 0, 0, 1, 3, 0, 0, 0, 7, 5, 0x81, 3, 8, 0, 10,
        ];
        let a = mutants(&blob, false);
        assert_eq!(a, mutants(&blob, false));
        assert!(a.len() > 30);
        assert!(a.iter().all(|(_, b)| b != &blob));
    }
}
