//! The inputs of the HID differential test against the real Linux kernel, and `usbdesc lint`'s
//! verdict on each: every corpus report descriptor, every HID lint fixture that holds bytes, and
//! mutants generated systematically from a few valid descriptors. The harness
//! (`harness/hid_verdicts.py`, through `cargo xtask verdicts`) feeds them to the kernel through
//! `/dev/uhid`; `tests/verdicts/hid.tsv` keeps the kernel's verdicts so `cargo test` can compare
//! without booting. Deterministic: the same repository gives the same inputs in the same order.
use std::collections::BTreeSet;
use std::path::Path;

use usbdesc_compiler::hid::decode::decode_items;
use usbdesc_compiler::hid::ReportDescriptor;

/// One descriptor to judge.
#[derive(Clone, Debug)]
pub struct HidInput {
    /// Where it came from: `corpus/<file>`, `fixture/<file>`, `mutant/<base>/<what>`.
    pub source: String,
    pub bytes: Vec<u8>,
}

impl HidInput {
    /// The table key: FNV-1a 64 of the bytes, in hex (stable across runs and platforms).
    pub fn key(&self) -> String {
        key_of(&self.bytes)
    }
}

/// FNV-1a 64 of `bytes`, as 16 hex digits.
pub fn key_of(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// `usbdesc lint`'s verdict on a report descriptor: the codes of its errors and warnings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LintVerdict {
    pub errors: BTreeSet<String>,
    pub warnings: BTreeSet<String>,
}

impl LintVerdict {
    pub fn rejects(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// Lint `bytes` as `usbdesc lint` lints a binary report descriptor (`input::lint_report_bytes`).
pub fn lint(bytes: &[u8]) -> LintVerdict {
    let (_, all) = usbdesc_compiler::input::lint_report_bytes(bytes);
    let mut v = LintVerdict::default();
    for d in all.sorted() {
        if d.is_error() {
            v.errors.insert(d.code.to_string());
        } else {
            v.warnings.insert(d.code.to_string());
        }
    }
    v
}

/// Every input, deduplicated by bytes (the first source wins), in a fixed order.
pub fn inputs() -> Vec<HidInput> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    let mut push = |source: String, bytes: Vec<u8>| {
        if !bytes.is_empty() && seen.insert(bytes.clone()) {
            out.push(HidInput { source, bytes });
        }
    };
    for f in crate::corpus_files("hid") {
        push(format!("corpus/{}", file_name(&f)), crate::read_hex_file(&f));
    }
    for (name, bytes) in fixtures() {
        push(format!("fixture/{name}"), bytes);
    }
    for (base, bytes) in bases() {
        for (what, m) in mutants(&bytes) {
            push(format!("mutant/{base}/{what}"), m);
        }
    }
    out
}

fn file_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The HID lint fixtures whose report is given as bytes or items (one per code), as bytes.
fn fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = crate::repo_root().join("usbdesc-compiler/tests/fixtures/hid/lint");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else { continue };
        if let Some(bytes) = fixture_bytes(&text) {
            out.push((file_name(&f), bytes));
        }
    }
    out
}

/// The bytes of a report document: its `bytes = "…"` string, else the compiled report.
fn fixture_bytes(text: &str) -> Option<Vec<u8>> {
    let doc: toml::Table = text.parse().ok()?;
    let report = doc.get("report")?.as_table()?;
    if let Some(hex) = report.get("bytes").and_then(|b| b.as_str()) {
        return usbdesc_compiler::input::hex_text_bytes(hex);
    }
    let mut d = usbdesc_compiler::diag::Diagnostics::new();
    usbdesc_compiler::input::report_document(text, &mut d).map(|r| r.encode())
}

/// The valid descriptors mutants start from: the HID 1.11 boot keyboard, a mouse with a wheel,
/// a report-ID keyboard + consumer control, and a pen digitizer with a feature report.
fn bases() -> Vec<(&'static str, Vec<u8>)> {
    let dir = crate::corpus_dir();
    let mut v = vec![("boot-keyboard", crate::hid_spec_boot_keyboard())];
    for (name, file) in [
        ("mouse", "hid/0001-libinput-issue-767-usb-046d-c08f-logitech-inc.hex"),
        ("report-ids", "hid/0719-tinyusb-template-hid-composite-example-keyboard-rid-1-mouse-.hex"),
        ("gamepad", "hid/0716-tinyusb-template-tud-hid-report-desc-gamepad.hex"),
    ] {
        let p = dir.join(file);
        if p.is_file() {
            v.push((name, crate::read_hex_file(&p)));
        }
    }
    v
}

/// Item boundaries of a valid descriptor: (start, end, prefix byte).
fn items(bytes: &[u8]) -> Vec<(usize, usize, u8)> {
    decode_items(bytes)
        .map(|v| v.into_iter().map(|x| (x.span.start, x.span.end, bytes[x.span.start])).collect())
        .unwrap_or_default()
}

fn splice(bytes: &[u8], at: usize, remove: usize, insert: &[u8]) -> Vec<u8> {
    let mut v = bytes[..at].to_vec();
    v.extend_from_slice(insert);
    v.extend_from_slice(&bytes[(at + remove).min(bytes.len())..]);
    v
}

/// A short item: `prefix` with its size code for `size` data bytes (0, 1, 2, 4), data `value`.
fn short_item(tag_type: u8, size: usize, value: u32) -> Vec<u8> {
    let code = match size {
        0 => 0,
        1 => 1,
        2 => 2,
        _ => 3,
    };
    let mut v = vec![(tag_type & 0xFC) | code];
    v.extend_from_slice(&value.to_le_bytes()[..size]);
    v
}

/// The systematic mutants of one valid descriptor, each with a name saying what was done.
pub fn mutants(base: &[u8]) -> Vec<(String, Vec<u8>)> {
    let it = items(base);
    let mut out = Vec::new();
    let Some(&(_, after_collection, _)) = it.iter().find(|x| x.2 & 0xFC == 0xA0) else { return out };
    let first_main = it.iter().find(|x| matches!(x.2 & 0xFC, 0x80 | 0x90 | 0xB0)).map_or(after_collection, |x| x.0);
    // Every prefix (tag × type, reserved and long included) with each data size, inside the
    // application collection before its first data item; data 1.
    for prefix in (0u16..=0xFC).step_by(4) {
        for size in [0usize, 1, 2, 4] {
            let item = short_item(prefix as u8, size, 1);
            out.push((format!("insert-{:02x}-size{size}", prefix), splice(base, first_main, 0, &item)));
        }
    }
    // Long items: empty, with data, truncated, and a short item's tag in long form.
    for (what, item) in [
        ("long-empty", vec![0xFE, 0x00, 0x10]),
        ("long-data", vec![0xFE, 0x02, 0xF0, 0x01, 0x02]),
        ("long-short-tag", vec![0xFE, 0x01, 0x08, 0x01]),
    ] {
        out.push((what.to_string(), splice(base, first_main, 0, &item)));
    }
    out.push(("long-truncated".into(), [base, &[0xFE, 0x05, 0x10, 0x01][..]].concat()));
    // Nesting: collections, push/pop and delimiters out of balance.
    let last_end = it.iter().rev().find(|x| x.2 == 0xC0).map(|x| x.0);
    if let Some(end) = last_end {
        out.push(("end-collection-missing".into(), splice(base, end, 1, &[])));
    }
    out.push(("end-collection-extra".into(), [base, &[0xC0][..]].concat()));
    out.push(("end-collection-first".into(), [&[0xC0][..], base].concat()));
    out.push(("collection-extra-open".into(), splice(base, first_main, 0, &[0xA1, 0x00])));
    out.push(("pop-without-push".into(), splice(base, first_main, 0, &[0xB4])));
    out.push(("push-left-open".into(), splice(base, first_main, 0, &[0xA4])));
    out.push(("push-pop".into(), splice(base, first_main, 0, &[0xA4, 0xB4])));
    out.push(("pop-twice".into(), splice(base, first_main, 0, &[0xA4, 0xB4, 0xB4])));
    out.push(("delimiter-open-left-open".into(), splice(base, first_main, 0, &[0xA9, 0x01])));
    out.push(("delimiter-close-only".into(), splice(base, first_main, 0, &[0xA9, 0x00])));
    out.push(("delimiter-nested".into(), splice(base, first_main, 0, &[0xA9, 0x01, 0xA9, 0x01, 0x09, 0x01, 0xA9, 0x00, 0xA9, 0x00])));
    out.push(("delimiter-pair".into(), splice(base, first_main, 0, &[0xA9, 0x01, 0x09, 0x30, 0x09, 0x31, 0xA9, 0x00])));
    out.push(("main-before-collection".into(), [&[0x05, 0x01, 0x09, 0x01, 0x75, 0x08, 0x95, 0x01, 0x81, 0x02][..], base].concat()));
    out.push(("nothing-but-end".into(), vec![0xC0]));
    out.push(("empty-collection".into(), vec![0x05, 0x01, 0x09, 0x02, 0xA1, 0x01, 0xC0]));
    // Report IDs: 0, 1, 255, 256 (two bytes), on the first data item only (used and unused mixed).
    for (what, item) in [
        ("report-id-0", vec![0x85, 0x00]),
        ("report-id-1", vec![0x85, 0x01]),
        ("report-id-255", vec![0x85, 0xFF]),
        ("report-id-256", vec![0x86, 0x00, 0x01]),
        ("report-id-0x10000", vec![0x87, 0x00, 0x00, 0x01, 0x00]),
        ("report-id-empty", vec![0x84]),
    ] {
        out.push((what.to_string(), splice(base, first_main, 0, &item)));
    }
    out.push(("report-id-at-end".into(), splice(base, base.len(), 0, &[0x85, 0x02])));
    out.push(("report-id-after-first-data".into(), {
        let next = it.iter().find(|x| x.0 > first_main && matches!(x.2 & 0xFC, 0x80 | 0x90 | 0xB0)).map_or(base.len(), |x| x.0);
        splice(base, next, 0, &[0x85, 0x03])
    }));
    // Value ranges.
    for (what, item) in [
        ("logical-min-gt-max", vec![0x15, 0x05, 0x25, 0x01]),
        ("logical-min-eq-max", vec![0x15, 0x01, 0x25, 0x01]),
        ("logical-negative-max", vec![0x15, 0x00, 0x25, 0xFF]),
        ("logical-signed-wide", vec![0x17, 0x00, 0x00, 0x00, 0x80, 0x27, 0xFF, 0xFF, 0xFF, 0x7F]),
        ("physical-min-gt-max", vec![0x35, 0x05, 0x45, 0x01]),
        ("physical-without-logical", vec![0x35, 0x00, 0x46, 0xFF, 0x00]),
        ("usage-min-gt-max", vec![0x19, 0x05, 0x29, 0x01]),
        ("usage-min-only", vec![0x19, 0x01]),
        ("usage-max-only", vec![0x29, 0x01]),
        ("unit-exponent-15", vec![0x55, 0x0F]),
        ("unit-reserved-system", vec![0x65, 0x05]),
    ] {
        out.push((what.to_string(), splice(base, first_main, 0, &item)));
    }
    // Report Size and Count extremes before the first data item.
    for count in [0u32, 1, 255, 256, 1024, 4096, 65535] {
        let item = short_item(0x94, if count > 255 { 2 } else { 1 }, count);
        out.push((format!("report-count-{count}"), splice(base, first_main, 0, &item)));
    }
    for size in [0u32, 1, 31, 32, 33, 64, 255, 256, 257] {
        let item = short_item(0x74, if size > 255 { 2 } else { 1 }, size);
        out.push((format!("report-size-{size}"), splice(base, first_main, 0, &item)));
    }
    for (size, count) in [(32u32, 1024u32), (8, 4096), (8, 16384), (8, 20000), (64, 1024), (256, 256), (64, 2047), (64, 2048), (256, 512)] {
        let mut item = short_item(0x74, if size > 255 { 2 } else { 1 }, size);
        item.extend(short_item(0x94, 2, count));
        out.push((format!("report-size-{size}-count-{count}"), splice(base, first_main, 0, &item)));
    }
    // Descriptor length at hid-core's limit (4096 bytes) and one byte over: Usage items padded in.
    let usage_pad = |total: usize| {
        let n = total.saturating_sub(base.len()) / 2;
        let odd = total.saturating_sub(base.len()) % 2 == 1;
        let mut pad: Vec<u8> = std::iter::repeat([0x09u8, 0x01]).take(n).flatten().collect();
        if odd {
            pad.push(0x08); // Usage with no data: one byte
        }
        splice(base, first_main, 0, &pad)
    };
    out.push(("length-4096".into(), usage_pad(4096)));
    out.push(("length-4097".into(), usage_pad(4097)));
    // A data item with no usage, and one with its usages cleared by Push/Pop (locals survive).
    out.push(("input-without-usage".into(), splice(base, after_collection, 0, &[0x75, 0x08, 0x95, 0x01, 0x81, 0x02])));
    out.push(("output-constant".into(), splice(base, first_main, 0, &[0x75, 0x08, 0x95, 0x01, 0x91, 0x01])));
    // Truncation at every item boundary and inside every multi-byte item.
    for cut in 1..base.len() {
        out.push((format!("truncate-{cut}"), base[..cut].to_vec()));
    }
    // Each item removed.
    for (i, &(s, e, _)) in it.iter().enumerate() {
        out.push((format!("remove-item-{i}"), splice(base, s, e - s, &[])));
    }
    out
}

/// One row of the checked-in table of kernel verdicts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KernelVerdict {
    pub key: String,
    pub source: String,
    /// `accepted`, `rejected`, `refused` (uhid would not take it); for descriptors with a report
    /// longer than uhid's 4095 bytes, what usbhid did over USB/IP: `usb-accepted`, `usb-rejected`
    /// (`uhid-too-long` when that was not observed: judged by usbhid's 16384-byte limit).
    pub verdict: String,
    /// The kernel's reason (its log line), or `-`.
    pub reason: String,
}

impl KernelVerdict {
    /// A real host (USB, usbhid) rejects this descriptor. For `uhid-too-long` (uhid's 4096-byte
    /// report limit stopped the parse) the USB verdict follows usbhid's limit: every report,
    /// with the byte hid-core reserves for a Report ID, under 16384 bytes; the report lengths are
    /// our layout's, which equals the kernel's for every descriptor it accepts.
    /// (`bytes` are the descriptor's.)
    pub fn rejects(&self, bytes: &[u8]) -> bool {
        match self.verdict.as_str() {
            "rejected" | "refused" | "usb-rejected" => true,
            "uhid-too-long" => longest_report_bits(bytes) > (16384 - 1) * 8,
            _ => false,
        }
    }
}

/// uhid's cap on a report (UHID_DATA_MAX), smaller than usbhid's 16384 bytes.
pub const UHID_MAX_REPORT_BYTES: u64 = 4096;

/// Whether uhid's smaller report limit decides this descriptor, so only USB can judge it: a report
/// over uhid's limit, and no other reason for Linux to refuse it (lint's other Linux errors).
pub fn needs_usb(bytes: &[u8]) -> bool {
    longest_report_bits(bytes) > (UHID_MAX_REPORT_BYTES - 1) * 8
        && lint(bytes).errors.iter().all(|c| c == "UD4159")
}

/// A device that carries `bytes` as the report descriptor of one HID interface, for confirming
/// the verdict over USB (USB/IP): `usbdesc serve` of this TOML. Codes that would stop the build are
/// listed in `allow` (the point is to show the kernel the bytes as they are).
pub fn usb_device_toml(bytes: &[u8]) -> String {
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ");
    let body = format!(
        "[device]\nvid = 0x1209\npid = 0x0001\nmanufacturer = \"usbdesc\"\nproduct = \"verdict\"\n\n\
         [[configuration]]\nmax_power_ma = 100\n\n[[configuration.interface]]\nclass = \"hid\"\n\n\
         [configuration.interface.hid]\nreport = {{ bytes = \"{hex}\" }}\n\n\
         [[configuration.interface.endpoint]]\ndirection = \"in\"\ntransfer = \"interrupt\"\n\
         max_packet_size = 64\ninterval_ms = 10\n"
    );
    let compiled = usbdesc_compiler::compile_str("verdict.toml", &body);
    let errors: BTreeSet<&str> = compiled.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.code).collect();
    let allow: Vec<String> = errors.iter().map(|c| format!("\"{c}\"")).collect();
    format!("allow = [{}]\n{body}", allow.join(", "))
}

/// The longest report in bits as hid-core sizes it (without the Report ID byte).
fn longest_report_bits(bytes: &[u8]) -> u64 {
    ReportDescriptor::decode(bytes)
        .map(|r| r.layout().reports.iter().map(|x| x.bits.saturating_sub(if x.id.is_some() { 8 } else { 0 })).max().unwrap_or(0))
        .unwrap_or(0)
}

/// The checked-in table: `tests/verdicts/hid.tsv`.
pub fn table_path() -> std::path::PathBuf {
    crate::repo_root().join("tests/verdicts/hid.tsv")
}

/// The table's kernel (its `# kernel:` line) and rows.
pub fn read_table(text: &str) -> (String, Vec<KernelVerdict>) {
    let mut kernel = String::new();
    let mut rows = Vec::new();
    for line in text.lines() {
        if let Some(k) = line.strip_prefix("# kernel: ") {
            kernel = k.trim().to_string();
            continue;
        }
        if line.starts_with('#') || line.starts_with("key\t") || line.trim().is_empty() {
            continue;
        }
        let mut c = line.splitn(4, '\t');
        let (Some(key), Some(source), Some(verdict)) = (c.next(), c.next(), c.next()) else { continue };
        rows.push(KernelVerdict {
            key: key.into(),
            source: source.into(),
            verdict: verdict.into(),
            reason: c.next().unwrap_or("-").into(),
        });
    }
    (kernel, rows)
}

/// The table as text.
pub fn write_table(kernel: &str, rows: &[KernelVerdict]) -> String {
    let mut s = format!(
        "# Linux's verdict on each HID differential-test input (tests/common/hid_verdicts.rs), fed through\n\
         # /dev/uhid (bus USB, hid-generic) by harness/hid_verdicts.py; regenerate: scripts/realhost.sh\n\
         # with REALHOST_UPDATE_VERDICTS=1.\n# kernel: {kernel}\nkey\tsource\tverdict\treason\n"
    );
    for r in rows {
        s.push_str(&format!("{}\t{}\t{}\t{}\n", r.key, r.source, r.verdict, r.reason.replace(['\t', '\n'], " ")));
    }
    s
}

/// Accepted disagreements: (input source, why lint and Linux differ on purpose).
pub const ALLOWED: &[(&str, &str)] = &[];

/// The rule of the differential test: lint gives an error exactly when Linux rejects the
/// descriptor, unless [`ALLOWED`] says why not. `Some(text)` describes a disagreement.
pub fn disagreement(input: &HidInput, kernel: &KernelVerdict) -> Option<String> {
    let lint = lint(&input.bytes);
    (lint.rejects() != kernel.rejects(&input.bytes) && allowed(&input.source).is_none()).then(|| {
        format!(
            "{}: Linux {} ({}), lint errors {:?}, warnings {:?}",
            input.source, kernel.verdict, kernel.reason, lint.errors, lint.warnings
        )
    })
}

/// The reason `source` is allowed to disagree, if it is.
pub fn allowed(source: &str) -> Option<&'static str> {
    ALLOWED.iter().find(|(s, _)| *s == source).map(|(_, why)| *why)
}

pub use usbdesc_compiler::hid::layout::KernelField;

/// Decoded, the descriptor's layout in the kernel's form.
pub fn kernel_form_layout(bytes: &[u8]) -> Option<Vec<KernelField>> {
    ReportDescriptor::decode(bytes).ok().map(|r| r.layout().kernel_fields())
}
