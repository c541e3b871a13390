//! Class-specific descriptors beyond HID and CDC: USB MIDI 1.0 and DFU 1.1. Mass Storage (BOT,
//! SCSI transparent) has no class-specific descriptors: it is the class triple
//! `class = "msc"`, `subclass = "scsi"`, `protocol = "bot"` (see [`crate::names`]).

pub mod dfu;
pub mod midi;
