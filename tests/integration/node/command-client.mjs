// Slash commands with the official Mattermost client (npm `@mattermost/client`: Client4 and
// WebSocketClient on `ws`), driven by tests/integration/81-commands.sh:
//
//   node command-client.mjs WORK
//
// WORK.json (written by the shell script) holds: base (griot's URL), teamId, channelId
// (town-square), alice and bob {name, password, id}. The shell script has created the custom
// commands /weather (in_channel "Sunny in <text>", autocomplete hint "[city]"), /only
// (ephemeral "only you"), /plain (text/plain "hello"), /delayed (ephemeral "working on it",
// then "later from the app" through response_url) and /goto, all served by command-app.mjs.
//
// alice and bob log in with Client4 (passwords) and listen with WebSocketClient; alice runs
// the commands with Client4.executeCommand, as the web app does when a user types them. The
// cases judge what each client sees: REST answers and WebSocket events. An ephemeral response
// must reach alice's socket only; in_channel responses reach both.
//
// Results: WORK.results, one `ok ID desc` / `fail ID msg` line per case, then `# done`.
import fs from 'node:fs';
import {
  client, socket, kase, line, reportTo, nameToken, parsed, sleep,
} from './mm-client-lib.mjs';

const [work] = process.argv.slice(2);
if (!work) {
  console.error('usage: command-client.mjs WORK');
  process.exit(2);
}
const cfg = JSON.parse(fs.readFileSync(`${work}.json`, 'utf8'));
reportTo(`${work}.results`);
setTimeout(() => {
  line('fail CC-run the scenario did not finish within 60 s');
  process.exit(1);
}, 60000);

const alice = client(cfg.base);
const bob = client(cfg.base);
await alice.login(cfg.alice.name, cfg.alice.password);
await bob.login(cfg.bob.name, cfg.bob.password);
nameToken(alice.getToken(), 'alice');
nameToken(bob.getToken(), 'bob');
const aws = socket('alice', alice);
const bws = socket('bob', bob);
const hello = (s) => s.waitFor((e) => e.event === 'hello', 5000);
if (!(await hello(aws)) || !(await hello(bws))) {
  line('fail CC-run a WebSocket never said hello');
  process.exit(1);
}
const args = { channel_id: cfg.channelId, team_id: cfg.teamId };
const eph = (s, text) => (e) => e.event === 'ephemeral_message' && parsed(e, 'post').message === text;
const posted = (text) => (e) => e.event === 'posted' && parsed(e, 'post').message === text;

await kase('CC-1', 'ephemeral reply (SC-4): executeCommand answers 200, alice\'s socket gets ephemeral_message, bob\'s does not', async (t) => {
  const resp = await alice.executeCommand('/only now', args);
  t.eq('response text', 'only you', resp.text);
  t.check(resp.response_type === '' || resp.response_type === 'ephemeral', 'response_type ephemeral', resp.response_type);
  const ev = await aws.waitFor(eph(aws, 'only you'), 5000);
  if (!t.seen(ev !== null, 'alice got ephemeral_message "only you"', aws.events.map((e) => e.event))) return;
  const p = parsed(ev, 'post');
  t.seenEq('ephemeral post type', 'system_ephemeral', p.type);
  t.seenEq('ephemeral post channel', cfg.channelId, p.channel_id);
  t.seenEq('ephemeral post author', cfg.alice.id, p.user_id);
  t.seen(/^[a-z0-9]{26}$/.test(p.id ?? ''), 'ephemeral post has an id', p.id);
  t.seenEq('broadcast to alice only', cfg.alice.id, ev.broadcast?.user_id);
  // bob's socket is alive (next case proves it); give a stray event time to arrive.
  await sleep(500);
  t.seen(!bws.events.some((e) => e.event === 'ephemeral_message'), 'bob got no ephemeral_message', bws.events.map((e) => e.event));
  const list = await alice.getPosts(cfg.channelId, 0, 30);
  t.check(!Object.values(list.posts).some((x) => x.message === 'only you'), 'nothing stored');
});

await kase('CC-2', 'in_channel reply (SC-3): both sockets get `posted` "Sunny in Lyon" by alice with from_webhook', async (t) => {
  const resp = await alice.executeCommand('/weather Lyon', args);
  t.eq('response_type', 'in_channel', resp.response_type);
  t.check(typeof resp.trigger_id === 'string' && resp.trigger_id.length > 0, 'trigger_id', resp.trigger_id);
  for (const s of [aws, bws]) {
    const ev = await s.waitFor(posted('Sunny in Lyon'), 5000);
    if (!t.seen(ev !== null, `${s.name} got posted`, s.events.map((e) => e.event))) continue;
    const p = parsed(ev, 'post');
    t.seenEq(`${s.name}: author`, cfg.alice.id, p.user_id);
    t.seenEq(`${s.name}: from_webhook`, 'true', p.props?.from_webhook);
  }
});

await kase('CC-3', 'text/plain reply (SC-5) -> ephemeral "hello" for alice only', async (t) => {
  const resp = await alice.executeCommand('/plain', args);
  t.eq('response text', 'hello', resp.text);
  t.seen((await aws.waitFor(eph(aws, 'hello'), 5000)) !== null, 'alice got ephemeral "hello"');
});

await kase('CC-4', 'the app answers later through response_url: ephemeral "working on it", then `posted` "later from the app" for both', async (t) => {
  const resp = await alice.executeCommand('/delayed', args);
  t.eq('first answer', 'working on it', resp.text);
  t.seen((await aws.waitFor(eph(aws, 'working on it'), 5000)) !== null, 'alice got the first, ephemeral answer');
  for (const s of [aws, bws]) {
    const ev = await s.waitFor(posted('later from the app'), 8000);
    if (!t.seen(ev !== null, `${s.name} got the delayed post`, s.events.map((e) => e.event))) continue;
    t.seenEq(`${s.name}: author`, cfg.alice.id, parsed(ev, 'post').user_id);
  }
});

await kase('CC-5', '/help: an ephemeral list of built-ins and the team\'s commands with their hints', async (t) => {
  await alice.executeCommand('/help', args);
  const ev = await aws.waitFor((e) => e.event === 'ephemeral_message' && /\/weather/.test(parsed(e, 'post').message ?? ''), 5000);
  if (!t.seen(ev !== null, 'alice got the help text')) return;
  const m = parsed(ev, 'post').message;
  t.seen(m.includes('/weather [city]'), 'lists /weather with its hint', m);
  for (const b of ['/echo', '/me', '/shrug', '/join', '/leave', '/help']) t.seen(m.includes(b), `lists ${b}`, m);
});

await kase('CC-6', 'built-in /echo and /me post as alice, without from_webhook; both sockets see them', async (t) => {
  await alice.executeCommand('/echo echo from alice', args);
  await alice.executeCommand('/me waves', args);
  for (const [text, type] of [['echo from alice', ''], ['*waves*', 'me']]) {
    const ev = await bws.waitFor(posted(text), 5000);
    if (!t.seen(ev !== null, `bob got "${text}"`)) continue;
    const p = parsed(ev, 'post');
    t.seenEq(`"${text}" author`, cfg.alice.id, p.user_id);
    t.seenEq(`"${text}" type`, type, p.type);
    t.seen(p.props?.from_webhook === undefined, `"${text}" has no from_webhook`, p.props);
  }
});

await kase('CC-7', 'unknown trigger (SC-7) -> ClientError 404 api.command.execute_command.not_found.app_error', async (t) => {
  try {
    await alice.executeCommand('/nosuch x', args);
    t.check(false, 'executeCommand should have failed');
  } catch (e) {
    t.eq('status', 404, e.status_code);
    t.eq('id', 'api.command.execute_command.not_found.app_error', e.server_error_id);
  }
});

await kase('CC-8', 'goto_location (SC-15) comes back to the client', async (t) => {
  const resp = await alice.executeCommand('/goto', args);
  t.eq('goto_location', 'https://x', resp.goto_location);
});

await kase('CC-9', 'autocomplete and command lists as a plain team member: /weather with its hint, no token, no URL', async (t) => {
  const auto = await alice.getAutocompleteCommandsList(cfg.teamId);
  const w = auto.find((c) => c.trigger === 'weather');
  if (!t.check(w !== undefined, 'autocomplete lists weather', auto.map((c) => c.trigger))) return;
  t.eq('hint', '[city]', w.auto_complete_hint);
  t.eq('no token', '', w.token);
  t.eq('no url', '', w.url);
  t.check(auto.some((c) => c.trigger === 'echo'), 'autocomplete lists the built-in echo', auto.map((c) => c.trigger));
  t.check(!auto.some((c) => c.trigger === 'only'), 'a command without auto_complete is not listed', auto.map((c) => c.trigger));
  const all = await alice.getCommandsList(cfg.teamId);
  t.check(all.every((c) => c.token === '' && !('secret' in c)), 'getCommandsList: no token, no secret', all);
});

aws.close();
bws.close();
line('# done');
process.exit(0);
