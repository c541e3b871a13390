//! `usbdesc serve` in-process for the integration tests: a compiled example on a free port, fed
//! input lines by the test, its printed lines captured.
#![allow(dead_code)]

use std::io::{BufReader, Read, Write};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};

use usbdesc_compiler::tables::RuntimeTables;
use usbdesc_usbip::serve::{ServeOptions, Server};

/// stdin stand-in: lines pushed by the test.
pub struct ChanReader {
    rx: Receiver<Vec<u8>>,
    buf: Vec<u8>,
}

impl Read for ChanReader {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.buf.is_empty() {
            match self.rx.recv() {
                Ok(v) => self.buf = v,
                Err(_) => return Ok(0),
            }
        }
        let n = out.len().min(self.buf.len());
        out[..n].copy_from_slice(&self.buf[..n]);
        self.buf.drain(..n);
        Ok(n)
    }
}

/// stdout stand-in.
#[derive(Clone, Default)]
pub struct Shared(pub Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The runtime tables of `examples/<name>`.
pub fn example(name: &str) -> RuntimeTables {
    let path = format!("{}/../examples/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let c = usbdesc_compiler::compile_str(name, &text);
    RuntimeTables::from_device(c.device.as_ref().unwrap_or_else(|| panic!("{name} compiles")))
}

pub fn keyboard() -> RuntimeTables {
    example("keyboard.toml")
}

/// Serves `t` on a free port with `o` (its `listen` replaced): the address, the input-line sender
/// and what the server prints.
pub fn start_opts(t: &RuntimeTables, o: ServeOptions) -> (std::net::SocketAddr, Sender<Vec<u8>>, Shared) {
    let o = ServeOptions { listen: "127.0.0.1:0".parse().unwrap(), ..o };
    let server = Server::bind(t, &o).unwrap();
    let addr = server.local_addr();
    let (tx, rx) = channel();
    let out = Shared::default();
    let w = out.clone();
    std::thread::spawn(move || server.run(BufReader::new(ChanReader { rx, buf: Vec::new() }), w));
    (addr, tx, out)
}

/// Serves `t` (bulk endpoints echo when `echo_bulk`).
pub fn start_with(t: &RuntimeTables, echo_bulk: bool) -> (std::net::SocketAddr, Sender<Vec<u8>>, Shared) {
    start_opts(t, ServeOptions { echo_bulk, ..ServeOptions::default() })
}

pub fn start(t: &RuntimeTables) -> (std::net::SocketAddr, Sender<Vec<u8>>, Shared) {
    start_with(t, false)
}
