//! `include_device!` (feature `device`): a TOML device file through the compiler's TOML front end
//! and `pipeline::device::toml_to_rust`.

use proc_macro::TokenStream;
use quote::{quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::{LitStr, Token};

use crate::code_tokens;
use usbdesc_compiler::pipeline::device as gen;

struct IncludeArgs {
    path: LitStr,
}

impl Parse for IncludeArgs {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let path = input.parse()?;
        let _: Option<Token![,]> = input.parse()?;
        Ok(IncludeArgs { path })
    }
}

pub fn include(input: TokenStream) -> TokenStream {
    let IncludeArgs { path } = match syn::parse::<IncludeArgs>(input) {
        Ok(a) => a,
        Err(e) => return e.to_compile_error().into(),
    };
    let rel = path.value();
    let base = std::env::var_os("CARGO_MANIFEST_DIR").map(std::path::PathBuf::from).unwrap_or_default();
    let full = base.join(&rel);
    let sp = path.span();
    let text = match std::fs::read_to_string(&full) {
        Ok(t) => t,
        Err(e) => {
            let msg = format!("cannot read `{}`: {e} [{}]", full.display(), usbdesc_compiler::frontend::rust::codes::INCLUDE_IO);
            return syn::Error::new(sp, msg).to_compile_error().into();
        }
    };
    let full_str = full.display().to_string();
    let track = quote_spanned!(sp=> const _: &[u8] = include_bytes!(#full_str););
    match gen::toml_to_rust(&rel, &text, &Default::default()) {
        Ok(code) => {
            let code = code_tokens(&code);
            quote!(#track #code).into()
        }
        Err(rendered) => {
            let e = syn::Error::new(sp, format!("usbdesc: `{rel}` has errors\n{rendered}")).to_compile_error();
            quote!(#track #e).into()
        }
    }
}
