//! The `#[hid_report]` front end: Rust struct declarations (already taken apart by the proc macro
//! into plain data) → HID field form, checked here so the macro crate stays thin.
//!
//! Spans are whatever the caller gives: the macro numbers its tokens and passes `Span { start: i,
//! end: i + 1 }`, then maps diagnostics back to the i-th `proc_macro2::Span`.
//!
//! Codes `UD70xx` (see [`codes`]).
//!
//! * [`args`]: argument values (pages, usages, units, flags, orders, `allow`).
//! * [`container`]: the struct's arguments and the collection arguments.
//! * [`field`]: one field, one function per attribute key.
//! * here: the declarations, and [`lower`], which places fields and collections in one tree.

mod args;
mod container;
mod field;

use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::scalar::Scalar;
use crate::hid::field::{Collection, Node};
use crate::hid::item::ReportKind;
use crate::hid::usages::PageScope;

/// Stable diagnostic codes of the macro front end.
pub mod codes {
    pub const UNKNOWN_KEY: &str = "UD7001";
    pub const BAD_VALUE: &str = "UD7002";
    pub const UNKNOWN_PAGE: &str = "UD7003";
    pub const UNKNOWN_USAGE: &str = "UD7004";
    pub const UNSUPPORTED_TYPE: &str = "UD7005";
    pub const TOO_MANY_BITS: &str = "UD7006";
    pub const RANGE_NOT_REPRESENTABLE: &str = "UD7007";
    pub const MISSING_USAGE: &str = "UD7008";
    pub const PADDING_MISUSE: &str = "UD7009";
    pub const DUPLICATE_REPORT_ID: &str = "UD7010";
    pub const BAD_REPORT_ID: &str = "UD7011";
    pub const COUNT_MISMATCH: &str = "UD7012";
    pub const MIXED_REPORT_IDS: &str = "UD7013";
    pub const MISSING_KIND: &str = "UD7015";
    pub const TWO_KINDS: &str = "UD7016";
    pub const INCLUDE_IO: &str = "UD7020";
    /// An argument given twice, two that contradict each other, or one that conflicts with the
    /// struct's role (`nested` twice, `variable` with `array`, `usage` with `collection = none`).
    pub const CONFLICTING_ARGS: &str = "UD7022";
    /// `#[end_collection]` with no collection of its own to close, or a `#[collection]` left open.
    pub const UNBALANCED_COLLECTION: &str = "UD7023";
    /// `part_of` / `inside` naming no struct they can continue.
    pub const BAD_CONTINUATION: &str = "UD7024";
    /// `allow(...)` naming something that is not a HID lint code.
    pub const BAD_ALLOW: &str = "UD7025";
    /// `include_device!` in a build without the macros' `device` feature.
    pub const INCLUDE_FEATURE: &str = "UD7021";
    /// The report layout lost a field the macro declared (a bug in usbdesc).
    pub const INTERNAL: &str = "UD7099";
}
use codes::*;

/// An attribute argument value.
#[derive(Clone, Debug, PartialEq)]
pub enum ArgValue {
    /// A bare word (`padding`, `relative`).
    Flag,
    Int(i64),
    Str(String),
    /// `key = word` (e.g. `collection = application`).
    Ident(String),
    List(Vec<(ArgValue, Span)>),
    /// `key(...)`.
    Call(Vec<Arg>),
}

/// `key`, `key = value` or `key(args)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Arg {
    pub key: String,
    pub key_span: Span,
    pub value: ArgValue,
    /// Span of the value (the key for flags).
    pub span: Span,
}

/// A field's Rust type as written.
#[derive(Clone, Debug, PartialEq)]
pub enum TyDecl {
    Scalar(Scalar),
    Array(Scalar, u64),
    /// `()`, for padding.
    Unit,
    Unsupported(String),
}

/// One struct field with its `#[input(..)]` / `#[output(..)]` / `#[feature(..)]` attributes.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldDecl {
    pub name: String,
    /// Unique span of the field (its name); also the span of the field node and its items.
    pub span: Span,
    pub ty: TyDecl,
    pub ty_span: Span,
    /// Every kind attribute found: (kind, span of the attribute name, its arguments).
    pub kinds: Vec<(ReportKind, Span, Vec<Arg>)>,
    /// `#[collection(...)]` attributes: collections opened before the field, outermost first
    /// (span of the attribute name, its arguments).
    pub opens: Vec<(Span, Vec<Arg>)>,
    /// `#[end_collection]` attributes: collections closed after the field.
    pub closes: Vec<Span>,
    /// `#[items(...)]` attributes: items written as they are, after the opened collections and
    /// before the field.
    pub items: Vec<(Span, Vec<Arg>)>,
}

impl FieldDecl {
    /// A `()` field with only `#[collection]`, `#[end_collection]` or `#[items]`: it places
    /// collections or items and is removed from the struct.
    pub fn is_marker(&self) -> bool {
        self.kinds.is_empty() && self.ty == TyDecl::Unit && !(self.opens.is_empty() && self.closes.is_empty() && self.items.is_empty())
    }
}

/// A `#[hid_report(..)]` struct.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportDecl {
    pub name: String,
    /// Unique span of the struct name; also the span of its collections.
    pub span: Span,
    pub args: Vec<Arg>,
    pub fields: Vec<FieldDecl>,
}

/// What a field became.
#[derive(Clone, Debug, PartialEq)]
pub struct LoweredField {
    pub name: String,
    pub kind: ReportKind,
    pub scalar: Scalar,
    pub array: Option<u32>,
    pub padding: bool,
    /// The span given to the field node (= `FieldDecl::span`), which the layout carries.
    pub span: Span,
}

/// What a struct became.
#[derive(Clone, Debug, PartialEq)]
pub struct LoweredReport {
    pub name: String,
    pub report_id: Option<u8>,
    pub fields: Vec<LoweredField>,
}

fn err(code: &'static str, msg: impl Into<String>, span: Span) -> Diagnostic {
    Diagnostic::error(code, msg).at(span)
}

/// The lint codes the structs' `allow(...)` arguments name, for the whole descriptor (the
/// pipeline turns those lint errors into warnings). Bad entries are reported by [`lower`].
pub fn allow_list(reports: &[ReportDecl]) -> Vec<String> {
    let mut sink = Diagnostics::new();
    let mut out: Vec<String> = Vec::new();
    for a in reports.iter().flat_map(|r| &r.args).filter(|a| a.key == "allow") {
        for code in args::allow_of(a, &mut sink) {
            if !out.contains(&code) {
                out.push(code);
            }
        }
    }
    out
}

/// A collection being filled: opened by the struct's arguments (closed at the struct's end) or by
/// a field's `#[collection]` (closed by an `#[end_collection]`, possibly in a later struct).
struct Open {
    col: Collection,
    by_container: bool,
}

/// The descriptor's tree as it is built, in declaration order.
#[derive(Default)]
struct Tree {
    root: Vec<Node>,
    stack: Vec<Open>,
}

impl Tree {
    fn level(&mut self) -> &mut Vec<Node> {
        match self.stack.last_mut() {
            Some(o) => &mut o.col.children,
            None => &mut self.root,
        }
    }
    fn push(&mut self, n: Node) {
        self.level().push(n);
    }
    fn open(&mut self, col: Collection, by_container: bool) {
        self.stack.push(Open { col, by_container });
    }
    fn close(&mut self) {
        if let Some(o) = self.stack.pop() {
            self.push(Node::Collection(o.col));
        }
    }
    /// Reopen the collection just closed if it is the one declared at `span` (for `inside`).
    fn reopen(&mut self, span: Span) -> bool {
        let level = self.level();
        if !matches!(level.last(), Some(Node::Collection(c)) if c.span == Some(span)) {
            return false;
        }
        let Some(Node::Collection(col)) = level.pop() else { return false };
        self.open(col, true);
        true
    }
}

/// Lower every struct into one descriptor's nodes (declaration order), checking report IDs across
/// structs. Returns `None` when there were errors.
pub fn lower(reports: &[ReportDecl], d: &mut Diagnostics) -> Option<(Vec<Node>, Vec<LoweredReport>)> {
    let errors_before = d.error_count();
    let allow = allow_list(reports);
    let mut tree = Tree::default();
    let mut lowered: Vec<LoweredReport> = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    let mut seen: Vec<(u8, Span, &str)> = Vec::new();
    let mut with_id = None;
    let mut without_id = None;
    let mut page = PageScope::None;
    for r in reports {
        let c = container::container(r, &mut page, d);
        // Where the fields go: the struct's own report, or the report it is a part of.
        let target = match &c.part_of {
            Some((name, at)) => match lowered.iter().position(|x| &x.name == name) {
                Some(i) => i,
                None => {
                    d.push(
                        err(BAD_CONTINUATION, format!("`part_of = {name}`: no struct `{name}` before this one"), *at)
                            .help("`part_of` names a `#[hid_report]` struct declared earlier in the same `#[hid_descriptor]` module"),
                    );
                    continue;
                }
            },
            None => {
                match c.report_id {
                    Some((id, sp)) => {
                        if let Some((_, first, name)) = seen.iter().find(|(x, _, _)| *x == id) {
                            d.push(
                                err(DUPLICATE_REPORT_ID, format!("report ID {id} is used twice"), sp)
                                    .label(Some(*first), format!("first used by `{name}`"))
                                    .help("give every report struct of one descriptor its own report ID (`part_of` continues a report elsewhere)"),
                            );
                        } else {
                            seen.push((id, sp, &r.name));
                        }
                        with_id.get_or_insert(sp);
                    }
                    None => {
                        without_id.get_or_insert(r.span);
                    }
                }
                lowered.push(LoweredReport { name: r.name.clone(), report_id: c.report_id.map(|x| x.0), fields: Vec::new() });
                spans.push(r.span);
                lowered.len() - 1
            }
        };
        let base = tree.stack.len();
        if let Some((name, at)) = &c.inside {
            let host = lowered.iter().position(|x| &x.name == name).map(|i| spans[i]);
            if !host.is_some_and(|s| tree.reopen(s)) {
                d.push(
                    err(BAD_CONTINUATION, format!("`inside = {name}`: the struct just before is not `{name}`"), *at)
                        .help(format!("put this struct right after `{name}` (or after another struct `inside = {name}`)")),
                );
            }
        }
        for col in c.cols {
            tree.open(col, true);
        }
        let mut cx = field::Cx { report_id: lowered[target].report_id, page: &mut page, allow: &allow };
        for f in &r.fields {
            for (at, args) in &f.opens {
                if let Some(col) = container::collection(args, *at, cx.page, d) {
                    tree.open(col, false);
                }
            }
            for (at, args) in &f.items {
                if let Some(items) = args::items_of(args, *at, d) {
                    tree.push(Node::Items(items));
                }
            }
            if !f.is_marker() {
                if let Some((node, lf)) = field::field(f, &mut cx, d) {
                    tree.push(Node::Field(node));
                    lowered[target].fields.push(lf);
                }
            }
            for at in &f.closes {
                match tree.stack.last() {
                    Some(o) if !o.by_container => tree.close(),
                    _ => d.push(
                        err(UNBALANCED_COLLECTION, "`#[end_collection]` has no `#[collection]` to close", *at)
                            .help("it closes the innermost collection opened by a `#[collection(...)]` on this or an earlier field"),
                    ),
                }
            }
        }
        // The struct's own collections (and one it went `inside`) close with it.
        if let Some(first_own) = tree.stack.get(base..).and_then(|s| s.iter().position(|o| o.by_container)) {
            while tree.stack.len() > base + first_own {
                let o = tree.stack.last().expect("non-empty");
                if !o.by_container {
                    d.push(
                        err(UNBALANCED_COLLECTION, format!("a collection opened in `{}` is not closed", r.name), o.col.span.unwrap_or(r.span))
                            .help("add `#[end_collection]` to the last field inside it"),
                    );
                }
                tree.close();
            }
        }
    }
    while let Some(o) = tree.stack.last() {
        if !o.by_container {
            d.push(
                err(UNBALANCED_COLLECTION, "this collection is not closed", o.col.span.unwrap_or_default())
                    .help("add `#[end_collection]` to the last field inside it"),
            );
        }
        tree.close();
    }
    if let (Some(a), Some(b)) = (with_id, without_id) {
        d.push(
            err(MIXED_REPORT_IDS, "some reports of this descriptor have a report ID and some do not", b)
                .label(Some(a), "this one has a report ID")
                .help("once one report uses an ID, every report needs one (HID 1.11 §5.6): add `report_id = N`"),
        );
    }
    (d.error_count() == errors_before).then_some((tree.root, lowered))
}
