// WebSocket client scenarios for tests/integration/33-websocket.sh, on npm `ws`.
//
//   node ws-cases.mjs MODE URL [TOKEN] [ARGS...]
//
// URL is griot's http:// base URL; the script connects to URL/api/v4/websocket (ws://).
// Every mode prints one JSON object on stdout (the test script judges it with jq) and exits 0
// whenever it ran. Frames are reported parsed; `closed` is {code, reason} when the server
// closed the connection, null otherwise.
//
//   upgrade URL TOKEN HOW     connect with the token as HOW (bearer|BEARER|token|cookie|query),
//                             report the first frame
//   badauth URL               upgrade with a wrong Bearer token: report the HTTP answer
//   notws URL                 plain GET of the endpoint (no upgrade): report the HTTP answer
//   challenge URL TOKEN       unauthenticated upgrade, authentication_challenge seq 1: report
//                             the first two frames
//   actions URL [TOKEN]       (TOKEN: authenticate first) send a list of actions, one at a
//                             time, report each answer
//   listen URL TOKEN N MS [READY_FILE]
//                             authenticate at upgrade, write READY_FILE after hello, collect
//                             frames until N `posted` events arrived or MS passed
//   pingpong URL TOKEN        RFC 6455 ping from the client: report the pong
//   slow URL TOKEN READY GO   hello, then stop reading; write READY; when the file GO exists,
//                             read again and report what arrived and how the socket ended
//   reconnect URL TOKEN       hello, close, reconnect with ?connection_id=<old>&
//                             sequence_number=5, report both hellos
//   waitclose URL TOKEN READY write READY after hello, report how the server closes
//   invalid URL TOKEN         send a frame that is not JSON, report how the server closes
import fs from 'node:fs';
import http from 'node:http';
import WebSocket from 'ws';

const [mode, base, token, ...args] = process.argv.slice(2);
const wsBase = `${base.replace(/^http/, 'ws')}/api/v4/websocket`;
const t0 = Date.now();

function out(obj) {
  fs.writeSync(1, `${JSON.stringify(obj)}\n`);
  process.exit(0);
}

// A connection whose frames queue up; next() waits for the next one.
function open(url, opts = {}) {
  const ws = new WebSocket(url, opts);
  const frames = [];
  const waiters = [];
  const state = { ws, frames, closed: null, error: null, opened: false };
  ws.on('open', () => { state.opened = true; });
  ws.on('message', (d) => {
    let f;
    try { f = JSON.parse(d.toString()); } catch { f = { raw: d.toString() }; }
    f._ms = Date.now();
    frames.push(f);
    for (const w of waiters.splice(0)) w();
  });
  ws.on('close', (code, reason) => {
    state.closed = { code, reason: reason.toString() };
    for (const w of waiters.splice(0)) w();
  });
  ws.on('error', (e) => { state.error = e.message; });
  ws.on('unexpected-response', (req, res) => {
    let body = '';
    res.on('data', (c) => { body += c; });
    res.on('end', () => {
      state.http = { status: res.statusCode, body, headers: res.headers };
      for (const w of waiters.splice(0)) w();
    });
  });
  state.next = (ms = 5000) => new Promise((resolve) => {
    if (frames.length) { resolve(frames.shift()); return; }
    if (state.closed || state.http) { resolve(null); return; }
    const waiter = () => {
      clearTimeout(timer);
      resolve(frames.length ? frames.shift() : null);
    };
    // A waiter that timed out must leave the list, or it would swallow the next frame.
    const timer = setTimeout(() => {
      const i = waiters.indexOf(waiter);
      if (i >= 0) waiters.splice(i, 1);
      resolve(null);
    }, ms);
    waiters.push(waiter);
  });
  state.ended = (ms = 5000) => new Promise((resolve) => {
    if (state.closed || state.http) { resolve(true); return; }
    let timer = null;
    const check = () => {
      if (state.closed || state.http) { clearTimeout(timer); resolve(true); } else waiters.push(check);
    };
    timer = setTimeout(() => {
      const i = waiters.indexOf(check);
      if (i >= 0) waiters.splice(i, 1);
      resolve(false);
    }, ms);
    waiters.push(check);
  });
  state.ready = () => new Promise((resolve) => {
    if (state.opened) resolve(true);
    ws.once('open', () => resolve(true));
    ws.once('close', () => resolve(false));
    ws.once('unexpected-response', () => setTimeout(() => resolve(false), 100));
  });
  return state;
}

const bearer = (t) => ({ headers: { Authorization: `Bearer ${t}` } });
const clean = (f) => { if (f) delete f._ms; return f; };

async function main() {
  switch (mode) {
  case 'upgrade': {
    const how = args[0];
    let url = wsBase;
    let opts = {};
    if (how === 'bearer') opts = bearer(token);
    else if (how === 'BEARER') opts = { headers: { Authorization: `BEARER ${token}` } };
    else if (how === 'token') opts = { headers: { Authorization: `Token ${token}` } };
    else if (how === 'cookie') opts = { headers: { Cookie: `MMAUTHTOKEN=${token}` } };
    else if (how === 'query') url = `${wsBase}?access_token=${token}`;
    const c = open(url, opts);
    const first = await c.next();
    const second = await c.next(300);
    c.ws.close(1000);
    out({ first: clean(first), second: clean(second), closed: c.closed, http: c.http });
    break;
  }
  case 'badauth': {
    const c = open(wsBase, bearer('abcdefghijkmnopqrstuwxyz12'));
    await c.ended();
    out({ http: c.http ? { status: c.http.status, body: JSON.parse(c.http.body) } : null, opened: c.opened });
    break;
  }
  case 'notws': {
    http.get(`${base}/api/v4/websocket`, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => out({ status: res.statusCode, body: JSON.parse(body) }));
    });
    break;
  }
  case 'challenge': {
    const c = open(wsBase);
    await c.ready();
    const early = await c.next(300); // nothing before authenticating
    c.ws.send(JSON.stringify({ seq: 1, action: 'authentication_challenge', data: { token } }));
    const a = await c.next();
    const b = await c.next();
    c.ws.close(1000);
    out({ early: clean(early), frames: [clean(a), clean(b)], closed: c.closed });
    break;
  }
  case 'actions': {
    const c = token ? open(wsBase, bearer(token)) : open(wsBase);
    await c.ready();
    const hello = token ? clean(await c.next()) : null;
    const sends = [
      { seq: 2, action: 'ping' },
      { action: 'ping' },
      { seq: 3 },
      { seq: 4, action: 'no_such_action' },
      { seq: 5, action: 'get_statuses' },
      { seq: 6, action: 'get_statuses_by_ids', data: { user_ids: args[0] ? [args[0]] : [] } },
      { seq: 7, action: 'user_typing', data: { channel_id: args[1] || 'x', parent_id: '' } },
      { seq: 8, action: 'user_typing', data: { channel_id: 'notachannel' } },
    ];
    const answers = [];
    for (const s of sends) {
      c.ws.send(JSON.stringify(s));
      answers.push(clean(await c.next(2000)));
    }
    const extra = clean(await c.next(300)); // typing goes to others, never to the typist
    c.ws.close(1000);
    out({ hello, answers, extra, closed: c.closed });
    break;
  }
  case 'listen': {
    const [nStr, msStr, readyFile] = args;
    const want = Number(nStr);
    const deadline = Date.now() + Number(msStr);
    const c = open(wsBase, bearer(token));
    const events = [];
    const hello = clean(await c.next());
    if (readyFile) fs.writeFileSync(readyFile, 'ready\n');
    let posted = 0;
    while (posted < want && Date.now() < deadline) {
      const f = await c.next(Math.max(1, deadline - Date.now()));
      if (!f) break;
      if (f.event === 'posted') posted++;
      events.push(f);
    }
    // Anything right behind (an unexpected extra event) shows too.
    const extra = await c.next(300);
    if (extra) events.push(extra);
    c.ws.close(1000);
    out({ hello, events, closed: c.closed });
    break;
  }
  case 'pingpong': {
    const c = open(wsBase, bearer(token));
    await c.next();
    const got = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), 3000);
      c.ws.once('pong', (d) => { clearTimeout(timer); resolve(d.toString()); });
      c.ws.ping('griot-ping');
    });
    c.ws.close(1000);
    out({ pong: got });
    break;
  }
  case 'slow': {
    const [readyFile, goFile] = args;
    const c = open(wsBase, bearer(token));
    const hello = clean(await c.next());
    c.ws._socket.pause(); // stop reading: the kernel buffers fill, then griot's queue
    fs.writeFileSync(readyFile, 'ready\n');
    while (!fs.existsSync(goFile) && Date.now() - t0 < 120000) await new Promise((r) => setTimeout(r, 100));
    c.ws._socket.resume();
    let n = 0;
    let last = -1;
    let gap = false;
    for (;;) {
      const f = await c.next(3000);
      if (!f) break;
      if (f.event === 'posted') {
        if (last >= 0 && f.seq !== last + 1) gap = true;
        last = f.seq;
        n++;
      }
    }
    out({ hello, received: n, last_seq: last, gap, closed: c.closed });
    break;
  }
  case 'reconnect': {
    const a = open(wsBase, bearer(token));
    const h1 = clean(await a.next());
    a.ws.close(1000);
    await a.ended();
    const id = h1 && h1.data ? h1.data.connection_id : 'x';
    const b = open(`${wsBase}?connection_id=${id}&sequence_number=5`, bearer(token));
    const h2 = clean(await b.next());
    b.ws.close(1000);
    out({ first: h1, second: h2 });
    break;
  }
  case 'waitclose': {
    const [readyFile] = args;
    const c = open(wsBase, bearer(token));
    const hello = clean(await c.next());
    fs.writeFileSync(readyFile, 'ready\n');
    await c.ended(30000);
    out({ hello, closed: c.closed });
    break;
  }
  case 'invalid': {
    const c = open(wsBase, bearer(token));
    await c.next();
    c.ws.send('this is not json');
    await c.ended();
    out({ closed: c.closed });
    break;
  }
  default:
    out({ error: `unknown mode ${mode}` });
  }
}

setTimeout(() => out({ error: 'timeout', mode, ms: Date.now() - t0 }), 150000).unref();
main().catch((e) => out({ error: String(e && e.stack ? e.stack : e) }));
