// Concurrent webhook load for tests/integration/45-group-commit.sh and 60-kill9.sh.
//
//   node load.mjs URL TOTAL CONCURRENCY PREFIX ACKLOG [stop-on-refused]
//
// CONCURRENCY senders (keep-alive connections) POST {"text":"PREFIX-<n>"} to URL until TOTAL
// requests have been made. Every text whose answer was exactly "200 ok" is appended, one per line,
// to ACKLOG at once (synchronously, so the log is complete even if this process is killed). A
// request that fails (connection refused/reset, non-200) is not retried. With "stop-on-refused"
// the senders stop at the first refused connection (the server is gone). Prints a JSON summary.
import http from 'node:http';
import fs from 'node:fs';

const [url, totalStr, concStr, prefix, ackLog, flag] = process.argv.slice(2);
const stopOnRefused = flag === 'stop-on-refused';
let stopped = false;
if (!ackLog) {
  console.error('usage: load.mjs URL TOTAL CONCURRENCY PREFIX ACKLOG');
  process.exit(2);
}
const total = Number(totalStr);
const conc = Number(concStr);
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: conc });
const ackFd = fs.openSync(ackLog, 'a');
const statuses = {};
const errors = {};
let next = 0;
let acked = 0;
const lat = [];
const t0 = Date.now();

function one(n) {
  return new Promise((resolve) => {
    const text = `${prefix}-${n}`;
    const body = JSON.stringify({ text });
    const t = process.hrtime.bigint();
    const req = http.request({
      host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      timeout: 30000,
    }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { data += d; });
      res.on('end', () => {
        statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1;
        if (res.statusCode === 200 && data === 'ok') {
          fs.writeSync(ackFd, `${text}\n`);
          acked++;
          lat.push(Number(process.hrtime.bigint() - t) / 1e6);
        }
        resolve();
      });
      res.on('error', (e) => { errors[e.code || e.message] = (errors[e.code || e.message] || 0) + 1; resolve(); });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => {
      errors[e.code || e.message] = (errors[e.code || e.message] || 0) + 1;
      if (stopOnRefused && e.code === 'ECONNREFUSED') stopped = true;
      resolve();
    });
    req.end(body);
  });
}

async function sender() {
  while (next < total && !stopped) {
    const n = next++;
    await one(n);
  }
}

await Promise.all(Array.from({ length: conc }, sender));
fs.closeSync(ackFd);
lat.sort((a, b) => a - b);
const pct = (p) => (lat.length ? Math.round(lat[Math.min(lat.length - 1, Math.floor(lat.length * p))] * 10) / 10 : null);
const ms = Date.now() - t0;
console.log(JSON.stringify({ total, sent: next, concurrency: conc, acked, statuses, errors, ms,
  reqPerSec: Math.round((total * 1000) / Math.max(ms, 1)), p50ms: pct(0.5), p99ms: pct(0.99) }));
agent.destroy();
