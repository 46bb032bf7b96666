// Signs a webhook delivery with a third-party signer library and POSTs it to griot, as the
// sending service would. Used by tests/integration/71-sources-signers.sh.
//
//   node sources-signers.mjs standardwebhooks URL SECRET BODYFILE [--id ID] [--ts UNIX]
//   node sources-signers.mjs svix             URL SECRET BODYFILE [--id ID] [--ts UNIX] [--svix-names]
//   node sources-signers.mjs octokit          URL SECRET BODYFILE --event EVENT [--id DELIVERY]
//
// standardwebhooks: npm `standardwebhooks` Webhook(secret).sign(id, date, payload), sent with the
// webhook-id / webhook-timestamp / webhook-signature headers. svix: npm `svix` Webhook.sign (its
// own class); --svix-names sends Svix's svix-id / svix-timestamp / svix-signature names instead.
// octokit: npm `@octokit/webhooks` new Webhooks({secret}).sign(payload) -> X-Hub-Signature-256,
// with X-GitHub-Event / X-GitHub-Delivery as GitHub sends them.
// The body is sent as the exact bytes of BODYFILE (read as UTF-8: the signers take a string).
// Prints one JSON line: {"status", "body", "headers" (what was sent), "response_headers"}. Exit 0 unless
// the request could not be made.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Webhook as StdWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { Webhooks } from '@octokit/webhooks';

const [mode, url, secret, bodyFile, ...rest] = process.argv.slice(2);
if (!mode || !url || !secret || !bodyFile) {
  console.error('usage: sources-signers.mjs standardwebhooks|svix|octokit URL SECRET BODYFILE [options]');
  process.exit(2);
}
const opt = {};
for (let i = 0; i < rest.length; i++) {
  const a = rest[i];
  if (a === '--svix-names') opt.svixNames = true;
  else if (a.startsWith('--')) opt[a.slice(2)] = rest[++i];
}
const payload = readFileSync(bodyFile, 'utf8');
const headers = { 'Content-Type': 'application/json' };

if (mode === 'standardwebhooks' || mode === 'svix') {
  const id = opt.id ?? `msg_${randomUUID().replaceAll('-', '')}`;
  const ts = opt.ts ? new Date(Number(opt.ts) * 1000) : new Date();
  const wh = mode === 'svix' ? new SvixWebhook(secret) : new StdWebhook(secret);
  const signature = wh.sign(id, ts, payload);
  const p = opt.svixNames ? 'svix' : 'webhook';
  headers[`${p}-id`] = id;
  headers[`${p}-timestamp`] = String(Math.floor(ts.getTime() / 1000));
  headers[`${p}-signature`] = signature;
} else if (mode === 'octokit') {
  const webhooks = new Webhooks({ secret });
  headers['X-Hub-Signature-256'] = await webhooks.sign(payload);
  headers['X-GitHub-Event'] = opt.event ?? 'ping';
  headers['X-GitHub-Delivery'] = opt.id ?? randomUUID();
  headers['User-Agent'] = 'GitHub-Hookshot/griot-test';
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}

try {
  const res = await fetch(url, { method: 'POST', headers, body: payload, signal: AbortSignal.timeout(10000) });
  const body = await res.text();
  console.log(JSON.stringify({ status: res.status, body, headers, response_headers: Object.fromEntries(res.headers) }));
} catch (e) {
  console.log(JSON.stringify({ status: 0, body: String(e), headers }));
  process.exit(1);
}
