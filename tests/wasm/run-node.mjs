// Runs the WebAssembly harness (tests/wasm/build.sh) under Node:
//
//   node tests/wasm/run-node.mjs OUT MOCK_URL [WORD...]
//
// The module gets its .wasm bytes up front: this Emscripten's loader would otherwise see Node's
// global fetch and try to fetch a file path. Node's fetch is then the page's: the harness's
// transport (the WebGL plugin's xerial_fetch.jslib) and its mock admin calls use it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const [out, url, ...words] = process.argv.slice(2);
if (!out || !url) {
  console.error('usage: node tests/wasm/run-node.mjs OUT MOCK_URL [WORD...]');
  process.exit(2);
}
const createHarness = createRequire(import.meta.url)(resolve(out, 'xerial_harness.js'));
await createHarness({
  wasmBinary: readFileSync(resolve(out, 'xerial_harness.wasm')),
  arguments: [url, ...words],
});
