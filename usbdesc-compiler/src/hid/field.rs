//! The field form: collections containing fields. Compiled to items while tracking the global state,
//! so a global item is written only when its value changes (unless a field's `emit` list asks for an
//! exact item sequence, which is how decoded descriptors keep their byte-exact layout).
//!
//! Every struct has pub fields and an `Option<Span>` so the TOML reader and the `#[hid_report]`
//! macro can build it directly and get diagnostics on the right place.

use super::item::{CollectionKind, Item, MainFlags, ReportKind, Tag};
use super::state::Walker;
use super::SpannedItem;
use crate::diag::{Diagnostic, Diagnostics, Span};

pub const EMIT_MISSING_VALUE: &str = "UD4020";
pub const EMIT_MISSING_ITEM: &str = "UD4021";
pub const EMIT_USAGE_MISMATCH: &str = "UD4022";
pub const EMIT_BAD_TAG: &str = "UD4023";

/// Explicit item data sizes (0, 1, 2 or 4 bytes) by tag, for items that are not in the shortest
/// form (`26 ff 00` vs `27 ff 00 00 00`). One size per tag and node.
pub type Sizes = Vec<(Tag, u8)>;

/// The size asked for `t` in `sizes`, if any.
pub fn size_of(sizes: &[(Tag, u8)], t: Tag) -> Option<u8> {
    sizes.iter().find(|(k, _)| *k == t).map(|(_, s)| *s)
}

/// Whether `value` can be written in `size` data bytes: as a signed or an unsigned number (so a
/// Logical Maximum of 255 fits in one byte, as `25 ff`, which Linux reads as 255 after a
/// non-negative minimum). A 4-byte usage is an extended usage, so usages take 0, 1 or 2 bytes.
pub fn fits(t: Tag, value: i64, size: u8) -> bool {
    match size {
        0 => value == 0,
        4 => !t.is_usage() && (i32::MIN as i64..=u32::MAX as i64).contains(&value),
        1 | 2 => {
            let bits = 8 * size as u32;
            (-(1i64 << (bits - 1))..(1i64 << bits)).contains(&value)
        }
        _ => false,
    }
}

/// The item for `t` = `value`: in the size `sizes` asks for, else the canonical one.
pub fn sized_item(t: Tag, value: i64, sizes: &[(Tag, u8)]) -> Item {
    match size_of(sizes, t) {
        Some(size) => Item::with_size(t, size, value as u32),
        None => Item::canonical(t, value),
    }
}

/// A usage as written in a local item: a 16-bit ID on the current Usage Page (1 or 2 bytes), or an
/// extended 32-bit usage (page << 16 | id, always 4 bytes, §6.2.2.8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum UsageRef {
    Id(u16),
    Extended(u32),
}

impl UsageRef {
    /// Full 32-bit usage given the Usage Page in effect.
    pub fn full(self, page: u16) -> u32 {
        match self {
            UsageRef::Id(id) => ((page as u32) << 16) | id as u32,
            UsageRef::Extended(u) => u,
        }
    }
    fn item(self, tag: Tag, sizes: &[(Tag, u8)]) -> Item {
        match self {
            UsageRef::Id(id) => sized_item(tag, id as i64, sizes),
            UsageRef::Extended(u) => Item::Short { tag, size: 4, data: u },
        }
    }
    pub(crate) fn from_item(item: &Item) -> Option<UsageRef> {
        match item {
            Item::Short { size: 4, data, .. } => Some(UsageRef::Extended(*data)),
            Item::Short { data, .. } if *data <= 0xFFFF => Some(UsageRef::Id(*data as u16)),
            _ => None,
        }
    }
}

/// A local usage item of a field, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum LocalUsage {
    Usage(UsageRef),
    Min(UsageRef),
    Max(UsageRef),
}

impl LocalUsage {
    pub fn tag(self) -> Tag {
        match self {
            LocalUsage::Usage(_) => Tag::Usage,
            LocalUsage::Min(_) => Tag::UsageMinimum,
            LocalUsage::Max(_) => Tag::UsageMaximum,
        }
    }
    pub fn usage(self) -> UsageRef {
        match self {
            LocalUsage::Usage(u) | LocalUsage::Min(u) | LocalUsage::Max(u) => u,
        }
    }
    fn item(self, sizes: &[(Tag, u8)]) -> Item {
        self.usage().item(self.tag(), sizes)
    }
}

/// A data main item (Input, Output or Feature) with the global and local state it needs.
///
/// For the report ID, usage page, logical range, bits and count, `None` means "whatever is in
/// effect" (nothing is written for it; these are global state shared by consecutive fields). For the
/// physical range, unit and unit exponent of a data field, `None` means none (0): the compiler
/// resets them when an earlier field set them; for padding ([`Field::is_padding`]) it means
/// "whatever is in effect", like the others.
#[derive(Clone, Debug, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Field {
    pub kind: Option<ReportKind>,
    pub flags: MainFlags,
    pub usage_page: Option<u16>,
    pub usages: Vec<LocalUsage>,
    /// The global items the field sets (Report ID, ranges, unit, Report Size and Count).
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub globals: Globals,
    /// Exact item order before the main item (tags: globals and `usage`/`usage_min`/`usage_max`,
    /// which take the next entry of `usages`); each listed item is written even if redundant.
    /// Names: [`super::vocab`].
    pub emit: Option<Vec<Tag>>,
    /// Explicit data sizes (bytes) of the items this field writes, by tag (the main item's tag
    /// included); items of other tags take the shortest size that keeps their value.
    pub sizes: Sizes,
    /// The whole field (TOML table, Rust field).
    pub span: Option<Span>,
    /// The name of the field in generated report structs (`name = "modifiers"`); metadata only,
    /// it writes no item. Without it the name is derived from the usages.
    pub name: Option<String>,
    /// Where `name` was written (for diagnostics about the name).
    pub name_span: Option<Span>,
    /// Finer places: the span that gave the item with this tag (e.g. `LogicalMaximum` → the
    /// `logical = [..]` value, `Input` → the `input = [..]` flags). Items without an entry use `span`.
    pub key_spans: Vec<(Tag, Span)>,
}

impl Field {
    /// A new field of the given kind with flags (e.g. `MainFlags(MainFlags::VARIABLE)`).
    pub fn new(kind: ReportKind, flags: u32) -> Field {
        Field { kind: Some(kind), flags: MainFlags(flags), ..Default::default() }
    }
    /// Constant padding of `bits` bits (Report Size `bits`, Report Count 1).
    pub fn padding(kind: ReportKind, bits: u32) -> Field {
        let mut f = Field::new(kind, MainFlags::CONSTANT);
        (f.globals.bits, f.globals.count) = (Some(bits), Some(1));
        f
    }
    pub fn usage_page(mut self, page: u16) -> Self {
        self.usage_page = Some(page);
        self
    }
    pub fn usage(mut self, id: u16) -> Self {
        self.usages.push(LocalUsage::Usage(UsageRef::Id(id)));
        self
    }
    pub fn usage_range(mut self, min: u16, max: u16) -> Self {
        self.usages.push(LocalUsage::Min(UsageRef::Id(min)));
        self.usages.push(LocalUsage::Max(UsageRef::Id(max)));
        self
    }
    pub fn logical(mut self, min: i64, max: i64) -> Self {
        self.globals.logical_min = Some(min);
        self.globals.logical_max = Some(max);
        self
    }
    pub fn physical(mut self, min: i64, max: i64) -> Self {
        self.globals.physical_min = Some(min);
        self.globals.physical_max = Some(max);
        self
    }
    pub fn unit(mut self, unit: u32, exponent: i8) -> Self {
        self.globals.unit = Some(unit);
        self.globals.unit_exponent = Some(exponent);
        self
    }
    pub fn bits(mut self, bits: u32) -> Self {
        self.globals.bits = Some(bits);
        self
    }
    pub fn count(mut self, count: u32) -> Self {
        self.globals.count = Some(count);
        self
    }
    pub fn report_id(mut self, id: u32) -> Self {
        self.globals.report_id = Some(id);
        self
    }
    pub fn emit(mut self, tags: &[Tag]) -> Self {
        self.emit = Some(tags.to_vec());
        self
    }
    pub fn at(mut self, span: Option<Span>) -> Self {
        self.span = span;
        self
    }

    /// Constant and without usages: padding, whose bits no host reads.
    pub fn is_padding(&self) -> bool {
        self.flags.is_constant() && self.usages.is_empty()
    }

    /// This field with the globals of `g`.
    pub fn with_globals(mut self, g: Globals) -> Self {
        self.globals = g;
        self
    }

    /// The global values this field wants, in default emission order. `scope` gives the value a
    /// data field takes for a scaling global ([`SCALING`]) it does not set: the enclosing
    /// collections' (see [`Collection::globals`]), else 0.
    fn globals(&self, scope: &Scope) -> Vec<(Tag, i64)> {
        // No physical range / unit means the scope's (none, 0, outside a collection that sets
        // one), not "whatever is in effect": a range or unit left over from an earlier field must
        // not leak into this one. Padding has no value to scale, so there it means "whatever is
        // in effect" (only Report Size/Count matter) and the next data field resets what it needs.
        let padding = self.is_padding();
        self.globals.list(self.usage_page, |t, x| if padding || !SCALING.contains(&t) { x } else { Some(x.unwrap_or(scope.get(t))) })
    }
}

/// The global items a field or a collection sets (`None`: not set by it).
#[derive(Clone, Debug, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Globals {
    pub report_id: Option<u32>,
    pub logical_min: Option<i64>,
    pub logical_max: Option<i64>,
    pub physical_min: Option<i64>,
    pub physical_max: Option<i64>,
    /// -8..=7, written as the 4-bit two's-complement nibble (§6.2.2.7).
    pub unit_exponent: Option<i8>,
    pub unit: Option<u32>,
    /// Report Size.
    pub bits: Option<u32>,
    /// Report Count.
    pub count: Option<u32>,
}

impl Globals {
    /// The item value this sets for global `t` (the exponent as its nibble), if any.
    pub fn get(&self, t: Tag) -> Option<i64> {
        match t {
            Tag::ReportId => self.report_id.map(i64::from),
            Tag::LogicalMinimum => self.logical_min,
            Tag::LogicalMaximum => self.logical_max,
            Tag::PhysicalMinimum => self.physical_min,
            Tag::PhysicalMaximum => self.physical_max,
            Tag::UnitExponent => self.unit_exponent.map(|e| (e as i64) & 0xF),
            Tag::Unit => self.unit.map(i64::from),
            Tag::ReportSize => self.bits.map(i64::from),
            Tag::ReportCount => self.count.map(i64::from),
            _ => None,
        }
    }

    /// (tag, item value) in default emission order, each passed through `fill(tag, value)`
    /// (which may supply a default for a missing one).
    fn list(&self, usage_page: Option<u16>, fill: impl Fn(Tag, Option<i64>) -> Option<i64>) -> Vec<(Tag, i64)> {
        super::vocab::default_order()
            .into_iter()
            .filter(|t| !t.is_usage())
            .map(|t| (t, if t == Tag::UsagePage { usage_page.map(i64::from) } else { self.get(t) }))
            .filter_map(|(t, v)| fill(t, v).map(|v| (t, v)))
            .collect()
    }
}

/// Globals that scale a value (physical range, unit, unit exponent). A data field that does not
/// set one takes its enclosing collections' value, else none (0); see [`Collection::globals`].
pub const SCALING: [Tag; 4] = [Tag::PhysicalMinimum, Tag::PhysicalMaximum, Tag::UnitExponent, Tag::Unit];

/// The scaling values in force inside the collections being compiled (item values; 0 outside).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Scope([i64; 4]);

impl Scope {
    pub fn get(&self, t: Tag) -> i64 {
        SCALING.iter().position(|s| *s == t).map(|i| self.0[i]).unwrap_or(0)
    }
    /// The scope inside a collection that sets `g`.
    pub fn inside(mut self, g: &Globals) -> Scope {
        for (t, v) in g.list(None, |_, v| v) {
            if let Some(i) = SCALING.iter().position(|s| *s == t) {
                self.0[i] = v;
            }
        }
        self
    }
}

/// A collection with its usage and contents.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Collection {
    pub kind: CollectionKind,
    pub usage_page: Option<u16>,
    /// Usage items written before the Collection item (usually one).
    pub usages: Vec<UsageRef>,
    /// Global items written before the Collection item (when not already in effect). Report ID,
    /// logical range, Report Size and Count then carry on into the fields inside, as HID global
    /// state; the physical range, unit and unit exponent are also the values of every data field
    /// inside that does not set its own (the field form's scope for them).
    pub globals: Globals,
    /// Exact item order before the Collection item (globals and `usage`).
    pub emit: Option<Vec<Tag>>,
    /// As [`Field::sizes`] (the Collection item's tag included).
    pub sizes: Sizes,
    pub children: Vec<Node>,
    pub span: Option<Span>,
    /// As [`Field::key_spans`].
    pub key_spans: Vec<(Tag, Span)>,
}

impl Collection {
    pub fn new(kind: CollectionKind) -> Collection {
        Collection {
            kind,
            usage_page: None,
            usages: Vec::new(),
            globals: Globals::default(),
            emit: None,
            sizes: Vec::new(),
            children: Vec::new(),
            span: None,
            key_spans: Vec::new(),
        }
    }
    pub fn application(page: u16, usage: u16) -> Collection {
        Collection::new(CollectionKind::Application).usage(page, usage)
    }
    pub fn usage(mut self, page: u16, id: u16) -> Self {
        self.usage_page = Some(page);
        self.usages.push(UsageRef::Id(id));
        self
    }
    pub fn field(mut self, f: Field) -> Self {
        self.children.push(Node::Field(f));
        self
    }
    pub fn collection(mut self, c: Collection) -> Self {
        self.children.push(Node::Collection(c));
        self
    }
    pub fn at(mut self, span: Option<Span>) -> Self {
        self.span = span;
        self
    }
}

/// A node of the field form.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Node {
    Collection(Collection),
    Field(Field),
    /// Items written as they are, between the nodes around them: what the field form does not
    /// say by itself (Push and Pop, a global set and overwritten before it is used, globals left
    /// before an End Collection). TOML: a `fields` entry `{ items = [...] }` of item-form entries.
    Items(Vec<SpannedItem>),
}

/// Tags allowed in a field's `emit` list (the names: [`super::vocab`]).
pub const FIELD_EMIT_TAGS: &[Tag] = super::vocab::PREFIX_TAGS;

/// Tags allowed in a collection's `emit` list: its globals, `usage`, Push and Pop.
pub fn collection_emit_tags() -> Vec<Tag> {
    FIELD_EMIT_TAGS.iter().copied().filter(|t| !matches!(t, Tag::UsageMinimum | Tag::UsageMaximum)).collect()
}

/// An explicit item size that cannot hold the value (or is not 0, 1, 2 or 4).
pub const SIZE_TOO_SMALL: &str = "UD4028";

/// What one field or collection writes before its main item.
struct Prefix<'a> {
    wanted: &'a [(Tag, i64)],
    usages: &'a [LocalUsage],
    emit: &'a Option<Vec<Tag>>,
    sizes: &'a [(Tag, u8)],
    allowed: &'a [Tag],
    span: Option<Span>,
    key_spans: &'a [(Tag, Span)],
    what: &'a str,
}

impl Prefix<'_> {
    fn at(&self, t: Tag) -> Option<Span> {
        self.key_spans.iter().find(|(k, _)| *k == t).map(|(_, s)| *s).or(self.span)
    }
}

/// Compiles field-form nodes to items, tracking global state by walking what it writes.
#[derive(Clone)]
pub struct Compiler {
    state: Walker,
    /// The order of the items before a main item when its node has no `emit`
    /// ([`super::vocab::default_order`] unless the report sets one).
    order: Vec<Tag>,
    /// The scaling values of the collections being compiled.
    scope: Scope,
    pub items: Vec<SpannedItem>,
    /// `(index of the main item, name)` of every named field.
    pub names: Vec<(usize, String)>,
}

impl Default for Compiler {
    fn default() -> Self {
        Self::in_order(super::vocab::default_order())
    }
}

impl Compiler {
    pub fn new() -> Self {
        Self::default()
    }

    /// A compiler whose nodes without `emit` write their items in `order` (see
    /// [`super::vocab::order_from`]).
    pub fn in_order(order: Vec<Tag>) -> Self {
        Compiler { state: Walker::default(), order, scope: Scope::default(), items: Vec::new(), names: Vec::new() }
    }

    /// Current value of a global as the field form states it: the physical range and unit start
    /// at 0 (hosts zero-initialise); a Logical/Physical Maximum reads unsigned after a
    /// non-negative minimum, as Linux reads it (so `25 ff` there is 255).
    fn current(&self, t: Tag) -> Option<i64> {
        let g = &self.state.globals;
        match g.get(t) {
            None => SCALING.contains(&t).then_some(0),
            Some(_) => match t {
                Tag::LogicalMaximum => Some(g.logical_max()),
                Tag::PhysicalMaximum => Some(g.physical_max()),
                // Linux reads a whole-byte exponent (`55 fd`) as the nibble's (-3).
                Tag::UnitExponent => Some(match g.unit_exponent() {
                    e @ -8..=7 => e & 0xF,
                    e => e,
                }),
                _ => g.value(t),
            },
        }
    }

    fn push(&mut self, item: Item, span: Option<Span>) {
        self.state.step(self.items.len(), &item);
        self.items.push(SpannedItem { item, span });
    }

    /// Push `t` = `v` in its size, checking that an explicit size holds the value.
    fn push_sized(&mut self, t: Tag, v: i64, sizes: &[(Tag, u8)], span: Option<Span>, d: &mut Diagnostics) {
        if let Some(size) = size_of(sizes, t) {
            if !fits(t, v, size) {
                d.push(
                    Diagnostic::error(SIZE_TOO_SMALL, format!("{} = {v} does not fit in {size} data byte(s)", t.spec_name()))
                        .at(span)
                        .help(if t.is_usage() && size == 4 {
                            "a 4-byte usage is an extended usage: write it as { page = ..., id = ... }".to_string()
                        } else {
                            format!("use a larger size in `sizes`, or drop `{}` from `sizes` for the shortest form", super::vocab::prefix_name(t))
                        }),
                );
            }
        }
        self.push(sized_item(t, v, sizes), span);
    }

    pub fn nodes(&mut self, nodes: &[Node], d: &mut Diagnostics) {
        for n in nodes {
            match n {
                Node::Field(f) => self.field(f, d),
                Node::Collection(c) => self.collection(c, d),
                Node::Items(items) => self.items(items),
            }
        }
    }

    /// Write the prefix items (globals from `wanted`, usages in order) then check the state.
    fn prefix(&mut self, p: &Prefix<'_>, d: &mut Diagnostics) {
        let what = p.what;
        match p.emit {
            None => {
                // The usages go together, where the order first names one of them.
                let mut wrote_usages = false;
                for i in 0..self.order.len() {
                    let t = self.order[i];
                    if t.is_usage() {
                        if !wrote_usages {
                            for u in p.usages {
                                self.push(u.item(p.sizes), p.at(u.tag()));
                            }
                            wrote_usages = true;
                        }
                    } else if let Some(&(_, v)) = p.wanted.iter().find(|(w, _)| *w == t) {
                        if self.current(t) != Some(v) {
                            self.push_sized(t, v, p.sizes, p.at(t), d);
                        }
                    }
                }
                if !wrote_usages {
                    for u in p.usages {
                        self.push(u.item(p.sizes), p.at(u.tag()));
                    }
                }
            }
            Some(list) => {
                let mut next_usage = p.usages.iter();
                let mut usage_mismatch = false;
                for &t in list {
                    if !p.allowed.contains(&t) {
                        d.push(
                            Diagnostic::error(
                                EMIT_BAD_TAG,
                                format!("`{}` cannot appear in the emit list of a {what}", super::vocab::prefix_name(t)),
                            )
                            .at(p.span)
                            .help(format!(
                                "allowed here: {}",
                                p.allowed.iter().map(|t| super::vocab::prefix_name(*t)).collect::<Vec<_>>().join(", ")
                            )),
                        );
                        continue;
                    }
                    if t == Tag::Push || t == Tag::Pop {
                        self.push_sized(t, 0, p.sizes, p.at(t), d);
                        continue;
                    }
                    if t.is_usage() {
                        match next_usage.next() {
                            Some(u) if u.tag() == t => self.push(u.item(p.sizes), p.at(t)),
                            other => {
                                usage_mismatch = true;
                                d.push(
                                    Diagnostic::error(
                                        EMIT_USAGE_MISMATCH,
                                        format!(
                                            "the emit list of this {what} asks for `{}` but the next usage item is {}",
                                            t.key(),
                                            other.map(|u| format!("`{}`", u.tag().key())).unwrap_or_else(|| "missing".into())
                                        ),
                                    )
                                    .at(p.span)
                                    .help("list usage items in the emit list in the same order as the usages"),
                                );
                            }
                        }
                        continue;
                    }
                    match p.wanted.iter().find(|(w, _)| *w == t) {
                        Some(&(_, v)) => self.push_sized(t, v, p.sizes, p.at(t), d),
                        None => {
                            let name = super::vocab::prefix_name(t);
                            d.push(
                                Diagnostic::error(
                                    EMIT_MISSING_VALUE,
                                    format!("the emit list of this {what} writes `{name}` but the {what} gives it no value"),
                                )
                                .at(p.span)
                                .help(format!("set `{name}` on the {what} or remove it from `emit`")),
                            )
                        }
                    }
                }
                // After a mismatch the usages are out of step: counting the rest would restate it.
                let rest: Vec<_> = next_usage.collect();
                if !rest.is_empty() && !usage_mismatch {
                    d.push(
                        Diagnostic::error(
                            EMIT_USAGE_MISMATCH,
                            format!("{} usage item(s) of this {what} are not in its emit list", rest.len()),
                        )
                        .at(p.span)
                        .help("add `usage`/`usage_min`/`usage_max` entries to `emit` for every usage"),
                    );
                }
                for &(t, v) in p.wanted {
                    if self.current(t) != Some(v) {
                        let name = super::vocab::prefix_name(t);
                        d.push(
                            Diagnostic::error(EMIT_MISSING_ITEM, format!("this {what} needs `{name}` = {v} but its emit list does not write it"))
                                .at(p.span)
                                .help(format!("add \"{name}\" to `emit`, or drop `emit` to let the compiler choose")),
                        );
                    }
                }
            }
        }
    }

    pub fn field(&mut self, f: &Field, d: &mut Diagnostics) {
        empty_ranges(&f.globals, f.span, &f.key_spans, d);
        let wanted = f.globals(&self.scope);
        let p = Prefix {
            wanted: &wanted,
            usages: &f.usages,
            emit: &f.emit,
            sizes: &f.sizes,
            allowed: FIELD_EMIT_TAGS,
            span: f.span,
            key_spans: &f.key_spans,
            what: "field",
        };
        self.prefix(&p, d);
        let kind = f.kind.unwrap_or(ReportKind::Input);
        let at = p.at(kind.tag());
        self.push_sized(kind.tag(), f.flags.0 as i64, &f.sizes, at, d);
        if let Some(n) = &f.name {
            self.names.push((self.items.len() - 1, n.clone()));
        }
    }

    /// Items written as they are.
    pub fn items(&mut self, items: &[SpannedItem]) {
        for s in items {
            self.push(s.item.clone(), s.span);
        }
    }

    /// A compiler in the same state with no items yet (to try another form of the next node).
    pub(crate) fn fork(&self) -> Compiler {
        Compiler { state: self.state.clone(), order: self.order.clone(), scope: self.scope, items: Vec::new(), names: Vec::new() }
    }

    /// The Collection item and everything before it (not the contents).
    pub(crate) fn collection_head(&mut self, c: &Collection, d: &mut Diagnostics) {
        empty_ranges(&c.globals, c.span, &c.key_spans, d);
        let wanted = c.globals.list(c.usage_page, |_, v| v);
        let usages: Vec<LocalUsage> = c.usages.iter().map(|u| LocalUsage::Usage(*u)).collect();
        let allowed = collection_emit_tags();
        let p = Prefix {
            wanted: &wanted,
            usages: &usages,
            emit: &c.emit,
            sizes: &c.sizes,
            allowed: &allowed,
            span: c.span,
            key_spans: &c.key_spans,
            what: "collection",
        };
        self.prefix(&p, d);
        self.push_sized(Tag::Collection, c.kind.to_u8() as i64, &c.sizes, p.at(Tag::Collection), d);
    }

    pub fn collection(&mut self, c: &Collection, d: &mut Diagnostics) {
        self.collection_head(c, d);
        let outer = self.enter(c);
        self.nodes(&c.children, d);
        self.leave(c, outer, d);
    }

    /// Enter the contents of `c` (after its head); gives the scope to restore on leaving.
    pub(crate) fn enter(&mut self, c: &Collection) -> Scope {
        let outer = self.scope;
        self.scope = outer.inside(&c.globals);
        outer
    }

    /// The End Collection item of `c`.
    pub(crate) fn leave(&mut self, c: &Collection, outer: Scope, d: &mut Diagnostics) {
        self.scope = outer;
        self.push_sized(Tag::EndCollection, 0, &c.sizes, c.span, d);
    }
}

/// A range written with its minimum above its maximum is empty in the field form, whatever its
/// bytes would be: `[129, 3]` (Linux rejects the descriptor: its logical range is invalid) and
/// `[0, -1]` alike (written `25 ff`, which Linux reads as 0..255, not what was written).
fn empty_ranges(g: &Globals, span: Option<Span>, key_spans: &[(Tag, Span)], d: &mut Diagnostics) {
    let at = |t: Tag| key_spans.iter().find(|(k, _)| *k == t).map(|(_, s)| *s).or(span);
    for (what, lo, hi, tag, code, host) in [
        (
            "logical",
            g.logical_min,
            g.logical_max,
            Tag::LogicalMaximum,
            super::lint::values::LOGICAL_MIN_GT_MAX,
            "Linux hid-core rejects a descriptor whose logical maximum (read unsigned after a non-negative minimum) is below the minimum; a negative maximum after a non-negative minimum is read as a large positive one",
        ),
        (
            "physical",
            g.physical_min,
            g.physical_max,
            Tag::PhysicalMaximum,
            super::lint::values::PHYSICAL_MIN_GT_MAX,
            "Linux accepts any physical range, but scales with it as written",
        ),
    ] {
        if let (Some(lo), Some(hi)) = (lo, hi) {
            if lo > hi {
                d.push(
                    Diagnostic::error(code, format!("the {what} range [{lo}, {hi}] is empty: its minimum is above its maximum"))
                        .at(at(tag))
                        .help(if lo >= 0 && hi < 0 {
                            format!("write the maximum as the positive number it stands for (e.g. {} for one byte 0xFF); add `sizes` to keep its item short", (hi as u8) as i64)
                        } else {
                            "swap the values or fix the range (HID 1.11 §6.2.2.7)".to_string()
                        })
                        .note(host),
                );
            }
        }
    }
}

/// The deepest collection nesting the field form holds (it is a tree walked recursively, so its
/// depth bounds the stack). Descriptors nested deeper stay in item form; deeper TOML is an error.
pub const MAX_DEPTH: usize = 64;

/// Compile field-form nodes to items, with the `(main item index, name)` of each named field;
/// nodes without `emit` write their items in `order` ([`super::vocab::default_order`] when `None`).
pub fn compile(nodes: &[Node], order: Option<&[Tag]>, d: &mut Diagnostics) -> (Vec<SpannedItem>, Vec<(usize, String)>) {
    let mut c = order.map(|o| Compiler::in_order(o.to_vec())).unwrap_or_default();
    c.nodes(nodes, d);
    (c.items, c.names)
}
