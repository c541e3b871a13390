//! Items → the field form, written as a person would: each node states what it sets, `emit` only
//! where the default order would give other bytes, `sizes` only for items not in their shortest
//! form, a report ID where it changes, and a physical range / unit / exponent once on the
//! collection when most of its fields share it.
//!
//! [`recover`] gives the nodes or the reason the items have no field form; the caller
//! ([`super::ReportDescriptor::field_form`]) still checks that they compile back to the same items.

use super::field::{Collection, Compiler, Field, Globals, LocalUsage, Node, Scope, Sizes, UsageRef, COLLECTION_EMIT_TAGS, SCALING};
use super::item::{CollectionKind, Item, MainFlags, ReportKind, Tag};
use super::state::Walker;
use super::vocab::PREFIX_TAGS;
use crate::diag::Diagnostics;

/// Why a descriptor stays in item form.
pub type Reason = String;

/// The items written before one main item, with the values the field form gives them.
struct Segment<'a> {
    items: Vec<&'a Item>,
}

impl Segment<'_> {
    fn tags(&self) -> Vec<Tag> {
        self.items.iter().filter_map(|i| i.tag()).collect()
    }
    fn writes(&self, t: Tag) -> bool {
        self.items.iter().any(|i| i.tag() == Some(t))
    }
}

/// The field-form value of a global as the state holds it before the main item: a Logical or
/// Physical Maximum reads unsigned after a non-negative minimum (as Linux reads it).
fn state_value(w: &Walker, t: Tag) -> Option<i64> {
    let g = &w.globals;
    g.get(t)?;
    Some(match t {
        Tag::LogicalMaximum => g.logical_max(),
        Tag::PhysicalMaximum => g.physical_max(),
        Tag::UnitExponent => g.unit_exponent(),
        _ => g.value(t)?,
    })
}

/// A unit exponent as Linux reads it (a nibble, or a whole signed byte such as `55 fd`).
fn exponent(e: i64) -> Result<i8, Reason> {
    match e {
        -8..=7 => Ok(e as i8),
        _ => Err(format!("Unit Exponent {e} is outside -8..=7")),
    }
}

/// A Unit Exponent item the field form does not write itself: a whole-byte exponent (`55 fd`,
/// which Linux reads as -3 like the nibble `55 0d`).
fn whole_byte_exponent(it: &Item) -> bool {
    it.tag() == Some(Tag::UnitExponent) && it.unsigned_value() > 0xF
}

/// Sizes for the items of `seg` and the main item that are not in the form the compiler writes
/// for their value; an error when one tag needs two sizes.
fn sizes_of(items: &[&Item], value: impl Fn(Tag, &Item) -> i64) -> Result<Sizes, Reason> {
    let mut sizes: Sizes = Vec::new();
    let mut canonical_tags: Vec<Tag> = Vec::new();
    for it in items {
        let Item::Short { tag, size, .. } = it else { return Err("a long item".into()) };
        let v = value(*tag, it);
        let extended = tag.is_usage() && *size == 4;
        if extended || Item::canonical(*tag, v) == **it {
            canonical_tags.push(*tag);
        } else if Item::with_size(*tag, *size, v as u32) == **it {
            match sizes.iter().find(|(t, _)| t == tag) {
                Some((_, s)) if s != size => return Err(format!("{} items of one field in two sizes", tag.spec_name())),
                Some(_) => {}
                None => sizes.push((*tag, *size)),
            }
        } else {
            return Err(format!("{} data that the field form does not state", tag.spec_name()));
        }
    }
    if let Some((t, _)) = sizes.iter().find(|(t, _)| canonical_tags.contains(t)) {
        return Err(format!("{} items of one field in two sizes", t.spec_name()));
    }
    Ok(sizes)
}

/// A global tag written twice with different values before one main item.
fn overwritten(seg: &Segment<'_>) -> Option<Tag> {
    let mut seen: Vec<(Tag, &Item)> = Vec::new();
    for it in &seg.items {
        let Some(t) = it.tag() else { continue };
        if t.is_usage() {
            continue;
        }
        if let Some((_, prev)) = seen.iter().find(|(k, _)| *k == t) {
            if prev.value() != it.value() {
                return Some(t);
            }
        }
        seen.push((t, it));
    }
    None
}

/// The first `k` items of `seg` that go in an items node so that the rest is a prefix the main
/// item `tag` can state: only its own globals and usages, each global once, one size per tag.
/// Usages never go in the items node (they belong to the main item).
fn split(seg: &Segment<'_>, tag: Tag) -> Result<usize, Reason> {
    let allowed = if tag == Tag::Collection { COLLECTION_EMIT_TAGS } else { PREFIX_TAGS };
    let mut first_err = None;
    for k in 0..=seg.items.len() {
        if k > 0 && seg.items[k - 1].tag().is_some_and(|t| t.is_usage()) {
            break;
        }
        let rest = Segment { items: seg.items[k..].to_vec() };
        let err = if let Some(t) = rest.tags().into_iter().find(|t| !allowed.contains(t)) {
            Some(format!("a {} item before {}", t.spec_name(), tag.spec_name()))
        } else if rest.items.iter().any(|i| i.tag().is_none()) {
            Some("a long item".into())
        } else if rest.items.iter().any(|i| whole_byte_exponent(i)) {
            Some("a whole-byte Unit Exponent".into())
        } else {
            overwritten(&rest).map(|t| format!("{} set twice before one main item", t.spec_name()))
        };
        match err {
            None => return Ok(k),
            Some(e) => {
                first_err.get_or_insert(e);
            }
        }
    }
    Err(first_err.unwrap_or_default() + " (among the usages)")
}

fn items_node(items: &[&Item]) -> Node {
    Node::Items(items.iter().map(|i| super::SpannedItem { item: (*i).clone(), span: None }).collect())
}

/// Recover the field form of `items`, or say why there is none.
pub fn recover(items: &[Item]) -> Result<Vec<Node>, Reason> {
    let mut state = Walker::new();
    let mut stack: Vec<Collection> = Vec::new();
    let mut top: Vec<Node> = Vec::new();
    let mut seg = Segment { items: Vec::new() };
    fn add(stack: &mut [Collection], top: &mut Vec<Node>, n: Node) {
        match stack.last_mut() {
            Some(c) => c.children.push(n),
            None => top.push(n),
        }
    }
    for (index, item) in items.iter().enumerate() {
        let Item::Short { tag, .. } = item else {
            seg.items.push(item);
            continue;
        };
        let tag = *tag;
        let is_main = matches!(tag, Tag::Input | Tag::Output | Tag::Feature | Tag::Collection);
        if is_main {
            let k = split(&seg, tag)?;
            if k > 0 {
                add(&mut stack, &mut top, items_node(&seg.items[..k]));
                seg.items.drain(..k);
            }
        } else if tag == Tag::EndCollection && !seg.items.is_empty() {
            add(&mut stack, &mut top, items_node(&seg.items));
            seg.items.clear();
        }
        state.step(index, item);
        match tag {
            Tag::Input | Tag::Output | Tag::Feature => {
                let field = field(&state, item, &seg)?;
                seg.items.clear();
                add(&mut stack, &mut top, Node::Field(field));
            }
            Tag::Collection => {
                let c = collection(&state, item, &seg)?;
                seg.items.clear();
                stack.push(c);
            }
            Tag::EndCollection => {
                let mut c = stack.pop().ok_or("an End Collection without a Collection")?;
                if *item != Item::dataless(Tag::EndCollection) {
                    c.sizes.push((Tag::EndCollection, item.data_size() as u8));
                    if item.unsigned_value() != 0 {
                        return Err("an End Collection with data".into());
                    }
                }
                add(&mut stack, &mut top, Node::Collection(c));
            }
            _ => seg.items.push(item),
        }
    }
    if !stack.is_empty() {
        return Err("a collection that is never closed".into());
    }
    if !seg.items.is_empty() {
        top.push(items_node(&seg.items));
    }
    let mut report_id = None;
    simplify(&mut top, Scope::default(), &mut report_id);
    minimise_emits(&mut top);
    Ok(top)
}

fn usages_of(seg: &Segment<'_>) -> Result<Vec<LocalUsage>, Reason> {
    let mut out = Vec::new();
    for it in &seg.items {
        let Some(t) = it.tag().filter(|t| t.is_usage()) else { continue };
        let u = UsageRef::from_item(it).ok_or_else(|| format!("a {} above 0xFFFF in less than 4 bytes", t.spec_name()))?;
        out.push(match t {
            Tag::Usage => LocalUsage::Usage(u),
            Tag::UsageMinimum => LocalUsage::Min(u),
            _ => LocalUsage::Max(u),
        });
    }
    Ok(out)
}

fn field(state: &Walker, main: &Item, seg: &Segment<'_>) -> Result<Field, Reason> {
    let usages = usages_of(seg)?;
    let flags = MainFlags(main.unsigned_value());
    let padding = flags.is_constant() && usages.is_empty();
    let g = |t: Tag| state_value(state, t);
    // Padding states only what its own items set (elsewhere it reads "whatever is in effect").
    let own = |t: Tag| if padding && !seg.writes(t) { None } else { g(t) };
    let mut f = Field {
        kind: ReportKind::from_tag(main.tag().unwrap_or(Tag::Input)),
        flags,
        report_id: g(Tag::ReportId).map(|v| v as u32),
        usage_page: g(Tag::UsagePage).map(|v| v as u16),
        usages,
        logical_min: own(Tag::LogicalMinimum),
        logical_max: own(Tag::LogicalMaximum),
        physical_min: own(Tag::PhysicalMinimum),
        physical_max: own(Tag::PhysicalMaximum),
        unit_exponent: own(Tag::UnitExponent).map(exponent).transpose()?,
        unit: own(Tag::Unit).map(|v| v as u32),
        bits: g(Tag::ReportSize).map(|v| v as u32),
        count: g(Tag::ReportCount).map(|v| v as u32),
        emit: Some(seg.tags()),
        ..Default::default()
    };
    if padding && !seg.writes(Tag::ReportId) {
        f.report_id = None;
    }
    let mut all = seg.items.clone();
    all.push(main);
    let wanted = f.own_globals();
    f.sizes = sizes_of(&all, |t, it| value_for(t, it, &wanted, f.usage_page))?;
    Ok(f)
}

/// The value the compiler writes for an item of tag `t` (usages and main items: their data).
fn value_for(t: Tag, it: &Item, g: &Globals, page: Option<u16>) -> i64 {
    let v = match t {
        Tag::ReportId => g.report_id.map(i64::from),
        Tag::UsagePage => page.map(i64::from),
        Tag::LogicalMinimum => g.logical_min,
        Tag::LogicalMaximum => g.logical_max,
        Tag::PhysicalMinimum => g.physical_min,
        Tag::PhysicalMaximum => g.physical_max,
        Tag::UnitExponent => g.unit_exponent.map(|e| (e as i64) & 0xF),
        Tag::Unit => g.unit.map(i64::from),
        Tag::ReportSize => g.bits.map(i64::from),
        Tag::ReportCount => g.count.map(i64::from),
        _ => None,
    };
    v.unwrap_or_else(|| it.unsigned_value() as i64)
}

fn collection(state: &Walker, main: &Item, seg: &Segment<'_>) -> Result<Collection, Reason> {
    if main.unsigned_value() > 0xFF {
        return Err("a Collection type above 0xFF".into());
    }
    let mut c = Collection::new(CollectionKind::from_u8(main.unsigned_value() as u8));
    c.usage_page = state_value(state, Tag::UsagePage).map(|v| v as u16);
    c.usages = usages_of(seg)?.into_iter().map(|u| u.usage()).collect();
    let own = |t: Tag| if seg.writes(t) { state_value(state, t) } else { None };
    c.globals = Globals {
        report_id: own(Tag::ReportId).map(|v| v as u32),
        logical_min: own(Tag::LogicalMinimum),
        logical_max: own(Tag::LogicalMaximum),
        physical_min: own(Tag::PhysicalMinimum),
        physical_max: own(Tag::PhysicalMaximum),
        unit_exponent: own(Tag::UnitExponent).map(exponent).transpose()?,
        unit: own(Tag::Unit).map(|v| v as u32),
        bits: own(Tag::ReportSize).map(|v| v as u32),
        count: own(Tag::ReportCount).map(|v| v as u32),
    };
    c.emit = Some(seg.tags());
    let mut all = seg.items.clone();
    all.push(main);
    let g = c.globals.clone();
    c.sizes = sizes_of(&all, |t, it| value_for(t, it, &g, c.usage_page))?;
    Ok(c)
}

fn scaling_of(f: &Field, t: Tag) -> Option<i64> {
    match t {
        Tag::PhysicalMinimum => f.physical_min,
        Tag::PhysicalMaximum => f.physical_max,
        Tag::UnitExponent => f.unit_exponent.map(|e| (e as i64) & 0xF),
        _ => f.unit.map(i64::from),
    }
}

fn clear_scaling(f: &mut Field, t: Tag) {
    match t {
        Tag::PhysicalMinimum => f.physical_min = None,
        Tag::PhysicalMaximum => f.physical_max = None,
        Tag::UnitExponent => f.unit_exponent = None,
        _ => f.unit = None,
    }
}

fn set_scaling(g: &mut Globals, t: Tag, v: i64) -> Result<(), Reason> {
    match t {
        Tag::PhysicalMinimum => g.physical_min = Some(v),
        Tag::PhysicalMaximum => g.physical_max = Some(v),
        Tag::UnitExponent => g.unit_exponent = Some(exponent(v)?),
        _ => g.unit = Some(v as u32),
    }
    Ok(())
}

fn scaling_in(g: &Globals, t: Tag) -> Option<i64> {
    match t {
        Tag::PhysicalMinimum => g.physical_min,
        Tag::PhysicalMaximum => g.physical_max,
        Tag::UnitExponent => g.unit_exponent.map(|e| (e as i64) & 0xF),
        _ => g.unit.map(i64::from),
    }
}

/// Leave out what a person would not restate: a data field's physical range, unit and exponent
/// when they are the scope's (a collection states them once when most of its data fields share
/// them), and a report ID that the previous node already stated.
fn simplify(nodes: &mut [Node], scope: Scope, report_id: &mut Option<u32>) {
    for n in nodes.iter_mut() {
        match n {
            Node::Field(f) => {
                if !f.is_padding() {
                    for t in SCALING {
                        if scaling_of(f, t) == Some(scope.get(t)) {
                            clear_scaling(f, t);
                        }
                    }
                }
                let writes_id = f.emit.as_ref().is_some_and(|e| e.contains(&Tag::ReportId));
                if f.report_id.is_some() && f.report_id == *report_id && !writes_id {
                    f.report_id = None;
                } else if f.report_id.is_some() {
                    *report_id = f.report_id;
                }
            }
            Node::Items(items) => {
                for it in items {
                    match it.item.tag() {
                        Some(Tag::ReportId) => *report_id = Some(it.item.unsigned_value()),
                        Some(Tag::Pop) => *report_id = None,
                        _ => {}
                    }
                }
            }
            Node::Collection(c) => {
                // A scaling value the collection does not write may still be stated on it (it
                // writes nothing when that value is in effect at the Collection item): do so when
                // more of its data fields have it than the outer scope's.
                for t in SCALING {
                    if scaling_in(&c.globals, t).is_some() {
                        continue;
                    }
                    let firsts = first_values(&c.children, t);
                    let Some(v) = firsts.0 else { continue };
                    let (with_v, with_outer) = direct_counts(&c.children, t, v, scope.get(t));
                    if v != scope.get(t) && firsts.1 && with_v > with_outer {
                        let _ = set_scaling(&mut c.globals, t, v);
                    }
                }
                if c.globals.report_id.is_some() {
                    *report_id = c.globals.report_id;
                }
                let inner = scope.inside(&c.globals);
                simplify(&mut c.children, inner, report_id);
            }
        }
    }
}

/// The value the first data field inside has for `t`, and whether that value is already in
/// effect before it (its prefix does not write `t`, so the value was set before the collection).
fn first_values(nodes: &[Node], t: Tag) -> (Option<i64>, bool) {
    for n in nodes {
        match n {
            Node::Field(f) if !f.is_padding() => {
                let writes = f.emit.as_ref().is_some_and(|e| e.contains(&t));
                return (scaling_of(f, t), !writes);
            }
            Node::Field(f) => {
                if f.emit.as_ref().is_some_and(|e| e.contains(&t)) {
                    return (None, false);
                }
            }
            Node::Items(items) => {
                if items.iter().any(|i| matches!(i.item.tag(), Some(x) if x == t || x == Tag::Pop || x == Tag::Push)) {
                    return (None, false);
                }
            }
            Node::Collection(_) => return (None, false),
        }
    }
    (None, false)
}

/// How many data fields directly inside have `v`, and how many `outer`, for `t`.
fn direct_counts(nodes: &[Node], t: Tag, v: i64, outer: i64) -> (usize, usize) {
    let mut counts = (0, 0);
    for n in nodes {
        if let Node::Field(f) = n {
            if f.is_padding() {
                continue;
            }
            match scaling_of(f, t) {
                Some(x) if x == v => counts.0 += 1,
                Some(x) if x == outer => counts.1 += 1,
                _ => {}
            }
        }
    }
    counts
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
                let mut trial = c.fork();
                let mut without = f.clone();
                without.emit = None;
                trial.field(&without, &mut sink);
                let before = c.items.len();
                c.field(f, &mut sink);
                if trial.items.iter().map(|s| &s.item).eq(c.items[before..].iter().map(|s| &s.item)) {
                    f.emit = None;
                }
            }
            Node::Collection(col) => {
                let mut trial = c.fork();
                let mut head = col.clone();
                head.children.clear();
                head.emit = None;
                trial.collection_head(&head, &mut sink);
                let before = c.items.len();
                c.collection_head(col, &mut sink);
                if trial.items.iter().map(|s| &s.item).eq(c.items[before..].iter().map(|s| &s.item)) {
                    col.emit = None;
                }
                let outer = c.enter(col);
                minimise_in(c, &mut col.children);
                c.leave(col, outer, &mut sink);
            }
            Node::Items(items) => c.items(items),
        }
    }
}
