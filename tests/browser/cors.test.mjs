// CORS from a real browser: a page on one loopback origin calls the offline server on another,
// as Xerial's browser SDKs call Xerial from game pages (xerial-mock/src/cors.rs). Chromium
// enforces the rules: a missing or wrong header makes the page's fetch throw.

import { launch, startMock, servePages, test, check, run } from './lib.mjs';

const PAGE = '<!doctype html><title>game page</title><p>a game on another origin</p>';

let browser;
let mock;
let pages;
let page;

/// Runs `fetch(mock + path, init)` inside the page; resolves to { status, body } (body parsed as
/// JSON when there is one) or { error } when the browser refused the answer.
function call(path, init = {}) {
  return page.evaluate(async ({ url, init }) => {
    try {
      const res = await fetch(url, init);
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    } catch (error) {
      return { error: String(error) };
    }
  }, { url: mock.url + path, init });
}

const json = (method, body, headers = {}) => ({
  method,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: body === undefined ? undefined : JSON.stringify(body),
});

test('setup: the page and the server are on different origins', async () => {
  browser = await launch();
  mock = await startMock();
  pages = await servePages({ '/': { body: PAGE } });
  page = await browser.newPage();
  await page.goto(pages.url + '/');
  const origin = await page.evaluate(() => location.origin);
  check(origin !== new URL(mock.url).origin, `${origin} vs ${mock.url}`);
});

test('an admin route is callable cross-origin (preflighted JSON POST)', async () => {
  const r = await call('/_mock/sessions', json('POST', {}));
  check(r.status === 200, JSON.stringify(r));
  check(typeof r.body.access.token === 'string', JSON.stringify(r));
});

test('a preflighted request with Authorization and a JSON content type', async () => {
  const session = await call('/_mock/sessions', json('POST', {}));
  const token = session.body.access.token;
  // What Xerial's wallet-sdk sends for GET /user: Content-Type on a GET, and a Bearer token.
  const r = await call('/api/user', json('GET', undefined, { Authorization: `Bearer ${token}` }));
  check(r.status === 200, JSON.stringify(r));
  check(r.body.user.identifier === 'player@example.com', JSON.stringify(r));
  // The server saw the browser's preflight.
  const seen = await call('/_mock/requests?method=OPTIONS&path=/api/user');
  check(seen.status === 200 && seen.body.count >= 1, JSON.stringify(seen));
});

test('error answers are readable cross-origin: 401 and 404', async () => {
  const unauthorised = await call('/api/user', json('GET', undefined, { Authorization: 'Bearer nope' }));
  check(unauthorised.status === 401, JSON.stringify(unauthorised));
  check(unauthorised.body.message === 'Please Authenticate', JSON.stringify(unauthorised));
  const missing = await call('/api/nowhere', json('POST', {}));
  check(missing.status === 404, JSON.stringify(missing));
  check(missing.body.message === 'Not Found', JSON.stringify(missing));
  const validation = await call('/api/auth/logout', json('POST', {}));
  check(validation.status === 400 && validation.body.message === '"refreshToken" is required', JSON.stringify(validation));
});

test('a simple GET of the marketplace and a DELETE on the admin API', async () => {
  const project = await call('/marketplace/demo-arena');
  check(project.status === 200 && project.body.domain === 'demo-arena', JSON.stringify(project));
  const fault = await call('/_mock/faults', json('POST', {
    method: 'GET', path: '/marketplace/demo-arena', times: 1,
    fault: { kind: 'status', status: 503, body: { error: 'Service Unavailable' } },
  }));
  check(fault.status === 204, JSON.stringify(fault));
  const faulted = await call('/marketplace/demo-arena');
  check(faulted.status === 503 && faulted.body.error === 'Service Unavailable', JSON.stringify(faulted));
  const cleared = await call('/_mock/faults', { method: 'DELETE' });
  check(cleared.status === 204, JSON.stringify(cleared));
});

test('set-session from a hosted page on another origin', async () => {
  const session = await call('/_mock/sessions', json('POST', {}));
  const r = await call('/api/login-attempt/6601f93e3ff2ea0348edeb6a/set-session', json('POST', {
    refreshToken: session.body.refresh.token, accessToken: session.body.access.token,
  }));
  check(r.status === 204 && r.body === null, JSON.stringify(r));
  const attempt = await call('/_mock/login-attempts/6601f93e3ff2ea0348edeb6a');
  check(attempt.status === 200 && attempt.body.accessToken === session.body.access.token, JSON.stringify(attempt));
});

test('teardown', async () => {
  await browser.close();
  mock.stop();
  await pages.close();
});

await run();
