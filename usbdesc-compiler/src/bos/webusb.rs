//! WebUSB platform capability (WebUSB CG report §3.1) and its landing-page URL descriptor (§4.3).
//!
//! TOML `[bos.webusb]`: `vendor_code` (bVendorCode, required), `landing_page = "https://..."`
//! (optional; iLandingPage = 1 when given), `bcd_version` ("1.00").

use crate::diag::{Diagnostic, Diagnostics};
use crate::tomlr::Table;

/// {3408B638-09A9-47A0-8BFD-A0768815B665}, little-endian fields first.
pub const UUID: [u8; 16] =
    [0x38, 0xb6, 0x08, 0x34, 0xa9, 0x09, 0xa0, 0x47, 0x8b, 0xfd, 0xa0, 0x76, 0x88, 0x15, 0xb6, 0x65];
/// bDescriptorType of a WebUSB URL descriptor.
pub const URL: u8 = 0x03;
/// wIndex of the GET_URL vendor request.
pub const GET_URL: u16 = 0x02;
/// Landing page URL that cannot be a URL descriptor.
pub const BAD_URL: &str = "UD5101";
/// `[bos.webusb]`.
pub const KEYS: &[&str] = &["vendor_code", "bcd_version", "landing_page"];

#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct WebUsb {
    pub vendor_code: u8,
    pub bcd_version: u16,
    /// Scheme byte (0 = http://, 1 = https://, 255 = as written) and the rest of the URL.
    pub landing_page: Option<(u8, String)>,
}

impl WebUsb {
    pub fn capability(&self) -> Vec<u8> {
        let mut data = self.bcd_version.to_le_bytes().to_vec();
        data.push(self.vendor_code);
        data.push(if self.landing_page.is_some() { 1 } else { 0 });
        super::platform_capability(&UUID, &data)
    }
    /// The URL descriptor for iLandingPage (index 1).
    pub fn url_descriptor(&self) -> Option<Vec<u8>> {
        let (scheme, rest) = self.landing_page.as_ref()?;
        let mut b = vec![(3 + rest.len()).min(255) as u8, URL, *scheme];
        b.extend_from_slice(rest.as_bytes());
        Some(b)
    }
}

/// Split a URL into the WebUSB scheme byte and the rest.
pub fn split_url(url: &str) -> (u8, &str) {
    if let Some(r) = url.strip_prefix("https://") {
        (1, r)
    } else if let Some(r) = url.strip_prefix("http://") {
        (0, r)
    } else {
        (255, url)
    }
}

pub fn read(t: &Table<'_, '_>, d: &mut Diagnostics) -> Option<WebUsb> {
    let vendor_code = t.require("vendor_code", d).and_then(|v| v.u8(d)).unwrap_or(1);
    let bcd_version = t.get("bcd_version").and_then(|v| v.bcd(d)).unwrap_or(0x0100);
    let mut landing_page = None;
    if let Some(v) = t.get("landing_page") {
        if let Some(url) = v.str(d) {
            let (scheme, rest) = split_url(url);
            if scheme == 255 || rest.is_empty() || rest.len() > 252 {
                d.push(
                    Diagnostic::error(BAD_URL, format!("landing page \"{url}\" cannot be a WebUSB URL descriptor"))
                        .at(v.span())
                        .help("write an absolute http:// or https:// URL of at most 252 bytes after the scheme"),
                );
            }
            landing_page = Some((scheme, rest.to_string()));
        }
    }
    t.finish(KEYS, d);
    Some(WebUsb { vendor_code, bcd_version, landing_page })
}
