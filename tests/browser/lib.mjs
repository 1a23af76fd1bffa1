// Shared pieces of the browser tests: Debian's headless Chromium through playwright-core, the
// offline server, a static page server on another loopback origin, and a tiny test runner
// whose last line is `N passed, N failed`.

import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/// Screenshots and other files a test leaves for people to look at.
export const ARTEFACTS = process.env.XERIAL_BROWSER_ARTEFACTS || join(ROOT, 'target', 'browser-artefacts');

/// Debian's Chromium, headless, with the flags this sandbox needs (no background networking:
/// the machine's closed network refuses it; a fresh profile each time).
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    timeout: 30_000,
  });
}

/// Starts `target/release/xerial-mock --port 0` (or XERIAL_MOCK_BIN) with `args`; resolves to
/// `{ url, process, output, stop() }` once its banner line names the address (`output` collects
/// the stdout lines that follow it).
export function startMock(args = []) {
  const bin = process.env.XERIAL_MOCK_BIN || join(ROOT, 'target', 'release', 'xerial-mock');
  const child = spawn(bin, ['--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolveMock, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error('xerial-mock printed no address')), 10_000);
    child.once('error', reject);
    lines.once('line', (line) => {
      clearTimeout(timer);
      const match = /http:\/\/[0-9.:]+/.exec(line);
      if (!match) return reject(new Error(`unexpected banner: ${line}`));
      const output = [];
      lines.on('line', (next) => output.push(next)); // keep draining stdout
      resolveMock({ url: match[0], process: child, output, stop: () => child.kill('SIGTERM') });
    });
  });
}

/// Serves `routes` (path -> { type, body }) on 127.0.0.1:0; resolves to `{ url, close() }`.
export function servePages(routes) {
  const server = createServer((req, res) => {
    const page = routes[new URL(req.url, 'http://x').pathname];
    if (!page) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': page.type || 'text/html; charset=utf-8' });
    res.end(page.body);
  });
  return new Promise((resolveServer) => server.listen(0, '127.0.0.1', () => resolveServer({
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((done) => server.close(done)),
  })));
}

const tests = [];

/// Registers a test; `fn` gets nothing and throws (or rejects) to fail.
export function test(name, fn) {
  tests.push({ name, fn });
}

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

/// Runs the registered tests in order, each within `timeoutMs`; prints one line per test and,
/// last, `N passed, N failed`; sets the exit code.
export async function run({ timeoutMs = 60_000 } = {}) {
  mkdirSync(ARTEFACTS, { recursive: true });
  let passed = 0;
  let failed = 0;
  for (const { name, fn } of tests) {
    let timer;
    const deadline = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([fn(), deadline]);
      passed += 1;
      console.log(`ok   ${name}`);
    } catch (error) {
      failed += 1;
      console.log(`FAIL ${name}: ${error && error.stack ? error.stack : error}`);
    } finally {
      clearTimeout(timer);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}
