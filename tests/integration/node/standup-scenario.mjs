// The `/standup` scenario of issue 5 with the official Mattermost client, driven by
// tests/integration/83-standup-app.sh against griot and the example app
// examples/standup-app/server.mjs (a real Node `http` app verifying griot's signatures with npm
// `standardwebhooks`):
//
//   node standup-scenario.mjs WORK
//
// WORK.json (written by the shell script) holds: base (griot's URL), team ("main"), channel
// ("town-square"), alice/bob {name, password, id}, outgoingCreator (user id of the hook's
// creator), usage (the app's usage text), hint / description / commandUsername (what /standup
// was registered with), delayMs (the app's LATER_DELAY_MS), timeoutS (griot's
// --outgoing-timeout).
//
// alice and bob log in with Client4 and listen with WebSocketClient. alice runs `/standup ...`
// (Client4.executeCommand); the in_channel post with the "Hier" button reaches both sockets and
// reads back over REST; bob clicks the button (Client4.doPostAction): both see the post edited,
// only bob gets the app's ephemeral_text. A trigger word gets a threaded reply from the app's
// outgoing-webhook consumer; `/standup later ...` posts through response_url; `/slow` (an app
// that does not answer in time) and `/dead` (nothing listening) give the documented errors and no
// post; finally the shell script stops the example app (handshake: WORK.kill-app ->
// WORK.app-dead) and `/standup` and the button give the documented errors.
//
// Results: WORK.results, one `ok ID desc` / `fail ID msg` line per case, then `# done`.
// Assertions are on what the clients see (REST answers, WebSocket events), never the store.
import fs from 'node:fs';
import {
  client, socket, kase, line, reportTo, nameToken, parsed, sleep, waitFile, ClientError,
} from './mm-client-lib.mjs';

const [work] = process.argv.slice(2);
if (!work) {
  console.error('usage: standup-scenario.mjs WORK   (reads WORK.json)');
  process.exit(2);
}
const cfg = JSON.parse(fs.readFileSync(`${work}.json`, 'utf8'));
reportTo(`${work}.results`);
setTimeout(() => {
  line('fail SA-run the scenario did not finish within 100 s');
  process.exit(1);
}, 100000);

const alice = client(cfg.base);
const bob = client(cfg.base);
let team; let ts; let aliceWs; let bobWs;
let standup; // the in_channel post made by /standup
const STANDUP_TEXT = "hier: fini X aujourd'hui: relire la PR de bob";
const STANDUP_MSG = `📝 Standup de ${cfg.alice.name}: ${STANDUP_TEXT}`;
const EDITED_MSG = `${STANDUP_MSG}\n👀 Hier consulté par @${cfg.bob.name}`;

const postOf = (ev) => parsed(ev, 'post');
const isPosted = (pred) => (e) => e.event === 'posted' && pred(postOf(e));
const isEphemeral = (pred) => (e) => e.event === 'ephemeral_message' && pred(postOf(e));
const errShape = (e) => (e ? { status_code: e.status_code, server_error_id: e.server_error_id, message: e.message } : null);

// refused(fn): the ClientError fn() rejects with (null when it resolves).
async function refused(fn) {
  try {
    await fn();
  } catch (e) {
    if (e instanceof ClientError || e?.status_code !== undefined) return e;
    throw e;
  }
  return null;
}

// exec(client, command): Client4.executeCommand in town-square.
const exec = (c, command) => c.executeCommand(command, { channel_id: ts.id, team_id: team.id });

// Posts with create_at >= since in town-square, as alice reads them (REST).
async function postsSince(since) {
  const l = await alice.getPostsSince(ts.id, since);
  return (l.order ?? []).map((id) => l.posts[id]);
}

// ---- setup ------------------------------------------------------------------------------------

await kase('SA-1', 'alice and bob log in (Client4.login), find main/town-square, connect WebSocketClient (hello)', async (t) => {
  const a = await alice.login(cfg.alice.name, cfg.alice.password);
  const b = await bob.login(cfg.bob.name, cfg.bob.password);
  t.eq('alice id', cfg.alice.id, a.id);
  t.eq('bob id', cfg.bob.id, b.id);
  nameToken(alice.getToken(), 'alice');
  nameToken(bob.getToken(), 'bob');
  team = await alice.getTeamByName(cfg.team);
  ts = await alice.getChannelByNameAndTeamName(cfg.team, cfg.channel);
  t.check(ts?.type === 'O', 'town-square is public', ts);
  aliceWs = socket('alice', alice);
  bobWs = socket('bob', bob);
  t.seen(await aliceWs.waitFor((e) => e.event === 'hello'), "alice's hello", aliceWs.errors);
  t.seen(await bobWs.waitFor((e) => e.event === 'hello'), "bob's hello", bobWs.errors);
});
if (!team || !ts || !aliceWs || !bobWs) {
  line('fail SA-run cannot go on without both sessions, their sockets and town-square');
  line('# done');
  process.exit(0);
}

await kase('SA-2', "the command list (Client4.getCommandsList) shows /standup with its autocomplete hint and description, token hidden from alice", async (t) => {
  const list = await alice.getCommandsList(team.id);
  const c = Array.isArray(list) ? list.find((x) => x.trigger === 'standup') : null;
  t.check(c, 'standup in the list', list);
  t.eq('auto_complete', true, c?.auto_complete);
  t.eq('auto_complete_hint', cfg.hint, c?.auto_complete_hint);
  t.eq('auto_complete_desc', cfg.description, c?.auto_complete_desc);
  t.check(!c?.token, 'token not shown to a plain user', c?.token);
});

// ---- /standup -> in_channel post with a button ---------------------------------------------

await kase('SA-3', `alice: executeCommand("/standup ${STANDUP_TEXT}") -> 200 CommandResponse in_channel with the app's text and a trigger_id`, async (t) => {
  const r = await exec(alice, `/standup ${STANDUP_TEXT}`);
  t.eq('response_type', 'in_channel', r.response_type);
  t.eq('text', STANDUP_MSG, r.text);
  t.check(typeof r.trigger_id === 'string' && r.trigger_id.length > 0, 'trigger_id', r.trigger_id);
});

await kase('SA-4', 'the standup post reaches alice and bob as `posted`: by alice, from_webhook, override_username, button "Hier" with an id and no integration', async (t) => {
  const want = (p) => p.message === STANDUP_MSG;
  const ea = await aliceWs.waitFor(isPosted(want));
  const eb = await bobWs.waitFor(isPosted(want));
  t.seen(ea, "alice's socket: posted", aliceWs.events.map((e) => e.event));
  t.seen(eb, "bob's socket: posted", bobWs.events.map((e) => e.event));
  if (!ea) return;
  standup = postOf(ea);
  t.seen(standup.user_id === cfg.alice.id && standup.channel_id === ts.id && standup.root_id === '', 'author alice, town-square, top level', standup);
  t.seenEq('props.from_webhook', 'true', standup.props?.from_webhook);
  t.seenEq('props.override_username (the command\'s --username wins)', cfg.commandUsername, standup.props?.override_username);
  const act = standup.props?.attachments?.[0]?.actions?.[0];
  t.seen(act?.id === 'hier' && act?.name === 'Hier', 'action id "hier", name "Hier"', act);
  t.seen(act && !('integration' in act), 'integration (url, context) stripped from what clients see', act);
});
if (!standup) {
  line('fail SA-run no standup post: the button cases cannot run');
} else {
  await kase('SA-5', 'REST read-back: getPost and getPosts show the standup post with its attachment and button', async (t) => {
    const p = await bob.getPost(standup.id);
    t.eq('message', STANDUP_MSG, p.message);
    t.eq('type', 'slack_attachment', p.type);
    const a = p.props?.attachments?.[0];
    t.check(a?.text?.includes('**Hier** : fini X'), 'attachment text', a);
    t.check(a?.actions?.length === 1 && a.actions[0].id === 'hier' && !('integration' in a.actions[0]), 'one button, no integration', a?.actions);
    const l = await bob.getPosts(ts.id, 0, 5);
    t.eq('newest post of the channel', standup.id, l.order?.[0]);
  });

  // ---- the click ------------------------------------------------------------------------------

  const nEphAlice = aliceWs.events.filter((e) => e.event === 'ephemeral_message').length;
  await kase('SA-6', 'bob clicks "Hier" (Client4.doPostAction) -> 200 {status: OK, trigger_id}', async (t) => {
    const r = await bob.doPostAction(standup.id, 'hier');
    t.eq('status', 'OK', r.status);
    t.check(typeof r.trigger_id === 'string' && r.trigger_id.length > 0, 'trigger_id', r);
  });

  await kase('SA-7', "the app's update edits the post: post_edited to alice and bob, getPost has the new message and still the button", async (t) => {
    const want = (e) => e.event === 'post_edited' && postOf(e).id === standup.id;
    const ea = await aliceWs.waitFor(want);
    const eb = await bobWs.waitFor(want);
    t.seen(ea, "alice's socket: post_edited", aliceWs.events.map((e) => e.event));
    t.seen(eb, "bob's socket: post_edited", bobWs.events.map((e) => e.event));
    t.seenEq('edited message (uses the button context: user alice)', EDITED_MSG, postOf(ea ?? eb)?.message);
    const p = await alice.getPost(standup.id);
    t.eq('getPost message', EDITED_MSG, p.message);
    t.check(p.edit_at > 0, 'edit_at set', p.edit_at);
    t.eq('author unchanged', cfg.alice.id, p.user_id);
    t.eq('from_webhook kept', 'true', p.props?.from_webhook);
    t.check(p.props?.attachments?.[0]?.actions?.[0]?.id === 'hier', 'update without props keeps the attachment and its button', p.props);
  });

  await kase('SA-8', "ephemeral_text -> ephemeral_message on bob's socket only (in the post's thread); alice gets none", async (t) => {
    const want = `Hier, ${cfg.alice.name} : fini X`;
    const eb = await bobWs.waitFor(isEphemeral((p) => p.message === want));
    t.seen(eb, `bob's socket: ephemeral_message "${want}"`,
      bobWs.events.filter((e) => e.event === 'ephemeral_message').map((e) => postOf(e).message));
    const p = eb ? postOf(eb) : {};
    t.seen(p.channel_id === ts.id && p.root_id === standup.id, 'channel town-square, root_id = the standup post', p);
    t.seenEq('type', 'system_ephemeral', p.type);
    await sleep(500);
    const extra = aliceWs.events.filter((e) => e.event === 'ephemeral_message').slice(nEphAlice);
    t.seenEq("alice's socket: no ephemeral_message for bob's click", [], extra.map((e) => postOf(e).message));
    const l = await alice.getPostThread(standup.id);
    t.check(!Object.values(l.posts ?? {}).some((x) => x.message === want), 'the ephemeral post is not stored', l.order);
  });
}

// ---- ephemeral command response ------------------------------------------------------------

await kase('SA-9', "alice: /standup (no text) -> ephemeral usage: 200 response_type ephemeral, alice's socket only, nothing stored", async (t) => {
  const since = Date.now();
  const nb = bobWs.events.filter((e) => e.event === 'ephemeral_message').length;
  const r = await exec(alice, '/standup');
  t.eq('response_type', 'ephemeral', r.response_type);
  t.eq('text', cfg.usage, r.text);
  const ea = await aliceWs.waitFor(isEphemeral((p) => p.message === cfg.usage));
  t.seen(ea, "alice's socket: ephemeral_message with the usage", aliceWs.events.map((e) => e.event));
  await sleep(300);
  t.seenEq("bob's socket: no ephemeral_message", nb, bobWs.events.filter((e) => e.event === 'ephemeral_message').length);
  t.eq('no post stored', [], (await postsSince(since)).map((p) => p.message));
});

// ---- outgoing webhook: trigger word -> threaded reply ------------------------------------

let asked;
await kase('SA-10', 'alice posts "standup ..." (trigger word) -> the consumer\'s comment is a reply in her thread, by the hook\'s creator, from_webhook', async (t) => {
  asked = await alice.createPost({ channel_id: ts.id, message: 'standup comment on fait ?' });
  const want = (p) => p.root_id === asked.id;
  const ea = await aliceWs.waitFor(isPosted(want), 8000);
  const eb = await bobWs.waitFor(isPosted(want), 2000);
  t.seen(ea, "alice's socket: posted reply with root_id = her post", aliceWs.events.slice(-5).map((e) => `${e.event}:${postOf(e).message}`));
  t.seen(eb, "bob's socket: the same reply", null);
  const p = ea ? postOf(ea) : {};
  t.seen(p.message?.startsWith(`@${cfg.alice.name} pour ton standup`), 'message from the consumer', p.message);
  t.seenEq('author: the hook creator', cfg.outgoingCreator, p.user_id);
  t.seenEq('props.from_webhook', 'true', p.props?.from_webhook);
  const th = await alice.getPostThread(asked.id);
  t.check(th.order?.length === 2 && th.order.includes(p.id), 'getPostThread: the question and the reply', th.order);
});

await kase('SA-11', 'a trigger word in a reply: the consumer\'s comment goes to the thread root (griot), not to the reply', async (t) => {
  if (!asked) throw new Error('SA-10 made no post');
  const r = await alice.createPost({ channel_id: ts.id, root_id: asked.id, message: 'standup et les blocages ?' });
  t.eq('alice\'s reply is in the thread', asked.id, r.root_id);
  const fromApp = isPosted((p) => p.root_id === asked.id && p.user_id === cfg.outgoingCreator);
  const got = await aliceWs.waitCount(fromApp, 2, 8000);
  t.seenEq('posted: a second reply of the consumer, root_id = the thread root', 2, got.length);
  const th = await alice.getPostThread(asked.id);
  t.eq('thread: the question, alice\'s reply, two answers of the app', 4, th.order?.length);
  t.check(Object.values(th.posts ?? {}).every((p) => p.id === asked.id || p.root_id === asked.id), 'every reply has root_id = the root', th.posts);
});

await kase('SA-12', 'a post without the trigger word ("hello standup") -> no callback, no reply', async (t) => {
  const p = await alice.createPost({ channel_id: ts.id, message: 'hello standup' });
  await sleep(1500);
  const th = await alice.getPostThread(p.id);
  t.eq('thread has only the post', [p.id], th.order);
});

// ---- delayed response through response_url -------------------------------------------------

await kase('SA-13', '/standup later ... -> ephemeral ack now; the app POSTs response_url and the in_channel post appears', async (t) => {
  const r = await exec(alice, '/standup later hier: différé');
  t.eq('response_type of the immediate answer', 'ephemeral', r.response_type);
  t.check(r.text?.startsWith('⏳'), 'ack text', r.text);
  const msg = `📝 Standup de ${cfg.alice.name}: hier: différé`;
  const eb = await bobWs.waitFor(isPosted((p) => p.message === msg), cfg.delayMs + 6000);
  t.seen(eb, "bob's socket: posted via response_url", bobWs.events.slice(-5).map((e) => e.event));
  const p = eb ? postOf(eb) : {};
  t.seen(p.user_id === cfg.alice.id && p.channel_id === ts.id, 'as alice, in town-square', p);
  t.seenEq('button on the delayed post too', 'hier', p.props?.attachments?.[0]?.actions?.[0]?.id);
});

// ---- slow and dead apps ----------------------------------------------------------------------

async function noPostDuring(since, t, what) {
  await sleep(700);
  const ps = await postsSince(since);
  t.eq(`${what}: no post stored`, [], ps.map((p) => p.message));
  const evs = aliceWs.events.filter((e) => e.event === 'posted' && postOf(e).create_at >= since);
  t.seenEq(`${what}: no posted event`, [], evs.map((e) => postOf(e).message));
}

await kase('SA-14', `/slow (app answers after 10 s, --outgoing-timeout ${cfg.timeoutS}) -> 500 api.command.execute_command.failed.app_error after ~${cfg.timeoutS} s, no post`, async (t) => {
  const since = Date.now();
  const t0 = performance.now();
  const e = await refused(() => exec(alice, '/slow hier: lent'));
  const s = (performance.now() - t0) / 1000;
  t.check(e?.status_code === 500 && e?.server_error_id === 'api.command.execute_command.failed.app_error', 'error', errShape(e));
  t.check(e?.message?.includes('slow'), 'the message names the command', e?.message);
  t.check(s >= cfg.timeoutS - 0.3 && s < cfg.timeoutS + 4, `answered after the timeout (${s.toFixed(2)} s)`, s);
  await noPostDuring(since, t, '/slow');
});

await kase('SA-15', '/dead (nothing listens on the port) -> 500 api.command.execute_command.failed.app_error at once, no post', async (t) => {
  const since = Date.now();
  const t0 = performance.now();
  const e = await refused(() => exec(alice, '/dead hier: mort'));
  const s = (performance.now() - t0) / 1000;
  t.check(e?.status_code === 500 && e?.server_error_id === 'api.command.execute_command.failed.app_error', 'error', errShape(e));
  t.check(e?.message?.includes('dead'), 'the message names the command', e?.message);
  t.check(s < 1.5, `answered without waiting for the timeout (${s.toFixed(2)} s)`, s);
  await noPostDuring(since, t, '/dead');
});

// ---- the example app goes away ---------------------------------------------------------------

fs.writeFileSync(`${work}.kill-app`, '');
const dead = await waitFile(`${work}.app-dead`, 15000);
await kase('SA-16', 'the standup app is stopped: /standup -> 500 api.command.execute_command.failed.app_error, no post', async (t) => {
  if (dead === null) throw new Error('the shell script did not stop the app');
  const since = Date.now();
  const e = await refused(() => exec(alice, '/standup hier: personne'));
  t.check(e?.status_code === 500 && e?.server_error_id === 'api.command.execute_command.failed.app_error', 'error', errShape(e));
  await noPostDuring(since, t, '/standup');
});

if (standup) {
  await kase('SA-17', 'the app is stopped: clicking "Hier" -> 400 api.post.do_action.action_integration.app_error, post unchanged, no ephemeral', async (t) => {
    const nb = bobWs.events.filter((e) => e.event === 'ephemeral_message').length;
    const e = await refused(() => bob.doPostAction(standup.id, 'hier'));
    t.check(e?.status_code === 400 && e?.server_error_id === 'api.post.do_action.action_integration.app_error', 'error', errShape(e));
    const p = await bob.getPost(standup.id);
    t.eq('message unchanged', EDITED_MSG, p.message);
    await sleep(300);
    t.seenEq("bob's socket: no new ephemeral_message", nb, bobWs.events.filter((ev) => ev.event === 'ephemeral_message').length);
  });

  await kase('SA-18', 'clicking an action the post does not have -> 404 api.post.do_action.action_id.app_error', async (t) => {
    const e = await refused(() => bob.doPostAction(standup.id, 'nosuchaction'));
    t.check(e?.status_code === 404 && e?.server_error_id === 'api.post.do_action.action_id.app_error', 'error', errShape(e));
  });
}

await kase('SA-19', 'both sockets stayed up through the scenario (no close, no missed sequence)', async (t) => {
  t.seen(aliceWs.closes === 0 && aliceWs.missed === 0, 'alice: closes/missed', { closes: aliceWs.closes, missed: aliceWs.missed, errors: aliceWs.errors });
  t.seen(bobWs.closes === 0 && bobWs.missed === 0, 'bob: closes/missed', { closes: bobWs.closes, missed: bobWs.missed, errors: bobWs.errors });
});

aliceWs.close();
bobWs.close();
line('# done');
process.exit(0);
