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

    /// The report's wire bytes as they are in memory, when no pack step is needed (a [`Wire`]
    /// report without report ID or padding bits on a little-endian target): sent as they are.
    #[inline(always)]
    fn wire(&self) -> Option<&[u8]> {
        None
    }
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

/// A report whose struct is its own wire payload (the bytes after the report ID): generated for
/// reports in which every field starts on a byte and covers whole bytes (8/16/32/64-bit values,
/// arrays of them; an unsigned value or `bool` of fewer bits owns the rest of its bytes, which
/// are padding). The struct is `#[repr(C, packed)]`, so it has the payload's layout and
/// alignment 1 on every target; multi-byte values are in native order, which is the wire's on
/// little-endian targets and swapped by [`wire`] on big-endian ones.
///
/// # Safety
///
/// Implemented by generated code only. `Self` is `#[repr(C, packed)]` of `LEN - (ID != 0) as
/// usize` bytes with no padding, its fields are integers, `bool`s and arrays of integers in
/// payload order, every multi-byte value is listed in `WIDE`, and every byte holding a `bool` is
/// in `MASKS` with mask `0x01` (so any payload, masked, is a valid `Self`).
pub unsafe trait Wire: Report + Sized {
    /// `(payload byte, mask)` of bytes that hold padding bits besides a value: cleared on pack
    /// and unpack (values wider than their bits are truncated, as every report's pack does).
    const MASKS: &'static [(u16, u8)];
    /// `(payload byte, value bytes, count)` of multi-byte values (byte-swapped on big-endian
    /// targets only).
    const WIDE: &'static [(u16, u8, u16)];
}

/// The generic pack and unpack of [`Wire`] reports: a copy of the struct's bytes, the padding
/// masks applied, and on big-endian targets the multi-byte values swapped. Generated reports
/// call these instead of carrying per-field code.
pub mod wire {
    use super::{check_frame, ReportError, Wire};
    use core::mem::{size_of, MaybeUninit};

    /// The payload bytes of `r` as stored (no ID byte, padding bits not cleared).
    fn payload<R: Wire>(r: &R) -> &[u8] {
        const { assert!(size_of::<R>() + (R::ID != 0) as usize == R::LEN) };
        // SAFETY: `Wire` guarantees a packed struct of integers without padding bytes, so all of
        // its `size_of` bytes are initialised.
        unsafe { core::slice::from_raw_parts((r as *const R).cast::<u8>(), size_of::<R>()) }
    }

    #[inline(always)]
    fn fix<R: Wire>(body: &mut [u8]) {
        let mut mask = |&(at, m): &(u16, u8)| {
            if let Some(b) = body.get_mut(usize::from(at)) {
                *b &= m;
            }
        };
        // The first few one by one: each folds to one AND (a loop over a constant table is not
        // unrolled at opt-level "s").
        match R::MASKS {
            [] => {}
            [a] => mask(a),
            [a, b] => {
                mask(a);
                mask(b);
            }
            [a, b, c, rest @ ..] => {
                mask(a);
                mask(b);
                mask(c);
                rest.iter().for_each(mask);
            }
        }
        if cfg!(target_endian = "big") {
            for &(at, size, count) in R::WIDE {
                let (at, size) = (usize::from(at), usize::from(size));
                for k in 0..usize::from(count) {
                    if let Some(v) = body.get_mut(at + k * size..at + (k + 1) * size) {
                        v.reverse();
                    }
                }
            }
        }
    }

    /// The whole report as it goes on the wire, without a copy, when it can be: no report ID, no
    /// padding bits to clear, a little-endian target. (`None`: use [`pack`].)
    #[inline(always)]
    pub fn bytes<R: Wire>(r: &R) -> Option<&[u8]> {
        (R::ID == 0 && R::MASKS.is_empty() && cfg!(target_endian = "little")).then(|| payload(r))
    }

    /// Writes `R::LEN` bytes (ID byte first when `R::ID != 0`) to the start of `buf` and returns
    /// `R::LEN`; returns 0 and writes nothing when `buf` is shorter.
    #[inline(always)]
    pub fn pack<R: Wire>(r: &R, buf: &mut [u8]) -> usize {
        let Some(dst) = buf.get_mut(..R::LEN) else { return 0 };
        let (head, body) = dst.split_at_mut((R::ID != 0) as usize);
        if let Some(h) = head.first_mut() {
            *h = R::ID;
        }
        body.copy_from_slice(payload(r));
        fix::<R>(body);
        R::LEN
    }

    /// Parses exactly `R::LEN` bytes (ID byte first when `R::ID != 0`): the framing checked, then
    /// the payload copied into the struct (a checked cast).
    #[inline]
    pub fn unpack<R: Wire>(bytes: &[u8]) -> Result<R, ReportError> {
        const { assert!(size_of::<R>() + (R::ID != 0) as usize == R::LEN) };
        let body = check_frame(bytes, R::ID, R::LEN)?;
        if body.len() != size_of::<R>() {
            return Err(ReportError::WrongLength { expected: R::LEN, got: bytes.len() });
        }
        let mut v = MaybeUninit::<R>::uninit();
        // SAFETY: `body` has exactly `size_of::<R>()` bytes and cannot overlap the local `v`;
        // after the copy every byte of `v` is initialised, so it may be viewed as bytes. The
        // masks make every `bool` byte 0 or 1, and every other field accepts any bit pattern
        // (`Wire`), so `v` is a valid `R`.
        unsafe {
            core::ptr::copy_nonoverlapping(body.as_ptr(), v.as_mut_ptr().cast::<u8>(), body.len());
            fix::<R>(core::slice::from_raw_parts_mut(v.as_mut_ptr().cast::<u8>(), body.len()));
            Ok(v.assume_init())
        }
    }
}
