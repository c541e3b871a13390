//! The command-line conventions people expect: quiet closed pipes, `-o -`, colour flags over
//! NO_COLOR, coloured headlines, `build` showing its warnings, `--deny warnings`, JSON with end
//! positions, SARIF (checked against the OASIS schema) and GitHub annotations; and diagnostics
//! that land on the right place (UD1002, UD4141, wide characters, items inside `bytes`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

const FX: &str = "usbdesc-cli/tests/fixtures/conventions";

fn usbdesc() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_usbdesc"));
    c.current_dir(root()).env("NO_COLOR", "1").env_remove("CLICOLOR_FORCE");
    c
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Out {
    run_with(usbdesc().args(args))
}

fn run_with(c: &mut Command) -> Out {
    let o = c.stdin(Stdio::null()).output().unwrap();
    Out { code: o.status.code().unwrap_or(-1), stdout: String::from_utf8_lossy(&o.stdout).into(), stderr: String::from_utf8_lossy(&o.stderr).into() }
}

fn fx(name: &str) -> String {
    format!("{FX}/{name}")
}

// ---------- output ----------

/// `usbdesc … | head`: the reader closes the pipe; the writer stops quietly with status 0 and
/// prints nothing (no "Broken pipe" error, no panic). Each output is larger than a pipe's buffer
/// (64 KiB), so the writer is still writing when the reader has gone, however the two are scheduled.
#[test]
fn closed_pipe_ends_quietly() {
    let bad: Vec<&str> = vec!["usbdesc-cli/tests/fixtures/bad-device.toml"; 30];
    let json_lint: Vec<&str> = ["lint", "--format", "json"].into_iter().chain(bad.iter().copied()).collect();
    let text_lint: Vec<&str> = ["lint"].into_iter().chain(bad.iter().copied()).collect();
    let cases: [(&[&str], bool); 3] = [
        (&["usages", "button"], false),
        (&json_lint, false),
        // `usbdesc lint bad.toml 2>&1 | head`: the diagnostics go to stderr.
        (&text_lint, true),
    ];
    for (args, on_stderr) in cases {
        let mut c = usbdesc();
        c.args(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = c.spawn().unwrap();
        // Nobody reads the closed side: a write to it fails with EPIPE.
        let mut printed = String::new();
        if on_stderr {
            drop(child.stderr.take());
            std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut printed).unwrap();
        } else {
            drop(child.stdout.take());
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut printed).unwrap();
        }
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{args:?}: {printed}");
        assert_eq!(printed, "", "{args:?}");
    }
}

#[test]
fn dash_output_is_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let kb = root().join("examples/keyboard.toml");
    let kb = kb.to_str().unwrap();
    let plain = run_with(usbdesc().current_dir(dir.path()).args(["build", kb, "--emit", "hex"]));
    let dash = run_with(usbdesc().current_dir(dir.path()).args(["build", kb, "--emit", "hex", "-o", "-"]));
    assert_eq!((dash.code, &dash.stdout), (0, &plain.stdout));
    assert!(dash.stdout.starts_with("12 01"), "{}", dash.stdout);
    let decoded = run_with(usbdesc().current_dir(dir.path()).args(["decode", &root().join(fx("../boot-keyboard-report.hex")).to_string_lossy(), "-o", "-"]));
    assert_eq!(decoded.code, 0, "{}", decoded.stderr);
    assert!(decoded.stdout.contains("[report]") || decoded.stdout.contains("report"), "{}", decoded.stdout);
    assert!(!dir.path().join("-").exists(), "wrote a file named `-`");
}

// ---------- colour ----------

#[test]
fn explicit_color_flag_beats_no_color() {
    let bad = "usbdesc-cli/tests/fixtures/bad-device.toml";
    let esc = |o: &Out| o.stderr.contains('\u{1b}');
    // NO_COLOR is set by `usbdesc()`.
    assert!(esc(&run(&["--color", "always", "lint", bad])));
    assert!(!esc(&run(&["--color", "never", "lint", bad])));
    assert!(!esc(&run(&["lint", bad])));
    assert!(!esc(&run_with(usbdesc().env_remove("NO_COLOR").args(["--color", "never", "lint", bad]))));
}

#[test]
fn diagnostic_headline_is_coloured() {
    let o = run(&["--color", "always", "lint", "usbdesc-cli/tests/fixtures/bad-device.toml"]);
    let first = o.stderr.lines().next().unwrap();
    assert_eq!(
        first,
        "\u{1b}[1musbdesc-cli/tests/fixtures/bad-device.toml:18:1:\u{1b}[0m \u{1b}[1;31merror[UD2014]\u{1b}[0m\u{1b}[1m: boot keyboard \
         interface 0: the report descriptor has no key codes: a Keyboard-page array (Usage Minimum = Logical Minimum, values 0..=255)\u{1b}[0m"
    );
    let w = run(&["--color", "always", "lint", &fx("one-warning.toml")]);
    assert!(w.stderr.lines().next().unwrap().contains("\u{1b}[1;33mwarning[UD2013]\u{1b}[0m"), "{}", w.stderr);
}

// ---------- warnings in build, --deny warnings ----------

#[test]
fn build_prints_the_warnings_it_found() {
    let o = run(&["build", &fx("one-warning.toml"), "--emit", "hex"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.starts_with(&format!("{}:11:10: warning[UD2013]: ", fx("one-warning.toml"))), "{}", o.stderr);
    assert!(o.stderr.contains("help: "), "{}", o.stderr);
    assert!(!o.stderr.contains("run `usbdesc lint` for details"), "{}", o.stderr);
    assert!(o.stdout.starts_with("12 01"));
}

#[test]
fn deny_warnings_fails_lint_and_build() {
    let f = fx("one-warning.toml");
    assert_eq!(run(&["lint", &f]).code, 0);
    let lint = run(&["lint", "--deny", "warnings", &f]);
    assert_eq!(lint.code, 1, "{}", lint.stderr);
    assert!(lint.stderr.ends_with("1 file checked: 0 errors, 1 warning (warnings denied)\n"), "{}", lint.stderr);
    assert_eq!(run(&["lint", "--deny", "warnings", "--format", "github", &f]).code, 1);
    // A clean file passes.
    assert_eq!(run(&["lint", "--deny", "warnings", "examples/keyboard.toml"]).code, 0);
    let build = run(&["build", &f, "--emit", "c", "--deny", "warnings"]);
    assert_eq!(build.code, 1);
    assert_eq!(build.stdout, "", "nothing is written");
    assert!(build.stderr.contains("warning[UD2013]") && build.stderr.contains("`--deny warnings` is set"), "{}", build.stderr);
    assert_eq!(run(&["build", "examples/keyboard.toml", "--emit", "hex", "--deny", "warnings"]).code, 0);
}

// ---------- machine-readable diagnostics ----------

#[test]
fn json_diagnostics_have_end_line_and_column() {
    let o = run(&["lint", "--format", "json", &fx("wide-characters.toml")]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let span = &v["files"][0]["diagnostics"][0]["span"];
    // `pdi` after 9 wide characters: columns count characters.
    assert_eq!((span["line"].as_u64(), span["column"].as_u64()), (Some(2), Some(58)), "{span}");
    assert_eq!((span["end_line"].as_u64(), span["end_column"].as_u64()), (Some(2), Some(61)), "{span}");
}

fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("usbdesc-cli/tests/data/sarif-schema-2.1.0.json")).unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let v = sarif_validator();
    // The schema is a real check: a result without a message is rejected.
    assert!(!v.is_valid(&serde_json::json!({ "version": "2.1.0", "runs": [{ "tool": { "driver": { "name": "x" } }, "results": [{ "ruleId": "UD1" }] }] })));
    let o = run(&["lint", "--format", "sarif", "usbdesc-cli/tests/fixtures/bad-device.toml", &fx("one-warning.toml"), "usbdesc-cli/tests/fixtures/keyboard-descriptors.bin", "no/such/file.toml"]);
    assert_eq!(o.code, 2, "an unreadable file is exit 2");
    let log: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let errors: Vec<String> = v.iter_errors(&log).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}\n{}", o.stdout);
    let run0 = &log["runs"][0];
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 6);
    let r = &results[1];
    assert_eq!((r["ruleId"].as_str(), r["level"].as_str()), (Some("UD4102"), Some("error")));
    let region = &r["locations"][0]["physicalLocation"]["region"];
    assert_eq!((region["startLine"].as_u64(), region["startColumn"].as_u64(), region["endColumn"].as_u64()), (Some(20), Some(33), Some(38)), "{region}");
    assert_eq!(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "usbdesc-cli/tests/fixtures/bad-device.toml");
    assert_eq!(results[5]["level"], "warning");
    // Every result's rule is in the driver's rules, at its index.
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    for r in results {
        assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"], r["ruleId"]);
    }
    assert_eq!(run0["invocations"][0]["executionSuccessful"], false);
    assert_eq!(run0["columnKind"], "unicodeCodePoints");
}

#[test]
fn github_annotations() {
    let o = run(&["lint", "--format", "github", "usbdesc-cli/tests/fixtures/bad-device.toml", &fx("one-warning.toml")]);
    assert_eq!(o.code, 1);
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{}", o.stdout);
    assert_eq!(
        lines[1],
        "::error file=usbdesc-cli/tests/fixtures/bad-device.toml,line=20,col=33,endLine=20,endColumn=38,title=UD4102::collection is never \
         closed%0Ahelp: add an End Collection for every Collection (HID 1.11 §6.2.2.4)%0Anote: Linux hid-core rejects this \
         descriptor: \"unbalanced collection at end of report description\""
    );
    assert!(lines[5].starts_with(&format!("::warning file={},line=11,col=10,", fx("one-warning.toml"))), "{}", lines[5]);
    // Workflow commands are one line each: newlines in messages are escaped.
    assert!(lines.iter().all(|l| l.starts_with("::error ") || l.starts_with("::warning ")));
}

// ---------- diagnostics at the right place ----------

fn lint_text(name: &str) -> String {
    let o = run(&["lint", &fx(name)]);
    format!("exit: {}\n{}", o.code, o.stderr)
}

#[test]
fn duplicate_interface_number_is_about_the_number() {
    let text = lint_text("dup-interface-number.toml");
    assert!(text.contains(":13:10: error[UD1002]: interface number 0 is declared twice"), "{text}");
    assert!(!text.contains("give each alternate setting"), "{text}");
    insta::assert_snapshot!("ud1002_duplicate_number", text);
}

#[test]
fn output_report_too_big_names_the_out_endpoint() {
    let text = lint_text("output-report-too-big.toml");
    assert!(text.contains("interrupt OUT endpoint declared here"), "{text}");
    assert!(!text.contains("raise"), "64 is the full-speed maximum: {text}");
    insta::assert_snapshot!("ud4141_output_report", text);
}

#[test]
fn wide_characters_same_column_in_header_and_snippet() {
    let text = lint_text("wide-characters.toml");
    assert!(text.contains("wide-characters.toml:2:58: error[UD0002]"), "{text}");
    assert!(text.contains("╭─[usbdesc-cli/tests/fixtures/conventions/wide-characters.toml:2:58]"), "{text}");
}

#[test]
fn errors_inside_bytes_span_the_item() {
    let text = lint_text("bytes-item-error.toml");
    insta::assert_snapshot!("bytes_item_spans", text);
    let o = run(&["lint", "--format", "json", &fx("bytes-item-error.toml"), &fx("bad-hex-token.toml")]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let at = |f: usize, d: usize| {
        let s = &v["files"][f]["diagnostics"][d]["span"];
        (s["line"].as_u64().unwrap(), s["column"].as_u64().unwrap(), s["end_column"].as_u64().unwrap())
    };
    // UD4122 Logical Minimum 10 > Maximum 1: at the Logical Maximum item `25 01`, line 6 of a
    // multi-line string.
    assert_eq!(v["files"][0]["diagnostics"][1]["code"], "UD4122");
    assert_eq!(at(0, 1), (6, 7, 12));
    // A bad hex pair: that pair only.
    assert_eq!(v["files"][1]["diagnostics"][0]["code"], "UD0007");
    assert_eq!(at(1, 0), (3, 16, 18));
}

/// docs/cli.md lists five completion shells: each one gives a script naming the subcommands.
#[test]
fn completions_for_every_documented_shell() {
    let doc = std::fs::read_to_string(root().join("docs/cli.md")).unwrap();
    let shells = ["bash", "elvish", "fish", "powershell", "zsh"];
    assert!(doc.contains(&format!("shell completions: {}", shells.join(", "))));
    for shell in shells {
        let o = run(&["completions", shell]);
        assert_eq!(o.code, 0, "{shell}");
        for sub in ["lint", "usages", "explain", "schema"] {
            assert!(o.stdout.contains(sub), "{shell} completion lacks {sub}");
        }
    }
}

/// The MicroPython generator's own warnings (UD1105: descriptors config() cannot serve) count too.
#[test]
fn deny_warnings_covers_the_micropython_checks() {
    let plain = run(&["build", "examples/webusb-winusb.toml", "--emit", "micropython"]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    assert!(plain.stderr.contains("warning[UD1105]"), "{}", plain.stderr);
    let denied = run(&["build", "examples/webusb-winusb.toml", "--emit", "micropython", "--deny", "warnings"]);
    assert_eq!((denied.code, denied.stdout.as_str()), (1, ""), "{}", denied.stderr);
}
