// A real integration behind interactive message buttons and menus (Node's `http` module), as
// an app written for Mattermost would be, for tests/integration/82-actions.sh.
//
//   node actions-app.mjs PORTFILE LOGFILE SECRETFILE
//
// SECRETFILE (re-read on every request) holds one secret per line, "NAME whsec_..." (a line
// with a bare secret is named "server": the one `griot integration-secret` prints).
// Listens on 127.0.0.1 (a free port, written to PORTFILE once listening). Every request is
// appended to LOGFILE as one JSON line:
//   {"method", "path", "mode", "tag", "headers", "body" (raw text), "fields" (parsed JSON or
//    form, or null), "verified" (true when the Standard Webhooks signature verifies through npm
//    `standardwebhooks` with the "server" secret; else the library's error message),
//    "verified_by" (the names of every secret of SECRETFILE the signature verifies with)}
//
// The reply depends on the path /MODE/TAG (TAG only tells buttons apart):
//   ok        200 {}
//   empty     200, empty body
//   clear     200 {"update":{"message":"Done <tag>","props":{}}}
//   msg       200 {"update":{"message":"x <tag>"}}
//   eph       200 {"ephemeral_text":"see <https://a|b> <tag>"}
//   ephskip   200 {"ephemeral_text":"see <https://a|b> <tag>","skip_slack_parsing":true}
//   buttons   200 {"update":{"message":"next <tag>","props":{"attachments":[{"text":"t",
//                  "actions":[{"name":"Next","integration":{"url":"<this app>/eph/next-<tag>"}}]}]}}}
//   status500 500 {"ephemeral_text":"should not be shown"}
//   junk      200 text/plain "not json"
//   slow      waits 5 s, then 200 {"ephemeral_text":"too late"}
//   cmdeph    (a slash command) 200 {"response_type":"ephemeral","text":"choose <tag>",
//                  "attachments":[{"text":"pick","actions":[
//                    {"name":"Go","integration":{"url":"<this app>/eph/cookie1","context":{"k":"v"}}},
//                    {"id":"upd","name":"Upd","integration":{"url":"<this app>/msg/cookie2"}}]}]}
//   cmdbtn    (a slash command; T = its text, else the tag) 200 {"response_type":"in_channel",
//                  "text":"buttons T","attachments":[{"text":"pick","actions":[
//                    {"id":"go","name":"Go","integration":{"url":"<app>/ok/T-go","context":{"k":"v"}}},
//                    {"id":"more","name":"More","integration":{"url":"<app>/buttons/T-more"}}]}]}
//   cmdlater  (a slash command) 200 {"response_type":"ephemeral","text":"later T"}, then POSTs
//                  the cmdbtn answer with text "later T" to the response_url it was given
//                  (its status is logged as {"mode":"later-result","tag":T,"status"})
//   owbtn     (an outgoing webhook) 200 {"text":"reply <tag>","attachments":[{"actions":[
//                    {"id":"ow","name":"OW","integration":{"url":"<app>/ok/<tag>-click"}}]}]}
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

const [portFile, logFile, secretFile] = process.argv.slice(2);
if (!portFile || !logFile || !secretFile) {
  console.error('usage: actions-app.mjs PORTFILE LOGFILE SECRETFILE');
  process.exit(2);
}

function secrets() {
  return readFileSync(secretFile, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean)
    .map((l) => (l.includes(' ') ? l.split(/\s+/, 2) : ['server', l]));
}

// [verified (server secret: true, else the error), names of every secret that verifies]
function verify(body, headers) {
  let server = 'no server secret';
  const by = [];
  for (const [name, secret] of secrets()) {
    try {
      new Webhook(secret).verify(body, headers, { jsonParse: false });
      by.push(name);
      if (name === 'server') server = true;
    } catch (e) {
      if (name === 'server') server = String(e.message || e);
    }
  }
  return [server, by];
}

function cmdButtons(self, t, text) {
  return {
    response_type: 'in_channel',
    text,
    attachments: [{
      text: 'pick',
      actions: [
        { id: 'go', name: 'Go', integration: { url: `${self}/ok/${t}-go`, context: { k: 'v' } } },
        { id: 'more', name: 'More', integration: { url: `${self}/buttons/${t}-more` } },
      ],
    }],
  };
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
      fields = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
        ? Object.fromEntries(new URLSearchParams(body)) : JSON.parse(body);
    } catch {
      fields = null;
    }
    const [verified, verifiedBy] = verify(body, req.headers);
    appendFileSync(
      logFile,
      JSON.stringify({
        method: req.method, path, mode, tag, headers: req.headers, body, fields,
        verified, verified_by: verifiedBy,
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
            props: { attachments: [{ text: 't', actions: [{ name: 'Next', integration: { url: `${self}/eph/next-${tag}` } }] }] },
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
      case 'cmdbtn': {
        const t = fields?.text || tag;
        return reply(res, 200, cmdButtons(self, t, `buttons ${t}`));
      }
      case 'cmdlater': {
        const t = fields?.text || tag;
        setTimeout(async () => {
          let status = 0;
          try {
            const r = await fetch(fields.response_url, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify(cmdButtons(self, t, `later ${t}`)),
            });
            status = r.status;
          } catch (e) {
            status = String(e.message || e);
          }
          appendFileSync(logFile, JSON.stringify({ mode: 'later-result', tag: t, status }) + '\n');
        }, 100);
        return reply(res, 200, { response_type: 'ephemeral', text: `later ${t}` });
      }
      case 'owbtn':
        return reply(res, 200, {
          text: `reply ${tag}`,
          attachments: [{ actions: [{ id: 'ow', name: 'OW', integration: { url: `${self}/ok/${tag}-click` } }] }],
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
