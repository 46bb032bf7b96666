// standup-app: a complete integration for griot, written the way the Mattermost slash-command
// tutorial writes one, with only Node's `http` module and the npm package `standardwebhooks`.
//
//   POST /standup        the `/standup` slash command (GET works too, for `--method GET`)
//   POST /actions/hier   the "Hier" button under a standup post (interactive message)
//   POST /outgoing       an outgoing-webhook consumer: answers the trigger word in the thread
//   GET  /healthz        "ok"
//
// Every request griot sends carries a Standard Webhooks signature (headers webhook-id,
// webhook-timestamp, webhook-signature) made with a secret griot showed once, when the command
// or hook was created: the command's secret for the command and for clicks on the buttons of
// the posts it made, the outgoing hook's for the hook. The app checks it before looking at the
// request, and also checks the Mattermost-style token (slash commands and outgoing webhooks).
// See docs/integrations.md.
//
// Configuration (environment):
//   PORT                 port to listen on (default 3000; 0 picks a free one)
//   HOST                 address to listen on (default 127.0.0.1)
//   APP_URL              URL under which griot reaches this app, used in the button's
//                        integration.url (default http://HOST:PORT)
//   COMMAND_TOKEN        token of the /standup command        (line 2 of `griot command create`)
//   COMMAND_SECRET       signing secret of the command        (line 3 of `griot command create`);
//                        it also signs clicks on the "Hier" button of the command's posts
//   OUTGOING_TOKEN       token of the outgoing webhook        (line 2 of `griot outgoing create`)
//   OUTGOING_SECRET      signing secret of the outgoing hook  (line 3 of `griot outgoing create`)
//   REQUIRE_SIGNATURES   "true" (default); "false" accepts unsigned requests (Mattermost does
//                        not sign), relying on the tokens alone
//   LATER_DELAY_MS       delay before a `/standup later ...` answer is posted (default 2000)
//
// A route whose token or secret is not configured refuses every request (fail closed).
import http from 'node:http';
import crypto from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

const env = process.env;
const PORT = Number(env.PORT ?? 3000);
const HOST = env.HOST ?? '127.0.0.1';
const REQUIRE_SIGNATURES = (env.REQUIRE_SIGNATURES ?? 'true') !== 'false';
const LATER_DELAY_MS = Number(env.LATER_DELAY_MS ?? 2000);
const MAX_BODY = 64 * 1024; // griot's requests are a few hundred bytes
let appUrl = env.APP_URL?.replace(/\/+$/, '');

// new Webhook(secret) throws on a secret that is not "whsec_<base64>": better at start-up
// than on the first request.
function verifier(name) {
  if (!env[name]) return null;
  try {
    return new Webhook(env[name]);
  } catch (e) {
    console.error(`standup-app: ${name} is not a signing secret (whsec_...): ${e.message}`);
    return process.exit(2);
  }
}
const commandSig = verifier('COMMAND_SECRET');
const outgoingSig = verifier('OUTGOING_SECRET');

const log = (msg) => console.log(`standup-app: ${msg}`);

class Refused extends Error {
  constructor(status, why) { super(why); this.status = status; }
}

// ---- checks ---------------------------------------------------------------------------------

// signed(payload, headers, verifiers): throws Refused(401) unless one of the secrets produced the
// signature. payload is the exact string griot signed: the raw body for POST, the raw query
// string (without '?') for a GET slash command. Never re-serialise a parsed body to verify it.
// standardwebhooks also refuses timestamps more than 5 minutes away (replays).
function signed(payload, headers, verifiers) {
  const vs = verifiers.filter(Boolean);
  if (!headers['webhook-signature']) {
    if (!REQUIRE_SIGNATURES) return 'unsigned (accepted: REQUIRE_SIGNATURES=false)';
    throw new Refused(401, 'no webhook-signature header');
  }
  if (vs.length === 0) throw new Refused(503, 'no signing secret configured for this route');
  let last;
  for (const v of vs) {
    try {
      v.verify(payload, headers, { jsonParse: false });
      return 'signature ok';
    } catch (e) {
      if (!(e instanceof WebhookVerificationError)) throw e;
      last = e;
    }
  }
  throw new Refused(401, `bad signature (${last.message})`);
}

// sameSecret(a, b): constant-time comparison of two tokens (hashing first makes the lengths
// equal, which crypto.timingSafeEqual requires).
function sameSecret(a, b) {
  const h = (s) => crypto.createHash('sha256').update(String(s)).digest();
  return typeof a === 'string' && a !== '' && crypto.timingSafeEqual(h(a), h(b));
}

function tokenOk(got, name) {
  if (!env[name]) throw new Refused(503, `${name} not configured`);
  if (!sameSecret(got, env[name])) throw new Refused(401, 'bad token');
}

// ---- HTTP plumbing --------------------------------------------------------------------------

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let n = 0;
    req.on('data', (c) => {
      n += c.length;
      if (n > MAX_BODY) {
        req.removeAllListeners('data');
        req.resume();
        reject(new Refused(413, 'body too large'));
      } else {
        chunks.push(c);
      }
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res, status, body) {
  const json = typeof body !== 'string';
  const text = json ? JSON.stringify(body) : body;
  res.writeHead(status, {
    'Content-Type': json ? 'application/json' : 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

// Fields of a form or JSON body, as griot sends them (outgoing webhooks: the hook's
// content type; slash commands: always a form).
function fields(req, raw) {
  if ((req.headers['content-type'] ?? '').startsWith('application/json')) {
    try {
      return JSON.parse(raw);
    } catch {
      throw new Refused(400, 'invalid JSON');
    }
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

// ---- the standup --------------------------------------------------------------------------

const USAGE = "Usage : `/standup hier: ... aujourd'hui: ... blocages: ...` "
  + '(ou `/standup later ...` pour une réponse différée)';

// "hier: fini X aujourd'hui: Y" -> {hier: 'fini X', "aujourd'hui": 'Y'}
function sections(text) {
  const out = {};
  const re = /(hier|aujourd['’]?hui|blocages?)\s*:/giu;
  const marks = [...text.matchAll(re)];
  marks.forEach((m, i) => {
    const end = i + 1 < marks.length ? marks[i + 1].index : text.length;
    const key = m[1].toLowerCase().replace(/aujourd.?hui/u, "aujourd'hui").replace(/^blocage$/u, 'blocages');
    out[key] = text.slice(m.index + m[0].length, end).trim();
  });
  return out;
}

// The in_channel answer: the post, with one attachment holding the "Hier" button. The button's
// integration.url and context stay on griot's side (clients never see them) and come back in
// the click's request.
function standupPost(user, text) {
  const s = sections(text);
  const lines = Object.entries(s).map(([k, v]) => `**${k[0].toUpperCase()}${k.slice(1)}** : ${v || '-'}`);
  return {
    response_type: 'in_channel',
    text: `📝 Standup de ${user}: ${text}`,
    attachments: [{
      fallback: `Standup de ${user}`,
      color: '#3aa757',
      text: lines.length ? lines.join('\n') : text,
      actions: [{
        id: 'hier',
        name: 'Hier',
        integration: {
          url: `${appUrl}/actions/hier`,
          context: { user, text, hier: s.hier ?? '' },
        },
      }],
    }],
  };
}

// A delayed answer: POST the response to the response_url griot gave (valid 30 minutes, 5 uses).
function answerLater(responseUrl, body) {
  setTimeout(async () => {
    try {
      const r = await fetch(responseUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      log(`response_url answered ${r.status} ${(await r.text()).slice(0, 100)}`);
    } catch (e) {
      log(`response_url failed: ${e.message}`);
    }
  }, LATER_DELAY_MS);
}

// ---- routes ---------------------------------------------------------------------------------

async function slashCommand(req, url) {
  // POST: the form is the body; GET (`--method GET`): the same fields in the query string,
  // which is then what griot signed.
  const raw = req.method === 'GET' ? url.search.slice(1) : await readBody(req);
  const how = signed(raw, req.headers, [commandSig]);
  const f = Object.fromEntries(new URLSearchParams(raw));
  tokenOk(f.token, 'COMMAND_TOKEN');
  // griot (and Mattermost) also send the token as `Authorization: Token <token>`.
  const auth = req.headers.authorization;
  if (auth !== undefined && !sameSecret(auth.replace(/^Token\s+/i, ''), env.COMMAND_TOKEN)) {
    throw new Refused(401, 'bad Authorization header');
  }
  const user = f.user_name ?? 'quelqu’un';
  const text = (f.text ?? '').trim();
  log(`${req.method} /standup from ${user}: ${how}, token ok`);

  if (text === '' || /^(aide|help)$/iu.test(text)) {
    return { response_type: 'ephemeral', text: USAGE }; // only the caller sees it
  }
  const later = text.match(/^later\s+(.*)$/isu);
  if (later) {
    if (!f.response_url) return { response_type: 'ephemeral', text: 'Pas de response_url.' };
    answerLater(f.response_url, standupPost(user, later[1]));
    return { response_type: 'ephemeral', text: '⏳ Standup noté, je le poste dans un instant.' };
  }
  return standupPost(user, text);
}

async function buttonClick(req) {
  const raw = await readBody(req);
  // griot signs a button click with the secret of whatever made the post: here the /standup
  // command (directly or through its response_url), so COMMAND_SECRET. Buttons on posts of
  // bots and users are signed with `griot integration-secret` instead, which this app does not
  // accept: anyone can post a look-alike "Hier" button with a context of their choosing.
  const how = signed(raw, req.headers, [commandSig]);
  const click = fields(req, raw);
  const ctx = click.context ?? {};
  const who = click.user_name ?? click.user_id;
  log(`POST /actions/hier by ${who} on post ${click.post_id}: ${how}`);
  return {
    update: {
      message: `📝 Standup de ${ctx.user}: ${ctx.text}\n👀 Hier consulté par @${who}`,
    },
    ephemeral_text: `Hier, ${ctx.user} : ${ctx.hier || '(rien noté)'}`,
  };
}

async function outgoing(req) {
  const raw = await readBody(req);
  const how = signed(raw, req.headers, [outgoingSig]);
  const f = fields(req, raw);
  tokenOk(f.token, 'OUTGOING_TOKEN');
  log(`POST /outgoing trigger '${f.trigger_word}' by ${f.user_name}: ${how}, token ok`);
  if (!f.trigger_word) return ''; // fired by channel only: empty body, griot posts nothing
  return {
    response_type: 'comment', // a reply in the thread of the triggering post
    text: `@${f.user_name} pour ton standup : ${USAGE}`,
  };
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://app.invalid');
  try {
    let answer;
    if (url.pathname === '/healthz' && req.method === 'GET') answer = 'ok';
    else if (url.pathname === '/standup' && (req.method === 'POST' || req.method === 'GET')) answer = await slashCommand(req, url);
    else if (url.pathname === '/actions/hier' && req.method === 'POST') answer = await buttonClick(req);
    else if (url.pathname === '/outgoing' && req.method === 'POST') answer = await outgoing(req);
    else throw new Refused(404, 'no such route');
    send(res, 200, answer);
  } catch (e) {
    const status = e instanceof Refused ? e.status : 500;
    log(`${req.method} ${url.pathname}: refused ${status}: ${e.message}`);
    send(res, status, `${e instanceof Refused ? e.message : 'internal error'}\n`);
  }
});

server.listen(PORT, HOST, () => {
  const a = server.address();
  const where = `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
  appUrl ??= where;
  log(`listening on ${where} (APP_URL ${appUrl})`);
});

for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
