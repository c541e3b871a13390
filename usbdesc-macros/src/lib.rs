//! Procedural macros for usbdesc. Thin: take syn apart into the core's plain declarations
//! (`usbdesc_compiler::frontend::rust`), let `usbdesc-compiler` check, encode and generate the Rust
//! code (`usbdesc_compiler::pipeline`, which prints through `emit::rust`), and map core diagnostics to `compile_error!`s at the
//! right token. There is no encoder here.
//!
//! * [`macro@hid_report`]: a struct → its report descriptor and typed report impls.
//! * [`macro@hid_descriptor`]: an inline module of `#[hid_report]` structs → one descriptor with
//!   report IDs checked for uniqueness and typed dispatch enums `Output` / `Feature`.
//! * [`include_device!`]: a TOML device → consts, `DEVICE`, and report types per HID interface
//!   (feature `device`).

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::{quote, ToTokens};
use std::str::FromStr;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::ext::IdentExt;
use syn::{Attribute, Fields, Item, ItemMod, ItemStruct, LitStr, Token};
use usbdesc_compiler::diag::{self, Diagnostic};
use usbdesc_compiler::scalar::Scalar;
use usbdesc_compiler::pipeline::hid_report::{self as gen, Mode};
use usbdesc_compiler::frontend::rust::{Arg, ArgValue, FieldDecl, ReportDecl, TyDecl};
use usbdesc_compiler::hid::ReportKind;

/// Rust token spans by index: core spans are `Span { start: i, end: i + 1 }`.
#[derive(Default)]
struct Spans(Vec<Span>);

impl Spans {
    fn add(&mut self, s: Span) -> diag::Span {
        self.0.push(s);
        diag::Span::new(self.0.len() - 1, self.0.len())
    }
    fn get(&self, s: Option<diag::Span>) -> Span {
        s.and_then(|s| self.0.get(s.start).copied()).unwrap_or_else(Span::call_site)
    }
}

/// Core diagnostics → `compile_error!`s, each at its token; labels become notes at theirs.
fn errors(diags: impl IntoIterator<Item = Diagnostic>, spans: &Spans) -> TokenStream2 {
    let mut out = TokenStream2::new();
    for d in diags.into_iter().filter(|d| d.is_error()) {
        let mut msg = format!("{} [{}]", d.message, d.code);
        if let Some(l) = &d.primary_label {
            msg.push_str(&format!("\n  = note: {l}"));
        }
        if let Some(h) = &d.help {
            msg.push_str(&format!("\n  = help: {h}"));
        }
        out.extend(syn::Error::new(spans.get(d.span), msg).to_compile_error());
        for l in &d.labels {
            let m = format!("[{}] {}", d.code, l.message);
            out.extend(syn::Error::new(spans.get(Some(l.span)), m).to_compile_error());
        }
    }
    out
}

// ---------- attribute arguments ----------

fn value(input: ParseStream, spans: &mut Spans) -> syn::Result<(ArgValue, diag::Span)> {
    let start = input.span();
    if input.peek(Token![-]) {
        let _: Token![-] = input.parse()?;
        let lit: syn::LitInt = input.parse()?;
        let n: i64 = lit.base10_parse()?;
        return Ok((ArgValue::Int(-n), spans.add(lit.span())));
    }
    if input.peek(syn::LitInt) {
        let lit: syn::LitInt = input.parse()?;
        return Ok((ArgValue::Int(lit.base10_parse()?), spans.add(lit.span())));
    }
    if input.peek(LitStr) {
        let lit: LitStr = input.parse()?;
        return Ok((ArgValue::Str(lit.value()), spans.add(lit.span())));
    }
    if input.peek(syn::LitBool) {
        let lit: syn::LitBool = input.parse()?;
        return Ok((ArgValue::Int(lit.value as i64), spans.add(lit.span())));
    }
    if input.peek(syn::token::Bracket) {
        let content;
        let b = syn::bracketed!(content in input);
        let mut list = Vec::new();
        while !content.is_empty() {
            list.push(value(&content, spans)?);
            if content.is_empty() {
                break;
            }
            let _: Token![,] = content.parse()?;
        }
        return Ok((ArgValue::List(list), spans.add(b.span.join())));
    }
    if input.peek(syn::Ident::peek_any) {
        let id = input.call(syn::Ident::parse_any)?;
        return Ok((ArgValue::Ident(id.to_string()), spans.add(id.span())));
    }
    Err(syn::Error::new(start, "expected a number, a string, a name or a list `[...]`"))
}


fn arg(input: ParseStream, spans: &mut Spans) -> syn::Result<Arg> {
    let key = input.call(syn::Ident::parse_any)?;
    let key_span = spans.add(key.span());
    if input.peek(Token![=]) {
        let _: Token![=] = input.parse()?;
        let (value, span) = value(input, spans)?;
        return Ok(Arg { key: key.to_string(), key_span, value, span });
    }
    if input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in input);
        let args = args(&content, spans)?;
        return Ok(Arg { key: key.to_string(), key_span, value: ArgValue::Call(args), span: key_span });
    }
    Ok(Arg { key: key.to_string(), key_span, value: ArgValue::Flag, span: key_span })
}

fn args(input: ParseStream, spans: &mut Spans) -> syn::Result<Vec<Arg>> {
    let mut out = Vec::new();
    while !input.is_empty() {
        out.push(arg(input, spans)?);
        if input.is_empty() {
            break;
        }
        let _: Token![,] = input.parse()?;
    }
    Ok(out)
}

fn parse_args(tokens: TokenStream2, spans: &mut Spans) -> syn::Result<Vec<Arg>> {
    (|input: ParseStream| args(input, spans)).parse2(tokens)
}

fn attr_args(attr: &Attribute, spans: &mut Spans) -> syn::Result<Vec<Arg>> {
    match &attr.meta {
        syn::Meta::Path(_) => Ok(Vec::new()),
        syn::Meta::List(l) => parse_args(l.tokens.clone(), spans),
        syn::Meta::NameValue(nv) => Err(syn::Error::new(nv.span(), "write `#[input(...)]`, not `#[input = ...]`")),
    }
}

// ---------- types and fields ----------

fn scalar(ty: &syn::Type) -> Option<Scalar> {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => p.path.get_ident().and_then(|i| Scalar::from_name(&i.to_string())),
        _ => None,
    }
}

fn ty_decl(ty: &syn::Type) -> TyDecl {
    if let Some(s) = scalar(ty) {
        return TyDecl::Scalar(s);
    }
    match ty {
        syn::Type::Tuple(t) if t.elems.is_empty() => TyDecl::Unit,
        syn::Type::Array(a) => {
            let len = match &a.len {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(n), .. }) => n.base10_parse::<u64>().ok(),
                _ => None,
            };
            match (scalar(&a.elem), len) {
                (Some(s), Some(n)) => TyDecl::Array(s, n),
                _ => TyDecl::Unsupported(ty.to_token_stream().to_string()),
            }
        }
        _ => TyDecl::Unsupported(ty.to_token_stream().to_string()),
    }
}

fn kind_of(attr: &Attribute) -> Option<ReportKind> {
    let p = attr.path();
    if p.is_ident("input") {
        Some(ReportKind::Input)
    } else if p.is_ident("output") {
        Some(ReportKind::Output)
    } else if p.is_ident("feature") {
        Some(ReportKind::Feature)
    } else {
        None
    }
}

/// Take a struct apart into a declaration; strips the field attributes it consumed.
fn struct_decl(s: &mut ItemStruct, args: Vec<Arg>, spans: &mut Spans) -> syn::Result<ReportDecl> {
    let name_span = spans.add(s.ident.span());
    let Fields::Named(named) = &mut s.fields else {
        return Err(syn::Error::new(s.ident.span(), "#[hid_report] needs a struct with named fields"));
    };
    let mut fields = Vec::new();
    for f in named.named.iter_mut() {
        let ident = f.ident.clone().expect("named field");
        let span = spans.add(ident.span());
        let ty_span = spans.add(f.ty.span());
        let mut kinds = Vec::new();
        let (mut opens, mut closes, mut raw) = (Vec::new(), Vec::new(), Vec::new());
        let mut keep = Vec::new();
        for a in f.attrs.drain(..) {
            let at = || a.path().span();
            match kind_of(&a) {
                Some(k) => {
                    let at = spans.add(at());
                    kinds.push((k, at, attr_args(&a, spans)?));
                }
                None if a.path().is_ident("collection") => {
                    let at = spans.add(at());
                    opens.push((at, attr_args(&a, spans)?));
                }
                None if a.path().is_ident("items") => {
                    let at = spans.add(at());
                    raw.push((at, attr_args(&a, spans)?));
                }
                None if a.path().is_ident("end_collection") => {
                    if !matches!(a.meta, syn::Meta::Path(_)) {
                        return Err(syn::Error::new(a.span(), "`#[end_collection]` takes no arguments (repeat it to close several)"));
                    }
                    closes.push(spans.add(at()));
                }
                None => keep.push(a),
            }
        }
        f.attrs = keep;
        fields.push(FieldDecl { name: ident.to_string(), span, ty: ty_decl(&f.ty), ty_span, kinds, opens, closes, items: raw });
    }
    Ok(ReportDecl { name: s.ident.to_string(), span: name_span, args, fields })
}

/// Remove the padding fields (they exist only in the descriptor, the packer writes zeros).
fn strip_padding(s: &mut ItemStruct, padding: &[String]) {
    if let Fields::Named(named) = &mut s.fields {
        let kept: Punctuated<syn::Field, Token![,]> = named
            .named
            .iter()
            .filter(|f| !f.ident.as_ref().is_some_and(|i| padding.contains(&i.to_string())))
            .cloned()
            .collect();
        named.named = kept;
    }
}

/// Generation options: the structs may be given the payload's layout unless one has a `#[repr]`.
fn options<'a>(structs: impl IntoIterator<Item = &'a ItemStruct>) -> gen::Options {
    let own_repr = structs.into_iter().any(|s| s.attrs.iter().any(|a| a.path().is_ident("repr")));
    gen::Options { wire_user_structs: !own_repr, ..Default::default() }
}

/// `#[repr(C, packed)]` on a struct the generated code treats as its report's payload.
fn wire_repr(s: &mut ItemStruct, g: &gen::Generated) {
    if g.wire.contains(&s.ident.to_string()) {
        s.attrs.push(syn::parse_quote!(#[repr(C, packed)]));
    }
}

/// The fields that exist only in the descriptor: padding and collection markers.
fn padding_names(g: &gen::Generated, decl: &ReportDecl) -> Vec<String> {
    let padding = g.reports.iter().flat_map(|r| r.fields.iter().filter(|f| f.padding).map(|f| f.name.clone()));
    let markers = decl.fields.iter().filter(|f| f.is_marker()).map(|f| f.name.clone());
    // Names of one struct only: a padding name of another struct may be a data field here.
    let own: Vec<&str> = decl.fields.iter().map(|f| f.name.as_str()).collect();
    padding.filter(|n| own.contains(&n.as_str())).chain(markers).collect()
}

/// The struct a `part_of = Name` struct continues.
fn part_of(decl: &ReportDecl) -> Option<String> {
    decl.args.iter().find(|a| a.key == "part_of").and_then(|a| match &a.value {
        ArgValue::Ident(s) | ArgValue::Str(s) => Some(s.clone()),
        _ => None,
    })
}

/// Move the fields of `part_of` structs into the struct they continue and drop the parts (the
/// report type is the continued struct; the part only placed fields in the descriptor).
fn merge_parts(items: &mut Vec<Item>, decls: &[ReportDecl], structs: &[usize]) {
    let mut remove = Vec::new();
    for (d, &i) in decls.iter().zip(structs) {
        let Some(host) = part_of(d) else { continue };
        let Item::Struct(part) = &items[i] else { continue };
        let Fields::Named(moved) = part.fields.clone() else { continue };
        if let Some(idx) = items.iter().position(|it| matches!(it, Item::Struct(s) if s.ident == host)) {
            if let Item::Struct(s) = &mut items[idx] {
                if let Fields::Named(named) = &mut s.fields {
                    named.named.extend(moved.named);
                }
            }
            remove.push(i);
        }
    }
    remove.sort_unstable();
    for i in remove.into_iter().rev() {
        items.remove(i);
    }
}

fn code_tokens(code: &str) -> TokenStream2 {
    match TokenStream2::from_str(code) {
        Ok(t) => t,
        Err(e) => syn::Error::new(Span::call_site(), format!("usbdesc generated invalid Rust (a bug): {e}")).to_compile_error(),
    }
}

/// Declares a HID report (or the input/output/feature reports of one device function) on a struct.
///
/// ```ignore
/// #[hid_report(usage_page = "Generic Desktop", usage = "Mouse", nested(physical, usage = "Pointer"))]
/// pub struct Mouse {
///     #[input(usage_page = "Button", usage_min = 1, usage_max = 3)]
///     pub buttons: [bool; 3],
///     #[input(padding, bits = 5)]
///     _pad: (),
///     #[input(usage_page = "Generic Desktop", usages = ["X", "Y"], relative)]
///     pub xy: [i8; 2],
/// }
/// ```
///
/// Container arguments: `usage_page`, `usage`, `collection` (default `application`; `none`: no
/// collection of its own), `nested(kind, usage_page = .., usage = ..)` (one inner collection
/// around all fields), `report_id`, and `allow(UD4123, ...)` (HID lint errors this descriptor has on
/// purpose become warnings). In a `#[hid_descriptor]` module also `inside = Name` (this report goes
/// into the application collection of `Name`, the struct just before) and `part_of = Name` (more
/// fields of report `Name` placed here in the descriptor; they become fields of `Name`).
///
/// Collections anywhere (siblings, fields after a nested collection): `#[collection(kind,
/// usage_page = .., usage = ..)]` on a field opens one before it, `#[end_collection]` closes one
/// after it (repeat either for several); a `()` field with only these attributes places an empty
/// collection and is removed from the struct. Kinds: `physical`, `application`, `logical`,
/// `report`, `named_array`, `usage_switch`, `usage_modifier` or `kind = 0x80`; `order = [..]` as
/// for fields.
/// Field attributes `#[input(..)]`, `#[output(..)]`, `#[feature(..)]` take `usage_page`, `usage`,
/// `usages = [..]`, `usage_min`/`usage_max` (HUT names or numbers), `logical_min`/`logical_max`
/// (default: the Rust type's range in `bits`), `physical_min`/`physical_max`, `unit`,
/// `unit` (a name as in TOML, `"centimeter"`, `"degree"`, ..., or a number), `unit_exponent`,
/// `bits` (default: the type's width), `count` (= the array length; on an unsigned integer field
/// with `bits`: packed bits, see below), main item flags (`constant`, `array`, `relative`, `wrap`,
/// `null_state`, ...; default data, variable, absolute; `flags = N` for the whole data),
/// `padding` (constant filler of type `()`, removed from the struct: default Cnst,Arr,Abs, any
/// flags such as `variable`, and any globals to restate, but no usage; `count = N` for N
/// elements), and `order = [count, bits, usage_page, ...]` for an exact global/local item order.
/// An argument given twice or two that contradict each other are an error (UD7022).
///
/// Packed bits: `pub modifiers: u8` with `#[input(usage_min = .., usage_max = .., bits = 1,
/// count = 8)]` holds 8 one-bit elements, element i at bit i × `bits` of the integer, exactly as on
/// the wire (`0x02` is the second usage). `count × bits` must fit the type (`u8`, `u16`, `u32`);
/// bits above them are not sent. It is the cheapest form for buttons and modifier keys: the value
/// is copied, where `[bool; 8]` is gathered bit by bit (both describe the same report).
///
/// Generates `DESCRIPTOR`, `ID`, `LEN`, `KIND`, `pack`, `pack_into`, `unpack` and the
/// `usbdesc_runtime` report traits. A struct whose fields are of several kinds gets one generated
/// struct per kind: `NameInput`, `NameOutput`, `NameFeature`.
///
/// Byte-aligned reports (every field starts on a byte and covers whole bytes: 8/16/32/64-bit
/// values and arrays of them, or an unsigned value or `bool` whose other bits up to its type's
/// width are padding; no constant bytes between fields) are their own wire payload: the struct
/// gets `#[repr(C, packed)]`, `pack_into` copies its bytes, `unpack` is a checked cast, and
/// `send` hands a report with no ID and no padding bits to the endpoint as it is. Fields of a
/// packed struct are read by value (`let x = r.x;`, `{ r.x }` in `assert_eq!`): a reference to a
/// multi-byte field is not allowed (E0793). A struct with a `#[repr]` of its own keeps its layout
/// and gets per-field pack code.
#[proc_macro_attribute]
pub fn hid_report(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut spans = Spans::default();
    let mut s = match syn::parse::<ItemStruct>(item) {
        Ok(s) => s,
        Err(e) => return e.to_compile_error().into(),
    };
    let result = parse_args(attr.into(), &mut spans).and_then(|args| struct_decl(&mut s, args, &mut spans));
    let decl = match result {
        Ok(d) => d,
        Err(e) => return e.to_compile_error().into(),
    };
    let o = options(std::slice::from_ref(&s));
    match gen::hid_reports(std::slice::from_ref(&decl), Mode::Single, &o) {
        Ok(g) => {
            strip_padding(&mut s, &padding_names(&g, &decl));
            wire_repr(&mut s, &g);
            let code = code_tokens(&g.code);
            quote!(#s #code).into()
        }
        Err(d) => {
            strip_padding(&mut s, &[]);
            let errs = errors(d.into_vec(), &spans);
            quote!(#s #errs).into()
        }
    }
}

/// Composes several `#[hid_report]` structs in an inline module into one report descriptor:
/// `DESCRIPTOR`, `REPORT_IDS`, and dispatch enums `Output` / `Feature` whose `unpack` picks the
/// report by its ID. Report IDs are checked for uniqueness at compile time.
///
/// ```ignore
/// #[hid_descriptor]
/// pub mod composite {
///     #[hid_report(report_id = 1, usage_page = "Generic Desktop", usage = "Keyboard")]
///     pub struct Keyboard { /* .. */ }
///     #[hid_report(report_id = 2, usage_page = "Consumer", usage = "Consumer Control")]
///     pub struct Consumer { /* .. */ }
/// }
/// ```
#[proc_macro_attribute]
pub fn hid_descriptor(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut spans = Spans::default();
    let mut m = match syn::parse::<ItemMod>(item) {
        Ok(m) => m,
        Err(e) => return e.to_compile_error().into(),
    };
    if !attr.is_empty() {
        let a: TokenStream2 = attr.into();
        return syn::Error::new(a.span(), "#[hid_descriptor] takes no arguments").to_compile_error().into();
    }
    let Some((_, items)) = &mut m.content else {
        return syn::Error::new(m.ident.span(), "#[hid_descriptor] needs an inline module `mod name { ... }`")
            .to_compile_error()
            .into();
    };
    let mut decls = Vec::new();
    let mut structs = Vec::new();
    for (i, it) in items.iter_mut().enumerate() {
        let Item::Struct(s) = it else { continue };
        let Some(pos) = s.attrs.iter().position(|a| a.path().is_ident("hid_report")) else { continue };
        let a = s.attrs.remove(pos);
        let r = attr_args(&a, &mut spans).and_then(|args| struct_decl(s, args, &mut spans));
        match r {
            Ok(d) => {
                decls.push(d);
                structs.push(i);
            }
            Err(e) => return e.to_compile_error().into(),
        }
    }
    let o = options(structs.iter().filter_map(|&i| match &items[i] {
        Item::Struct(s) => Some(s),
        _ => None,
    }));
    match gen::hid_reports(&decls, Mode::Module, &o) {
        Ok(g) => {
            for (d, &i) in decls.iter().zip(&structs) {
                if let Item::Struct(s) = &mut items[i] {
                    strip_padding(s, &padding_names(&g, d));
                    wire_repr(s, &g);
                }
            }
            merge_parts(items, &decls, &structs);
            let code = code_tokens(&g.code);
            items.push(Item::Verbatim(code));
            m.into_token_stream().into()
        }
        Err(d) => {
            let errs = errors(d.into_vec(), &spans);
            items.push(Item::Verbatim(errs));
            m.into_token_stream().into()
        }
    }
}

/// Compiles a TOML device (path relative to `CARGO_MANIFEST_DIR`) into items: descriptor consts,
/// `pub static DEVICE: usbdesc_runtime::DeviceDescriptors`, and `pub mod hidN` per HID interface
/// with `REPORT_DESCRIPTOR` and typed report structs. The file is tracked for rebuilds; TOML
/// errors become compile errors naming the file, line and column.
///
/// Needs the `device` feature (`usbdesc-runtime = { features = ["device"] }`), which builds the
/// compiler's TOML front end and device model into the macro; without it this is a compile error
/// saying so (`UD7021`). `#[hid_report]` alone does not need them.
#[proc_macro]
pub fn include_device(input: TokenStream) -> TokenStream {
    device::include(input)
}

#[cfg(feature = "device")]
mod device;

#[cfg(not(feature = "device"))]
mod device {
    use proc_macro::TokenStream;
    use usbdesc_compiler::frontend::rust::codes::INCLUDE_FEATURE;

    pub fn include(_: TokenStream) -> TokenStream {
        let msg = format!(
            "include_device! needs the `device` feature: `usbdesc-runtime = {{ ..., features = [\"device\"] }}` \
             (or usbdesc-macros' `device`) [{INCLUDE_FEATURE}]"
        );
        syn::Error::new(proc_macro2::Span::call_site(), msg).to_compile_error().into()
    }
}
