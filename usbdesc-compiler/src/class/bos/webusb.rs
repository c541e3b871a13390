//! WebUSB platform capability (WebUSB CG report §3.1) and its landing-page URL descriptor (§4.3).
//!
//! TOML `[bos.webusb]`: `vendor_code` (bVendorCode, required), `landing_page = "https://..."`
//! (optional; iLandingPage = 1 when given), `bcd_version` ("1.00").

use crate::class::{CapabilityItem, DeviceCapability, DumpBlock, VendorDescriptor};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::CapabilityDescriptor;
use crate::spec::capability::{platform, PLATFORM};
use crate::spec::u16_at;
use crate::tomlr::Table;

/// {3408B638-09A9-47A0-8BFD-A0768815B665}, little-endian fields first.
pub const UUID: [u8; 16] =
    [0x38, 0xb6, 0x08, 0x34, 0xa9, 0x09, 0xa0, 0x47, 0x8b, 0xfd, 0xa0, 0x76, 0x88, 0x15, 0xb6, 0x65];
/// bDescriptorType of a WebUSB URL descriptor.
pub const URL: u8 = 0x03;
/// wIndex of the GET_URL vendor request.
pub const GET_URL: u16 = 0x02;
/// The URL index the landing page gets (iLandingPage, the GET_URL request's wValue).
pub const LANDING_PAGE: u8 = 1;
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

impl CapabilityDescriptor for WebUsb {
    fn key(&self) -> &'static str {
        "webusb"
    }
    fn encode(&self) -> Vec<u8> {
        let mut data = self.bcd_version.to_le_bytes().to_vec();
        data.push(self.vendor_code);
        data.push(if self.landing_page.is_some() { LANDING_PAGE } else { 0 });
        platform(&UUID, &data)
    }
    /// The landing page, for GET_URL (its vendor code, wIndex 2, wValue iLandingPage).
    fn vendor(&self) -> Vec<VendorDescriptor> {
        self.url_descriptor()
            .map(|bytes| VendorDescriptor {
                capability: "webusb",
                name: "webusb_url",
                title: "WebUSB landing page URL descriptor",
                request: self.vendor_code,
                value: LANDING_PAGE.into(),
                index: GET_URL,
                bytes,
            })
            .into_iter()
            .collect()
    }
    #[cfg(feature = "emit")]
    fn to_toml(&self) -> String {
        let q = |s: &str| toml::Value::String(s.to_string()).to_string();
        let mut o = format!("\n[bos.webusb]\nvendor_code = {}\nbcd_version = {}\n", self.vendor_code, crate::names::bcd_toml(self.bcd_version));
        if let Some((scheme, rest)) = &self.landing_page {
            let prefix = match scheme {
                0 => "http://",
                1 => "https://",
                _ => "",
            };
            o += &format!("landing_page = {}\n", q(&format!("{prefix}{rest}")));
        }
        o
    }
}

impl WebUsb {
    /// The URL descriptor for iLandingPage.
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

/// The capability's reader, dump and schema.
pub struct Capability;

impl DeviceCapability for Capability {
    fn key(&self) -> &'static str {
        "webusb"
    }
    fn read(&self, t: &Table<'_, '_>, d: &mut Diagnostics) -> Option<CapabilityItem> {
        read(t, d).map(CapabilityItem::new)
    }
    fn dump(&self, c: &[u8]) -> Option<DumpBlock> {
        if c.len() < 24 || c[2] != PLATFORM || c[4..20] != UUID {
            return None;
        }
        let data = &c[20..];
        let mut b = DumpBlock::new("Platform Capability (WebUSB)", "");
        b.field("bDevCapabilityType", c[2], "PLATFORM");
        b.field("PlatformCapabilityUUID", "", crate::spec::hex(&UUID));
        let v = u16_at(data, 0);
        b.field("bcdVersion", crate::names::format_bcd(v).unwrap_or_else(|| format!("0x{v:04x}")), "");
        b.field("bVendorCode", format!("0x{:02x}", data[2]), "GET_URL request code");
        b.field("iLandingPage", data[3], "URL descriptor index (GET_URL), not a string");
        Some(b)
    }
    fn dump_vendor(&self, v: &VendorDescriptor) -> Vec<DumpBlock> {
        let u = &v.bytes;
        if u.len() < 3 {
            return Vec::new();
        }
        let mut b = DumpBlock::new("URL Descriptor", "");
        b.field("bLength", u[0], "");
        b.field("bDescriptorType", u[1], "WEBUSB URL");
        b.field("bScheme", u[2], match u[2] {
            0 => "http://",
            1 => "https://",
            _ => "as written",
        });
        b.field("URL", "", format!("\"{}\"", String::from_utf8_lossy(&u[3..])));
        vec![b]
    }
    #[cfg(feature = "emit")]
    fn schema(&self) -> serde_json::Value {
        use crate::schema_parts::{bcd, byte, table};
        table("the WebUSB platform capability", KEYS, &["vendor_code"], |k| match k {
            "vendor_code" => byte(),
            "bcd_version" => bcd(),
            _ => serde_json::json!({ "type": "string", "pattern": "^https?://" }),
        })
    }
    fn key_docs(&self) -> &'static str {
        "bos.webusb | none | [bos.webusb] | The WebUSB platform capability and its landing page.
webusb.vendor_code | required | vendor_code = 0x01 | bVendorCode of the GET_URL request.
webusb.bcd_version | \"1.00\" | bcd_version = \"1.00\" | bcdVersion of the WebUSB capability.
webusb.landing_page | none | landing_page = \"https://example.com\" | iLandingPage: an http:// or https:// URL."
    }
}

fn read(t: &Table<'_, '_>, d: &mut Diagnostics) -> Option<WebUsb> {
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
