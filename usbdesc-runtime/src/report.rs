//! Traits implemented by generated report structs.
//!
//! A generated struct knows its own report ID, its length on the wire and how to pack/unpack
//! itself; the runtime only moves bytes. None of these methods may panic.

use crate::model::ReportKind;

/// Why bytes could not become a typed report (or the other way round).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportError {
    /// The byte slice has the wrong length (`expected` includes the report ID byte).
    WrongLength { expected: usize, got: usize },
    /// The first byte is not this report's ID.
    WrongId { expected: u8, got: u8 },
    /// A field holds a value outside its logical range (e.g. an array index past its usage list).
    InvalidValue,
    /// The destination buffer is shorter than [`Report::LEN`].
    BufferTooSmall { needed: usize, got: usize },
}

/// Facts shared by every generated report type.
pub trait Report {
    /// Report ID, 0 when the report descriptor uses no IDs.
    const ID: u8;
    /// Bytes on the wire, including the ID byte when `ID != 0`.
    const LEN: usize;
    /// Input, output or feature.
    const KIND: ReportKind;
    /// The HID interface this report belongs to, when the generator knows it (TOML devices).
    /// `None` lets the runtime find the interface by (kind, ID, length).
    const INTERFACE: Option<u8> = None;
}

/// A report the device sends (input), or a feature report it returns for GET_REPORT.
pub trait PackReport: Report {
    /// Writes exactly `LEN` bytes (ID byte first when `ID != 0`) into `buf` and returns `LEN`.
    /// Returns 0 and writes nothing when `buf` is shorter than `LEN`.
    fn pack_into(&self, buf: &mut [u8]) -> usize;
}

/// A report the device receives (output, or feature via SET_REPORT).
pub trait UnpackReport: Report + Sized {
    /// Parses exactly `LEN` bytes (ID byte first when `ID != 0`).
    fn unpack(bytes: &[u8]) -> Result<Self, ReportError>;
}

/// Marker for input reports (`KIND == Input`), sent on the interrupt IN endpoint.
pub trait InputReport: PackReport {}

/// Marker for output reports (`KIND == Output`), received by SET_REPORT or interrupt OUT.
pub trait OutputReport: UnpackReport {}

/// Marker for feature reports (`KIND == Feature`): both directions over the control pipe.
pub trait FeatureReport: PackReport + UnpackReport {}

/// Checks the framing every `unpack` needs: length and (when `id != 0`) the leading ID byte.
/// Generated code calls this first, then decodes fields from the returned payload (the bytes
/// after the ID).
pub fn check_frame(bytes: &[u8], id: u8, len: usize) -> Result<&[u8], ReportError> {
    if bytes.len() != len {
        return Err(ReportError::WrongLength {
            expected: len,
            got: bytes.len(),
        });
    }
    if id == 0 {
        return Ok(bytes);
    }
    match bytes.split_first() {
        Some((&first, rest)) if first == id => Ok(rest),
        Some((&first, _)) => Err(ReportError::WrongId {
            expected: id,
            got: first,
        }),
        None => Err(ReportError::WrongLength {
            expected: len,
            got: 0,
        }),
    }
}
