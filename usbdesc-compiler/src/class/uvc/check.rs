//! UVC rules: unique terminal and unit IDs, references that name something, frame buffers that
//! hold an image, frame intervals that make sense, formats and frames that add up.

use super::items::*;
use super::{is_control, is_streaming, DANGLING, ENTITY_ID_REUSED, FORMAT_COUNTS, FRAME_BUFFER_SMALL, FRAME_INTERVALS};
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::model::{Device, Interface, InterfaceItem};
use crate::spec::CS_INTERFACE;

pub fn check(dev: &Device, d: &mut Diagnostics) {
    for c in &dev.configurations {
        let itfs: Vec<&Interface> = c.interfaces().collect();
        for vc in itfs.iter().filter(|i| is_control(i) && i.alternate == 0) {
            control(vc, &itfs, d);
        }
        for vs in itfs.iter().filter(|i| is_streaming(i) && i.alternate == 0) {
            streaming(vs, &itfs, d);
        }
    }
}

fn video(i: &InterfaceItem) -> Option<&VideoItem> {
    i.class::<VideoItem>()
}

/// (ID, subtype, span) of every terminal and unit of a VideoControl interface, typed or raw.
fn entities(vc: &Interface) -> Vec<(u8, u8, Option<Span>)> {
    vc.items
        .iter()
        .filter_map(|i| match (video(i), i) {
            (Some(v), _) => {
                let subtype = match v {
                    VideoItem::CameraTerminal(_) => VC_INPUT_TERMINAL,
                    VideoItem::ProcessingUnit(_) => VC_PROCESSING_UNIT,
                    VideoItem::OutputTerminal(_) => VC_OUTPUT_TERMINAL,
                    _ => return None,
                };
                Some((v.entity_id()?, subtype, v.span()))
            }
            // Input/output terminals, selector, processing, extension and encoding units (§A.5).
            (None, InterfaceItem::Raw(r)) if r.descriptor_type == CS_INTERFACE && r.data.len() >= 2 && (2..=7).contains(&r.data[0]) => {
                Some((r.data[1], r.data[0], r.spans.table))
            }
            _ => None,
        })
        .collect()
}

fn control(vc: &Interface, itfs: &[&Interface], d: &mut Diagnostics) {
    let ents = entities(vc);
    let at = |s: Option<Span>| s.or(vc.spans.table);
    for (k, (id, _, span)) in ents.iter().enumerate() {
        if *id == 0 {
            d.push(
                Diagnostic::error(ENTITY_ID_REUSED, format!("a terminal or unit of VideoControl interface {} has ID 0", vc.number))
                    .at(at(*span))
                    .help("ID 0 means \"none\" in UVC references (UVC 1.5 §3.7.2); leave `id` out to have one assigned")
                    .note("Linux's uvcvideo keys every terminal and unit by its ID; a source of 0 names nothing"),
            );
        } else if let Some((_, _, first)) = ents[..k].iter().find(|(j, _, _)| j == id) {
            d.push(
                Diagnostic::warning(ENTITY_ID_REUSED, format!("terminal/unit ID {id} is used twice in VideoControl interface {}", vc.number))
                    .at(at(*span))
                    .label(*first, "first used here")
                    .help("terminal and unit IDs are unique within the video function (UVC 1.5 §3.7.2); leave `id` out to have one assigned")
                    .note("Linux's uvcvideo looks entities up by ID, so the second one is never reached from a source ID"),
            );
        }
    }
    let ids = || ents.iter().map(|(j, _, _)| j.to_string()).collect::<Vec<_>>().join(", ");
    for it in &vc.items {
        let (what, id, source, span) = match video(it) {
            Some(VideoItem::ProcessingUnit(p)) => ("processing unit", p.id, p.source, p.span),
            Some(VideoItem::OutputTerminal(o)) => ("output terminal", o.id, o.source, o.span),
            _ => continue,
        };
        if !ents.iter().any(|(j, _, _)| *j == source && source != 0) {
            d.push(
                Diagnostic::error(DANGLING, format!("{what} {id} takes its input from ID {source}, which is no terminal or unit of interface {}", vc.number))
                    .at(at(span))
                    .help(format!("set `source` to a terminal or unit of this interface (IDs here: {})", ids()))
                    .note("Linux 6.1's uvcvideo logs \"Found reference to unknown entity N\" and drops the video chain; a simple camera then binds only through its fallback heuristic"),
            );
        }
    }
    for it in &vc.items {
        let Some(VideoItem::VcHeader(h)) = video(it) else { continue };
        for n in &h.streaming {
            if !itfs.iter().any(|i| i.number == *n && is_streaming(i)) {
                d.push(
                    Diagnostic::error(DANGLING, format!("the VideoControl header lists interface {n} as a VideoStreaming interface, and it is not one"))
                        .at(at(h.span))
                        .help("list in `streaming` the numbers of this function's VideoStreaming interfaces")
                        .note("Linux's uvcvideo parses the streaming interfaces this list names and claims them; one it cannot find is skipped"),
                );
            }
        }
    }
}

fn streaming(vs: &Interface, itfs: &[&Interface], d: &mut Diagnostics) {
    let at = |s: Option<Span>| s.or(vc_span(vs));
    let Some((k, h)) = vs.items.iter().enumerate().find_map(|(k, i)| match video(i) {
        Some(VideoItem::InputHeader(h)) => Some((k, h)),
        _ => None,
    }) else {
        return;
    };
    let tail = &vs.items[k + 1..];
    // The terminal link: an output terminal of the VideoControl interface listing this one.
    let vcs: Vec<&&Interface> = itfs.iter().filter(|i| is_control(i) && i.alternate == 0).collect();
    let listing: Vec<&&Interface> = vcs
        .iter()
        .copied()
        .filter(|vc| vc.items.iter().any(|i| matches!(video(i), Some(VideoItem::VcHeader(x)) if x.streaming.contains(&vs.number))))
        .collect();
    let candidates = if listing.is_empty() { &vcs } else { &listing };
    let outputs: Vec<u8> =
        candidates.iter().flat_map(|vc| entities(vc)).filter(|(_, s, _)| *s == VC_OUTPUT_TERMINAL).map(|(id, _, _)| id).collect();
    if !outputs.contains(&h.terminal_link) {
        d.push(
            Diagnostic::error(DANGLING, format!("VideoStreaming interface {} links to terminal {}, which is no output terminal of its VideoControl interface", vs.number, h.terminal_link))
                .at(at(h.span))
                .help(match outputs.as_slice() {
                    [] => "declare an `[[...video_output_terminal]]` in the VideoControl interface and name its ID in `terminal_link`".to_string(),
                    o => format!("set `terminal_link` to an output terminal ID ({})", o.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(", ")),
                })
                .note("Linux 6.1's uvcvideo binds the device but registers no video node (\"No streaming interface found for terminal ...\")"),
        );
    }
    let endpoint = h.endpoint.unwrap_or_else(|| first_in_endpoint(tail));
    let declared = itfs.iter().filter(|i| i.number == vs.number).flat_map(|i| i.endpoints()).any(|e| e.address() == endpoint && endpoint & 0x80 != 0);
    if !declared {
        d.push(
            Diagnostic::error(DANGLING, format!("the input header of VideoStreaming interface {} names endpoint {endpoint:#04x}, which none of its alternate settings has", vs.number))
                .at(at(h.span))
                .help("give `endpoint` the address of the video data IN endpoint (an isochronous one lives in an alternate setting > 0)")
                .note("Linux's uvcvideo looks the streaming endpoint up by this address in the interface's alternate settings"),
        );
    }
    formats(vs, h, tail, d);
}

fn vc_span(vs: &Interface) -> Option<Span> {
    vs.spans.table
}

fn formats(vs: &Interface, h: &InputHeader, tail: &[InterfaceItem], d: &mut Diagnostics) {
    let at = |s: Option<Span>| s.or(vs.spans.table);
    let count = formats_in(tail).count();
    if count > 255 {
        d.push(
            Diagnostic::error(FORMAT_COUNTS, format!("VideoStreaming interface {} declares {count} formats", vs.number))
                .at(at(h.span))
                .help("bNumFormats is one byte: declare at most 255 formats"),
        );
    }
    if count == 0 {
        d.push(
            Diagnostic::error(FORMAT_COUNTS, format!("VideoStreaming interface {} declares no format", vs.number))
                .at(at(h.span))
                .help("add a `[[...video_format]]` with at least one `frame`")
                .note("Linux's uvcvideo refuses a streaming interface without formats (\"has no supported formats defined\")"),
        );
    }
    if let Some(n) = h.format_count_override.filter(|n| usize::from(*n) != count) {
        d.push(
            Diagnostic::error(FORMAT_COUNTS, format!("the input header says {n} formats, {count} follow"))
                .at(at(h.span))
                .help("drop `format_count`: usbdesc counts the formats")
                .note("Linux's uvcvideo sizes the header's bmaControls by bNumFormats and rejects a header shorter than that"),
        );
    }
    for (k, item) in tail.iter().enumerate() {
        let Some(VideoItem::Format(f)) = video(item) else { continue };
        let frames: Vec<&Frame> = frames_after(&tail[k + 1..]).collect();
        let span = at(f.span);
        if frames.len() > 255 {
            d.push(
                Diagnostic::error(FORMAT_COUNTS, format!("format {} of interface {} has {} frames", f.index, vs.number, frames.len()))
                    .at(span)
                    .help("bNumFrameDescriptors is one byte: give a format at most 255 frames"),
            );
        }
        if frames.is_empty() {
            d.push(
                Diagnostic::error(FORMAT_COUNTS, format!("format {} of interface {} has no frame", f.index, vs.number))
                    .at(span)
                    .help("give the format at least one `frame = [{ width, height, fps }]`")
                    .note("a host can select a format only through one of its frames (UVC 1.5 §3.9.2.4)"),
            );
        }
        if let Some(n) = f.frame_count_override.filter(|n| usize::from(*n) != frames.len()) {
            d.push(
                Diagnostic::error(FORMAT_COUNTS, format!("format {} says {n} frames, {} follow", f.index, frames.len()))
                    .at(span)
                    .help("drop `frame_count`: usbdesc counts the frames"),
            );
        }
        if !frames.is_empty() && !frames.iter().any(|fr| fr.index == f.default_frame) {
            d.push(
                Diagnostic::error(FORMAT_COUNTS, format!("format {} names default frame {}, which it does not have", f.index, f.default_frame))
                    .at(span)
                    .help(format!("set `default_frame` to a frame index from 1 to {}", frames.len()))
                    .note("the default frame is what a host streams before it negotiates (the probe control's bFrameIndex)"),
            );
        }
        for fr in frames {
            frame(f, fr, at(fr.span), d);
        }
    }
}

fn frame(f: &Format, fr: &Frame, span: Option<Span>, d: &mut Diagnostics) {
    let what = format!("frame {} ({}x{}) of format {}", fr.index, fr.width, fr.height, f.index);
    if let FormatKind::Uncompressed { bits_per_pixel, .. } = f.kind {
        let need = fr.image_bytes(bits_per_pixel);
        if u64::from(fr.max_buffer) < need {
            d.push(
                Diagnostic::warning(FRAME_BUFFER_SMALL, format!("{what}: a {}-bit image is {need} bytes, the frame buffer size is {}", bits_per_pixel, fr.max_buffer))
                    .at(span)
                    .help("drop `max_frame_size`: usbdesc computes width x height x bits per pixel / 8")
                    .note("Linux 6.1's uvcvideo ignores this field for uncompressed formats and computes the size itself (640x480 YUY2 declaring 307200: `VIDIOC_G_FMT` gives `sizeimage=614400`, capture buffers of 614400 bytes); a host that sizes its buffers from it, or from the probe control's dwMaxVideoFrameSize that a device takes from it, gets buffers too small for one image"),
            );
        }
    }
    // `fixed_up`: uvcvideo repairs it and streams (a warning); otherwise the frame has no usable
    // interval (an error).
    let mut bad = |fixed_up: bool, msg: String, help: &str| {
        let msg = format!("{what}: {msg}");
        let diag = if fixed_up { Diagnostic::warning(FRAME_INTERVALS, msg) } else { Diagnostic::error(FRAME_INTERVALS, msg) };
        d.push(
            diag
                .at(span)
                .help(help.to_string())
                .note("Linux's uvcvideo replaces zero intervals with 1 and moves the default interval into the declared range (6.1 streams a frame declaring 15 and 5 fps with default interval 100 at 15 fps)"),
        );
    };
    match &fr.intervals {
        Intervals::Discrete(v) if v.is_empty() => bad(false, "no frame interval".into(), "give `fps = [...]` or `intervals = [...]` (100 ns units)"),
        Intervals::Discrete(v) if v.contains(&0) => bad(true, "a frame interval of 0".into(), "intervals are in 100 ns units and at least 1"),
        Intervals::Discrete(v) if !v.contains(&fr.default_interval) => bad(
            true,
            format!("the default interval {} is not one of the frame's intervals", fr.default_interval),
            "drop `default_interval` (the first interval is the default) or give one of `intervals`",
        ),
        Intervals::Continuous { min, max, step } if *min == 0 || *step == 0 || min > max => {
            bad(false, format!("the interval range {min}..{max} step {step} is empty or has a zero"), "give `interval_range = { min, max, step }` with 0 < min <= max and step > 0")
        }
        Intervals::Continuous { min, max, .. } if fr.default_interval < *min || fr.default_interval > *max => bad(
            true,
            format!("the default interval {} is outside {min}..{max}", fr.default_interval),
            "drop `default_interval` (the minimum is the default) or give one inside the range",
        ),
        _ => {}
    }
}
