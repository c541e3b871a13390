//! USB MIDI 1.0 jack rules: jack IDs unique within a MIDIStreaming interface (MIDI 1.0 §6.1.2.3),
//! and every OUT jack source and every endpoint's associated jack names an existing jack (an
//! endpoint's jacks must be embedded ones, §6.2.2).

use crate::class::midi::{is_midi_streaming, endpoint_jacks, MidiItem, JACK_DANGLING, JACK_ID_REUSED};
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::model::*;

pub fn check(dev: &Device, d: &mut Diagnostics) {
    for c in &dev.configurations {
        for itf in c.interfaces().filter(|i| is_midi_streaming(i)) {
            interface(itf, d);
        }
    }
}

fn interface(itf: &Interface, d: &mut Diagnostics) {
    // (id, embedded, span)
    let mut jacks: Vec<(u8, bool, Option<Span>)> = Vec::new();
    for it in &itf.items {
        let InterfaceItem::Midi(m @ (MidiItem::InJack { embedded, span, .. } | MidiItem::OutJack { embedded, span, .. })) = it else {
            continue;
        };
        let id = m.jack_id().unwrap_or(0);
        if let Some((_, _, first)) = jacks.iter().find(|(j, _, _)| *j == id) {
            d.push(
                Diagnostic::error(JACK_ID_REUSED, format!("MIDI jack ID {id} is used twice in interface {}", itf.number))
                    .at(span.or(itf.spans.table))
                    .label(*first, "first used here")
                    .help("jack IDs identify jacks within the MIDI function; drop `id` to have one assigned"),
            );
        }
        jacks.push((id, *embedded, *span));
    }
    let known = |id: u8| jacks.iter().find(|(j, _, _)| *j == id);
    let list = || jacks.iter().map(|(j, _, _)| j.to_string()).collect::<Vec<_>>().join(", ");
    for it in &itf.items {
        match it {
            InterfaceItem::Midi(MidiItem::OutJack { id, sources, span, .. }) => {
                for (s, _) in sources {
                    if known(*s).is_none() {
                        d.push(
                            Diagnostic::error(JACK_DANGLING, format!("MIDI OUT jack {id} takes input from jack {s}, which does not exist"))
                                .at(span.or(itf.spans.table))
                                .help(format!("name an IN or OUT jack of this interface (IDs here: {})", list())),
                        );
                    }
                }
            }
            InterfaceItem::Endpoint(e) => {
                let Some(ids) = e.items.first().and_then(endpoint_jacks) else { continue };
                let at = e.items.first().and_then(|r| r.spans.table).or(e.spans.table);
                for j in ids {
                    match known(*j) {
                        None => d.push(
                            Diagnostic::error(JACK_DANGLING, format!("endpoint {:#04x} is associated with MIDI jack {j}, which does not exist", e.address()))
                                .at(at)
                                .help(format!("list embedded jacks of this interface in `jacks` (IDs here: {})", list())),
                        ),
                        Some((_, false, js)) => d.push(
                            Diagnostic::error(JACK_DANGLING, format!("endpoint {:#04x} is associated with external MIDI jack {j}", e.address()))
                                .at(at)
                                .label(*js, "declared external here")
                                .help("an endpoint carries the data of embedded jacks (MIDI 1.0 §6.2.2); associate an embedded jack"),
                        ),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}
