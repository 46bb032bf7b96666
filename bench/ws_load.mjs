// WebSocket load for bench/ws_fanout.sh and bench/ws_idle.sh (npm `ws`, from
// tests/integration/node/node_modules).
//
//   node ws_load.mjs clients URL TOKEN N OUT_JSON READY_FILE STOP_FILE
//       Opens N authenticated WebSocket connections (in waves), writes READY_FILE when every one
//       has its hello, then records for the k-th `posted` event of each connection the time it
//       arrived. When STOP_FILE appears it writes OUT_JSON: {connected, failed, closed,
//       posts: [{create_at, last_ms, first_ms, n}]} where last_ms is the latest arrival of that
//       event over this process's connections (epoch ms, fractional) and n how many got it.
//       Only one connection per process parses the events; the others count frames, so the
//       client side stays cheap.
//   node ws_load.mjs post URL RATE SECONDS OUT_JSON
//       POSTs {"text": ...} to the hook URL RATE times a second for SECONDS seconds on
//       keep-alive connections; writes {sent, ok, failed, lat_ms: [...]} (request -> answer).
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../tests/integration/node/package.json'));
const WebSocket = require('ws');

const [mode, ...args] = process.argv.slice(2);
const now = () => performance.timeOrigin + performance.now();

function clients(base, token, n, outFile, readyFile, stopFile) {
  const url = `${base.replace(/^http/, 'ws')}/api/v4/websocket`;
  const arrivals = []; // k -> {last, first, n}
  const createAt = []; // k -> create_at (from the parsing connection)
  let connected = 0;
  let failed = 0;
  let closed = 0;
  let started = 0;
  let settled = 0;
  const wave = 250;

  const openOne = (i) => {
    const ws = new WebSocket(url, {
      headers: { Authorization: `Bearer ${token}` }, perMessageDeflate: false, skipUTF8Validation: true,
    });
    let k = -1; // -1 until hello
    let done = false;
    const settle = () => {
      if (done) return;
      done = true;
      settled++;
      if (settled === started && started < n) startWave();
      if (settled === n) fs.writeFileSync(readyFile, `${connected}\n`);
    };
    ws.on('message', (data) => {
      const t = now();
      if (k < 0) {
        k = 0;
        connected++;
        settle();
        return;
      }
      // Only `posted` events flow during the benchmark: count frames, and let the first
      // connection parse them for create_at.
      const a = arrivals[k] || (arrivals[k] = { last: 0, first: Infinity, n: 0 });
      if (t > a.last) a.last = t;
      if (t < a.first) a.first = t;
      a.n++;
      if (i === 0) {
        const ev = JSON.parse(data.toString());
        createAt[k] = JSON.parse(ev.data.post).create_at;
      }
      k++;
    });
    ws.on('error', () => {});
    ws.on('close', () => {
      if (k < 0) failed++;
      else closed++;
      settle();
    });
  };
  const startWave = () => {
    const end = Math.min(n, started + wave);
    for (let i = started; i < end; i++) openOne(i);
    started = end;
  };
  startWave();
  const timer = setInterval(() => {
    if (!fs.existsSync(stopFile)) return;
    clearInterval(timer);
    const posts = arrivals.map((a, k) => ({ create_at: createAt[k], last_ms: a.last, first_ms: a.first, n: a.n }));
    fs.writeFileSync(outFile, JSON.stringify({ connected, failed, closed, posts }));
    process.exit(0);
  }, 200);
}

function post(url, rate, seconds, outFile) {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const total = rate * seconds;
  const lat = [];
  let sent = 0;
  let ok = 0;
  let failedN = 0;
  let answered = 0;
  const t0 = now();
  const finish = () => {
    fs.writeFileSync(outFile, JSON.stringify({ sent, ok, failed: failedN, lat_ms: lat }));
    process.exit(0);
  };
  const one = () => {
    const body = JSON.stringify({ text: `fan-out benchmark post ${sent} of ${total}` });
    const t = now();
    sent++;
    const req = http.request({
      host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      res.resume();
      res.on('end', () => {
        lat.push(now() - t);
        if (res.statusCode === 200) ok++; else failedN++;
        if (++answered === total) finish();
      });
    });
    req.on('error', () => { failedN++; if (++answered === total) finish(); });
    req.end(body);
  };
  // A fixed schedule (not setInterval drift): post i goes out at t0 + i / rate.
  const tick = () => {
    const due = Math.min(total, Math.floor(((now() - t0) * rate) / 1000) + 1);
    while (sent < due) one();
    if (sent < total) setTimeout(tick, 2);
  };
  tick();
}

if (mode === 'clients') clients(args[0], args[1], Number(args[2]), args[3], args[4], args[5]);
else if (mode === 'post') post(args[0], Number(args[1]), Number(args[2]), args[3]);
else { console.error('usage: see the comment at the top of ws_load.mjs'); process.exit(2); }
