// Shared helpers for the official-client scenarios (tests/integration/34-mm-client.sh):
// the npm packages `@mattermost/client` (Client4, WebSocketClient) and `ws`, set up the way a bot
// on Node 20 sets them up, plus case reporting in the harness's format.
//
// What the client needs on Node 20:
//   - fetch: global since Node 18 (Client4 calls the global `fetch`);
//   - WebSocket: not global before Node 22. WebSocketClient creates sockets through
//     `config.newWebSocketFn` (we pass one that builds a `ws` WebSocket) but also reads the
//     global `WebSocket.OPEN`, so the global is set to `ws` when missing;
//   - CloseEvent: not global before Node 23; WebSocketClient builds one when it detects a
//     sequence gap or a ping timeout (then closes and reconnects). A minimal stand-in keeps that
//     path working, so a gap shows as a reconnect instead of a crash.
//
// Every HTTP exchange either Client4 makes is recorded (method, URL, request body, status,
// Content-Type, response body), so a failing case can show the exact request and response.
import fs from 'node:fs';
import WS from 'ws';
import mm from '@mattermost/client';

export const { Client4, WebSocketClient, ClientError } = mm;

if (typeof globalThis.WebSocket === 'undefined') globalThis.WebSocket = WS;
if (typeof globalThis.CloseEvent === 'undefined') {
  globalThis.CloseEvent = class CloseEvent extends Event {
    constructor(type, init = {}) {
      super(type);
      this.code = init.code ?? 0;
      this.reason = init.reason ?? '';
      this.wasClean = init.wasClean ?? false;
    }
  };
}

// WebSocketClient logs its life ('websocket connecting to ...') with console.log; keep stdout
// for our own use and send all of that to stderr.
console.log = (...a) => console.error(...a);

// ---- HTTP exchange recorder -------------------------------------------------------------------

const realFetch = globalThis.fetch;
const tokenNames = new Map();
export const exchanges = [];

// nameToken TOKEN NAME: exchanges made with this token are labelled NAME.
export function nameToken(token, name) { tokenNames.set(token, name); }

globalThis.fetch = async (url, opts = {}) => {
  const auth = opts.headers?.Authorization ?? '';
  const tok = auth.replace(/^\S+\s+/, '');
  const rec = {
    as: tokenNames.get(tok) ?? (tok ? 'token?' : 'anonymous'),
    method: (opts.method ?? 'GET').toUpperCase(),
    url: String(url),
    body: typeof opts.body === 'string' ? opts.body : null,
  };
  exchanges.push(rec);
  if (exchanges.length > 100) exchanges.shift();
  const res = await realFetch(url, opts);
  rec.status = res.status;
  rec.type = res.headers.get('content-type');
  try { rec.response = await res.clone().text(); } catch (e) { rec.response = `(unreadable: ${e})`; }
  return res;
};

const cut = (s, n) => {
  const str = typeof s === 'string' ? s : JSON.stringify(s);
  if (str === undefined) return 'undefined';
  return str.length > n ? `${str.slice(0, n)}...(${str.length} chars)` : str;
};

export function describeExchange(x) {
  if (!x) return 'no request made';
  return `${x.as}: ${x.method} ${x.url}${x.body ? ` json=${cut(x.body, 300)}` : ''}`
    + ` -> ${x.status ?? '(no answer)'} ${x.type ?? ''} body=${cut(x.response ?? '', 500)}`;
}

// ---- case reporting ------------------------------------------------------------------------

let resultsFd = 1;
// reportTo FILE: results go to FILE (one `ok ID desc` / `fail ID msg` line each).
export function reportTo(file) { resultsFd = fs.openSync(file, 'w'); }
export function line(s) { fs.writeSync(resultsFd, `${s.replace(/\r?\n/g, '\\n')}\n`); }

function errText(e) {
  if (e instanceof ClientError || e?.status_code !== undefined) {
    return `client error ${e.status_code} ${e.server_error_id ?? ''}: ${e.message} (${e.url})`;
  }
  return e?.stack?.split('\n').slice(0, 3).join(' / ') ?? String(e);
}

// A case: run(t) may call t.check / t.eq (REST answers: a failure shows the newest HTTP exchange)
// and t.seen / t.seenEq (what a socket delivered: a failure shows the value). A throw (a
// ClientError from a refused call, or anything else) fails the case too, with the exchange.
// Returns true when the case passed.
export async function kase(id, desc, run) {
  const errs = [];
  const fail = (what, actual, withRequest) => {
    errs.push(`${what}${actual !== undefined ? `: got ${cut(actual, 400)}` : ''}`
      + (withRequest ? ` | last request: ${describeExchange(exchanges[exchanges.length - 1])}` : ''));
  };
  const same = (expected, actual) => JSON.stringify(expected) === JSON.stringify(actual);
  const t = {
    // check / eq: about a REST answer; a failure shows the newest HTTP exchange.
    check(cond, what, actual) { if (!cond) fail(what, actual, true); return !!cond; },
    eq(what, expected, actual) {
      return t.check(same(expected, actual), `${what}: expected ${cut(JSON.stringify(expected), 300)}`, actual);
    },
    // seen / seenEq: about what a socket delivered; a failure shows the value only.
    seen(cond, what, actual) { if (!cond) fail(what, actual, false); return !!cond; },
    seenEq(what, expected, actual) {
      return t.seen(same(expected, actual), `${what}: expected ${cut(JSON.stringify(expected), 300)}`, actual);
    },
  };
  try {
    await run(t);
  } catch (e) {
    errs.push(`${errText(e)} | last request: ${describeExchange(exchanges[exchanges.length - 1])}`);
  }
  if (errs.length === 0) line(`ok ${id} ${desc}`);
  else line(`fail ${id} ${desc}: ${errs.join('; ')}`);
  return errs.length === 0;
}

// ---- clients ---------------------------------------------------------------------------------

// client BASE [TOKEN]: a Client4 on BASE (griot's http:// URL).
export function client(base, token) {
  const c = new Client4();
  c.setUrl(base);
  if (token) c.setToken(token);
  return c;
}

// socket NAME CLIENT: connect CLIENT's token with a WebSocketClient, as a bot or the web app
// does (unauthenticated upgrade + authentication_challenge). Everything it delivers is kept in
// order; waitFor(pred, ms) resolves with the first delivered event matching pred (null after ms).
export function socket(name, c) {
  const ws = new WebSocketClient({
    newWebSocketFn: (url) => new WS(url),
    // A reconnect is a finding here, not something to hide behind a long back-off.
    minWebSocketRetryTime: 200,
    reconnectJitterRange: 100,
  });
  const st = { name, ws, events: [], closes: 0, missed: 0, errors: [], replies: [] };
  let waiters = [];
  const wake = () => { const w = waiters; waiters = []; for (const f of w) f(); };
  ws.addMessageListener((msg) => { st.events.push(msg); wake(); });
  ws.addCloseListener(() => { st.closes++; wake(); });
  ws.addMissedMessageListener(() => { st.missed++; });
  ws.addErrorListener((e) => { st.errors.push(String(e?.message ?? e?.error ?? e)); });
  // until(cond, ms): resolves true once cond() holds (checked at every delivery), false after ms.
  st.until = (cond, ms = 5000) => new Promise((resolve) => {
    if (cond()) { resolve(true); return; }
    const w = () => {
      if (cond()) { clearTimeout(timer); resolve(true); } else waiters.push(w);
    };
    const timer = setTimeout(() => { waiters = waiters.filter((f) => f !== w); resolve(cond()); }, ms);
    waiters.push(w);
  });
  // waitFor(pred, ms): the first delivered event matching pred, or null after ms.
  st.waitFor = async (pred, ms = 5000) => (await st.until(() => st.events.some(pred), ms)
    ? st.events.find(pred) : null);
  // waitCount(pred, n, ms): waits until n delivered events match pred; returns those seen.
  st.waitCount = async (pred, n, ms = 5000) => {
    await st.until(() => st.events.filter(pred).length >= n, ms);
    return st.events.filter(pred);
  };
  const url = c.getWebSocketUrl().replace(/^http/, 'ws');
  ws.initialize(url, c.getToken());
  st.close = () => ws.close();
  return st;
}

// parsed(ev, key): data[key] of an event, which must be a JSON string; the parsed value, or
// {__not_a_json_string: value}.
export function parsed(ev, key) {
  const v = ev?.data?.[key];
  if (typeof v !== 'string') return { __not_a_json_string: v };
  try { return JSON.parse(v); } catch { return { __not_a_json_string: v }; }
}

// summary(ev): 'event:post-or-reaction-id' for order comparisons.
export function summary(ev) {
  if (ev.event === 'reaction_added' || ev.event === 'reaction_removed') {
    const r = parsed(ev, 'reaction');
    return `${ev.event}:${r.post_id}:${r.emoji_name}`;
  }
  if (ev.data?.post !== undefined) return `${ev.event}:${parsed(ev, 'post').id}`;
  return ev.event;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// waitFile FILE MS: resolves with the file's contents once it exists, or null after MS.
export async function waitFile(file, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
    await sleep(50);
  }
  return null;
}
