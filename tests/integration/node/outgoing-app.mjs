// A real outgoing-webhook consumer (Node's `http` module), as an app written for Mattermost
// would be, for tests/integration/80-outgoing.sh.
//
//   node outgoing-app.mjs PORTFILE LOGFILE SECRETSFILE
//
// Listens on 127.0.0.1 (a free port, written to PORTFILE once listening). Every request is
// appended to LOGFILE as one JSON line:
//   {"method","path","mode","tag","headers","body" (the raw body as text),
//    "fields" (the body parsed: JSON object, or the form's key -> value),
//    "verified" (one entry per secret listed for the path in SECRETSFILE: true when the
//                Standard Webhooks signature verifies with it through npm `standardwebhooks`,
//                else the library's error message)}
// SECRETSFILE is re-read on every request: {"/mode/tag": ["whsec_...", ...], ...}.
//
// The reply depends on the path /MODE/TAG (TAG only tells hooks apart):
//   silent    200 {}                                     (nothing to post)
//   comment   200 {"text":"here <tag>","response_type":"comment"}
//   override  200 {"text":"x <tag>","username":"u2","icon_url":"http://i"}
//   status500 500 {"text":"still <tag>"}
//   empty     200, empty body
//   notjson   200 text/plain "not json"
//   again     200 {"text":"gif again <tag>"}             (would trigger gif hooks if it could)
//   text      200 {"text":"reply <tag>: <the post's text>"}
//   slow      waits 5 s, then 200 {"text":"too late <tag>"}
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

const [portFile, logFile, secretsFile] = process.argv.slice(2);
if (!portFile || !logFile || !secretsFile) {
  console.error('usage: outgoing-app.mjs PORTFILE LOGFILE SECRETSFILE');
  process.exit(2);
}

function secretsFor(path) {
  try {
    const all = JSON.parse(readFileSync(secretsFile, 'utf8'));
    return Array.isArray(all[path]) ? all[path] : [];
  } catch {
    return [];
  }
}

function parseFields(contentType, body) {
  if ((contentType || '').startsWith('application/json')) {
    try {
      return JSON.parse(body);
    } catch {
      return null;
    }
  }
  return Object.fromEntries(new URLSearchParams(body));
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
    const fields = parseFields(req.headers['content-type'], body);
    const verified = secretsFor(path).map((secret) => {
      try {
        new Webhook(secret).verify(body, req.headers, { jsonParse: false });
        return true;
      } catch (e) {
        return String(e.message || e);
      }
    });
    appendFileSync(
      logFile,
      JSON.stringify({
        method: req.method,
        path,
        mode,
        tag,
        headers: req.headers,
        body,
        fields,
        verified,
      }) + '\n',
    );
    switch (mode) {
      case 'comment':
        return reply(res, 200, { text: `here ${tag}`, response_type: 'comment' });
      case 'override':
        return reply(res, 200, { text: `x ${tag}`, username: 'u2', icon_url: 'http://i' });
      case 'status500':
        return reply(res, 500, { text: `still ${tag}` });
      case 'empty':
        res.writeHead(200, { 'Content-Length': 0 });
        return res.end();
      case 'notjson':
        return reply(res, 200, 'not json', 'text/plain');
      case 'again':
        return reply(res, 200, { text: `gif again ${tag}` });
      case 'text':
        return reply(res, 200, { text: `reply ${tag}: ${fields?.text ?? ''}` });
      case 'slow':
        return setTimeout(() => reply(res, 200, { text: `too late ${tag}` }), 5000);
      default:
        return reply(res, 200, {});
    }
  });
});

server.listen(0, '127.0.0.1', () => {
  writeFileSync(portFile, String(server.address().port));
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
