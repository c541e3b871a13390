//! Controller profiles: what a target USB controller (and its HAL) can do. Selected in TOML with
//! `target = "samd21" | "generic-fs" | "generic-hs"`; checked by `check::profile`.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Target {
    Samd21,
    GenericFs,
    GenericHs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Speed {
    Full,
    High,
}

/// Limits of one controller profile.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Profile {
    pub name: &'static str,
    pub speed: Speed,
    /// Highest endpoint number usable besides EP0.
    pub max_endpoint_number: u8,
    /// Largest wMaxPacketSize for interrupt and bulk endpoints.
    pub max_packet_interrupt_bulk: u16,
    /// Largest wMaxPacketSize for isochronous endpoints.
    pub max_packet_iso: u16,
    /// Largest EP0 packet size.
    pub max_packet_ep0: u8,
    /// Endpoint buffer pool in bytes (None: not limited by the profile).
    pub buffer_pool: Option<u32>,
    /// Largest buffer one endpoint may take from the pool.
    pub buffer_per_endpoint: Option<u16>,
    /// What the limits come from.
    pub source: &'static str,
}

impl Target {
    pub const NAMES: &'static [(&'static str, i128)] = &[("samd21", 0), ("generic-fs", 1), ("generic-hs", 2)];

    pub fn from_index(i: i128) -> Target {
        match i {
            0 => Target::Samd21,
            1 => Target::GenericFs,
            _ => Target::GenericHs,
        }
    }
    pub fn name(self) -> &'static str {
        self.profile().name
    }
    pub fn speed(self) -> Speed {
        self.profile().speed
    }
    pub fn profile(self) -> Profile {
        match self {
            Target::Samd21 => Profile {
                name: "samd21",
                speed: Speed::Full,
                max_endpoint_number: 7,
                max_packet_interrupt_bulk: 64,
                max_packet_iso: 1023,
                max_packet_ep0: 64,
                buffer_pool: Some(2048),
                buffer_per_endpoint: Some(128),
                source: "SAMD21 USB (full speed, endpoints 0-7) with atsamd-hal 0.23's default 2 KiB \
                         endpoint buffer pool, 128 B per endpoint",
            },
            Target::GenericFs => Profile {
                name: "generic-fs",
                speed: Speed::Full,
                max_endpoint_number: 15,
                max_packet_interrupt_bulk: 64,
                max_packet_iso: 1023,
                max_packet_ep0: 64,
                buffer_pool: None,
                buffer_per_endpoint: None,
                source: "USB 2.0 full-speed device (chapter 9 limits only)",
            },
            Target::GenericHs => Profile {
                name: "generic-hs",
                speed: Speed::High,
                max_endpoint_number: 15,
                max_packet_interrupt_bulk: 1024,
                max_packet_iso: 1024,
                max_packet_ep0: 64,
                buffer_pool: None,
                buffer_per_endpoint: None,
                source: "USB 2.0 high-speed device (chapter 9 limits only)",
            },
        }
    }
}
