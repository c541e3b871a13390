// Runs a Python file under MicroPython's WebAssembly port (npm @micropython/micropython-webassembly-pyscript).
// Usage: node run_micropython.mjs MODULE_DIR FILE.py
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const [dir, file] = process.argv.slice(2);
const { loadMicroPython } = await import(pathToFileURL(`${dir}/node_modules/@micropython/micropython-webassembly-pyscript/micropython.mjs`).href);
const mp = await loadMicroPython({ stdout: (s) => process.stdout.write(s + "\n"), stderr: (s) => process.stderr.write(s + "\n") });
try {
  mp.runPython(readFileSync(file, "utf8"));
  mp.runPython("import sys\nprint('implementation', sys.implementation.name)");
} catch (e) {
  console.error(String(e));
  process.exit(1);
}
