//! `usbdesc`: lint, dump, decode and build USB descriptors.
//!
//! Exit codes: 0 success, 1 the input has errors (diagnostics printed), 2 usage or I/O error.

mod dump;
mod lint;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use usbdesc_compiler::emit;
use usbdesc_compiler::input::{self, Loaded, Model, MAX_INPUT_BYTES};

const AFTER_HELP: &str = "\
Inputs: a TOML device (or a TOML `[report]` document), a binary blob (sysfs `descriptors` or
`report_descriptor`), the same bytes as hex text, or hid-tools `R:` lines. `-` reads stdin.

Exit codes: 0 ok, 1 the input has errors, 2 usage or I/O error.
Colour: on a terminal only (--color), never when NO_COLOR is set.

Examples:
  usbdesc lint examples/*.toml
  usbdesc dump examples/keyboard.toml
  usbdesc dump /sys/bus/usb/devices/1-1/descriptors
  usbdesc decode /sys/class/hidraw/hidraw0/device/report_descriptor > report.toml
  usbdesc build examples/keyboard.toml --emit c -o usb_descriptors.h
  usbdesc build examples/micropython-hid.toml --emit micropython -o usb_desc.py
  usbdesc schema > usbdesc.schema.json
  usbdesc completions bash > /etc/bash_completion.d/usbdesc";

#[derive(Parser)]
#[command(name = "usbdesc", version, about = "Lint, dump, decode and build USB and HID descriptors", after_help = AFTER_HELP)]
struct Cli {
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    color: Color,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Emit {
    /// A Rust module of descriptor consts.
    Rust,
    /// A C header: static const uint8_t arrays, length defines, enums.
    C,
    /// A MicroPython module for machine.USBDevice.config().
    Micropython,
    /// Raw bytes (device blob in the sysfs layout, or the report descriptor).
    Bin,
    /// The bytes as hex text, 16 to a line.
    Hex,
    /// The resolved model with every computed number.
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Check TOML devices or descriptor blobs; print rustc-style diagnostics and a count.
    #[command(after_help = "Examples:\n  usbdesc lint examples/*.toml\n  usbdesc lint --format json device.toml\n  cat descriptors | usbdesc lint -")]
    Lint {
        /// Files to check (`-` for stdin).
        #[arg(required = true)]
        files: Vec<String>,
        /// Diagnostics as text (stderr) or JSON (stdout).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print every descriptor field by name, HID report items and a bit layout per report.
    #[command(after_help = "Examples:\n  usbdesc dump examples/keyboard.toml\n  usbdesc dump /sys/bus/usb/devices/1-1/descriptors\n  usbdesc dump --format json report.hex")]
    Dump {
        /// Input file (`-` for stdin).
        file: String,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Turn a blob into TOML that `usbdesc build` turns back into the same bytes.
    #[command(after_help = "Examples:\n  usbdesc decode descriptors.bin > device.toml\n  usbdesc decode report.hex -o report.toml")]
    Decode {
        /// Input file (`-` for stdin).
        file: String,
        /// Output file (default: stdout).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Compile a TOML device (or report) into code or bytes.
    #[command(after_help = "Examples:\n  usbdesc build examples/keyboard.toml --emit c -o keyboard.h\n  usbdesc build examples/micropython-hid.toml --emit micropython\n  usbdesc build examples/mouse.toml --emit bin -o mouse.bin")]
    Build {
        /// Input file (`-` for stdin).
        file: String,
        /// What to generate.
        #[arg(long, value_enum)]
        emit: Emit,
        /// Output file (default: stdout).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Symbol prefix for C (default: from the file name).
        #[arg(long)]
        prefix: Option<String>,
    },
    /// Serve a TOML device over USB/IP (the real usbdesc runtime on a virtual bus).
    #[command(after_help = "Input reports are read from stdin, one a line: hex bytes (ID byte first when the\n\
interface uses report IDs) for the first HID interface, or JSON {\"interface\":0,\"report\":\"01 02 ..\"}.\n\
Reports the host writes are printed: `OUTPUT <itf> <hex>` and `SET_REPORT 3 <id> <hex>` (feature).\n\n\
Examples:\n  usbdesc serve examples/keyboard.toml\n  \
sudo modprobe vhci-hcd && sudo usbip attach -r 127.0.0.1 -b 1-1   # on the same machine\n  \
usbdesc serve examples/mouse.toml --listen 0.0.0.0:3240  # remote: usbip attach -r HOST -b 1-1")]
    Serve {
        /// The device description (TOML).
        file: String,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:3240")]
        listen: std::net::SocketAddr,
        /// Bus id exported in the device list (what `usbip attach -b` names).
        #[arg(long, default_value = "1-1")]
        busid: String,
        /// Echo bulk OUT data back on the bulk IN endpoint of the same interface (CDC data loopback).
        #[arg(long)]
        echo_bulk: bool,
    },
    /// Print the JSON Schema of the TOML format.
    Schema,
    /// Print a shell completion script.
    #[command(after_help = "Example:\n  usbdesc completions bash > ~/.local/share/bash-completion/completions/usbdesc")]
    Completions {
        shell: clap_complete::Shell,
    },
}

/// A failure with its exit code; the message is already printed or is printed by `main`.
struct Fail {
    code: u8,
    message: Option<String>,
}

impl Fail {
    fn usage(msg: impl Into<String>) -> Self {
        Fail { code: 2, message: Some(msg.into()) }
    }
    fn errors() -> Self {
        Fail { code: 1, message: None }
    }
}

type Res = Result<(), Fail>;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let color = use_color(cli.color);
    let r = match cli.command {
        Command::Lint { files, format } => lint::run(&files, format == Format::Json, color),
        Command::Dump { file, format } => cmd_dump(&file, format, color),
        Command::Decode { file, output } => cmd_decode(&file, output, color),
        Command::Build { file, emit, output, prefix } => cmd_build(&file, emit, output, prefix, color),
        Command::Serve { file, listen, busid, echo_bulk } => cmd_serve(&file, listen, busid, echo_bulk, color),
        Command::Schema => write_out(None, usbdesc_compiler::schema::schema_text().as_bytes()),
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "usbdesc", &mut std::io::stdout());
            Ok(())
        }
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if let Some(m) = f.message {
                eprintln!("error: {m}");
            }
            ExitCode::from(f.code)
        }
    }
}

fn use_color(c: Color) -> bool {
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        return false;
    }
    match c {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stderr().is_terminal(),
    }
}

/// Read a file or stdin (`-`), at most one byte past the input limit (the core reports the size).
pub(crate) fn read_input(path: &str) -> Result<(String, Vec<u8>), Fail> {
    let mut data = Vec::new();
    let limit = MAX_INPUT_BYTES as u64 + 1;
    if path == "-" {
        std::io::stdin().lock().take(limit).read_to_end(&mut data).map_err(|e| Fail::usage(format!("cannot read stdin: {e}")))?;
        return Ok(("<stdin>".into(), data));
    }
    let f = std::fs::File::open(path).map_err(|e| Fail::usage(format!("cannot read `{path}`: {}", io_text(&e))))?;
    if f.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err(Fail::usage(format!("cannot read `{path}`: it is a directory")));
    }
    f.take(limit).read_to_end(&mut data).map_err(|e| Fail::usage(format!("cannot read `{path}`: {}", io_text(&e))))?;
    Ok((path.to_string(), data))
}

fn io_text(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Load an input, print its diagnostics to stderr, and fail (exit 1) on errors.
fn load_checked(path: &str, color: bool) -> Result<(Loaded, Model), Fail> {
    let (name, data) = read_input(path)?;
    let loaded = input::load(&name, &data);
    let errors = loaded.diagnostics.error_count();
    let warnings = loaded.diagnostics.warning_count();
    match loaded.model.clone() {
        Some(m) => {
            // A decoded blob keeps its model despite rule violations; say so without the details.
            if errors + warnings > 0 {
                eprintln!(
                    "note: {name}: {errors} error{}, {warnings} warning{} (run `usbdesc lint` for details)",
                    if errors == 1 { "" } else { "s" },
                    if warnings == 1 { "" } else { "s" }
                );
            }
            Ok((loaded, m))
        }
        None => {
            eprint!("{}", loaded.render(color));
            eprintln!("error: aborting: `{name}` has {errors} error{}", if errors == 1 { "" } else { "s" });
            Err(Fail::errors())
        }
    }
}

fn write_out(output: Option<&PathBuf>, bytes: &[u8]) -> Res {
    match output {
        Some(p) => std::fs::write(p, bytes).map_err(|e| Fail::usage(format!("cannot write `{}`: {}", p.display(), io_text(&e)))),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes).and_then(|_| out.flush()).map_err(|e| Fail::usage(format!("cannot write stdout: {e}")))
        }
    }
}

fn cmd_dump(path: &str, format: Format, color: bool) -> Res {
    let (_, model) = load_checked(path, color)?;
    let text = match (&model, format) {
        (Model::Device(d), Format::Text) => dump::device(d),
        (Model::Report(r), Format::Text) => dump::report(r),
        (Model::Device(d), Format::Json) => emit::json::to_string(&serde_json::json!({ "kind": "device", "device": emit::json::device(d) })),
        (Model::Report(r), Format::Json) => emit::json::to_string(&serde_json::json!({ "kind": "report", "report": emit::json::report(r) })),
    };
    write_out(None, text.as_bytes())
}

fn cmd_decode(path: &str, output: Option<PathBuf>, color: bool) -> Res {
    let (loaded, model) = load_checked(path, color)?;
    let name = loaded.input.as_ref().map(|i| i.name.clone()).unwrap_or_default();
    if let (Model::Device(d), Some(input)) = (&model, &loaded.input) {
        if let Some(why) = usbdesc_compiler::decode::toml_blocker(d) {
            eprint!("{}", usbdesc_compiler::diag::render(&[&input.remap(why)], &loaded.source, color));
            return Err(Fail::errors());
        }
    }
    let text = match &model {
        Model::Device(d) => format!("# Decoded by usbdesc from {name}; `usbdesc build --emit bin` gives the same bytes.\n{}", emit::toml::to_toml(d)),
        Model::Report(r) => input::report_document_text(
            r,
            &format!("HID report descriptor decoded by usbdesc from {name}; `usbdesc build --emit bin` gives the same bytes."),
        ),
    };
    write_out(output.as_ref(), text.as_bytes())
}

fn cmd_build(path: &str, what: Emit, output: Option<PathBuf>, prefix: Option<String>, color: bool) -> Res {
    let (loaded, model) = load_checked(path, color)?;
    let name = loaded.input.as_ref().map(|i| i.name.clone()).unwrap_or_default();
    let bytes = match &model {
        Model::Device(d) => usbdesc_compiler::encode::blob(d),
        Model::Report(r) => r.encode(),
    };
    let out: Vec<u8> = match (what, &model) {
        (Emit::Bin, _) => bytes,
        (Emit::Hex, _) => input::hex_lines(&bytes).into_bytes(),
        (Emit::Json, Model::Device(d)) => emit::json::to_string(&emit::json::device(d)).into_bytes(),
        (Emit::Json, Model::Report(r)) => emit::json::to_string(&emit::json::report(r)).into_bytes(),
        (Emit::C, Model::Device(d)) => {
            let p = prefix.unwrap_or_else(|| emit::c::prefix_from_path(&name));
            emit::c::header(d, &p, &name).into_bytes()
        }
        (Emit::Micropython, Model::Device(d)) => {
            let diags = emit::micropython::check(d);
            if !diags.is_empty() {
                eprint!("{}", usbdesc_compiler::diag::render(&diags.sorted(), &loaded.source, color));
            }
            if diags.has_errors() {
                eprintln!("error: {name}: cannot be served by MicroPython as declared");
                return Err(Fail::errors());
            }
            emit::micropython::module(d, &name).into_bytes()
        }
        (Emit::Rust, Model::Device(d)) => rust_module(d, &name)?.into_bytes(),
        (_, Model::Report(_)) => {
            return Err(Fail::usage(format!("`{name}` is a HID report descriptor: --emit c, micropython and rust need a whole device (use bin, hex or json)")))
        }
    };
    write_out(output.as_ref(), &out)
}

/// `--emit rust`: a module of consts plus `pub static DEVICE` for `usbdesc_runtime::UsbdescClass`
/// (the same generator `include_device!` uses).
fn rust_module(dev: &usbdesc_compiler::model::Device, _name: &str) -> Result<String, Fail> {
    Ok(usbdesc_compiler::emit::rust::device_module(dev, &usbdesc_compiler::emit::rust::Options::default()))
}

fn cmd_serve(path: &str, listen: std::net::SocketAddr, busid: String, echo_bulk: bool, color: bool) -> Res {
    use usbdesc_usbip::serve::{ServeOptions, Server};
    let (_, model) = load_checked(path, color)?;
    let Model::Device(dev) = model else {
        return Err(Fail::usage(format!("`{path}` is a report descriptor; `usbdesc serve` needs a device")));
    };
    let tables = usbdesc_compiler::tables::RuntimeTables::from_device(&dev);
    let server = Server::bind(&tables, &ServeOptions { listen, busid: busid.clone(), echo_bulk, ..ServeOptions::default() }).map_err(|e| Fail::usage(e.to_string()))?;
    let addr = server.local_addr();
    eprintln!("usbdesc: serving `{path}` on {addr} as bus id {busid} (usbip attach -r {} -b {busid})", addr.ip());
    let stdin = std::io::BufReader::new(std::io::stdin());
    server.run(stdin, std::io::stdout()).map_err(|e| Fail::usage(e.to_string()))
}
