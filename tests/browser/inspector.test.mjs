// The xerial-mock inspector in headless Chromium, while a C program drives the SDK through the
// C ABI against the same mock (tests/browser/inspector_game.c). The page is opened before the
// game runs and never reloaded: what the game does must appear live. Faults, session controls,
// balances and reset are driven by clicking the page, and the SDK's next call is checked for the
// documented code. No token the SDK holds may appear anywhere in the page. A screenshot of each
// view goes to target/browser-artefacts/inspector-*.png (scripts/inspector-screenshots.sh copies
// them into xerial-mock/docs/ for the README).

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { inflateSync } from 'node:zlib';
import { ARTEFACTS, ROOT, check, launch, run, startMock, test } from './lib.mjs';

const PLAYER = '0x8e9DD3c1Db3254d968967CbC367542C343273629';
const BALANCE_PATH = `/api/wallet/${PLAYER}/polygon/eth`;
const work = mkdtempSync(join(tmpdir(), 'xerial-inspector-'));
let mock;
let browser;
let page;
let game;
const tokens = new Set(); // every token the SDK held, as it reported them
let purchaseHash;
let accessToken; // the latest one the SDK reported
const pageErrors = [];

// ---- the game: a C program on the C ABI, one result per stdout line --------------------------

function buildGame() {
  const libdir = process.env.XERIAL_LIB_DIR || join(ROOT, 'target', 'release');
  const out = join(work, 'inspector_game');
  execFileSync(process.env.CC || 'gcc', [
    '-std=c11', '-D_POSIX_C_SOURCE=200809L', '-Wall', '-Wextra', '-Werror',
    `-I${join(ROOT, 'include')}`, join(ROOT, 'tests', 'browser', 'inspector_game.c'),
    `-L${libdir}`, '-lxerial', `-Wl,-rpath,${libdir}`, '-o', out,
  ], { stdio: 'inherit' });
  return out;
}

function startGame(binary) {
  const child = spawn(binary, [mock.url, PLAYER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting = [];
  const early = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const [step, code, http, body, message] = line.split('\t');
    const result = { step, code, http: Number(http), body, message };
    if (step === 'session' && code === 'XERIAL_OK') {
      const pair = JSON.parse(body);
      accessToken = pair.access.token;
      tokens.add(pair.access.token);
      tokens.add(pair.refresh.token);
    }
    const at = waiting.findIndex((w) => w.step === step);
    if (at >= 0) waiting.splice(at, 1)[0].resolve(result);
    else early.push(result);
  });
  const next = (step, timeoutMs = 15_000) => {
    const at = early.findIndex((r) => r.step === step);
    if (at >= 0) return Promise.resolve(early.splice(at, 1)[0]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the game printed no "${step}" line`)), timeoutMs);
      waiting.push({ step, resolve: (r) => { clearTimeout(timer); resolve(r); } });
    });
  };
  const ask = (command) => { child.stdin.write(`${command}\n`); return next(command); };
  return { child, next, ask, early };
}

// ---- page helpers ------------------------------------------------------------------------------

async function view(name) {
  await page.click(`[data-tab="${name}"]`);
  await page.locator(`[data-view="${name}"]`).waitFor({ state: 'visible' });
}

const row = (table, text) => page.locator(`${table} tbody tr`, { hasText: text }).first();

/** The cells' texts of the requests table's rows whose path ends with `path`, newest first.
 *  (Not a row's whole text: its cells run together, so id 14 and the time 01:29 read "1401".) */
const METHOD = 2;
const PATH = 3;
const STATUS = 4;
const requestsTo = (path) => page.$$eval('#requests tbody tr', (rows, [p, column]) => rows
  .map((r) => [...r.cells].map((c) => c.textContent))
  .filter((cells) => (cells[column] || '').split('?')[0].endsWith(p)), [path, PATH]);

async function textOf(locator) {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

async function until(what, predicate, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await predicate();
    if (last === true) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} (last seen: ${JSON.stringify(last)})`);
}

/** Decodes a PNG's pixel data and fails if it is (nearly) one colour. */
function checkNotBlank(file) {
  const png = readFileSync(file);
  check(png.length > 10_000, `${file} is only ${png.length} bytes`);
  const chunks = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') chunks.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const pixels = inflateSync(Buffer.concat(chunks));
  const colours = new Set();
  for (let i = 0; i + 3 <= pixels.length && colours.size < 64; i += 997) colours.add(pixels.readUIntBE(i, 3));
  check(colours.size >= 16, `${file} looks blank (${colours.size} distinct samples)`);
}

async function screenshot(name) {
  const file = join(ARTEFACTS, `inspector-${name}.png`);
  await page.evaluate(() => { document.getElementById('notice').hidden = true; });
  await page.screenshot({ path: file, fullPage: true });
  checkNotBlank(file);
}

/** Fails if the DOM (and visible text) under `selector` holds a token or any 16-character piece
 * of one. */
async function checkNoToken(where, selector = 'html') {
  check(tokens.size >= 2, 'the game reported its tokens');
  const text = await page.locator(selector).evaluate((node) => node.outerHTML + node.innerText);
  for (const token of tokens) {
    for (let i = 0; i + 16 <= token.length; i += 1) {
      check(!text.includes(token.slice(i, i + 16)), `${where}: a piece of a token is in the page: ${token.slice(i, i + 16)}`);
    }
  }
}

// ---- the tests -----------------------------------------------------------------------------

test('the banner names the inspector and the page opens with no request yet', async () => {
  mock = await startMock();
  const named = () => mock.output.find((line) => line.startsWith('inspector: '));
  await until('the banner names the inspector', () => Boolean(named()), 3000);
  check(named().startsWith(`inspector: ${mock.url}/ (`), `banner line: ${named()}`);
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  page.setDefaultTimeout(10_000); // a stuck wait names its locator before the test's deadline
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${mock.url}/#requests`);
  check(await page.title() === 'xerial-mock inspector', 'title');
  await page.locator('#live.ok').waitFor();
  check((await textOf(page.locator('#requests'))).includes('No request yet'), 'an empty log says so');
});

test("the game's calls through the C ABI appear live: requests, purchase, balance", async () => {
  game = startGame(buildGame());
  for (const step of ['login', 'session', 'user', 'listings', 'balance', 'purchase']) {
    const r = await game.next(step);
    check(r.code === 'XERIAL_OK', `${step}: ${r.code} ${r.message}`);
    if (step === 'purchase') purchaseHash = JSON.parse(r.body).transactionHash;
  }
  const after = await game.next('balance');
  check(after.body === '{"balance":"24.5"}', `balance after the purchase: ${after.body}`);
  await game.next('ready');

  // The page was never reloaded: the log updated itself.
  const buy = row('#requests', '/primary-purchase');
  await buy.waitFor();
  const [bought] = await requestsTo('/primary-purchase');
  check(bought[METHOD] === 'POST' && bought[STATUS] === '200', bought.join(' '));
  check((await requestsTo('/api/auth/google')).some((r) => r[STATUS] === '200'), 'the login is listed');
  check((await textOf(buy.locator('td.agent'))).startsWith('xerial'), 'the SDK user agent is shown');
  // login, user, listings, balance, purchase, balance: one row per request, nothing else.
  await until('six requests listed', async () => (await page.locator('#requests tbody tr').count()) === 6);
  await buy.click();
  const detail = page.locator('#request-detail');
  await detail.locator('h3', { hasText: 'primary-purchase' }).waitFor();
  await detail.locator('pre', { hasText: '0xC011EC7100000000000000000000000000000001' }).waitFor();
  const hint = `Bearer [redacted …${accessToken.slice(-6)}]`;
  check((await textOf(detail)).includes(`authorization ${hint}`), `Authorization shows as "${hint}"`);
  await screenshot('requests');

  await view('money');
  const purchase = page.locator('#transactions tbody tr').first();
  check(await purchase.getAttribute('data-hash') === purchaseHash, `the SDK's transaction ${purchaseHash} is listed`);
  check((await textOf(purchase)).includes('primary-purchase') && (await textOf(purchase)).includes('0.5'), await textOf(purchase));
  const balance = page.locator(`#balances tr[data-address="${PLAYER}"][data-chain="polygon"] [data-cell="native"]`);
  check(await textOf(balance) === '24.5', `page balance ${await textOf(balance)}`);
  const minted = row('#listings', 'Fire Sword').locator('[data-cell="minted"]');
  check(await textOf(minted) === '4', `Fire Swords minted: ${await textOf(minted)} (3 seeded + 1)`);
  await screenshot('money');
});

test('a 503 switched on in the page makes the SDK fail with XERIAL_E_SERVER after its retries', async () => {
  await view('faults');
  const form = page.locator('#fault-form');
  await form.locator('[name=method]').selectOption('GET');
  await form.locator('[name=path]').fill(BALANCE_PATH);
  await form.locator('[name=kind]').selectOption('status');
  await form.locator('[name=status]').fill('503');
  await form.locator('button[type=submit]').click();
  await row('#faults', BALANCE_PATH).waitFor();

  const failed = await game.ask('balance');
  check(failed.code === 'XERIAL_E_SERVER' && failed.http === 503, `${failed.code} ${failed.http}`);
  check(failed.message === 'Injected by the inspector', `message ${failed.message}`);
  const rule = row('#faults', BALANCE_PATH);
  await until('the rule counts 3 hits', async () => (await textOf(rule.locator('[data-cell="hits"]'))) === '3' || textOf(rule));
  check(await rule.locator('.request-link').count() === 3, 'the three requests it hit are linked');
  await screenshot('faults');

  await rule.locator('button', { hasText: 'Turn off' }).click();
  await page.locator('#faults', { hasText: 'No fault is on' }).waitFor();
  const ok = await game.ask('balance');
  check(ok.code === 'XERIAL_OK', `after turning it off: ${ok.code}`);
  await view('requests');
  await page.selectOption('#filter-status', 'fault');
  await until('the filter shows the 3 faulted requests', async () => (await page.locator('#requests tbody tr .tag.fault').count()) === 3);
  check(await page.locator('#requests tbody tr').count() === 3, 'and nothing else');
  await page.selectOption('#filter-status', '');
  await page.fill('#filter-path', '/api/auth/');
  check(await page.locator('#requests tbody tr').count() === 1, 'the path filter leaves the login');
  check((await textOf(page.locator('#shown'))).startsWith('1 of '), 'and says how many it hides');
  await page.fill('#filter-path', '');
});

test('a hang for the next request shows as pending and the SDK times out (XERIAL_E_TIMEOUT)', async () => {
  await view('faults');
  const form = page.locator('#fault-form');
  await form.locator('[name=method]').selectOption('*');
  await form.locator('[name=path]').fill('*');
  await form.locator('[name=kind]').selectOption('hang');
  await form.locator('[name=maxMs]').fill('4000');
  await form.locator('[name=scope]').selectOption('times');
  await form.locator('[name=times]').fill('1');
  await form.locator('button[type=submit]').click();
  await row('#faults', 'hang').waitFor();

  const answer = game.ask('user');
  await view('requests');
  await row('#requests', 'pending').waitFor({ timeout: 3000 });
  const timedOut = await answer;
  check(timedOut.code === 'XERIAL_E_TIMEOUT', `hang: ${timedOut.code}`);
  await view('faults');
  await row('#ended-faults', 'used up').waitFor();
});

test('expiring the access token in the page makes the SDK refresh and carry on', async () => {
  await view('players');
  const session = page.locator('[data-user="5ebac534954b54139806c112"] tr[data-session]');
  await session.locator('button', { hasText: 'Expire access token' }).click();
  await session.locator('.bad', { hasText: 'expired' }).first().waitFor();
  const user = await game.ask('user');
  check(user.code === 'XERIAL_OK', `user after expiry: ${user.code}`);
  await game.ask('session'); // the new pair joins the tokens the page must not show
  await view('requests');
  await row('#requests', '/api/auth/refresh-tokens').waitFor();
  await until('retried after the refresh', async () => (await requestsTo('/api/user'))[0]?.[STATUS] === '200');
  await until('one 401 first', async () => (await requestsTo('/api/user')).filter((r) => r[STATUS] === '401').length === 1);
  await view('players');
  await page.locator('[data-user="5ebac534954b54139806c112"] tr[data-session]', { hasText: 'expires in 60 min' }).waitFor();
  await screenshot('players');
});

test('a balance set in the page is what the SDK reads', async () => {
  await view('money');
  await page.locator(`#balances tr[data-address="${PLAYER}"][data-chain="polygon"] button`).click();
  await page.fill('#balance-form [name=native]', '100');
  await page.click('#balance-form button[type=submit]');
  const native = page.locator(`#balances tr[data-address="${PLAYER}"][data-chain="polygon"] [data-cell="native"]`);
  await until('the page shows the new balance', async () => (await textOf(native)) === '100' || textOf(native));
  const balance = await game.ask('balance');
  check(balance.body === '{"balance":"100"}', `SDK balance ${balance.body}`);
});

test('no full token (nor any 16-character piece of one) is anywhere in the page', async () => {
  for (const name of ['players', 'money', 'faults']) {
    await view(name);
    await checkNoToken(name);
  }
  await view('requests');
  const rows = page.locator('#requests tbody tr');
  const count = await rows.count();
  check(count >= 10, `${count} requests to look into`);
  for (let i = 0; i < count; i += 1) {
    const id = await rows.nth(i).getAttribute('data-request');
    await rows.nth(i).click();
    await page.locator(`#request-detail[data-request="${id}"] h4`, { hasText: 'Response body' }).waitFor();
    await checkNoToken(`request #${id}`, '#request-detail');
  }
  await checkNoToken('requests');
});

test('logging the player out in the page ends the SDK session (XERIAL_E_NOT_LOGGED_IN)', async () => {
  await view('players');
  await page.locator('[data-user="5ebac534954b54139806c112"] tr[data-session] button', { hasText: 'Log out' }).click();
  await page.locator('[data-user="5ebac534954b54139806c112"]', { hasText: 'no live session' }).waitFor();
  const user = await game.ask('user');
  check(user.code === 'XERIAL_E_NOT_LOGGED_IN', `user after logout: ${user.code}`);
});

test('reset restores the fixture; a fixture file and the demo world load from the page', async () => {
  await page.click('#reset');
  await view('money');
  const native = page.locator(`#balances tr[data-address="${PLAYER}"][data-chain="polygon"] [data-cell="native"]`);
  await until('the balance is back to 25', async () => (await textOf(native)) === '25' || textOf(native));
  await page.locator('#transactions', { hasText: 'no transaction yet' }).waitFor();
  check(await page.locator('#inventories tbody tr', { hasText: 'player@example.com' }).count() === 3, 'inventory back to 3 items');
  const minted = row('#listings', 'Fire Sword').locator('[data-cell="minted"]');
  check(await textOf(minted) === '3', `Fire Swords minted after reset: ${await textOf(minted)}`);
  await until('the log is emptied', async () => (await page.locator('#request-count').textContent()) === '0');
  const balance = await game.ask('balance');
  check(balance.body === '{"balance":"25"}', `SDK balance after reset ${balance.body}`);

  const fixture = join(work, 'studio.json');
  writeFileSync(fixture, JSON.stringify({ users: [{ id: 'aaaaaaaaaaaaaaaaaaaaaaaa', identifier: 'dev@studio.test',
    wallets: [{ address: '0x00000000000000000000000000000000000000aa' }] }] }));
  await page.setInputFiles('#fixture-file', fixture);
  await view('players');
  await page.locator('[data-user="aaaaaaaaaaaaaaaaaaaaaaaa"]', { hasText: 'dev@studio.test' }).waitFor();
  await page.click('#load-demo');
  await page.locator('[data-user="aaaaaaaaaaaaaaaaaaaaaaaa"]').waitFor({ state: 'detached' });
  check(statSync(join(ARTEFACTS, 'inspector-players.png')).size > 0, 'screenshots kept');
});

test('the page raised no script error', async () => {
  check(pageErrors.length === 0, pageErrors.join('; '));
});

try {
  await run({ timeoutMs: 45_000 });
} finally {
  if (game) { game.child.stdin.end('quit\n'); game.child.kill(); }
  if (browser) await browser.close().catch(() => {});
  if (mock) mock.stop();
}
