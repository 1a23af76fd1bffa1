// The offline server playing Google, driven as a player would: Chromium opens the consent page,
// clicks #allow (or #deny), and follows the redirect to a "game" listener on another loopback
// origin; the game then exchanges the code (PKCE S256) and logs in with the ID token.

import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { launch, startMock, servePages, test, check, run, ARTEFACTS } from './lib.mjs';

const CLIENT = '1234-desktop.apps.googleusercontent.com';
const GAME_PAGE = '<!doctype html><title>back to the game</title><p>You can return to the game.</p>';

let browser;
let mock;
let game;

const b64url = (bytes) => Buffer.from(bytes).toString('base64url');

/// A fresh sign-in as the SDK starts one: verifier, state, the authorize URL.
function signIn() {
  const verifier = b64url(randomBytes(32));
  const state = b64url(randomBytes(16));
  const redirectUri = `${game.url}/s3cret/callback`;
  const query = new URLSearchParams({
    response_type: 'code', client_id: CLIENT, redirect_uri: redirectUri, scope: 'openid email',
    code_challenge: b64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256', state, nonce: 'n-42',
  });
  return { verifier, state, redirectUri, url: `${mock.url}/oauth/authorize?${query}` };
}

async function exchange(flow, code) {
  const res = await fetch(`${mock.url}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code, redirect_uri: flow.redirectUri,
      client_id: CLIENT, code_verifier: flow.verifier,
    }),
  });
  return { status: res.status, body: await res.json() };
}

test('setup', async () => {
  browser = await launch();
  mock = await startMock();
  game = await servePages({ '/s3cret/callback': { body: GAME_PAGE } });
});

test('allow: redirect with code and state, exchange, log in with the ID token', async () => {
  const flow = signIn();
  const page = await browser.newPage();
  await page.goto(flow.url);
  check(await page.isChecked('#account-0'), 'an account is preselected');
  await page.screenshot({ path: join(ARTEFACTS, 'oauth-consent.png') });
  await Promise.all([page.waitForURL(`${flow.redirectUri}?*`), page.click('#allow')]);
  const back = new URL(page.url());
  check(back.searchParams.get('state') === flow.state, `state: ${page.url()}`);
  const code = back.searchParams.get('code');
  check(code && code.startsWith('4/0'), `code: ${page.url()}`);
  check((await page.textContent('p')).includes('return to the game'), 'the game page');
  const token = await exchange(flow, code);
  check(token.status === 200 && token.body.token_type === 'Bearer', JSON.stringify(token));
  const claims = JSON.parse(Buffer.from(token.body.id_token.split('.')[1], 'base64url'));
  check(claims.aud === CLIENT && claims.email === 'player@example.com' && claims.nonce === 'n-42', JSON.stringify(claims));
  check(claims.iss === mock.url, `${claims.iss} vs ${mock.url}`);
  const login = await fetch(`${mock.url}/api/auth/google`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token: token.body.id_token, clientId: CLIENT }),
  });
  check(login.status === 200 && (await login.json()).access.token, `login ${login.status}`);
  const replay = await exchange(flow, code);
  check(replay.status === 400 && replay.body.error === 'invalid_grant', JSON.stringify(replay));
  await page.close();
});

test('a typed e-mail signs in as that account', async () => {
  const flow = signIn();
  const page = await browser.newPage();
  await page.goto(flow.url);
  await page.fill('#email', 'typed@studio.test');
  await Promise.all([page.waitForURL(`${flow.redirectUri}?*`), page.click('#allow')]);
  const token = await exchange(flow, new URL(page.url()).searchParams.get('code'));
  const claims = JSON.parse(Buffer.from(token.body.id_token.split('.')[1], 'base64url'));
  check(claims.email === 'typed@studio.test', JSON.stringify(claims));
  await page.close();
});

test('deny: redirect with error=access_denied and the state', async () => {
  const flow = signIn();
  const page = await browser.newPage();
  await page.goto(flow.url);
  await Promise.all([page.waitForURL(`${flow.redirectUri}?*`), page.click('#deny')]);
  const back = new URL(page.url());
  check(back.searchParams.get('error') === 'access_denied', page.url());
  check(back.searchParams.get('state') === flow.state && !back.searchParams.has('code'), page.url());
  await page.close();
});

test('a redirect to another web site is refused with an error page', async () => {
  const flow = signIn();
  const page = await browser.newPage();
  const response = await page.goto(flow.url.replace(encodeURIComponent(flow.redirectUri),
    encodeURIComponent('https://attacker.example/cb')));
  check(response.status() === 400, `status ${response.status()}`);
  check((await page.textContent('#error-code')) === 'invalid_request', 'error code shown');
  check(new URL(page.url()).origin === mock.url, 'no redirect');
  await page.close();
});

test('teardown', async () => {
  await browser.close();
  mock.stop();
  await game.close();
});

await run();
