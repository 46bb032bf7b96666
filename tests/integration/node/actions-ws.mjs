// Records what one user's WebSocket receives, for tests/integration/82-actions.sh.
//
//   node actions-ws.mjs GRIOT_URL TOKEN OUTFILE READYFILE
//
// Connects to /api/v4/websocket with npm `ws` (Authorization: Bearer TOKEN), appends every
// event to OUTFILE as one JSON line, with the `post` of posted/post_edited/ephemeral_message
// events (a JSON string on the wire) also parsed into `post_obj`. Writes READYFILE after the
// `hello` event, then runs until killed.
import { appendFileSync, writeFileSync } from 'node:fs';
import WS from 'ws';

const [url, token, outFile, readyFile] = process.argv.slice(2);
if (!url || !token || !outFile || !readyFile) {
  console.error('usage: actions-ws.mjs GRIOT_URL TOKEN OUTFILE READYFILE');
  process.exit(2);
}

const ws = new WS(`${url.replace(/^http/, 'ws')}/api/v4/websocket`, {
  headers: { Authorization: `Bearer ${token}` },
});
ws.on('message', (data) => {
  let ev;
  try {
    ev = JSON.parse(String(data));
  } catch {
    ev = { unparsed: String(data) };
  }
  if (typeof ev?.data?.post === 'string') {
    try {
      ev.post_obj = JSON.parse(ev.data.post);
    } catch {
      ev.post_obj = null;
    }
  }
  appendFileSync(outFile, JSON.stringify(ev) + '\n');
  if (ev.event === 'hello') writeFileSync(readyFile, 'ready');
});
ws.on('close', (code) => {
  appendFileSync(outFile, JSON.stringify({ closed: code }) + '\n');
  process.exit(0);
});
ws.on('error', (e) => {
  appendFileSync(outFile, JSON.stringify({ error: String(e.message || e) }) + '\n');
  process.exit(1);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
