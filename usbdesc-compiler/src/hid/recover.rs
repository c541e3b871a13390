//! Items → the field form, written as a person would: each node states what it sets, `emit` only
//! where the default order would give other bytes, `sizes` only for items not in their shortest
//! form, a report ID where it changes, and a physical range / unit / exponent once on the
//! collection when most of its fields share it.
//!
//! [`recover`] gives the nodes or the reason the items have no field form; the caller
//! ([`super::ReportDescriptor::field_form`]) still checks that they compile back to the same items.

use super::field::{collection_emit_tags, Collection, Compiler, Field, Globals, LocalUsage, Node, Scope, Sizes, UsageRef, SCALING};
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

/// A Pop after a global item of the same prefix (only usages may come before a Pop there).
fn pop_after_global(seg: &Segment<'_>) -> bool {
    let Some(p) = seg.items.iter().rposition(|i| i.tag() == Some(Tag::Pop)) else { return false };
    seg.items[..p].iter().any(|i| !i.tag().is_some_and(|t| t.is_usage()))
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
    let allowed = if tag == Tag::Collection { collection_emit_tags() } else { PREFIX_TAGS.to_vec() };
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
        } else if pop_after_global(&rest) {
            // The global's value before the Pop is not the one the node states.
            Some("a global item before a Pop".into())
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

/// Recover the field form of `items`, or say why there is none; nodes without `emit` write their
/// items in the default order ([`super::vocab::default_order`]).
pub fn recover(items: &[Item]) -> Result<Vec<Node>, Reason> {
    let mut nodes = recover_exact(items)?;
    minimise_emits(&mut nodes, &super::vocab::default_order());
    Ok(nodes)
}

/// As [`recover`], with the report's default order that leaves the fewest `emit` lists: the
/// default one, or the order most of the descriptor's prefixes follow (`None`: the default).
pub fn recover_in_order(items: &[Item]) -> Result<(Vec<Node>, Option<Vec<Tag>>), Reason> {
    let exact = recover_exact(items)?;
    let default = super::vocab::default_order();
    let mut best = exact.clone();
    minimise_emits(&mut best, &default);
    let usual = usual_order(&exact);
    if usual != default {
        let mut other = exact;
        minimise_emits(&mut other, &usual);
        if emit_count(&other) < emit_count(&best) {
            return Ok((other, Some(usual)));
        }
    }
    Ok((best, None))
}

fn emit_count(nodes: &[Node]) -> usize {
    nodes
        .iter()
        .map(|n| match n {
            Node::Field(f) => f.emit.is_some() as usize,
            Node::Collection(c) => c.emit.is_some() as usize + emit_count(&c.children),
            Node::Items(_) => 0,
        })
        .sum()
}

/// The order most prefixes of the nodes follow: each tag of the default order ranked by how many
/// others it comes before in more prefixes than after (usages as one block), ties kept in the
/// default order.
fn usual_order(nodes: &[Node]) -> Vec<Tag> {
    let default = super::vocab::default_order();
    let block = |t: Tag| if t.is_usage() { Tag::Usage } else { t };
    let tokens: Vec<Tag> = default.iter().map(|t| block(*t)).fold(Vec::new(), |mut v, t| {
        if !v.contains(&t) {
            v.push(t);
        }
        v
    });
    let n = tokens.len();
    let mut before = vec![vec![0usize; n]; n];
    fn walk(nodes: &[Node], f: &mut dyn FnMut(&[Tag])) {
        for node in nodes {
            match node {
                Node::Field(x) => f(x.emit.as_deref().unwrap_or(&[])),
                Node::Collection(c) => {
                    f(c.emit.as_deref().unwrap_or(&[]));
                    walk(&c.children, f);
                }
                Node::Items(_) => {}
            }
        }
    }
    walk(nodes, &mut |emit| {
        let seq: Vec<usize> = emit.iter().filter_map(|t| tokens.iter().position(|k| *k == block(*t))).collect();
        for (i, a) in seq.iter().enumerate() {
            for b in &seq[i + 1..] {
                if a != b {
                    before[*a][*b] += 1;
                }
            }
        }
    });
    // Only tags some prefix writes move; the others keep their default places.
    let seen: Vec<usize> = (0..n).filter(|&a| (0..n).any(|b| before[a][b] + before[b][a] > 0)).collect();
    let wins = |a: usize| seen.iter().filter(|&&b| before[a][b] > before[b][a]).count();
    let mut ranked = seen.clone();
    ranked.sort_by_key(|&a| std::cmp::Reverse(wins(a)));
    let listed: Vec<Tag> = ranked
        .into_iter()
        .flat_map(|i| if tokens[i] == Tag::Usage { vec![Tag::Usage, Tag::UsageMinimum, Tag::UsageMaximum] } else { vec![tokens[i]] })
        .collect();
    super::vocab::order_from(&listed)
}

/// The field form of `items` with every node's exact `emit` list.
fn recover_exact(items: &[Item]) -> Result<Vec<Node>, Reason> {
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
    let globals = globals_from(|t| if matches!(t, Tag::ReportId | Tag::ReportSize | Tag::ReportCount) { g(t) } else { own(t) })?;
    let mut f = Field {
        kind: ReportKind::from_tag(main.tag().unwrap_or(Tag::Input)),
        flags,
        usage_page: g(Tag::UsagePage).map(|v| v as u16),
        usages,
        emit: Some(seg.tags()),
        ..Default::default()
    }
    .with_globals(globals);
    if padding && !seg.writes(Tag::ReportId) {
        f.globals.report_id = None;
    }
    let mut all = seg.items.clone();
    all.push(main);
    let wanted = f.globals.clone();
    f.sizes = sizes_of(&all, |t, it| value_for(t, it, &wanted, f.usage_page))?;
    Ok(f)
}

/// The value the compiler writes for an item of tag `t` (usages and main items: their data).
fn value_for(t: Tag, it: &Item, g: &Globals, page: Option<u16>) -> i64 {
    let v = if t == Tag::UsagePage { page.map(i64::from) } else { g.get(t) };
    v.unwrap_or_else(|| it.unsigned_value() as i64)
}

/// The globals whose values `value` gives (as the state holds them: the exponent signed).
fn globals_from(value: impl Fn(Tag) -> Option<i64>) -> Result<Globals, Reason> {
    Ok(Globals {
        report_id: value(Tag::ReportId).map(|v| v as u32),
        logical_min: value(Tag::LogicalMinimum),
        logical_max: value(Tag::LogicalMaximum),
        physical_min: value(Tag::PhysicalMinimum),
        physical_max: value(Tag::PhysicalMaximum),
        unit_exponent: value(Tag::UnitExponent).map(exponent).transpose()?,
        unit: value(Tag::Unit).map(|v| v as u32),
        bits: value(Tag::ReportSize).map(|v| v as u32),
        count: value(Tag::ReportCount).map(|v| v as u32),
    })
}

fn collection(state: &Walker, main: &Item, seg: &Segment<'_>) -> Result<Collection, Reason> {
    if main.unsigned_value() > 0xFF {
        return Err("a Collection type above 0xFF".into());
    }
    let mut c = Collection::new(CollectionKind::from_u8(main.unsigned_value() as u8));
    c.usage_page = state_value(state, Tag::UsagePage).map(|v| v as u16);
    c.usages = usages_of(seg)?.into_iter().map(|u| u.usage()).collect();
    let own = |t: Tag| if seg.writes(t) { state_value(state, t) } else { None };
    c.globals = globals_from(own)?;
    c.emit = Some(seg.tags());
    let mut all = seg.items.clone();
    all.push(main);
    let g = c.globals.clone();
    c.sizes = sizes_of(&all, |t, it| value_for(t, it, &g, c.usage_page))?;
    Ok(c)
}

fn scaling_of(f: &Field, t: Tag) -> Option<i64> {
    f.globals.get(t)
}

fn clear_scaling(f: &mut Field, t: Tag) {
    match t {
        Tag::PhysicalMinimum => f.globals.physical_min = None,
        Tag::PhysicalMaximum => f.globals.physical_max = None,
        Tag::UnitExponent => f.globals.unit_exponent = None,
        _ => f.globals.unit = None,
    }
}

fn set_scaling(g: &mut Globals, t: Tag, v: i64) -> Result<(), Reason> {
    match t {
        Tag::PhysicalMinimum => g.physical_min = Some(v),
        Tag::PhysicalMaximum => g.physical_max = Some(v),
        Tag::UnitExponent => g.unit_exponent = Some(exponent(if v > 7 { v - 16 } else { v })?),
        _ => g.unit = Some(v as u32),
    }
    Ok(())
}

/// Leave out what a person would not restate: a data field's physical range, unit and exponent
/// when they are the scope's (a collection states them once when most of its data fields share
/// them), and a report ID that the previous node already stated.
fn simplify(nodes: &mut [Node], scope: Scope, report_id: &mut Option<u32>) {
    for n in nodes.iter_mut() {
        match n {
            Node::Field(f) => {
                if !f.is_padding() {
                    // The physical range goes as a pair: both bounds or neither.
                    let same = SCALING.map(|t| scaling_of(f, t) == Some(scope.get(t)));
                    let range = same[0] && same[1];
                    for (i, t) in SCALING.into_iter().enumerate() {
                        if same[i] && (i > 1 || range) {
                            clear_scaling(f, t);
                        }
                    }
                }
                let writes_id = f.emit.as_ref().is_some_and(|e| e.contains(&Tag::ReportId));
                if f.globals.report_id.is_some() && f.globals.report_id == *report_id && !writes_id {
                    f.globals.report_id = None;
                } else if f.globals.report_id.is_some() {
                    *report_id = f.globals.report_id;
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
                    if c.globals.get(t).is_some() {
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

/// Drop `emit` lists that `order` reproduces, so the field form stays readable.
fn minimise_emits(nodes: &mut [Node], order: &[Tag]) {
    let mut c = Compiler::in_order(order.to_vec());
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
