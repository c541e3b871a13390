//! HID report descriptors: item model, field form and item form, usage names (hut), encoder,
//! decoder, report layout and lints.
//!
//! Entry points used by the rest of the core (the device model, the TOML front end, the CLI, the
//! macros):
//! - [`ReportDescriptor::from_toml`]: parse the `report` table of a HID interface
//!   (`[configuration.interface.hid.report]`) or of a standalone report document (top-level `[report]`).
//! - [`ReportDescriptor::encode`]: the exact bytes (the one HID encoder, [`encode`]).
//! - [`ReportDescriptor::decode`]: bytes → descriptor. Never panics; errors name the byte offset. The
//!   decoded descriptor keeps its items with their byte ranges (so lints point at bytes);
//!   [`ReportDescriptor::field_form`] / [`ReportDescriptor::to_toml`] give the field form where it
//!   re-encodes exactly, otherwise the item form.
//! - [`ReportDescriptor::to_toml`]: a `toml::Table` that `from_toml` reads back to the same bytes.
//!
//! # TOML
//! A `report` table holds one of:
//! - `[[report.collection]]` (field form): `collection = "application"`, `usage_page`, `usage`, and
//!   `fields`, an array whose entries are nested collections (with `collection = ...`), fields
//!   (with `input`/`output`/`feature` = flags such as `["data", "variable", "absolute"]`) or items
//!   written as they are (`{ items = [...] }`, item-form entries: Push/Pop, globals left before an
//!   End Collection). A field has `report_id`, `usage_page`, `usage` (name, number or array),
//!   `usage_min`/`usage_max`, `logical = [min, max]`, `physical = [min, max]`, `unit` (name or
//!   number), `unit_exponent`, `bits`, `count`, `padding = N` (constant, N bits), optionally
//!   `emit = [...]` (exact item order; names in [`vocab`]: the field keys, the item names as
//!   aliases, `push`, `pop`) and `sizes = { usage_max = 2 }` (items not in their shortest form).
//!   Report ID, usage page, logical range, bits and count carry over from the previous field when
//!   omitted (they are HID global state); a data field without a physical range, unit or exponent
//!   takes its collection's, else none. A collection takes the same global keys, written before
//!   its Collection item (and in its `emit`), plus `sizes`. Extended usages are
//!   `{ page = "...", id = ... }`. The `report` table may set `order = [...]`, the item order of
//!   nodes without `emit` ([`vocab::order_from`]).
//! - `[[report.items]]` (item form): one item per entry, e.g. `{ usage_page = "Generic Desktop" }`,
//!   `{ logical_max = 255 }`, `{ input = ["constant"] }`, `{ end_collection = true }`, with optional
//!   `size` (0, 1, 2, 4) when not the shortest form, `{ long = TAG, data = "hex" }` and
//!   `{ reserved = PREFIX, data = N }`.
//! - `bytes = "05 01 ..."`: raw descriptor bytes.
//! - [`ReportDescriptor::check`]: lints (with an optional interrupt endpoint size for the size rule).
//! - [`ReportDescriptor::layout`]: each report's fields with bit offsets ([`layout`]).
//! - [`ReportDescriptor::dump`]: item-by-item text with names, and bit tables ([`dump`]).
//!
//! The field form ([`field::Node`], [`field::Collection`], [`field::Field`]) is plain data with
//! builders, so `#[hid_report]` can build it and call [`ReportDescriptor::from_fields`].

pub mod decode;
pub mod dump;
pub mod encode;
pub mod field;
pub mod item;
pub mod layout;
pub mod lint;
pub mod recover;
pub mod state;
#[cfg(feature = "device")]
pub mod toml;
pub mod unit;
pub mod usages;
pub mod values;
pub mod rust_source;
pub mod vocab;

use crate::diag::{Diagnostic, Diagnostics, Span};
pub use field::{Collection, Field, LocalUsage, Node, UsageRef};
pub use item::{CollectionKind, Item, MainFlags, ReportKind, Tag};
pub use layout::Layout;

/// An item with the place it came from: a byte range of a decoded blob, the TOML table that wrote
/// it, or the Rust tokens of a `#[hid_report]` field.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SpannedItem {
    pub item: Item,
    pub span: Option<Span>,
}

/// The two forms a descriptor is held in.
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// Collections containing fields; compiled to items with global-state tracking.
    Fields(Vec<Node>),
    /// One entry per item, exactly as written.
    Items(Vec<SpannedItem>),
}

/// A HID report descriptor: the form it is held in, and its items (the field form is compiled
/// once, when the descriptor is built; every accessor reads these).
#[derive(Clone, Debug, PartialEq)]
pub struct ReportDescriptor {
    body: Body,
    items: Vec<SpannedItem>,
    /// Field names given in the field form, by main item index (see [`field::Field::name`]).
    names: Vec<(usize, String)>,
    /// The report's default item order (TOML `order`), when not [`vocab::default_order`].
    order: Option<Vec<Tag>>,
}

/// The deepest collection nesting of `items` (unbalanced End Collections count as nothing).
fn max_collection_depth(items: &[SpannedItem]) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for s in items {
        match s.item.tag() {
            Some(item::Tag::Collection) => {
                depth += 1;
                max = max.max(depth);
            }
            Some(item::Tag::EndCollection) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Most items written in field or item form by `to_toml` (each takes several TOML keys); longer
/// descriptors are written as `bytes`.
#[cfg(feature = "emit")]
pub const MAX_STRUCTURED_ITEMS: usize = 8_000;

/// Longest report descriptor: the HID descriptor's wDescriptorLength is 16 bits.
pub const MAX_DESCRIPTOR_BYTES: usize = 65535;

/// What the HID lints may know about the interface the report is attached to.
#[derive(Clone, Copy, Debug, Default)]
pub struct AttachContext {
    /// wMaxPacketSize of the interrupt IN endpoint, if any.
    pub in_max_packet: Option<u16>,
    /// wMaxPacketSize of the interrupt OUT endpoint, if any.
    pub out_max_packet: Option<u16>,
    /// Span of the interrupt IN endpoint's declaration, for labels on Input reports.
    pub in_endpoint_span: Option<crate::diag::Span>,
    /// Span of the interrupt OUT endpoint's declaration, for labels on Output reports.
    pub out_endpoint_span: Option<crate::diag::Span>,
    /// The largest interrupt packet the device's speed allows (64 at full speed, 1024 at high
    /// speed), so that a help never suggests more; `None` when unknown.
    pub speed_max_packet: Option<u16>,
}

impl ReportDescriptor {
    /// From field-form nodes (the `#[hid_report]` path). Compile problems (e.g. an inconsistent
    /// `emit` list) go to `d`; a caller that sees new errors there should not lint the result
    /// (the lints would restate them), as [`Self::from_toml`] does by returning `None`.
    pub fn from_fields(nodes: Vec<Node>, d: &mut Diagnostics) -> ReportDescriptor {
        Self::from_fields_in_order(nodes, None, d)
    }

    /// [`Self::from_fields`] where nodes without `emit` write their items in `order`
    /// ([`vocab::order_from`]; `None`: [`vocab::default_order`]).
    pub fn from_fields_in_order(nodes: Vec<Node>, order: Option<Vec<Tag>>, d: &mut Diagnostics) -> ReportDescriptor {
        let (items, names) = field::compile(&nodes, order.as_deref(), d);
        ReportDescriptor { body: Body::Fields(nodes), items, names, order }
    }

    /// From items (spans optional).
    pub fn from_items(items: Vec<Item>) -> ReportDescriptor {
        Self::from_spanned_items(items.into_iter().map(|item| SpannedItem { item, span: None }).collect())
    }

    fn from_spanned_items(items: Vec<SpannedItem>) -> ReportDescriptor {
        ReportDescriptor { body: Body::Items(items.clone()), items, names: Vec::new(), order: None }
    }

    /// The form it is held in.
    pub fn body(&self) -> &Body {
        &self.body
    }

    /// Parse a `report` table: field form (`[[report.collection]]`), item form (`[[report.items]]`)
    /// or raw `bytes`.
    ///
    /// `None` when reading or compiling it reported an error: the items would be missing or
    /// guessed (an unknown usage page leaves page 0, a bad `emit` list drops a usage), so the lints
    /// would only repeat the error in other words (UD4135, UD4133, ...). Callers lint what this
    /// returns.
    #[cfg(feature = "device")]
    pub fn from_toml(t: &crate::tomlr::Table<'_, '_>, d: &mut Diagnostics) -> Option<ReportDescriptor> {
        let errors_before = d.error_count();
        let r = match toml::read_report(t, d)? {
            toml::Parsed::Fields(nodes, order) => Self::from_fields_in_order(nodes, order, d),
            toml::Parsed::Items(items) => Self::from_spanned_items(items),
            toml::Parsed::Bytes(bytes, places) if bytes.len() > MAX_DESCRIPTOR_BYTES => {
                // Refused before decoding: no host takes it, and its items would cost memory.
                let span = match (places.first(), places.last()) {
                    (Some(a), Some(b)) => Some(Span::new(a.start, b.end)),
                    _ => None,
                };
                d.push(
                    Diagnostic::error(
                        crate::codes::LENGTH_OVERFLOW,
                        format!("the HID report descriptor is {} bytes long; its length field holds at most {MAX_DESCRIPTOR_BYTES}", bytes.len()),
                    )
                    .at(span)
                    .help("a HID descriptor gives the report descriptor's length in 16 bits (wDescriptorLength): split it over interfaces"),
                );
                return None;
            }
            toml::Parsed::Bytes(bytes, places) => {
                // A byte range of the descriptor → the hex pairs (or array elements) that wrote it.
                let at = |r: Span| match (places.get(r.start), places.get(r.end.max(r.start + 1) - 1)) {
                    (Some(a), Some(b)) => Some(Span::new(a.start, b.end.max(a.start))),
                    _ => places.last().copied(),
                };
                match decode::decode_items(&bytes) {
                    Ok(items) => Self::from_spanned_items(items.into_iter().map(|x| SpannedItem { item: x.item, span: at(x.span) }).collect()),
                    Err(e) => {
                        let span = e.span.and_then(at);
                        d.push(e.at(span));
                        return None;
                    }
                }
            }
        };
        (d.error_count() == errors_before).then_some(r)
    }

    /// Decode bytes: field form where it re-encodes exactly, otherwise item form. Spans are byte
    /// ranges into `bytes`.
    pub fn decode(bytes: &[u8]) -> Result<ReportDescriptor, Diagnostic> {
        let items = decode::decode_items(bytes)?;
        Ok(Self::from_spanned_items(items.into_iter().map(|x| SpannedItem { item: x.item, span: Some(x.span) }).collect()))
    }

    /// The items (the field form as compiled when the descriptor was built; its compile problems
    /// went to the constructor's diagnostics).
    pub fn items(&self) -> &[SpannedItem] {
        &self.items
    }

    fn plain_items(&self) -> Vec<Item> {
        self.items.iter().map(|s| s.item.clone()).collect()
    }

    /// The exact bytes.
    pub fn encode(&self) -> Vec<u8> {
        encode::encode_items(self.items.iter().map(|s| &s.item))
    }

    /// The field form, if these items have one that re-encodes to exactly the same items.
    pub fn field_form(&self) -> Option<Vec<Node>> {
        self.field_form_or_reason().ok()
    }

    /// The field form, or why these items stay in item form.
    pub fn field_form_or_reason(&self) -> Result<Vec<Node>, recover::Reason> {
        match &self.body {
            Body::Fields(nodes) => Ok(nodes.clone()),
            Body::Items(items) => {
                // The field form is a tree walked recursively; deeper nesting stays in item form.
                if max_collection_depth(items) > field::MAX_DEPTH {
                    return Err(format!("collections nested more than {} deep", field::MAX_DEPTH));
                }
                let nodes = recover::recover(&self.plain_items())?;
                let mut d = Diagnostics::new();
                let candidate = ReportDescriptor::from_fields(nodes, &mut d);
                if let Some(e) = d.iter().find(|x| x.is_error()) {
                    return Err(format!("the field form does not compile: {} {}", e.code, e.message));
                }
                if !candidate.items.iter().map(|s| &s.item).eq(items.iter().map(|s| &s.item)) {
                    let at = candidate.items.iter().zip(items.iter()).position(|(a, b)| a.item != b.item).unwrap_or(items.len().min(candidate.items.len()));
                    return Err(format!("the field form compiles to other items (from item {at})"));
                }
                // The field form is linted strictly when it is read back (a value that does not
                // fit its Report Size is an error there, a warning in the item form): writers list
                // those codes in `allow` ([`Self::written_form_errors`]).
                match candidate.body {
                    Body::Fields(nodes) => Ok(nodes),
                    Body::Items(_) => Err("the field form compiled to the item form".into()),
                }
            }
        }
    }

    /// The field form [`Self::to_toml`] writes, with the report's default order: for decoded
    /// items the order that leaves the fewest `emit` lists ([`recover::recover_in_order`]).
    #[cfg(feature = "emit")]
    fn written_field_form(&self) -> Option<(Vec<Node>, Option<Vec<Tag>>)> {
        match &self.body {
            Body::Fields(nodes) => Some((nodes.clone(), self.order.clone())),
            Body::Items(items) => {
                // Only where the field form exists (checked there), and again for this order.
                self.field_form()?;
                let (nodes, order) = recover::recover_in_order(&self.plain_items()).ok()?;
                let mut d = Diagnostics::new();
                let candidate = ReportDescriptor::from_fields_in_order(nodes, order.clone(), &mut d);
                let same = candidate.items.iter().map(|s| &s.item).eq(items.iter().map(|s| &s.item));
                match candidate.body {
                    Body::Fields(nodes) if same && !d.has_errors() => Some((nodes, order)),
                    _ => self.field_form().map(|n| (n, None)),
                }
            }
        }
    }

    /// The lint errors of this descriptor as [`Self::to_toml`] writes it, read back: a decoded
    /// descriptor written in the field form is linted strictly there (UD4121, UD4123, UD4125 are
    /// errors). Writers list them in `allow` so the file builds the bytes it came from.
    pub fn written_form_errors(&self) -> Vec<&'static str> {
        let mut d = Diagnostics::new();
        match (&self.body, self.field_form()) {
            (Body::Items(_), Some(nodes)) => ReportDescriptor::from_fields(nodes, &mut d).check(&AttachContext::default(), &mut d),
            _ => self.check(&AttachContext::default(), &mut d),
        }
        d.error_codes()
    }

    /// A `report` table: field form where it re-encodes byte-exactly, item form otherwise.
    #[cfg(feature = "emit")]
    /// Descriptors of more than [`MAX_STRUCTURED_ITEMS`] items are written as `bytes` (a hex
    /// string), which the TOML reader's node budget (`tomlr::budget`) always admits.
    pub fn to_toml(&self) -> ::toml::Table {
        if self.items.len() > MAX_STRUCTURED_ITEMS {
            let mut t = ::toml::Table::new();
            t.insert("bytes".into(), ::toml::Value::String(crate::spec::hex_lines(&self.encode())));
            return t;
        }
        match self.written_field_form() {
            Some((nodes, order)) => toml::write_fields(&nodes, order.as_deref()),
            None => toml::write_items(&self.plain_items()),
        }
    }

    /// The item form as a `report` table (always exact).
    #[cfg(feature = "emit")]
    pub fn to_toml_items(&self) -> ::toml::Table {
        toml::write_items(&self.plain_items())
    }

    /// The descriptor as `--emit json` gives it: its bytes (hex), length and layout.
    #[cfg(feature = "emit")]
    pub fn to_json(&self) -> serde_json::Value {
        let bytes = self.encode();
        serde_json::json!({
            "length": bytes.len(),
            "bytes": crate::spec::hex(&bytes),
            "layout": serde_json::to_value(self.layout()).unwrap_or(serde_json::Value::Null),
        })
    }

    /// The report layout (bit offsets per report type and ID), computed like Linux hid-core.
    pub fn layout(&self) -> Layout {
        let mut l = layout::compute(&self.items);
        if !self.names.is_empty() {
            // One map, not a scan of the names per field (quadratic in fields).
            let names: std::collections::HashMap<usize, &String> = self.names.iter().map(|(i, n)| (*i, n)).collect();
            for f in l.reports.iter_mut().flat_map(|r| r.fields.iter_mut()) {
                f.name = names.get(&f.item_index).map(|n| n.to_string());
            }
        }
        l
    }

    /// Run every lint. In the field form (what users author) values not representable in their
    /// Report Size and zero-size data items are errors; in the item form and in decoded descriptors
    /// (which must reproduce shipping devices exactly) they are warnings.
    pub fn check(&self, ctx: &AttachContext, d: &mut Diagnostics) {
        // Field-form compile problems were reported by from_toml/from_fields; not repeated here.
        lint::check(&self.items, ctx, matches!(self.body, Body::Fields(_)), d);
    }

    /// Item-by-item text dump with names and collection indentation.
    pub fn dump_items(&self) -> String {
        dump::items(&self.items)
    }

    /// Bit-layout tables, one per report.
    pub fn dump_layout(&self) -> String {
        dump::layout(&self.layout())
    }
}
