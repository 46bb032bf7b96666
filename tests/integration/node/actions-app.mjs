// A real integration behind interactive message buttons and menus (Node's `http` module), as
// an app written for Mattermost would be, for tests/integration/82-actions.sh.
//
//   node actions-app.mjs PORTFILE LOGFILE SECRETFILE
//
// Listens on 127.0.0.1 (a free port, written to PORTFILE once listening). Every request is
// appended to LOGFILE as one JSON line:
//   {"method", "path", "mode", "tag", "headers", "body" (raw text), "fields" (parsed JSON or
//    null), "verified" (true when the Standard Webhooks signature verifies through npm
//    `standardwebhooks` with the secret in SECRETFILE, re-read on every request; else the
//    library's error message)}
//
// The reply depends on the path /MODE/TAG (TAG only tells buttons apart):
//   ok        200 {}
//   empty     200, empty body
//   clear     200 {"update":{"message":"Done <tag>","props":{}}}
//   msg       200 {"update":{"message":"x <tag>"}}
//   eph       200 {"ephemeral_text":"see <https://a|b> <tag>"}
//   ephskip   200 {"ephemeral_text":"see <https://a|b> <tag>","skip_slack_parsing":true}
//   buttons   200 {"update":{"message":"next <tag>","props":{"attachments":[{"text":"t",
//                  "actions":[{"name":"Next","integration":{"url":"<this app>/eph/next"}}]}]}}}
//   status500 500 {"ephemeral_text":"should not be shown"}
//   junk      200 text/plain "not json"
//   slow      waits 5 s, then 200 {"ephemeral_text":"too late"}
//   cmdeph    (a slash command) 200 {"response_type":"ephemeral","text":"choose <tag>",
//                  "attachments":[{"text":"pick","actions":[
//                    {"name":"Go","integration":{"url":"<this app>/eph/cookie1","context":{"k":"v"}}},
//                    {"id":"upd","name":"Upd","integration":{"url":"<this app>/msg/cookie2"}}]}]}
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

const [portFile, logFile, secretFile] = process.argv.slice(2);
if (!portFile || !logFile || !secretFile) {
  console.error('usage: actions-app.mjs PORTFILE LOGFILE SECRETFILE');
  process.exit(2);
}

function verify(body, headers) {
  let secret = '';
  try {
    secret = readFileSync(secretFile, 'utf8').trim();
    new Webhook(secret).verify(body, headers, { jsonParse: false });
    return true;
  } catch (e) {
    return String(e.message || e);
  }
}

function reply(res, status, obj, type = 'application/json') {
  const s = typeof obj === 'string' ? obj : JSON.stringify(obj);
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(s) });
  res.end(s);
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const path = req.url.split('?')[0];
    const [, mode = '', tag = ''] = path.split('/');
    let fields = null;
    try {
      fields = JSON.parse(body);
    } catch {
      fields = null;
    }
    appendFileSync(
      logFile,
      JSON.stringify({
        method: req.method, path, mode, tag, headers: req.headers, body, fields,
        verified: verify(body, req.headers),
      }) + '\n',
    );
    const self = `http://127.0.0.1:${server.address().port}`;
    switch (mode) {
      case 'empty':
        res.writeHead(200, { 'Content-Length': 0 });
        return res.end();
      case 'clear':
        return reply(res, 200, { update: { message: `Done ${tag}`, props: {} } });
      case 'msg':
        return reply(res, 200, { update: { message: `x ${tag}` } });
      case 'eph':
        return reply(res, 200, { ephemeral_text: `see <https://a|b> ${tag}` });
      case 'ephskip':
        return reply(res, 200, { ephemeral_text: `see <https://a|b> ${tag}`, skip_slack_parsing: true });
      case 'buttons':
        return reply(res, 200, {
          update: {
            message: `next ${tag}`,
            props: { attachments: [{ text: 't', actions: [{ name: 'Next', integration: { url: `${self}/eph/next` } }] }] },
          },
        });
      case 'status500':
        return reply(res, 500, { ephemeral_text: 'should not be shown' });
      case 'junk':
        return reply(res, 200, 'not json', 'text/plain');
      case 'cmdeph':
        return reply(res, 200, {
          response_type: 'ephemeral',
          text: `choose ${tag}`,
          attachments: [{
            text: 'pick',
            actions: [
              { name: 'Go', integration: { url: `${self}/eph/cookie1`, context: { k: 'v' } } },
              { id: 'upd', name: 'Upd', integration: { url: `${self}/msg/cookie2` } },
            ],
          }],
        });
      case 'slow':
        return setTimeout(() => reply(res, 200, { ephemeral_text: 'too late' }), 5000);
      default:
        return reply(res, 200, {});
    }
  });
});

server.listen(0, '127.0.0.1', () => {
  writeFileSync(portFile, String(server.address().port));
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
