//! Which CMD_SUBMIT reaches the endpoints. A refused URB is answered with an error status (its
//! OUT data is still read and dropped, so the stream stays in step).

use crate::endpoints::Load;
use crate::limits::Limits;
use crate::wire::{Submit, EINVAL, ENOMEM};

/// Checks made from the header alone.
pub(crate) fn header(s: &Submit, limits: &Limits) -> Result<(), i32> {
    // Endpoint numbers stop at 15; no isochronous endpoint is served.
    if s.ep > 15 || s.is_iso() {
        return Err(EINVAL);
    }
    let len = s.length as usize;
    if s.ep != 0 {
        return if len > limits.max_transfer {
            Err(EINVAL)
        } else {
            Ok(())
        };
    }
    let w_length = usize::from(u16::from_le_bytes([s.setup[6], s.setup[7]]));
    let setup_in = s.setup[0] & 0x80 != 0;
    // The URB's direction must be the setup's; with wLength 0 there is no data stage, and Linux
    // submits such a request as OUT whatever bmRequestType says.
    if w_length > 0 && setup_in != s.dir_in {
        return Err(EINVAL);
    }
    // A control transfer moves at most wLength (< 64 KiB); an OUT URB must carry all of it.
    if len > 0xffff || (!s.dir_in && len < w_length) {
        return Err(EINVAL);
    }
    Ok(())
}

/// Checks against what already waits in the endpoints.
pub(crate) fn load(s: &Submit, now: Load, limits: &Limits) -> Result<(), i32> {
    let out = if s.dir_in { 0 } else { s.length as usize };
    if now.urbs >= limits.max_pending_urbs || now.out_bytes + out > limits.max_queued_out {
        return Err(ENOMEM);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn submit(ep: u32, dir_in: bool, length: u32, setup: [u8; 8]) -> Submit {
        Submit {
            seq: 1,
            dir_in,
            ep,
            flags: 0,
            length,
            iso_packets: 0,
            setup,
        }
    }

    const GET_DEVICE: [u8; 8] = [0x80, 6, 0, 1, 0, 0, 18, 0];

    #[test]
    fn header_checks() {
        let l = Limits::default();
        assert_eq!(header(&submit(0, true, 18, GET_DEVICE), &l), Ok(()));
        assert_eq!(
            header(&submit(0, true, 64, GET_DEVICE), &l),
            Ok(()),
            "a larger buffer is fine"
        );
        assert_eq!(
            header(&submit(0, false, 18, GET_DEVICE), &l),
            Err(EINVAL),
            "GET_DESCRIPTOR in an OUT URB"
        );
        assert_eq!(
            header(&submit(0x10, true, 18, GET_DEVICE), &l),
            Err(EINVAL),
            "endpoint 16"
        );
        assert_eq!(
            header(&submit(0, true, 0x1_0000, GET_DEVICE), &l),
            Err(EINVAL)
        );
        // SET_REPORT wLength 8 with only 4 bytes of data.
        let set_report = [0x21, 9, 0, 2, 0, 0, 8, 0];
        assert_eq!(header(&submit(0, false, 4, set_report), &l), Err(EINVAL));
        assert_eq!(header(&submit(0, false, 8, set_report), &l), Ok(()));
        // A request with no data stage may come as either direction.
        let no_data_in = [0x80, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(header(&submit(0, false, 0, no_data_in), &l), Ok(()));
        assert_eq!(header(&submit(1, false, u32::MAX, [0; 8]), &l), Err(EINVAL));
        assert_eq!(
            header(&submit(1, true, l.max_transfer as u32, [0; 8]), &l),
            Ok(())
        );
        let mut iso = submit(1, true, 8, [0; 8]);
        iso.iso_packets = 1;
        assert_eq!(header(&iso, &l), Err(EINVAL));
    }

    #[test]
    fn load_checks() {
        let l = Limits {
            max_pending_urbs: 2,
            max_queued_out: 100,
            ..Limits::default()
        };
        let out = submit(1, false, 60, [0; 8]);
        let idle = Load {
            urbs: 0,
            out_bytes: 0,
        };
        assert_eq!(load(&out, idle, &l), Ok(()));
        assert_eq!(
            load(
                &out,
                Load {
                    urbs: 1,
                    out_bytes: 41
                },
                &l
            ),
            Err(ENOMEM)
        );
        assert_eq!(
            load(
                &out,
                Load {
                    urbs: 2,
                    out_bytes: 0
                },
                &l
            ),
            Err(ENOMEM)
        );
        let inn = submit(1, true, 1000, [0; 8]);
        assert_eq!(
            load(
                &inn,
                Load {
                    urbs: 1,
                    out_bytes: 100
                },
                &l
            ),
            Ok(())
        );
    }
}
