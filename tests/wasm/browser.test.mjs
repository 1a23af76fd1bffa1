// The WebAssembly harness (tests/wasm/build.sh) in headless Chromium: a page on one loopback
// origin loads the harness, whose every request goes through the WebGL plugin's transport (the
// browser's own fetch, cross-origin to the offline server on another port, CORS and all), with
// the SDK running inside the page's event loop (XERIAL_RUN_IN_POLL). The page's output is the
// harness's: one line per case and `N passed, N failed`.
//
//   node tests/wasm/browser.test.mjs [OUT]      OUT: the harness build (default target/wasm-harness)

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launch, startMock, servePages, test, check, run, ROOT } from '../browser/lib.mjs';

const OUT = resolve(process.argv[2] || join(ROOT, 'target', 'wasm-harness'));
/// Fewer passing cases than this means the harness did not really run.
const MIN_PASSED = 80;

const PAGE = `<!doctype html><meta charset="utf-8"><title>xerial wasm harness</title>
<pre id="out"></pre>
<script src="/xerial_harness.js"></script>
<script>
  const out = document.getElementById('out');
  const say = (line) => { out.textContent += line + '\\n'; console.log(line); };
  const mock = new URLSearchParams(location.search).get('mock');
  createHarness({ arguments: [mock], print: say, printErr: say,
                  onExit: (code) => console.log('harness exited: ' + code) });
</script>`;

test('the C harness passes in Chromium with fetch as the transport', async () => {
  const browser = await launch();
  const mock = await startMock();
  const pages = await servePages({
    '/': { body: PAGE },
    '/xerial_harness.js': { type: 'text/javascript', body: readFileSync(join(OUT, 'xerial_harness.js')) },
    '/xerial_harness.wasm': { type: 'application/wasm', body: readFileSync(join(OUT, 'xerial_harness.wasm')) },
  });
  try {
    const page = await browser.newPage();
    const lines = [];
    let exited;
    // Every request the page makes to the server (the SDK's and the harness's admin calls).
    let toServer = 0;
    page.on('request', (request) => {
      if (request.url().startsWith(mock.url)) toServer += 1;
    });
    const done = new Promise((resolveDone) => {
      page.on('console', (message) => {
        const text = message.text();
        const exit = /^harness exited: (-?\d+)$/.exec(text);
        if (exit) {
          exited = Number(exit[1]);
          resolveDone();
          return;
        }
        lines.push(text);
        console.log(`  | ${text}`);
      });
      page.on('pageerror', (error) => {
        lines.push(`page error: ${error.message}`);
        console.log(`  | page error: ${error.message}`);
        resolveDone();
      });
    });
    await page.goto(`${pages.url}/?mock=${encodeURIComponent(mock.url)}`);
    check(await page.evaluate(() => location.origin) !== new URL(mock.url).origin, 'same origin');
    await done;
    const total = lines.map((l) => /^(\d+) passed, (\d+) failed$/.exec(l)).filter(Boolean).pop();
    check(total, 'the harness printed no total');
    const [passed, failed] = [Number(total[1]), Number(total[2])];
    check(failed === 0, `${failed} case(s) failed in the browser`);
    check(exited === 0, `the harness exited with ${exited}`);
    check(passed >= MIN_PASSED, `only ${passed} cases passed (want at least ${MIN_PASSED})`);
    check(lines.filter((l) => l.startsWith('ok - ')).length === passed, 'ok lines and the total disagree');
    // The SDK's requests really went through the page's fetch, cross-origin.
    check(lines.some((l) => l.startsWith('# transport: fetch')), 'the harness did not use the fetch transport');
    check(toServer > 500, `only ${toServer} requests from the page reached the server`);
    console.log(`  ${toServer} requests from the page to the server (another origin)`);
  } finally {
    await browser.close();
    mock.stop();
    await pages.close();
  }
});

await run({ timeoutMs: 300_000 });
