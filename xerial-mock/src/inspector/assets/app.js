// The xerial-mock inspector: plain JavaScript, no build step, nothing fetched but this mock's
// own admin API (/_mock/…), so everything the page does can also be scripted with curl.
// Everything shown is put in the DOM as text (never as HTML): requests come from anyone.
'use strict';
(() => {
  const $ = (selector) => document.querySelector(selector);
  const POLL_MS = 700;
  const WORLD_EVERY_MS = 3000;

  const state = {
    rev: 0,
    requests: new Map(), // id -> summary, as /_mock/log returns them
    world: null,
    faults: [],
    ended: [],
    selected: null,
    selectedSummary: '',
    worldAt: 0,
    tokenSymbols: '',
  };

  // ---- small helpers ---------------------------------------------------------------------

  /** Builds an element; children are nodes or text (never parsed as HTML). */
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else if (key === 'data') Object.assign(node.dataset, value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  async function api(method, path, body) {
    const init = { method, headers: {} };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const response = await fetch(path, init);
    if (!response.ok) {
      let message = `${response.status}`;
      try { message = (await response.json()).message || message; } catch (_) { /* not JSON */ }
      throw new Error(`${method} ${path}: ${message}`);
    }
    return response.status === 204 ? null : response.json();
  }

  function notify(text, isError) {
    const notice = $('#notice');
    notice.textContent = text;
    notice.className = isError ? 'notice error' : 'notice';
    notice.hidden = false;
    clearTimeout(notify.timer);
    notify.timer = setTimeout(() => { notice.hidden = true; }, isError ? 8000 : 3000);
  }

  /** Runs an admin action, reports it, and refreshes what it changed. */
  async function act(label, action) {
    try {
      await action();
      notify(label);
      await refreshWorld();
    } catch (error) {
      notify(error.message, true);
    }
  }

  /** An address or hash, shortened, with the whole value in its title. */
  function hex(value) {
    if (!value) return h('span', { class: 'muted' }, '—');
    const text = String(value);
    const short = text.length > 18 ? `${text.slice(0, 8)}…${text.slice(-6)}` : text;
    return h('code', { title: text, data: { full: text } }, short);
  }

  /** Makes `parent`'s children `wanted`, keeping every child whose markup did not change: a
   * live update never replaces the row or button under the developer's pointer (a click whose
   * mousedown and mouseup land on different nodes is lost). */
  function reconcile(parent, wanted) {
    const kept = new Map();
    for (const child of parent.children) kept.set(child.outerHTML, [...(kept.get(child.outerHTML) ?? []), child]);
    wanted.forEach((node, at) => {
      const next = kept.get(node.outerHTML)?.shift() ?? node;
      if (parent.children[at] !== next) parent.insertBefore(next, parent.children[at] ?? null);
    });
    while (parent.children.length > wanted.length) parent.lastElementChild.remove();
  }

  function table(node, headings, rows, empty) {
    const head = h('thead', {}, h('tr', {}, headings.map((title) => h('th', {}, title))));
    if (node.tHead?.outerHTML !== head.outerHTML) {
      node.tHead?.remove();
      node.prepend(head);
    }
    const body = node.tBodies[0] ?? node.appendChild(h('tbody'));
    reconcile(body, rows.length ? rows : [h('tr', {}, h('td', { colspan: headings.length, class: 'muted' }, empty))]);
  }

  function clock(iso) {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso
      : `${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
  }

  function relative(iso) {
    const now = state.world ? Date.parse(state.world.now) : Date.now();
    const seconds = Math.round((Date.parse(iso) - now) / 1000);
    const span = Math.abs(seconds);
    const text = span < 90 ? `${span} s` : span < 5400 ? `${Math.round(span / 60)} min`
      : span < 172800 ? `${Math.round(span / 3600)} h` : `${Math.round(span / 86400)} days`;
    return seconds > 0 ? `in ${text}` : `${text} ago`;
  }

  // ---- views and live updates ------------------------------------------------------------

  function showView() {
    const wanted = (location.hash || '#players').slice(1);
    const view = document.querySelector(`[data-view="${wanted}"]`) ? wanted : 'players';
    for (const section of document.querySelectorAll('[data-view]')) section.hidden = section.dataset.view !== view;
    for (const tab of document.querySelectorAll('[data-tab]')) tab.classList.toggle('active', tab.dataset.tab === view);
  }

  function setLive(ok, why) {
    const live = $('#live');
    live.textContent = ok ? 'live' : 'offline';
    live.className = ok ? 'live ok' : 'live down';
    live.title = ok ? 'Polling the admin API' : `Cannot reach the mock: ${why}`;
  }

  async function refreshWorld() {
    const [world, faults, ended] = await Promise.all([
      api('GET', '/_mock/world'), api('GET', '/_mock/faults'), api('GET', '/_mock/faults/ended'),
    ]);
    Object.assign(state, { world, faults, ended, worldAt: Date.now() });
    renderPlayers();
    renderMoney();
    renderFaults();
  }

  async function tick() {
    try {
      const log = await api('GET', `/_mock/log?since=${state.rev}`);
      let changed = log.entries.length > 0;
      for (const id of [...state.requests.keys()]) {
        if (id < log.first) { state.requests.delete(id); changed = true; }
      }
      for (const entry of log.entries) state.requests.set(entry.id, entry);
      state.rev = log.rev;
      if (changed || Date.now() - state.worldAt > WORLD_EVERY_MS) await refreshWorld();
      if (changed) renderRequests();
      setLive(true);
    } catch (error) {
      setLive(false, error.message);
    }
    setTimeout(tick, POLL_MS);
  }

  // ---- players and sessions --------------------------------------------------------------

  function tokenCell(token) {
    return h('td', {}, h('code', {}, token.hint), ' ',
      h('span', { class: token.expired ? 'bad' : 'muted' }, token.expired ? `expired ${relative(token.expires)}` : `expires ${relative(token.expires)}`));
  }

  function sessionRow(session) {
    return h('tr', { data: { session: session.id } },
      h('td', {}, h('code', {}, session.id)),
      tokenCell(session.access),
      tokenCell(session.refresh),
      h('td', { class: 'buttons' },
        h('button', { type: 'button', class: 'small', title: 'The next call is answered 401; the SDK should refresh',
          onclick: () => act('Access token expired', () => api('POST', `/_mock/sessions/${session.id}/expire-access`)) },
        'Expire access token'),
        h('button', { type: 'button', class: 'small danger', title: 'Revoke the session and expire its access token',
          onclick: () => act('Player logged out', () => api('POST', `/_mock/sessions/${session.id}/logout`)) },
        'Log out')));
  }

  function renderPlayers() {
    const users = state.world.users.map((user) => {
      const wallets = h('table', { class: 'grid' });
      table(wallets, ['Wallet (EOA)', 'Smart account', 'Custody', 'Type'], user.wallets.map((w) => h('tr', {},
        h('td', {}, hex(w.address)), h('td', {}, hex(w.smartAccount)),
        h('td', {}, h('span', { class: w.custodial ? 'tag' : 'tag alt' }, w.custodial ? 'custodial' : 'non-custodial (MetaMask)')),
        h('td', {}, w.type))), 'no wallet');
      const sessions = h('table', { class: 'grid' });
      table(sessions, ['Session', 'Access token', 'Refresh token', ''], user.sessions.map(sessionRow), 'no live session');
      return h('article', { class: 'card', data: { user: user.id } },
        h('header', {}, h('h3', {}, user.identifier), h('code', { class: 'muted' }, user.id),
          user.sessions.length ? h('span', { class: 'tag ok' }, `${user.sessions.length} live session${user.sessions.length > 1 ? 's' : ''}`) : null),
        wallets, sessions);
    });
    reconcile($('#users'), users);
  }

  // ---- money and items -------------------------------------------------------------------

  function walletsOf(world) {
    return world.users.flatMap((user) => user.wallets.map((wallet) => ({ user, wallet })));
  }

  function symbolsOf(world) {
    const symbols = new Set();
    for (const { wallet } of walletsOf(world)) for (const b of wallet.balances) Object.keys(b.tokens).forEach((s) => symbols.add(s));
    return [...symbols].sort();
  }

  function editBalance(address, balance) {
    const form = $('#balance-form');
    form.address.value = address;
    form.chain.value = balance.chain;
    form.native.value = balance.native;
    for (const input of form.querySelectorAll('[data-token]')) input.value = balance.tokens[input.dataset.token] ?? '';
    form.scrollIntoView({ block: 'center' });
    form.native.focus();
  }

  function renderTokenInputs(symbols) {
    if (symbols.join() === state.tokenSymbols) return; // keep what the developer is typing
    state.tokenSymbols = symbols.join();
    $('#token-inputs').replaceChildren(...symbols.map((symbol) => h('label', {}, `${symbol} `,
      h('input', { size: 10, inputmode: 'decimal', placeholder: 'unchanged', data: { token: symbol } }))));
  }

  function renderMoney() {
    const world = state.world;
    const symbols = symbolsOf(world);
    renderTokenInputs(symbols);
    table($('#balances'), ['Player', 'Wallet', 'Chain', 'Native', ...symbols, ''],
      walletsOf(world).flatMap(({ user, wallet }) => wallet.balances.map((b) => h('tr', { data: { address: wallet.address, chain: b.chain } },
        h('td', {}, user.identifier), h('td', {}, hex(wallet.address)), h('td', {}, b.chain),
        h('td', { class: 'num', data: { cell: 'native' } }, b.native),
        symbols.map((s) => h('td', { class: 'num' }, b.tokens[s] ?? '—')),
        h('td', {}, h('button', { type: 'button', class: 'small', onclick: () => editBalance(wallet.address, b) }, 'Set…'))))),
      'no wallet');
    table($('#inventories'), ['Player', 'Wallet', 'Chain', 'Item', 'Token id', 'Collection'],
      walletsOf(world).flatMap(({ user, wallet }) => wallet.inventory.map((item) => h('tr', {},
        h('td', {}, user.identifier), h('td', {}, hex(wallet.address)), h('td', {}, item.chain),
        h('td', {}, item.name ?? `type ${item.typeId}`), h('td', { class: 'num' }, item.tokenId),
        h('td', {}, item.collectionName, ' ', hex(item.collection))))),
      'nobody holds an item');
    table($('#listings'), ['Project', 'Collection', 'Chain', 'Type', 'Name', 'Supply', 'Minted', 'Price', 'In sale'],
      world.projects.flatMap((p) => p.collections.flatMap((c) => c.listings.map((l) => h('tr', {},
        h('td', {}, p.name ?? p.domain), h('td', {}, c.name, ' ', hex(c.address)), h('td', {}, c.chain),
        h('td', { class: 'num' }, l.typeId), h('td', {}, l.name), h('td', { class: 'num' }, l.supply),
        h('td', { class: 'num', data: { cell: 'minted' } }, l.minted), h('td', { class: 'num' }, l.price),
        h('td', {}, l.inSale ? 'yes' : h('span', { class: 'muted' }, 'no')))))),
      'no listing');
    table($('#market'), ['Market item', 'Item', 'Token id', 'Price', 'Seller'],
      world.market.map((m) => h('tr', {}, h('td', { class: 'num' }, m.marketItemId),
        h('td', {}, m.token?.name ?? '—'), h('td', { class: 'num' }, m.token?.tokenId ?? '—'),
        h('td', { class: 'num' }, m.price), h('td', {}, hex(m.seller)))),
      'nothing listed');
    table($('#transactions'), ['Type', 'Chain', 'From', 'To', 'Item', 'Amount', 'Hash'],
      world.transactions.map((t) => h('tr', { data: { hash: t.hash } }, h('td', {}, h('span', { class: 'tag' }, t.type)),
        h('td', {}, t.chain), h('td', {}, hex(t.from)), h('td', {}, hex(t.to)), h('td', { class: 'wrap' }, t.item ?? '—'),
        h('td', { class: 'num' }, t.amount ?? '—'), h('td', {}, hex(t.hash)))),
      'no transaction yet');
    table($('#others'), ['Address', 'What', 'Chain', 'Native', ...symbols],
      world.otherBalances.map((b) => h('tr', {}, h('td', {}, hex(b.address)), h('td', {}, b.label), h('td', {}, b.chain),
        h('td', { class: 'num' }, b.native), symbols.map((s) => h('td', { class: 'num' }, b.tokens[s] ?? '—')))),
      'none');
  }

  async function submitBalance(event) {
    event.preventDefault();
    const form = event.target;
    const body = { address: form.address.value.trim(), chain: form.chain.value, tokens: {} };
    if (form.native.value.trim()) body.native = form.native.value.trim();
    for (const input of form.querySelectorAll('[data-token]')) {
      if (input.value.trim()) body.tokens[input.dataset.token] = input.value.trim();
    }
    await act(`Balance of ${body.address} on ${body.chain} set`, () => api('POST', '/_mock/balances', body));
  }

  // ---- requests --------------------------------------------------------------------------

  function statusOf(entry) {
    if (entry.status) return h('span', { class: `status s${String(entry.status)[0]}` }, entry.status);
    const words = { pending: 'pending…', closed: 'no answer', abandoned: 'client left' };
    return h('span', { class: 'status none' }, words[entry.outcome] ?? entry.outcome);
  }

  function matches(entry) {
    const path = $('#filter-path').value.trim().toLowerCase();
    const status = $('#filter-status').value;
    if (path && !`${entry.path}?${entry.query ?? ''}`.toLowerCase().includes(path)) return false;
    if (status === 'fault') return Boolean(entry.fault);
    if (status === 'none') return !entry.status;
    return !status || String(entry.status ?? '').startsWith(status);
  }

  function renderRequests() {
    const all = [...state.requests.values()].sort((a, b) => b.id - a.id);
    const shown = all.filter(matches);
    $('#request-count').textContent = all.length;
    $('#shown').textContent = shown.length === all.length ? `${all.length} requests` : `${shown.length} of ${all.length} requests`;
    table($('#requests'), ['#', 'Time', 'Method', 'Path', 'Status', 'ms', 'Client', 'Fault'],
      shown.map((e) => h('tr', { data: { request: e.id }, class: e.id === state.selected ? 'selected' : null, onclick: () => select(e.id) },
        h('td', { class: 'num muted' }, e.id), h('td', {}, clock(e.time)), h('td', {}, e.method),
        h('td', { class: 'path' }, e.path, e.query ? h('span', { class: 'muted' }, `?${e.query}`) : null),
        h('td', {}, statusOf(e)), h('td', { class: 'num' }, e.latencyMs ?? '…'),
        h('td', { class: 'agent', title: e.userAgent ?? '' }, e.userAgent ?? '—'),
        h('td', {}, e.fault ? h('span', { class: 'tag fault', title: `fault rule #${e.fault.rule}` }, `#${e.fault.rule} ${e.fault.label}`) : null))),
      'No request yet: run the game against this mock.');
    const seen = [...new Set(all.map((e) => e.path))].sort();
    $('#seen-paths').replaceChildren(...['*', '/api/wallet/*', ...seen].map((p) => h('option', { value: p })));
    const selected = state.requests.get(state.selected);
    const summary = JSON.stringify(selected ?? null);
    if (summary !== state.selectedSummary) { state.selectedSummary = summary; loadDetail(); }
  }

  function select(id) {
    state.selected = id;
    state.selectedSummary = '';
    renderRequests();
  }

  function headerTable(pairs) {
    const node = h('table', { class: 'grid headers' });
    table(node, ['Header', 'Value'], pairs.map(([name, value]) => h('tr', {}, h('td', {}, name), h('td', { class: 'wrap' }, value))), 'none');
    return node;
  }

  function bodyBlock(body) {
    if (!body) return h('p', { class: 'muted' }, 'not read yet');
    if (!body.size) return h('p', { class: 'muted' }, 'empty');
    return h('div', {}, body.truncated ? h('p', { class: 'muted' }, `the first ${body.text.length} characters of ${body.size} bytes`) : null,
      h('pre', {}, body.text));
  }

  async function loadDetail() {
    const panel = $('#request-detail');
    if (!state.requests.has(state.selected)) {
      delete panel.dataset.request;
      panel.replaceChildren(h('p', { class: 'muted' }, 'Click a request to see its headers and bodies.'));
      return;
    }
    const id = state.selected;
    try {
      const e = await api('GET', `/_mock/log/${id}`);
      if (id !== state.selected) return; // a later click won
      panel.dataset.request = e.id;
      panel.replaceChildren(
        h('h3', {}, `${e.method} ${e.path}`, e.query ? `?${e.query}` : ''),
        h('p', {}, statusOf(e), ` at ${clock(e.time)}`, e.latencyMs !== null ? `, ${e.latencyMs} ms` : '',
          e.fault ? h('span', { class: 'tag fault' }, `fault #${e.fault.rule}: ${e.fault.label}`) : null),
        h('h4', {}, 'Request headers'), headerTable(e.requestHeaders),
        h('h4', {}, 'Request body'), bodyBlock(e.requestBody),
        h('h4', {}, 'Response headers'), headerTable(e.responseHeaders),
        h('h4', {}, 'Response body'), bodyBlock(e.responseBody),
        h('p', { class: 'muted small' }, 'Tokens, signatures and Authorization values are redacted by the mock.'));
    } catch (error) {
      panel.replaceChildren(h('p', { class: 'muted' }, error.message));
    }
  }

  // ---- faults ----------------------------------------------------------------------------

  function describe(fault) {
    switch (fault.kind) {
      case 'status': return fault.retryAfter !== undefined ? `status ${fault.status}, Retry-After ${fault.retryAfter} s` : `status ${fault.status}`;
      case 'delay': return `delay ${fault.ms} ms`;
      case 'hang': return `hang${fault.maxMs ? ` ${fault.maxMs} ms` : ''}`;
      default: return fault.kind.replace('_', ' ');
    }
  }

  function ruleRow(rule, ended) {
    return h('tr', { data: { rule: rule.id } },
      h('td', { class: 'num' }, `#${rule.id}`), h('td', {}, rule.method === '*' ? 'any' : rule.method),
      h('td', { class: 'path' }, rule.path), h('td', {}, describe(rule.fault)),
      h('td', { class: 'num' }, rule.times ?? '∞'), h('td', { class: 'num', data: { cell: 'hits' } }, rule.hits),
      h('td', { class: 'wrap' }, rule.requests.map((id) => h('a', { href: '#requests', class: 'request-link',
        onclick: () => select(id) }, `#${id}`))),
      h('td', {}, ended ? rule.ended : h('button', { type: 'button', class: 'small',
        onclick: () => act(`Fault #${rule.id} turned off`, () => api('DELETE', `/_mock/faults/${rule.id}`)) }, 'Turn off')));
  }

  function renderFaults() {
    const headings = ['Rule', 'Method', 'Path', 'Fault', 'Left', 'Hits', 'Requests hit'];
    table($('#faults'), [...headings, ''], state.faults.map((r) => ruleRow(r, false)), 'No fault is on: the mock answers normally.');
    table($('#ended-faults'), [...headings, 'Ended'], state.ended.map((r) => ruleRow(r, true)), 'none');
    $('#fault-count').textContent = state.faults.length;
    $('#fault-count').classList.toggle('hot', state.faults.length > 0);
  }

  function faultFormChanged() {
    const form = $('#fault-form');
    for (const label of form.querySelectorAll('[data-for]')) {
      const key = label.dataset.for;
      label.hidden = key === 'times' ? form.scope.value !== 'times' : form.kind.value !== key;
    }
  }

  async function submitFault(event) {
    event.preventDefault();
    const form = event.target;
    const number = (input) => Number(input.value);
    const faults = {
      status: () => ({ kind: 'status', status: number(form.status), body: { code: number(form.status), message: 'Injected by the inspector' } }),
      ratelimit: () => ({ kind: 'status', status: 429, retryAfter: number(form.retryAfter), body: { code: 429, message: 'Too Many Requests' } }),
      delay: () => ({ kind: 'delay', ms: number(form.ms) }),
      hang: () => ({ kind: 'hang', maxMs: number(form.maxMs) }),
    };
    const kind = form.kind.value;
    const rule = { method: form.method.value, path: form.path.value.trim(), fault: (faults[kind] ?? (() => ({ kind })))() };
    if (form.scope.value === 'times') rule.times = number(form.times);
    await act(`Fault on: ${rule.method === '*' ? 'any method' : rule.method} ${rule.path}, ${describe(rule.fault)}`,
      () => api('POST', '/_mock/faults', rule));
  }

  // ---- reset and fixtures ----------------------------------------------------------------

  async function loadFixtureFile(event) {
    const file = event.target.files[0];
    event.target.value = '';
    if (!file) return;
    await act(`Fixture ${file.name} loaded`, async () => api('POST', '/_mock/fixture', await file.text()));
  }

  function start() {
    window.addEventListener('hashchange', showView);
    showView();
    $('#reset').addEventListener('click', () => act('Reset to the seed', () => api('POST', '/_mock/reset')));
    $('#load-demo').addEventListener('click', () => act('Demo world loaded', () => api('POST', '/_mock/fixture', '{}')));
    $('#fixture-file').addEventListener('change', loadFixtureFile);
    $('#balance-form').addEventListener('submit', submitBalance);
    $('#fault-form').addEventListener('submit', submitFault);
    $('#fault-form').addEventListener('change', faultFormChanged);
    $('#faults-off').addEventListener('click', () => act('All faults turned off', () => api('DELETE', '/_mock/faults')));
    $('#filter-path').addEventListener('input', renderRequests);
    $('#filter-status').addEventListener('change', renderRequests);
    faultFormChanged();
    renderRequests();
    tick();
  }

  start();
})();
