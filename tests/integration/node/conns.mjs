// Many simultaneous connections to griot, for tests/integration/41-bad-input.sh.
//
//   node conns.mjs post HOST PORT N HOOK PREFIX
//       Opens N TCP connections, waits until every one is connected (or failed), then sends on
//       each at once one POST /hooks/HOOK {"text":"PREFIX-<i>"} (Connection: close) and reads the
//       answer. Prints a JSON summary; summary.ok counts the "200 ok" answers.
//   node conns.mjs idle HOST PORT N HOLD_MS
//       Opens N TCP connections and holds them HOLD_MS ms; meanwhile probes GET
//       /api/v4/system/ping on a fresh connection. Prints a JSON summary.
//
// Exit status 0 whenever it ran; the test script judges the summary.
import net from 'node:net';
import http from 'node:http';
import fs from 'node:fs';

const [mode, host, portStr, nStr, arg5, arg6] = process.argv.slice(2);
const port = Number(portStr);
const n = Number(nStr);
const t0 = Date.now();

// Synchronous write: process.exit() below must not cut a piped stdout short.
function out(obj) { fs.writeSync(1, `${JSON.stringify(obj)}\n`); }

function openAll(count) {
  // Resolve when every socket is connected or has failed. Connect in waves so that the
  // client-side SYN burst does not itself overflow the listen backlog.
  return new Promise((resolve) => {
    const socks = [];
    const errors = {};
    let settled = 0;
    let started = 0;
    const wave = 500;
    const done = () => {
      settled++;
      if (settled === count) resolve({ socks, errors });
      else if (settled === started && started < count) startWave();
    };
    const startWave = () => {
      const end = Math.min(count, started + wave);
      for (let i = started; i < end; i++) {
        const s = net.connect({ host, port });
        s.setNoDelay(true);
        s.once('connect', () => { socks[i] = s; done(); });
        s.once('error', (e) => {
          if (!socks[i]) { errors[e.code || e.message] = (errors[e.code || e.message] || 0) + 1; done(); }
        });
      }
      started = end;
    };
    startWave();
  });
}

function probe(path) {
  return new Promise((resolve) => {
    const t = Date.now();
    const req = http.get({ host, port, path, agent: false, timeout: 10000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: Date.now() - t }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, error: e.code || e.message, ms: Date.now() - t }));
  });
}

async function postMode(hook, prefix) {
  const { socks, errors } = await openAll(n);
  const connected = socks.filter(Boolean).length;
  const tConnected = Date.now() - t0;
  const statuses = {};
  const failures = {};
  const okTexts = [];
  await Promise.all(socks.map((s, i) => new Promise((resolve) => {
    if (!s) return resolve();
    const text = `${prefix}-${i}`;
    const body = JSON.stringify({ text });
    let buf = '';
    const timer = setTimeout(() => { s.destroy(); failures.timeout = (failures.timeout || 0) + 1; resolve(); }, 60000);
    s.setEncoding('utf8');
    s.on('data', (d) => { buf += d; });
    s.on('error', (e) => { failures[e.code || e.message] = (failures[e.code || e.message] || 0) + 1; });
    s.on('close', () => {
      clearTimeout(timer);
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(buf);
      const status = m ? m[1] : 'none';
      statuses[status] = (statuses[status] || 0) + 1;
      const sep = buf.indexOf('\r\n\r\n');
      if (status === '200' && sep >= 0 && buf.slice(sep + 4) === 'ok') okTexts.push(text);
      resolve();
    });
    s.write(`POST /hooks/${hook} HTTP/1.1\r\nHost: ${host}:${port}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  })));
  out({ mode: 'post', n, connected, connectErrors: errors, connectMs: tConnected,
    statuses, failures, ok: okTexts.length, ms: Date.now() - t0 });
}

async function idleMode(holdMs) {
  const { socks, errors } = await openAll(n);
  const connected = socks.filter(Boolean).length;
  const tConnected = Date.now() - t0;
  let closedByServer = 0;
  for (const s of socks) if (s) s.once('close', () => { closedByServer++; });
  const during = await probe('/api/v4/system/ping');
  await new Promise((r) => setTimeout(r, holdMs));
  const closedDuringHold = closedByServer;
  for (const s of socks) if (s) { s.removeAllListeners('close'); s.destroy(); }
  out({ mode: 'idle', n, connected, connectErrors: errors, connectMs: tConnected,
    closedByServerDuringHold: closedDuringHold, probeDuringLoad: during, ms: Date.now() - t0 });
}

if (mode === 'post') await postMode(arg5, arg6);
else if (mode === 'idle') await idleMode(Number(arg5));
else { console.error('usage: conns.mjs post HOST PORT N HOOK PREFIX | idle HOST PORT N HOLD_MS'); process.exit(2); }
process.exit(0);
