//! `usbdesc`: lint, dump, decode and build USB descriptors.
//!
//! Exit codes: 0 success, 1 the input has errors (diagnostics printed), 2 usage or I/O error.

mod dump;
mod explain;
mod lint;
mod out;
mod usages;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;
use usbdesc_compiler::emit;
use usbdesc_compiler::input::{self, Loaded, Model, MAX_INPUT_BYTES};

const AFTER_HELP: &str = "\
Inputs: a TOML device (or a TOML `[report]` document), a binary blob (sysfs `descriptors` or
`report_descriptor`), the same bytes as hex text, or hid-tools `R:` lines. `-` reads stdin.

Exit codes: 0 ok, 1 the input has errors, 2 usage or I/O error.
Colour: on a terminal unless NO_COLOR is set; `--color always|never` overrides both.
Output: `-o -` is stdout; a closed pipe (`| head`) ends quietly with status 0.

Examples:
  usbdesc lint examples/*.toml
  usbdesc dump examples/keyboard.toml
  usbdesc dump /sys/bus/usb/devices/1-1/descriptors
  usbdesc decode /sys/class/hidraw/hidraw0/device/report_descriptor > report.toml
  usbdesc build examples/keyboard.toml --emit c -o usb_descriptors.h
  usbdesc build examples/micropython-hid.toml --emit micropython -o usb_desc.py
  usbdesc explain UD1002
  usbdesc usages \"Generic Desktop\"
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

/// Diagnostic formats of `usbdesc lint`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum LintFormat {
    /// rustc-style text with source snippets, on stderr.
    Text,
    /// One JSON document on stdout (files, diagnostics with start and end line/column).
    Json,
    /// SARIF 2.1.0 on stdout (GitHub code scanning, IDEs).
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…,line=…::…`) on stdout: annotations on the PR.
    Github,
}

/// What `usbdesc decode` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum DecodeTo {
    /// TOML that `usbdesc build` turns back into the same bytes.
    Toml,
    /// `#[hid_descriptor]` source whose `DESCRIPTOR` is the same bytes (HID report descriptors).
    Rust,
}

/// What `--deny` turns into errors.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Deny {
    /// Any warning fails the command (exit 1), for CI.
    Warnings,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Emit {
    /// A Rust module of descriptor consts.
    Rust,
    /// A C header: descriptor arrays, UTF-16 string table, report ID/length defines, enums.
    C,
    /// A TinyUSB C file: the header plus the tud_descriptor_*_cb callbacks and CFG_TUD_* counts.
    Tinyusb,
    /// A MicroPython module for machine.USBDevice.config().
    Micropython,
    /// Raw bytes: the device and configuration descriptors in the sysfs `descriptors` layout (no
    /// string or report descriptors), or a report document's report descriptor.
    Bin,
    /// The bytes of `bin` as hex text, 16 to a line.
    Hex,
    /// The resolved model with every computed number.
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Check TOML devices or descriptor blobs; print rustc-style diagnostics and a count
    /// (`usbdesc explain UDxxxx` tells more about a code).
    #[command(after_help = "Examples:\n  usbdesc lint examples/*.toml\n  usbdesc lint --format json device.toml\n  \
usbdesc lint --deny warnings --format github usb.toml   # in CI: annotations, warnings fail\n  \
usbdesc lint --format sarif usb.toml > usbdesc.sarif\n  cat descriptors | usbdesc lint -\n  usbdesc explain UD1002")]
    Lint {
        /// Files to check (`-` for stdin).
        #[arg(required = true)]
        files: Vec<String>,
        /// Diagnostics as text (stderr), or JSON, SARIF 2.1.0 or GitHub annotations (stdout).
        #[arg(long, value_enum, default_value_t = LintFormat::Text)]
        format: LintFormat,
        /// `--deny warnings`: warnings fail the run (exit 1) as errors do.
        #[arg(long, value_enum)]
        deny: Vec<Deny>,
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
        /// Output file (default, or `-`: stdout).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// What to write: TOML, or (for a HID report descriptor) `#[hid_descriptor]` Rust source.
        #[arg(long, value_enum, default_value_t = DecodeTo::Toml)]
        to: DecodeTo,
    },
    /// Compile a TOML device (or report) into code or bytes.
    #[command(after_help = "Examples:\n  usbdesc build examples/keyboard.toml --emit c -o keyboard.h\n  usbdesc build examples/micropython-hid.toml --emit micropython\n  usbdesc build examples/mouse.toml --emit bin -o mouse.bin")]
    Build {
        /// Input file (`-` for stdin).
        file: String,
        /// What to generate.
        #[arg(long, value_enum)]
        emit: Emit,
        /// Output file (default, or `-`: stdout).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Symbol prefix for C and TinyUSB (default: from the file name).
        #[arg(long)]
        prefix: Option<String>,
        /// `--deny warnings`: write nothing and exit 1 if the input has warnings.
        #[arg(long, value_enum)]
        deny: Vec<Deny>,
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
    /// List HID usage pages, or the usages of one page, by the names the TOML and `#[hid_report]` take.
    #[command(after_help = "Examples:\n  usbdesc usages\n  usbdesc usages \"Generic Desktop\"\n  usbdesc usages button --search 1\n  usbdesc usages --search volume")]
    Usages {
        /// A page name or number (`"Generic Desktop"`, `0x01`); without it, the pages.
        page: Option<String>,
        /// Only names containing this text (any case); without PAGE, on every page.
        #[arg(long)]
        search: Option<String>,
    },
    /// Explain a diagnostic code, with a bad and a fixed example; without a code, list them all.
    #[command(after_help = "Examples:\n  usbdesc explain UD1002\n  usbdesc explain          # every code with its summary")]
    Explain {
        /// The code (`UD1002`, `ud1002` or `1002`) or its name (`alternate-settings`).
        code: Option<String>,
    },
    /// Print the JSON Schema of the TOML format (or, with --markdown, the format reference docs/format.md).
    #[command(after_help = "Examples:\n  usbdesc schema > schemas/usbdesc.schema.json\n  usbdesc schema --markdown > docs/format.md")]
    Schema {
        /// The format reference as Markdown (docs/format.md), generated from the same key tables.
        #[arg(long)]
        markdown: bool,
    },
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
            let _ = e.print(); // clap ignores a closed pipe itself
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let color = use_color(cli.color);
    let r = match cli.command {
        Command::Lint { files, format, deny } => lint::run(&files, format, deny.contains(&Deny::Warnings), color),
        Command::Dump { file, format } => cmd_dump(&file, format, color),
        Command::Decode { file, output, to } => cmd_decode(&file, output, to, color),
        Command::Build { file, emit, output, prefix, deny } => {
            cmd_build(&file, emit, output, prefix, deny.contains(&Deny::Warnings), color)
        }
        Command::Serve { file, listen, busid, echo_bulk } => cmd_serve(&file, listen, busid, echo_bulk, color),
        Command::Usages { page, search } => usages::run(page.as_deref(), search),
        Command::Explain { code } => explain::run(code.as_deref()),
        Command::Schema { markdown: false } => out::stdout(usbdesc_compiler::schema::schema_text().as_bytes()),
        Command::Schema { markdown: true } => out::stdout(usbdesc_compiler::schema::markdown::markdown().as_bytes()),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "usbdesc", &mut script);
            out::stdout(&script)
        }
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if let Some(m) = f.message {
                out::errln(format!("error: {m}"));
            }
            ExitCode::from(f.code)
        }
    }
}

/// An explicit `--color always|never` wins; `auto` colours a terminal unless NO_COLOR is set.
fn use_color(c: Color) -> bool {
    match c {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => !std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) && std::io::stderr().is_terminal(),
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

/// What [`load_checked`] prints about an input that loads despite diagnostics.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Show {
    /// A count and a pointer to `usbdesc lint` (`dump`, `decode`: viewers of real devices).
    Count,
    /// Every diagnostic, rendered (`build`: the user's own file).
    All,
}

/// Load an input, print its diagnostics to stderr, and fail (exit 1) on errors.
fn load_checked(path: &str, color: bool, show: Show) -> Result<(Loaded, Model), Fail> {
    let (name, data) = read_input(path)?;
    let loaded = input::load(&name, &data);
    let errors = loaded.diagnostics.error_count();
    let warnings = loaded.diagnostics.warning_count();
    match loaded.model.clone() {
        Some(m) => {
            // A decoded blob keeps its model despite rule violations.
            if errors + warnings > 0 && show == Show::All {
                out::err(loaded.render(color));
            } else if errors + warnings > 0 {
                out::errln(format!(
                    "note: {name}: {errors} error{}, {warnings} warning{} (run `usbdesc lint` for details)",
                    if errors == 1 { "" } else { "s" },
                    if warnings == 1 { "" } else { "s" }
                ));
            }
            Ok((loaded, m))
        }
        None => {
            out::err(loaded.render(color));
            out::errln(format!("error: aborting: `{name}` has {errors} error{}", if errors == 1 { "" } else { "s" }));
            Err(Fail::errors())
        }
    }
}

fn write_out(output: Option<&PathBuf>, bytes: &[u8]) -> Res {
    out::write_out(output.map(|p| p.as_path()), bytes)
}

fn cmd_dump(path: &str, format: Format, color: bool) -> Res {
    let (_, model) = load_checked(path, color, Show::Count)?;
    let text = match (&model, format) {
        (Model::Device(d), Format::Text) => dump::device(d),
        (Model::Report(r), Format::Text) => dump::report(r),
        (Model::Device(d), Format::Json) => emit::json::to_string(&serde_json::json!({ "kind": "device", "device": emit::json::device(d) })),
        (Model::Report(r), Format::Json) => emit::json::to_string(&serde_json::json!({ "kind": "report", "report": emit::json::report(r) })),
    };
    write_out(None, text.as_bytes())
}

fn cmd_decode(path: &str, output: Option<PathBuf>, to: DecodeTo, color: bool) -> Res {
    let (loaded, model) = load_checked(path, color, Show::Count)?;
    let name = loaded.input.as_ref().map(|i| i.name.clone()).unwrap_or_default();
    if to == DecodeTo::Rust {
        let Model::Report(r) = &model else {
            return Err(Fail::usage(format!("`--to rust` writes HID report descriptors; `{name}` is a device (decode its report descriptor)")));
        };
        let w = usbdesc_compiler::hid::rust_source::write(r, "report").map_err(|why| {
            out::errln(format!("error: `{name}` has no `#[hid_descriptor]` source: {why}; `usbdesc decode` (TOML) gives the same bytes"));
            Fail::errors()
        })?;
        let text = format!(
            "// HID report descriptor decoded by usbdesc from {name}; `report::DESCRIPTOR` holds the same bytes.\n{}",
            w.source
        );
        return write_out(output.as_ref(), text.as_bytes());
    }
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

fn cmd_build(path: &str, what: Emit, output: Option<PathBuf>, prefix: Option<String>, deny_warnings: bool, color: bool) -> Res {
    let (loaded, model) = load_checked(path, color, Show::All)?;
    let name = loaded.input.as_ref().map(|i| i.name.clone()).unwrap_or_default();
    if deny_warnings && !loaded.diagnostics.is_empty() {
        let n = loaded.diagnostics.warning_count();
        out::errln(format!("error: aborting: `{name}` has {n} warning{} and `--deny warnings` is set", if n == 1 { "" } else { "s" }));
        return Err(Fail::errors());
    }
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
                out::err(usbdesc_compiler::diag::render(&diags.sorted(), &loaded.source, color));
            }
            if diags.has_errors() {
                out::errln(format!("error: {name}: cannot be served by MicroPython as declared"));
                return Err(Fail::errors());
            }
            if deny_warnings && !diags.is_empty() {
                out::errln(format!("error: aborting: `{name}` has MicroPython warnings and `--deny warnings` is set"));
                return Err(Fail::errors());
            }
            emit::micropython::module(d, &name).into_bytes()
        }
        (Emit::C, Model::Report(r)) => {
            let p = prefix.unwrap_or_else(|| emit::c::prefix_from_path(&name));
            emit::c::report_header(r, &p, &name).into_bytes()
        }
        (Emit::Tinyusb, Model::Device(d)) => {
            let p = prefix.unwrap_or_else(|| emit::c::prefix_from_path(&name));
            emit::tinyusb::source(d, &p, &name).into_bytes()
        }
        (Emit::Rust, Model::Device(d)) => rust_module(d, &name)?.into_bytes(),
        (_, Model::Report(_)) => {
            return Err(Fail::usage(format!("`{name}` is a HID report descriptor: --emit tinyusb, micropython and rust need a whole device (use c, bin, hex or json)")))
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
    let (_, model) = load_checked(path, color, Show::Count)?;
    let Model::Device(dev) = model else {
        return Err(Fail::usage(format!("`{path}` is a report descriptor; `usbdesc serve` needs a device")));
    };
    let tables = usbdesc_compiler::tables::RuntimeTables::from_device(&dev);
    let server = Server::bind(&tables, &ServeOptions { listen, busid: busid.clone(), echo_bulk, audio_clocks: usbdesc_usbip::serve::leak_audio_clocks(&usbdesc_compiler::class::uac2::clocks(&dev)), ..ServeOptions::default() }).map_err(|e| Fail::usage(e.to_string()))?;
    let addr = server.local_addr();
    out::errln(format!("usbdesc: serving `{path}` on {addr} as bus id {busid} (usbip attach -r {} -b {busid})", addr.ip()));
    let stdin = std::io::BufReader::new(std::io::stdin());
    server.run(stdin, std::io::stdout()).map_err(|e| Fail::usage(e.to_string()))
}
