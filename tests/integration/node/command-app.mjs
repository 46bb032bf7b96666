// A real slash-command integration (Node's `http` module), written the way an app for
// Mattermost is, for tests/integration/81-commands.sh.
//
//   node command-app.mjs PORTFILE LOGFILE SECRETSFILE
//
// Listens on $APP_HOST or 127.0.0.1 (a free port, written to PORTFILE once listening). Every request is
// appended to LOGFILE as one JSON line:
//   {"method", "path", "query" (raw, after '?'), "headers", "body" (raw text),
//    "fields" (the form fields: from the body of a POST, the query string of a GET; repeated
//    keys as arrays), "verified" (true when the Standard Webhooks signature verifies through
//    npm `standardwebhooks` over the body - or the query string of a GET - with the secret
//    that SECRETSFILE, re-read on every request, maps the request's `Authorization: Token`
//    to; else the library's error message)}
//
// The reply depends on the first path segment:
//   sunny      200 {"response_type":"in_channel","text":"Sunny in <text>"}
//   only       200 {"text":"only you"}                      (ephemeral by default)
//   text       200 text/plain "hello"
//   fail       500 "boom from the app"
//   goto       200 {"goto_location":"https://x"}
//   standup    the tutorial's command: in_channel "📝 Standup de <user_name>: <text>" with an
//              attachment carrying a "Hier" button
//   extra      200 {"response_type":"in_channel","text":"main <text>","extra_responses":
//              [{"response_type":"in_channel","text":"extra one"},{"text":"extra eph"}]}
//   elsewhere  200 {"response_type":"in_channel","text":"there","channel_id":"<query to>"}
//   markup     200 in_channel "<https://a.example|A link> <!channel>" with skip_slack_parsing
//              when the text is "skip"; username "resp-user", icon_url "http://resp/icon"
//   delayed    200 {"text":"working on it"}, then (after 300 ms) POSTs {"response_type":
//              "in_channel","text":"later from the app"} to response_url and logs the status
//   slow       answers after 5 s
//   junk       200 application/json "{bad"
//   huge       200 application/json, a 3 MB JSON document
//   redirect   302 to the URL in the query parameter `to`
//   empty      200 application/json "null"
import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

const [portFile, logFile, secretsFile] = process.argv.slice(2);
if (!portFile || !logFile || !secretsFile) {
  console.error('usage: command-app.mjs PORTFILE LOGFILE SECRETSFILE');
  process.exit(2);
}

function fieldsOf(text) {
  const out = {};
  for (const [k, v] of new URLSearchParams(text)) {
    if (k in out) out[k] = [].concat(out[k], v);
    else out[k] = v;
  }
  return out;
}

function verify(req, signed) {
  let secrets = {};
  try { secrets = JSON.parse(readFileSync(secretsFile, 'utf8')); } catch { /* none yet */ }
  const token = (req.headers.authorization ?? '').replace(/^Token\s+/, '');
  const secret = secrets[token];
  if (!secret) return `no secret for token '${token}'`;
  try {
    new Webhook(secret).verify(signed, {
      'webhook-id': req.headers['webhook-id'],
      'webhook-timestamp': req.headers['webhook-timestamp'],
      'webhook-signature': req.headers['webhook-signature'],
    }, { jsonParse: false }); // a form or query string, not JSON
    return true;
  } catch (e) {
    return String(e?.message ?? e);
  }
}

const json = (res, obj, status = 200) => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(obj));
};

const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    const [path, query = ''] = req.url.split('?');
    const fields = req.method === 'GET' ? fieldsOf(query) : fieldsOf(body);
    const rec = {
      method: req.method,
      path,
      query,
      headers: req.headers,
      body,
      fields,
      verified: verify(req, req.method === 'GET' ? query : body),
    };
    appendFileSync(logFile, `${JSON.stringify(rec)}\n`);
    const mode = path.split('/')[1] ?? '';
    const params = new URLSearchParams(query);
    switch (mode) {
      case 'sunny':
        return json(res, { response_type: 'in_channel', text: `Sunny in ${fields.text}` });
      case 'only':
        return json(res, { text: 'only you' });
      case 'text':
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        return res.end('hello');
      case 'fail':
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        return res.end('boom from the app');
      case 'goto':
        return json(res, { goto_location: 'https://x' });
      case 'standup':
        return json(res, {
          response_type: 'in_channel',
          text: `📝 Standup de ${fields.user_name}: ${fields.text}`,
          attachments: [{
            text: 'Présent hier ?',
            actions: [{ name: 'Hier', integration: { url: `http://127.0.0.1:${server.address().port}/click`, context: { day: 'hier' } } }],
          }],
        });
      case 'extra':
        return json(res, {
          response_type: 'in_channel',
          text: `main ${fields.text}`,
          extra_responses: [
            { response_type: 'in_channel', text: 'extra one' },
            { text: 'extra eph' },
          ],
        });
      case 'elsewhere':
        return json(res, { response_type: 'in_channel', text: 'there', channel_id: params.get('to') ?? '' });
      case 'markup':
        return json(res, {
          response_type: 'in_channel',
          text: '<https://a.example|A link> <!channel>',
          username: 'resp-user',
          icon_url: 'http://resp/icon',
          skip_slack_parsing: fields.text === 'skip',
        });
      case 'delayed':
        json(res, { text: 'working on it' });
        setTimeout(async () => {
          let status = 0;
          try {
            const r = await fetch(fields.response_url, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ response_type: 'in_channel', text: 'later from the app' }),
            });
            status = r.status;
          } catch (e) { status = String(e); }
          appendFileSync(logFile, `${JSON.stringify({ method: 'DELAYED', path: '/delayed', status })}\n`);
        }, 300);
        return undefined;
      case 'slow':
        setTimeout(() => json(res, { text: 'too late' }), 5000);
        return undefined;
      case 'junk':
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return res.end('{bad');
      case 'huge':
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return res.end(JSON.stringify({ text: 'x'.repeat(3 * 1024 * 1024) }));
      case 'redirect':
        res.writeHead(302, { Location: params.get('to') ?? '/' });
        return res.end();
      case 'empty':
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return res.end('null');
      default:
        return json(res, { text: `unknown path ${path}` }, 404);
    }
  });
});

server.listen(0, process.env.APP_HOST || '127.0.0.1', () => {
  writeFileSync(`${portFile}.tmp`, String(server.address().port));
  renameSync(`${portFile}.tmp`, portFile); // a reader never sees a half-written file
});
