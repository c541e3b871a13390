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
    fn item(self, tag: Tag) -> Item {
        match self {
            UsageRef::Id(id) => Item::unsigned(tag, id as u32),
            UsageRef::Extended(u) => Item::Short { tag, size: 4, data: u },
        }
    }
    fn from_item(item: &Item) -> Option<UsageRef> {
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
    fn item(self) -> Item {
        self.usage().item(self.tag())
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
    pub report_id: Option<u32>,
    pub usage_page: Option<u16>,
    pub usages: Vec<LocalUsage>,
    pub logical_min: Option<i64>,
    pub logical_max: Option<i64>,
    pub physical_min: Option<i64>,
    pub physical_max: Option<i64>,
    /// Unit exponent, -8..=7 (written as the 4-bit two's-complement nibble, §6.2.2.7).
    pub unit_exponent: Option<i8>,
    pub unit: Option<u32>,
    /// Report Size (bits per element).
    pub bits: Option<u32>,
    /// Report Count.
    pub count: Option<u32>,
    /// Exact item order before the main item (tags: globals and `usage`/`usage_min`/`usage_max`,
    /// which take the next entry of `usages`); each listed item is written even if redundant.
    pub emit: Option<Vec<Tag>>,
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
        Field { bits: Some(bits), count: Some(1), ..Field::new(kind, MainFlags::CONSTANT) }
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
        self.logical_min = Some(min);
        self.logical_max = Some(max);
        self
    }
    pub fn physical(mut self, min: i64, max: i64) -> Self {
        self.physical_min = Some(min);
        self.physical_max = Some(max);
        self
    }
    pub fn unit(mut self, unit: u32, exponent: i8) -> Self {
        self.unit = Some(unit);
        self.unit_exponent = Some(exponent);
        self
    }
    pub fn bits(mut self, bits: u32) -> Self {
        self.bits = Some(bits);
        self
    }
    pub fn count(mut self, count: u32) -> Self {
        self.count = Some(count);
        self
    }
    pub fn report_id(mut self, id: u32) -> Self {
        self.report_id = Some(id);
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

    /// The global values this field wants, in default emission order.
    fn globals(&self) -> Vec<(Tag, i64)> {
        let mut v = Vec::new();
        let mut push = |t: Tag, x: Option<i64>| {
            if let Some(x) = x {
                v.push((t, x));
            }
        };
        // No physical range / unit means none (0), not "whatever is in effect": a range or unit
        // left over from an earlier field must not leak into this one. Padding has no value to
        // scale, so there it means "whatever is in effect" (only Report Size/Count matter) and the
        // next data field resets what it needs.
        let none_is_zero = |x: Option<i64>| if self.is_padding() { x } else { Some(x.unwrap_or(0)) };
        push(Tag::ReportId, self.report_id.map(i64::from));
        push(Tag::UsagePage, self.usage_page.map(i64::from));
        push(Tag::LogicalMinimum, self.logical_min);
        push(Tag::LogicalMaximum, self.logical_max);
        push(Tag::PhysicalMinimum, none_is_zero(self.physical_min));
        push(Tag::PhysicalMaximum, none_is_zero(self.physical_max));
        push(Tag::UnitExponent, none_is_zero(self.unit_exponent.map(|e| (e as i64) & 0xF)));
        push(Tag::Unit, none_is_zero(self.unit.map(i64::from)));
        push(Tag::ReportSize, self.bits.map(i64::from));
        push(Tag::ReportCount, self.count.map(i64::from));
        v
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
    /// Exact item order before the Collection item (`usage_page` and `usage` only).
    pub emit: Option<Vec<Tag>>,
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
            emit: None,
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
}

/// Globals whose "never set" state reads as 0.
const ZERO_DEFAULT: &[Tag] = &[Tag::PhysicalMinimum, Tag::PhysicalMaximum, Tag::UnitExponent, Tag::Unit];

/// Tags allowed in a field's `emit` list.
pub const FIELD_EMIT_TAGS: &[Tag] = &[
    Tag::ReportId,
    Tag::UsagePage,
    Tag::Usage,
    Tag::UsageMinimum,
    Tag::UsageMaximum,
    Tag::LogicalMinimum,
    Tag::LogicalMaximum,
    Tag::PhysicalMinimum,
    Tag::PhysicalMaximum,
    Tag::UnitExponent,
    Tag::Unit,
    Tag::ReportSize,
    Tag::ReportCount,
];

/// Compiles field-form nodes to items, tracking global state by walking what it writes.
#[derive(Clone, Default)]
pub struct Compiler {
    state: Walker,
    pub items: Vec<SpannedItem>,
    /// `(index of the main item, name)` of every named field.
    pub names: Vec<(usize, String)>,
}

impl Compiler {
    pub fn new() -> Self {
        Self::default()
    }

    /// Current value of a global; the physical range and unit start at 0 (hosts zero-initialise).
    fn current(&self, t: Tag) -> Option<i64> {
        self.state.globals.value(t).or_else(|| ZERO_DEFAULT.contains(&t).then_some(0))
    }

    fn push(&mut self, item: Item, span: Option<Span>) {
        self.state.step(self.items.len(), &item);
        self.items.push(SpannedItem { item, span });
    }

    pub fn nodes(&mut self, nodes: &[Node], d: &mut Diagnostics) {
        for n in nodes {
            match n {
                Node::Field(f) => self.field(f, d),
                Node::Collection(c) => self.collection(c, d),
            }
        }
    }

    /// Write the prefix items (globals from `wanted`, usages in order) then check the state.
    #[allow(clippy::too_many_arguments)]
    fn prefix(
        &mut self,
        wanted: &[(Tag, i64)],
        usages: &[LocalUsage],
        emit: &Option<Vec<Tag>>,
        allowed: &[Tag],
        span: Option<Span>,
        key_spans: &[(Tag, Span)],
        what: &str,
        d: &mut Diagnostics,
    ) {
        let at = |t: Tag| key_spans.iter().find(|(k, _)| *k == t).map(|(_, s)| *s).or(span);
        match emit {
            None => {
                let mut wrote_usages = false;
                for &(t, v) in wanted {
                    if t != Tag::ReportId && t != Tag::UsagePage && !wrote_usages {
                        for u in usages {
                            self.push(u.item(), at(u.tag()));
                        }
                        wrote_usages = true;
                    }
                    if self.current(t) != Some(v) {
                        self.push(Item::canonical(t, v), at(t));
                    }
                }
                if !wrote_usages {
                    for u in usages {
                        self.push(u.item(), at(u.tag()));
                    }
                }
            }
            Some(list) => {
                let mut next_usage = usages.iter();
                let mut usage_mismatch = false;
                for &t in list {
                    if !allowed.contains(&t) {
                        d.push(
                            Diagnostic::error(EMIT_BAD_TAG, format!("`{}` cannot appear in the emit list of a {what}", t.key()))
                                .at(span)
                                .help(format!(
                                    "allowed here: {}",
                                    allowed.iter().map(|t| t.key()).collect::<Vec<_>>().join(", ")
                                )),
                        );
                        continue;
                    }
                    if t.is_usage() {
                        match next_usage.next() {
                            Some(u) if u.tag() == t => self.push(u.item(), at(t)),
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
                                    .at(span)
                                    .help("list usage items in the emit list in the same order as the usages"),
                                );
                            }
                        }
                        continue;
                    }
                    match wanted.iter().find(|(w, _)| *w == t) {
                        Some(&(_, v)) => self.push(Item::canonical(t, v), at(t)),
                        None => d.push(
                            Diagnostic::error(
                                EMIT_MISSING_VALUE,
                                format!("the emit list of this {what} writes `{}` but the {what} gives it no value", t.key()),
                            )
                            .at(span)
                            .help(format!("set `{}` on the {what} or remove it from `emit`", t.key())),
                        ),
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
                        .at(span)
                        .help("add `usage`/`usage_min`/`usage_max` entries to `emit` for every usage"),
                    );
                }
                for &(t, v) in wanted {
                    if self.current(t) != Some(v) {
                        d.push(
                            Diagnostic::error(
                                EMIT_MISSING_ITEM,
                                format!("this {what} needs `{}` = {v} but its emit list does not write it", t.key()),
                            )
                            .at(span)
                            .help(format!("add \"{}\" to `emit`, or drop `emit` to let the compiler choose", t.key())),
                        );
                    }
                }
            }
        }
    }

    pub fn field(&mut self, f: &Field, d: &mut Diagnostics) {
        let wanted = f.globals();
        self.prefix(&wanted, &f.usages, &f.emit, FIELD_EMIT_TAGS, f.span, &f.key_spans, "field", d);
        let kind = f.kind.unwrap_or(ReportKind::Input);
        let at = f.key_spans.iter().find(|(k, _)| *k == kind.tag()).map(|(_, s)| *s).or(f.span);
        self.push(Item::unsigned(kind.tag(), f.flags.0), at);
        if let Some(n) = &f.name {
            self.names.push((self.items.len() - 1, n.clone()));
        }
    }

    pub fn collection(&mut self, c: &Collection, d: &mut Diagnostics) {
        let wanted: Vec<(Tag, i64)> = c.usage_page.map(|p| (Tag::UsagePage, p as i64)).into_iter().collect();
        let usages: Vec<LocalUsage> = c.usages.iter().map(|u| LocalUsage::Usage(*u)).collect();
        self.prefix(&wanted, &usages, &c.emit, &[Tag::UsagePage, Tag::Usage], c.span, &c.key_spans, "collection", d);
        self.push(Item::unsigned(Tag::Collection, c.kind.to_u8() as u32), c.span);
        self.nodes(&c.children, d);
        self.push(Item::dataless(Tag::EndCollection), c.span);
    }
}

/// The deepest collection nesting the field form holds (it is a tree walked recursively, so its
/// depth bounds the stack). Descriptors nested deeper stay in item form; deeper TOML is an error.
pub const MAX_DEPTH: usize = 64;

/// Compile field-form nodes to items, with the `(main item index, name)` of each named field.
pub fn compile(nodes: &[Node], d: &mut Diagnostics) -> (Vec<SpannedItem>, Vec<(usize, String)>) {
    let mut c = Compiler::new();
    c.nodes(nodes, d);
    (c.items, c.names)
}

/// Recover the field form from items, if every item fits it (no Push/Pop, long or reserved items,
/// designators, strings or delimiters; canonical sizes; balanced collections). The caller checks
/// that the result re-encodes exactly.
pub fn from_items(items: &[Item]) -> Option<Vec<Node>> {
    // Global state as a host parser sees it (the segment before a main item is stepped before the
    // main item is turned into a node).
    let mut state = Walker::new();
    let mut stack: Vec<Collection> = Vec::new();
    let mut top: Vec<Node> = Vec::new();
    let mut seg: Vec<&Item> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let Item::Short { tag, .. } = item else { return None };
        if !item.is_canonical() {
            return None;
        }
        state.step(index, item);
        match tag {
            Tag::Input | Tag::Output | Tag::Feature => {
                let mut emit = Vec::new();
                let mut usages = Vec::new();
                for it in seg.drain(..) {
                    let t = it.tag()?;
                    if !FIELD_EMIT_TAGS.contains(&t) {
                        return None;
                    }
                    emit.push(t);
                    if t.is_usage() {
                        let u = UsageRef::from_item(it)?;
                        usages.push(match t {
                            Tag::Usage => LocalUsage::Usage(u),
                            Tag::UsageMinimum => LocalUsage::Min(u),
                            _ => LocalUsage::Max(u),
                        });
                    }
                }
                let g = |t: Tag| state.globals.value(t);
                // Padding takes the physical range and unit only from its own items (None is
                // "whatever is in effect" there, see `Field::globals`).
                let padding = MainFlags(item.unsigned_value()).is_constant() && usages.is_empty();
                let scaling = |t: Tag| if padding && !emit.contains(&t) { None } else { g(t) };
                let exp = match scaling(Tag::UnitExponent) {
                    Some(e) if (0..=0xF).contains(&e) => Some(if e > 7 { (e - 16) as i8 } else { e as i8 }),
                    Some(_) => return None,
                    None => None,
                };
                let f = Field {
                    kind: ReportKind::from_tag(*tag),
                    flags: MainFlags(item.unsigned_value()),
                    report_id: g(Tag::ReportId).map(|v| v as u32),
                    usage_page: g(Tag::UsagePage).map(|v| v as u16),
                    usages,
                    logical_min: g(Tag::LogicalMinimum),
                    logical_max: g(Tag::LogicalMaximum),
                    physical_min: scaling(Tag::PhysicalMinimum),
                    physical_max: scaling(Tag::PhysicalMaximum),
                    unit_exponent: exp,
                    unit: scaling(Tag::Unit).map(|v| v as u32),
                    bits: g(Tag::ReportSize).map(|v| v as u32),
                    count: g(Tag::ReportCount).map(|v| v as u32),
                    emit: Some(emit),
                    span: None,
                    name: None,
                    name_span: None,
                    key_spans: Vec::new(),
                };
                let node = Node::Field(f);
                match stack.last_mut() {
                    Some(c) => c.children.push(node),
                    None => top.push(node),
                }
            }
            Tag::Collection => {
                let mut emit = Vec::new();
                let mut usages = Vec::new();
                for it in seg.drain(..) {
                    match it.tag()? {
                        Tag::UsagePage => emit.push(Tag::UsagePage),
                        Tag::Usage => {
                            usages.push(UsageRef::from_item(it)?);
                            emit.push(Tag::Usage);
                        }
                        _ => return None,
                    }
                }
                let mut c = Collection::new(CollectionKind::from_u8(item.unsigned_value() as u8));
                if item.unsigned_value() > 0xFF {
                    return None;
                }
                c.usage_page = state.globals.value(Tag::UsagePage).map(|v| v as u16);
                c.usages = usages;
                c.emit = Some(emit);
                stack.push(c);
            }
            Tag::EndCollection => {
                if !seg.is_empty() {
                    return None;
                }
                let c = stack.pop()?;
                match stack.last_mut() {
                    Some(p) => p.children.push(Node::Collection(c)),
                    None => top.push(Node::Collection(c)),
                }
            }
            _ => seg.push(item),
        }
    }
    if !seg.is_empty() || !stack.is_empty() {
        return None;
    }
    minimise_emits(&mut top);
    Some(top)
}

/// Drop `emit` lists that the default order reproduces, so the field form stays readable.
fn minimise_emits(nodes: &mut [Node]) {
    let mut c = Compiler::new();
    minimise_in(&mut c, nodes);
}

fn minimise_in(c: &mut Compiler, nodes: &mut [Node]) {
    let mut sink = Diagnostics::new();
    for n in nodes.iter_mut() {
        match n {
            Node::Field(f) => {
                let before = c.items.len();
                let saved = c.state.clone();
                c.field(f, &mut sink);
                let exact: Vec<Item> = c.items[before..].iter().map(|s| s.item.clone()).collect();
                let mut trial = Compiler { state: saved, items: Vec::new(), names: Vec::new() };
                let mut without = f.clone();
                without.emit = None;
                trial.field(&without, &mut sink);
                if trial.items.iter().map(|s| &s.item).eq(exact.iter()) {
                    f.emit = None;
                }
            }
            Node::Collection(col) => {
                let before = c.items.len();
                let saved = c.state.clone();
                let mut head = col.clone();
                head.children.clear();
                c.collection(&head, &mut sink);
                let exact: Vec<Item> = c.items[before..].iter().map(|s| s.item.clone()).collect();
                let mut trial = Compiler { state: saved, items: Vec::new(), names: Vec::new() };
                head.emit = None;
                trial.collection(&head, &mut sink);
                if trial.items.iter().map(|s| &s.item).eq(exact.iter()) {
                    col.emit = None;
                }
                // The header only changed the Usage Page state, which `c` now holds.
                minimise_in(c, &mut col.children);
            }
        }
    }
}
