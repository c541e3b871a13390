//! UVC class requests a host sends while binding a camera (what Linux's uvcvideo asks), answered
//! from the compiled configuration of examples/uvc-camera.toml (UVC 1.1, camera terminal 1 with
//! auto-exposure mode and exposure time; processing unit 2 with brightness, contrast and power
//! line frequency; YUY2 640x480 at 5 fps by default, on a 64-byte bulk endpoint; VideoControl
//! clock 48 MHz), served at run time and as a compile-time device.

mod support;

use support::*;
use usbd_class_tester::prelude::*;

mod uvc {
    usbdesc_runtime::include_device!("../examples/uvc-camera.toml");
}

const SET_CUR: u8 = 0x01;
const GET_CUR: u8 = 0x81;
const GET_MIN: u8 = 0x82;
const GET_MAX: u8 = 0x83;
const GET_RES: u8 = 0x84;
const GET_LEN: u8 = 0x85;
const GET_INFO: u8 = 0x86;
const GET_DEF: u8 = 0x87;

/// wIndex of entity `e` on interface `itf`.
fn at(e: u8, itf: u8) -> u16 {
    u16::from_be_bytes([e, itf])
}

/// The 34-byte UVC 1.1 probe block the declaration gives: bmHint 1, format 1, frame 1, interval
/// 2,000,000 (100 ns units, 5 fps), max frame 614,400 (640 x 480 x 2), max payload 64, clock
/// 48,000,000.
fn probe_default() -> Vec<u8> {
    let mut p = vec![0u8; 34];
    p[0] = 1;
    p[2] = 1;
    p[3] = 1;
    p[4..8].copy_from_slice(&2_000_000u32.to_le_bytes());
    p[18..22].copy_from_slice(&614_400u32.to_le_bytes());
    p[22..26].copy_from_slice(&64u32.to_le_bytes());
    p[26..30].copy_from_slice(&48_000_000u32.to_le_bytes());
    p
}

fn binds_like_uvcvideo<'a, C, X>(c: &mut C, dev: &mut Device<'a, C, X>)
where
    C: usb_device::class::UsbClass<EmulatedUsbBus>,
    X: UsbDeviceCtx<C<'a> = C>,
{
    let read = |dev: &mut Device<'a, C, X>, c: &mut C, req, sel: u8, e, itf, len| {
        dev.control_read(c, class_in_itf(), req, u16::from(sel) << 8, at(e, itf), len)
    };
    // Streaming interface 1: probe GET_DEF, SET_CUR of it, GET_CUR (uvc_video_init), commit.
    let def = read(dev, c, GET_DEF, 1, 0, 1, 34).unwrap();
    assert_eq!(def, probe_default());
    dev.control_write(c, class_out_itf(), SET_CUR, 0x0100, 1, 34, &def).unwrap();
    assert_eq!(read(dev, c, GET_CUR, 1, 0, 1, 34).unwrap(), probe_default());
    assert_eq!(read(dev, c, GET_MIN, 1, 0, 1, 34).unwrap(), probe_default());
    assert_eq!(read(dev, c, GET_MAX, 1, 0, 1, 34).unwrap(), probe_default());
    assert_eq!(read(dev, c, GET_INFO, 1, 0, 1, 1).unwrap(), [0x03]);
    assert_eq!(read(dev, c, GET_LEN, 1, 0, 1, 2).unwrap(), [34, 0]);
    dev.control_write(c, class_out_itf(), SET_CUR, 0x0200, 1, 34, &def).unwrap();
    assert_eq!(read(dev, c, GET_CUR, 2, 0, 1, 34).unwrap(), probe_default());
    // Commit has no MIN/MAX/DEF; a probe of the wrong length is refused; other selectors STALL.
    assert!(is_stall(&read(dev, c, GET_DEF, 2, 0, 1, 34)));
    assert!(is_stall(&dev.control_write(c, class_out_itf(), SET_CUR, 0x0100, 1, 26, &def[..26])));
    assert!(is_stall(&read(dev, c, GET_CUR, 3, 0, 1, 34)));
    assert!(is_stall(&read(dev, c, GET_CUR, 1, 5, 1, 34)));

    // Camera terminal 1: auto-exposure mode (bitmap: RES = manual, no MIN/MAX), exposure time
    // absolute (4 bytes); auto focus and iris are not declared.
    assert_eq!(read(dev, c, GET_INFO, 0x02, 1, 0, 1).unwrap(), [0x03]);
    assert_eq!(read(dev, c, GET_RES, 0x02, 1, 0, 1).unwrap(), [0x01]);
    assert_eq!(read(dev, c, GET_DEF, 0x02, 1, 0, 1).unwrap(), [0x01]);
    assert!(is_stall(&read(dev, c, GET_MIN, 0x02, 1, 0, 1)));
    assert_eq!(read(dev, c, GET_MAX, 0x04, 1, 0, 4).unwrap(), [255, 0, 0, 0]);
    assert_eq!(read(dev, c, GET_LEN, 0x04, 1, 0, 2).unwrap(), [4, 0]);
    assert!(is_stall(&read(dev, c, GET_MAX, 0x08, 1, 0, 1)));
    assert!(is_stall(&read(dev, c, GET_INFO, 0x09, 1, 0, 1)));

    // Processing unit 2: brightness (2 bytes 0..255, default 0), power line frequency (menu,
    // default 60 Hz); hue (bit 2) is not declared.
    assert_eq!(read(dev, c, GET_INFO, 0x02, 2, 0, 1).unwrap(), [0x03]);
    assert_eq!(read(dev, c, GET_MIN, 0x02, 2, 0, 2).unwrap(), [0, 0]);
    assert_eq!(read(dev, c, GET_MAX, 0x02, 2, 0, 2).unwrap(), [255, 0]);
    assert_eq!(read(dev, c, GET_RES, 0x02, 2, 0, 2).unwrap(), [1, 0]);
    assert_eq!(read(dev, c, GET_CUR, 0x03, 2, 0, 2).unwrap(), [0, 0]);
    assert_eq!(read(dev, c, GET_DEF, 0x05, 2, 0, 1).unwrap(), [2]);
    assert!(is_stall(&read(dev, c, GET_INFO, 0x06, 2, 0, 1)));
    dev.control_write(c, class_out_itf(), SET_CUR, 0x0200, at(2, 0), 2, &[9, 0]).unwrap();
    assert!(is_stall(&dev.control_write(c, class_out_itf(), SET_CUR, 0x0200, at(2, 0), 1, &[9])));

    // Output terminal 3 has no controls, entity 9 does not exist, the request error code
    // control (entity 0) and unknown requests STALL.
    assert!(is_stall(&read(dev, c, GET_INFO, 0x01, 3, 0, 1)));
    assert!(is_stall(&read(dev, c, GET_INFO, 0x02, 9, 0, 1)));
    assert!(is_stall(&read(dev, c, GET_CUR, 0x02, 0, 0, 1)));
    assert!(is_stall(&read(dev, c, 0x90, 0x02, 2, 0, 2)));
    // A class request to an interface the device does not have.
    assert!(is_stall(&read(dev, c, GET_DEF, 1, 0, 4, 34)));
    // Still enumerates afterwards.
    assert_eq!(dev.device_get_descriptor(c, 1, 0, 0, 18).unwrap(), uvc::DEVICE.device);
}

#[test]
fn runtime_device_answers_uvc_binding_requests() {
    Ctx(&uvc::DEVICE).with_usb(|mut cls, mut dev| binds_like_uvcvideo(&mut cls, &mut dev)).unwrap();
}

type UvcCtx = StaticCtx<uvc::Compiled, { uvc::STATE_LEN }, { uvc::MAX_EP }>;

#[test]
fn compile_time_device_answers_uvc_binding_requests() {
    UvcCtx::new(&uvc::DEVICE).with_usb(|mut cls, mut dev| binds_like_uvcvideo(&mut cls, &mut dev)).unwrap();
}

/// The frame descriptor (subtype `subtype`, bFrameIndex `index`) of the compiled configuration:
/// (dwMaxVideoFrameBufferSize, dwDefaultFrameInterval, the discrete intervals).
fn frame(subtype: u8, index: u8) -> (u32, u32, Vec<u32>) {
    let cfg = uvc::DEVICE.configuration;
    let mut at = 0;
    while at + 2 < cfg.len() {
        let d = &cfg[at..at + usize::from(cfg[at])];
        if d.len() >= 26 && d[1] == 0x24 && d[2] == subtype && d[3] == index {
            let le = |i: usize| u32::from_le_bytes(d[i..i + 4].try_into().unwrap());
            return (le(17), le(21), (0..usize::from(d[25])).map(|k| le(26 + 4 * k)).collect());
        }
        at += d.len();
    }
    panic!("no frame {subtype:#x}/{index}")
}

/// What uvcvideo's S_FMT does (uvc_probe_video): SET_CUR probe with the wanted format, frame and
/// interval, GET_CUR probe to learn what the device took, then SET_CUR commit. The device keeps
/// a declared choice, falls back per field to the defaults, and forgets it all on a bus reset.
fn negotiates_like_uvcvideo_set_fmt<'a, C, X>(c: &mut C, dev: &mut Device<'a, C, X>)
where
    C: usb_device::class::UsbClass<EmulatedUsbBus>,
    X: UsbDeviceCtx<C<'a> = C>,
{
    let get = |dev: &mut Device<'a, C, X>, c: &mut C, req, sel: u16| dev.control_read(c, class_in_itf(), req, sel << 8, 1, 34).unwrap();
    let set = |dev: &mut Device<'a, C, X>, c: &mut C, sel: u16, format: u8, frame: u8, interval: u32| {
        let mut p = probe_default();
        p[2] = format;
        p[3] = frame;
        p[4..8].copy_from_slice(&interval.to_le_bytes());
        dev.control_write(c, class_out_itf(), SET_CUR, sel << 8, 1, 34, &p).unwrap();
    };
    let fields = |p: &[u8]| (p[2], p[3], u32::from_le_bytes(p[4..8].try_into().unwrap()), u32::from_le_bytes(p[18..22].try_into().unwrap()));

    // MJPEG (format 2) 640x480 at its second declared rate.
    let (mjpeg_size, _, mjpeg_rates) = frame(0x07, 1);
    assert_eq!(mjpeg_rates.len(), 2);
    set(dev, c, 1, 2, 1, mjpeg_rates[1]);
    assert_eq!(fields(&get(dev, c, GET_CUR, 1)), (2, 1, mjpeg_rates[1], mjpeg_size));
    // GET_DEF still answers the declaration's default.
    assert_eq!(get(dev, c, GET_DEF, 1), probe_default());
    // YUY2 320x240 at an interval it does not declare: the frame's default interval.
    let (small_size, small_default, small_rates) = frame(0x05, 2);
    assert!(!small_rates.contains(&12_345));
    set(dev, c, 1, 1, 2, 12_345);
    assert_eq!(fields(&get(dev, c, GET_CUR, 1)), (1, 2, small_default, small_size));
    // A format that does not exist: the first format; each field falls back on its own.
    set(dev, c, 1, 9, 2, small_rates[0]);
    assert_eq!(fields(&get(dev, c, GET_CUR, 1)), (1, 2, small_rates[0], small_size));
    set(dev, c, 1, 9, 9, 0);
    assert_eq!(get(dev, c, GET_CUR, 1), probe_default());
    // A frame the format does not have: the format's default frame.
    set(dev, c, 1, 2, 7, 0);
    let (_, mjpeg_default, _) = frame(0x07, 1);
    assert_eq!(fields(&get(dev, c, GET_CUR, 1)), (2, 1, mjpeg_default, mjpeg_size));
    // Commit takes the same choice and answers it.
    set(dev, c, 2, 1, 2, small_rates[1]);
    assert_eq!(fields(&get(dev, c, GET_CUR, 2)), (1, 2, small_rates[1], small_size));
    // A bus reset forgets what was negotiated.
    c.reset();
    assert_eq!(get(dev, c, GET_CUR, 1), probe_default());
}

#[test]
fn runtime_device_negotiates_probe_and_commit() {
    Ctx(&uvc::DEVICE).with_usb(|mut cls, mut dev| negotiates_like_uvcvideo_set_fmt(&mut cls, &mut dev)).unwrap();
}

#[test]
fn compile_time_device_negotiates_probe_and_commit() {
    UvcCtx::new(&uvc::DEVICE).with_usb(|mut cls, mut dev| negotiates_like_uvcvideo_set_fmt(&mut cls, &mut dev)).unwrap();
}


/// Whether probe block `p` names a declared format, one of its frames and an interval it declares.
fn declared_choice(p: &[u8]) -> bool {
    let subtype = match p[2] {
        1 => 0x05,
        2 => 0x07,
        _ => return false,
    };
    let cfg = uvc::DEVICE.configuration;
    let exists = cfg.windows(4).any(|w| w[1] == 0x24 && w[2] == subtype && w[3] == p[3] && w[0] >= 26);
    if !exists {
        return false;
    }
    let (_, default, rates) = frame(subtype, p[3]);
    let interval = u32::from_le_bytes(p[4..8].try_into().unwrap());
    interval == default || rates.contains(&interval)
}

/// Thousands of random probe/commit blocks (random formats, frames, intervals and the rest),
/// SET_CUR then GET_CUR: never a panic, every answer is a declared format with one of its frames
/// and an interval that frame declares, and the camera still binds afterwards.
#[test]
fn random_probe_blocks_settle_on_declared_choices() {
    Ctx(&uvc::DEVICE)
        .with_usb(|mut cls, mut dev| {
            let c = &mut cls;
            let mut rng = Rng(0x0BAD_CAFE);
            for k in 0..2000 {
                let mut block: Vec<u8> = (0..34).map(|_| rng.next() as u8).collect();
                // Half the time a small format/frame index, so declared ones are hit too.
                if k % 2 == 0 {
                    block[2] = (rng.next() % 4) as u8;
                    block[3] = (rng.next() % 4) as u8;
                }
                let sel: u16 = if rng.next().is_multiple_of(2) { 0x0100 } else { 0x0200 };
                dev.control_write(c, class_out_itf(), SET_CUR, sel, 1, 34, &block).unwrap();
                let got = dev.control_read(c, class_in_itf(), GET_CUR, sel, 1, 34).unwrap();
                assert!(declared_choice(&got), "{block:02x?} -> {got:02x?}");
            }
            binds_like_uvcvideo(c, &mut dev);
        })
        .unwrap();
}
