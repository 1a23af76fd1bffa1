// Sign-in in a real browser (contract §9): a C program drives the SDK through its C ABI as a game
// would (signin_driver.c); headless Chromium plays the player on the offline server's Google
// consent page (clicking Allow or Deny) and on the SDK's wallet page, with an EIP-1193 provider
// that signs with a fixed test key. Every refusal the issue lists has its test.

import { spawn, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { ARTEFACTS, ROOT, check, launch, run, servePages, startMock, test } from './lib.mjs';

const CLIENT_ID = '1234-test.apps.googleusercontent.com';
const CLIENT_SECRET = 'GOCSPX-desktop-secret';
const PROJECT = process.env.XERIAL_PROJECT_ID || 'proj-demo-arena';
/// The private key web3 documentation publishes for tests; never holds anything.
const TEST_KEY = hexToBytes('4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318');
const TEST_ADDRESS = '0x' + bytesToHex(keccak_256(secp256k1.getPublicKey(TEST_KEY, false).slice(1)).slice(-20));

/// EIP-191 personal_sign of `message` bytes: 65 bytes r || s || v, v = 27 + recovery.
function personalSign(message) {
  const prefix = utf8ToBytes(`\x19Ethereum Signed Message:\n${message.length}`);
  const recovered = secp256k1.sign(keccak_256(concatBytes(prefix, message)), TEST_KEY, { prehash: false, format: 'recovered' });
  return '0x' + bytesToHex(recovered.slice(1)) + (27 + recovered[0]).toString(16);
}

const DRIVER = join(ARTEFACTS, 'signin_driver');
function buildDriver() {
  const lib = join(ROOT, 'target', 'release');
  mkdirSync(ARTEFACTS, { recursive: true });
  execFileSync('gcc', ['-std=c11', '-D_POSIX_C_SOURCE=200809L', '-Wall', '-Wextra', '-Werror',
    `-I${join(ROOT, 'include')}`, join(ROOT, 'tests', 'browser', 'signin_driver.c'),
    `-L${lib}`, '-lxerial', `-Wl,-rpath,${lib}`, '-o', DRIVER], { stdio: 'inherit' });
}

/// The game: the driver process, its output lines awaited by pattern.
class Game {
  constructor(mock) {
    this.process = spawn(DRIVER, [mock.url, `${mock.url}/oauth/authorize`, `${mock.url}/oauth/token`, PROJECT],
      { stdio: ['pipe', 'pipe', 'inherit'] });
    this.lines = [];
    this.waiters = [];
    this.starts = 0;
    createInterface({ input: this.process.stdout }).on('line', (line) => {
      this.lines.push(line);
      this.waiters = this.waiters.filter((w) => !w(line));
    });
  }

  send(command) { this.process.stdin.write(`${command}\n`); }

  /// The first line from line `after` on (already seen or to come) matching `pattern`; its match.
  expect(pattern, { after = 0, timeoutMs = 20_000 } = {}) {
    const seen = this.lines.slice(after).map((l) => pattern.exec(l)).find(Boolean);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line ${pattern} in:\n${this.lines.join('\n')}`)), timeoutMs);
      this.waiters.push((line) => {
        const match = pattern.exec(line);
        if (match) { clearTimeout(timer); resolve(match); }
        return Boolean(match);
      });
    });
  }

  /// Starts a sign-in (`google` or `wallet …`); its request id and the URL the game must open.
  /// The driver tags each start (and its URL line) with its order, from 1.
  async start(command, { url = true } = {}) {
    const tag = ++this.starts;
    this.send(command);
    const [, id] = await this.expect(new RegExp(`^STARTED (\\d+) ${tag}$`));
    check(id !== '0', 'a request id');
    return { id, url: url ? (await this.expect(new RegExp(`^URL ${tag} (\\S+)$`)))[1] : null };
  }

  startGoogle(timeoutMs = 0) { return this.start(`google ${CLIENT_ID} ${CLIENT_SECRET} ${timeoutMs}`); }

  /// The sign-in's one result: [code name, http status, message].
  async result(id) {
    const [, code, status, message] = await this.expect(new RegExp(`^RESULT ${id} (\\S+) (\\d+) ?(.*)$`));
    return { code, status: Number(status), message };
  }

  /// Sends `command` and awaits its one answer line, `WORD <code name>`.
  async ask(command, word) {
    const after = this.lines.length;
    this.send(command);
    return (await this.expect(new RegExp(`^${word} (\\S+)`), { after }))[1];
  }

  user() { return this.ask('user', 'USER'); }

  complete(url) { return this.ask(`complete ${url}`, 'COMPLETE'); }

  async quit() {
    this.send('quit');
    await this.expect(/^BYE$/).catch(() => {});
    this.process.kill();
  }
}

let browser;
let mock;

/// One test: a fresh game and browser context (with the test wallet in every page).
function signInTest(name, fn) {
  test(name, async () => {
    const game = new Game(mock);
    const context = await browser.newContext();
    const wallet = { refuse: false };
    await context.exposeFunction('__testWallet', (method, message) => {
      if (method === 'address') return TEST_ADDRESS;
      if (wallet.refuse) return null;
      return personalSign(hexToBytes(message.slice(2)));
    });
    await context.addInitScript(() => {
      if (window.__noWallet) return;
      window.ethereum = {
        isMetaMask: true,
        request: async ({ method, params }) => {
          if (method === 'eth_requestAccounts') return [await window.__testWallet('address')];
          if (method === 'personal_sign') {
            const signature = await window.__testWallet('sign', params[0], params[1]);
            if (signature === null) throw { code: 4001, message: 'User rejected the request.' };
            return signature;
          }
          throw { code: 4200, message: `unsupported method ${method}` };
        },
      };
    });
    try {
      await game.expect(/^READY/);
      await fn({ game, page: await context.newPage(), wallet, context });
    } finally {
      await context.close();
      await game.quit();
    }
  });
}

/// The browser follows the authorization URL to the consent page and clicks `button`.
async function consent(page, url, button) {
  await page.goto(url);
  await Promise.all([page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/[^/]+\/callback\?/), page.click(button)]);
}

/// The loopback redirect URI of an authorization URL, and its state.
function redirectOf(url) {
  const params = new URL(url).searchParams;
  return { redirect: params.get('redirect_uri'), state: params.get('state') };
}

/// Goes to `url`; the HTTP status, or 0 when the connection was refused.
async function status(page, url) {
  try {
    const response = await page.goto(url);
    return response ? response.status() : 0;
  } catch (error) {
    check(/ERR_CONNECTION_REFUSED/.test(String(error)), `refused, not ${error}`);
    return 0;
  }
}

signInTest('Google: the player clicks Allow, the game is signed in and xerial_user_get works', async ({ game, page }) => {
  const { id, url } = await game.startGoogle();
  check(url.startsWith(`${mock.url}/oauth/authorize?response_type=code&`), url);
  await consent(page, url, '#allow');
  await page.waitForSelector('text=You are signed in');
  await page.screenshot({ path: join(ARTEFACTS, 'signin-google.png') });
  const result = await game.result(id);
  check(result.code === 'XERIAL_OK', JSON.stringify(result));
  check((await game.user()) === 'XERIAL_OK', 'xerial_user_get');
  check(!(await page.content()).includes(new URL(page.url()).searchParams.get('code')), 'no code in the page');
});

signInTest('Google: the player clicks Deny: XERIAL_E_DENIED', async ({ game, page }) => {
  const { id, url } = await game.startGoogle();
  await consent(page, url, '#deny');
  await page.waitForSelector('text=Sign-in was cancelled');
  const result = await game.result(id);
  check(result.code === 'XERIAL_E_DENIED' && result.message.startsWith('access_denied'), JSON.stringify(result));
  check((await game.user()) === 'XERIAL_E_NOT_LOGGED_IN', 'still logged out');
});

signInTest('Google: a wrong state is 404 and the sign-in goes on', async ({ game, page }) => {
  const { id, url } = await game.startGoogle();
  const { redirect } = redirectOf(url);
  check((await status(page, `${redirect}?code=forged&state=forged`)) === 404, 'wrong state refused');
  check((await status(page, `${redirect}?code=forged`)) === 404, 'no state refused');
  await consent(page, url, '#allow');
  check((await game.result(id)).code === 'XERIAL_OK', 'the real answer still completes');
});

signInTest('Google: a request without the secret is 404 and the sign-in goes on', async ({ game, page }) => {
  const { id, url } = await game.startGoogle();
  const origin = new URL(redirectOf(url).redirect).origin;
  check((await status(page, `${origin}/callback?code=x&state=y`)) === 404, 'no secret');
  check((await status(page, `${origin}/`)) === 404, 'root');
  await consent(page, url, '#allow');
  check((await game.result(id)).code === 'XERIAL_OK', 'completes');
});

signInTest('Google: a replayed code is refused by the token endpoint (invalid_grant), once', async ({ game, page }) => {
  const first = await game.startGoogle();
  await consent(page, first.url, '#allow');
  const used = new URL(page.url()).searchParams.get('code');
  check((await game.result(first.id)).code === 'XERIAL_OK', 'first sign-in');
  const second = await game.startGoogle();
  const { redirect, state } = redirectOf(second.url);
  await page.goto(`${redirect}?code=${encodeURIComponent(used)}&state=${state}`);
  await page.waitForSelector('text=Sign-in did not complete');
  const result = await game.result(second.id);
  check(result.code === 'XERIAL_E_BAD_REQUEST' && result.message === 'invalid_grant', JSON.stringify(result));
});

/// The game's own redirect URI (a desktop game that registered one; on mobile the OS plays this
/// part): a page on another loopback port where the browser lands with the answer.
async function withGameRedirect(fn) {
  const landing = await servePages({ '/signin': { body: '<!doctype html><title>back in the game</title>' } });
  try {
    await fn(`${landing.url}/signin`);
  } finally {
    await landing.close();
  }
}

signInTest('Google with the game\'s own redirect URI: the game hands the URL to xerial_signin_complete', async ({ game, page }) => {
  await withGameRedirect(async (redirect) => {
    const { id, url } = await game.start(`google ${CLIENT_ID} - 0 ${redirect}`);
    check(redirectOf(url).redirect === redirect, url);
    await page.goto(url);
    await Promise.all([page.waitForURL(`${redirect}?**`), page.click('#allow')]);
    check((await game.complete(`${redirect}?code=forged&state=${redirectOf(url).state}x`)) === 'XERIAL_E_NOT_FOUND', 'a foreign state is not taken');
    check((await game.complete(page.url())) === 'XERIAL_OK', 'taken');
    check((await game.complete(page.url())) === 'XERIAL_E_NOT_FOUND', 'one completion');
    check((await game.result(id)).code === 'XERIAL_OK', 'signed in');
    check((await game.user()) === 'XERIAL_OK', 'xerial_user_get');
  });
});

signInTest('Google: a code issued for another verifier is refused (invalid_grant)', async ({ game, page }) => {
  await withGameRedirect(async (redirect) => {
    // Sign-in A's code is issued (the browser lands with it) but never handed over.
    const first = await game.start(`google ${CLIENT_ID} - 0 ${redirect}`);
    await page.goto(first.url);
    await Promise.all([page.waitForURL(`${redirect}?**`), page.click('#allow')]);
    const code = new URL(page.url()).searchParams.get('code');
    game.send(`cancel ${first.id}`);
    check((await game.result(first.id)).code === 'XERIAL_E_CANCELLED', 'A cancelled');
    // Sign-in B (same client, same redirect URI) is handed A's code: only the verifier differs.
    const second = await game.start(`google ${CLIENT_ID} - 0 ${redirect}`);
    check((await game.complete(`${redirect}?code=${encodeURIComponent(code)}&state=${redirectOf(second.url).state}`)) === 'XERIAL_OK', 'taken');
    const result = await game.result(second.id);
    check(result.code === 'XERIAL_E_BAD_REQUEST' && result.message === 'invalid_grant', JSON.stringify(result));
  });
});

signInTest('Google: the deadline passes (XERIAL_E_TIMEOUT) and the listener is closed', async ({ game, page }) => {
  const { id, url } = await game.startGoogle(1500);
  const result = await game.result(id);
  check(result.code === 'XERIAL_E_TIMEOUT', JSON.stringify(result));
  check((await status(page, `${redirectOf(url).redirect}?code=x&state=${redirectOf(url).state}`)) === 0, 'closed');
});

for (const [how, command, code] of [['cancel', (id) => `cancel ${id}`, 'XERIAL_E_CANCELLED'], ['shutdown', () => 'shutdown', 'XERIAL_E_SHUTDOWN']]) {
  signInTest(`Google: ${how} while the player reads the consent page closes the listener`, async ({ game, page }) => {
    const { id, url } = await game.startGoogle();
    await page.goto(url);
    game.send(command(id));
    check((await game.result(id)).code === code, code);
    const { redirect } = redirectOf(url);
    const [failed] = await Promise.all([
      page.waitForEvent('requestfailed', (request) => request.url().startsWith(redirect)),
      page.click('#allow'),
    ]);
    check(/ERR_CONNECTION_REFUSED/.test(failed.failure().errorText), failed.failure().errorText);
  });
}

signInTest('Google: a second sign-in while one waits is refused; the first goes on', async ({ game, page }) => {
  const first = await game.startGoogle();
  const second = await game.start(`google ${CLIENT_ID} ${CLIENT_SECRET} 0`, { url: false });
  const refused = await game.result(second.id);
  check(refused.code === 'XERIAL_E_INVALID_ARGUMENT' && refused.message.includes('already waiting'), JSON.stringify(refused));
  await consent(page, first.url, '#allow');
  check((await game.result(first.id)).code === 'XERIAL_OK', 'the first completes');
});

signInTest('Wallet: the page signs the nonce with the browser wallet; the game is signed in', async ({ game, page }) => {
  const { id, url } = await game.start('wallet 0');
  await page.goto(url);
  await page.waitForSelector('body[data-outcome]');
  await page.screenshot({ path: join(ARTEFACTS, 'signin-wallet.png') });
  check((await page.getAttribute('body', 'data-outcome')) === 'signed-in', await page.textContent('body'));
  const result = await game.result(id);
  check(result.code === 'XERIAL_OK', JSON.stringify(result));
  check((await game.user()) === 'XERIAL_OK', 'xerial_user_get');
});

signInTest('Wallet: the player rejects the signature: XERIAL_E_DENIED', async ({ game, page, wallet }) => {
  wallet.refuse = true;
  const { id, url } = await game.start('wallet 0');
  await page.goto(url);
  await page.waitForSelector('body[data-outcome="cancelled"]');
  const result = await game.result(id);
  check(result.code === 'XERIAL_E_DENIED' && result.message.includes('4001'), JSON.stringify(result));
});

signInTest('Wallet: a page of another origin cannot post to the listener', async ({ game, page }) => {
  const { id, url } = await game.start('wallet 0');
  const evil = await servePages({
    '/': { body: `<form method="POST" action="${url}address" enctype="text/plain"><input name='{"address":"${TEST_ADDRESS}","x":"' value='"}'></form><script>document.forms[0].submit()</script>` },
  });
  try {
    const [answered] = await Promise.all([
      page.waitForResponse((response) => response.url() === `${url}address`),
      page.goto(`${evil.url}/`),
    ]);
    check(answered.status() === 403, `status ${answered.status()}`);
  } finally {
    await evil.close();
  }
  await page.goto(url);
  await page.waitForSelector('body[data-outcome]');
  check((await game.result(id)).code === 'XERIAL_OK', 'the real page still signs in');
});

try {
  buildDriver();
  mock = await startMock();
  browser = await launch();
  await run({ timeoutMs: 60_000 });
} finally {
  if (browser) await browser.close();
  if (mock) mock.stop();
}
