// Runs MicroPython (WebAssembly port, npm @micropython/micropython-webassembly-pyscript) for
// usbdesc's USB/IP bridge: copies the files of DIR into MicroPython's file system, imports
// `main` (which imports the generated module and calls its config()), then passes every stdin
// line to machine.bridge_line() and calls main.tick() every TICK_MS. MicroPython's print() goes to
// stdout, one line each: that is the bridge's side of the protocol.
// Usage: node run.mjs MICROPYTHON_DIR DIR [TICK_MS]
import { readFileSync, readdirSync } from "node:fs";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

const [mpdir, dir, tickArg] = process.argv.slice(2);
const tickMs = Number(tickArg || 50);
const { loadMicroPython } = await import(pathToFileURL(`${mpdir}/node_modules/@micropython/micropython-webassembly-pyscript/micropython.mjs`).href);
const mp = await loadMicroPython({
  stdout: (s) => process.stdout.write(s + "\n"),
  stderr: (s) => process.stderr.write(s + "\n"),
});
mp.FS.mkdir("/app");
for (const f of readdirSync(dir)) {
  if (f.endsWith(".py")) mp.FS.writeFile(`/app/${f}`, readFileSync(`${dir}/${f}`));
}
function fatal(e) {
  process.stderr.write(`micropython: ${e}\n`);
  process.exit(1);
}
let bridgeLine, tick;
try {
  mp.runPython("import sys\nsys.path.insert(0, '/app')\nimport machine, main");
  bridgeLine = mp.pyimport("machine").bridge_line;
  tick = mp.pyimport("main").tick;
} catch (e) {
  fatal(e);
}
const rl = createInterface({ input: process.stdin });
rl.on("line", (line) => {
  try {
    bridgeLine(line);
  } catch (e) {
    fatal(e);
  }
});
rl.on("close", () => process.exit(0));
setInterval(() => {
  try {
    tick();
  } catch (e) {
    fatal(e);
  }
}, tickMs);
