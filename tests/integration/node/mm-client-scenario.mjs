// The official Mattermost client against griot (issue "Proven with real clients"), driven by
// tests/integration/34-mm-client.sh:
//
//   node mm-client-scenario.mjs BASE BOT_TOKEN BOT_ID ALICE ALICE_PASSWORD ALICE_ID HOOK_TEXT WORK
//
//   (a) a bot (Client4.setToken with the token `griot bot create` printed) finds main/town-square
//       by name, posts, replies in a thread, opens a DM with alice and posts there, reads the
//       channel back with paging, edits, reacts, deletes;
//   (b) alice (Client4.login with her password) listens with WebSocketClient and receives
//       posted / post_edited / reaction_added / post_deleted for those actions, in order, and a
//       webhook post: when the bot is done this script writes WORK.hook-ready, the shell script
//       curls the bootstrap hook with HOOK_TEXT and writes "STATUS<TAB>BODY" to WORK.hook-done;
//   (c) alice writes "@<bot> hello": the bot's own WebSocketClient gets it with its id in
//       `mentions`, and answers in the thread.
//
// Results go to WORK.results, one `ok ID desc` / `fail ID msg` line per case, and a final
// `# done` line; the client's own console chatter goes to stderr. Assertions are on what each
// client sees: REST answers and WebSocket events, never the store.
import fs from 'node:fs';
import {
  client, socket, kase, line, reportTo, nameToken, parsed, summary, waitFile,
} from './mm-client-lib.mjs';

const [base, botToken, botId, aliceName, alicePassword, aliceId, hookText, work] = process.argv.slice(2);
if (!work) {
  console.error('usage: mm-client-scenario.mjs BASE BOT_TOKEN BOT_ID ALICE ALICE_PASSWORD ALICE_ID HOOK_TEXT WORK');
  process.exit(2);
}
reportTo(`${work}.results`);
setTimeout(() => {
  line('fail MC-run the scenario did not finish within 75 s');
  process.exit(1);
}, 75000);

// What the server must send to alice for the bot's actions, in commit order.
const CONTENT_EVENTS = new Set(['posted', 'post_edited', 'reaction_added', 'post_deleted']);
const content = (s) => s.events.filter((e) => CONTENT_EVENTS.has(e.event));

const bot = client(base, botToken);
nameToken(botToken, 'bot');
const alice = client(base);

let team; let ts; let botName;
let root; let reply; let dm; let dmPost;
const pages = [];
let aliceWs; let botWs;
const expected = []; // alice's expected content events, as summary() strings

// ---- (a) the bot with its token; alice logs in; both connect ---------------------------------

await kase('MC-1', 'bot: Client4.setToken(token from griot bot create) -> getMe is the bot, client config, my teams', async (t) => {
  const me = await bot.getMe();
  botName = me.username;
  t.eq('getMe id', botId, me.id);
  t.eq('getMe is_bot', true, me.is_bot);
  const cfg = await bot.getClientConfig();
  t.check(typeof cfg.Version === 'string' && /^\d+\.\d+\.\d+$/.test(cfg.Version), 'getClientConfig (format=old) Version x.y.z', cfg.Version);
  const teams = await bot.getMyTeams();
  t.check(Array.isArray(teams) && teams.some((x) => x.name === 'main'), 'getMyTeams lists main', teams);
});

await kase('MC-2', "bot finds team 'main' and channel 'town-square' by name (by team name and by team id)", async (t) => {
  team = await bot.getTeamByName('main');
  t.check(team.name === 'main' && team.id?.length === 26, 'getTeamByName(main)', team);
  ts = await bot.getChannelByNameAndTeamName('main', 'town-square');
  t.check(ts.name === 'town-square' && ts.type === 'O' && ts.team_id === team.id, 'getChannelByNameAndTeamName', ts);
  const again = await bot.getChannelByName(team.id, 'town-square');
  t.eq('getChannelByName(team id) same channel', ts.id, again.id);
  const mine = await bot.getMyChannels(team.id);
  t.check(Array.isArray(mine) && mine.some((c) => c.id === ts.id), 'getMyChannels includes town-square', mine?.map?.((c) => c.name));
});

await kase('MC-3', 'alice: Client4.login(username, password) -> her profile, the session token is set and works', async (t) => {
  const profile = await alice.login(aliceName, alicePassword);
  t.eq('login profile id', aliceId, profile.id);
  t.check(!('password' in profile), 'no password in the profile', Object.keys(profile));
  t.check(/^[a-z0-9]{26}$/.test(alice.getToken() ?? ''), 'Client4 took the Token header', alice.getToken());
  nameToken(alice.getToken(), 'alice');
  const me = await alice.getMe();
  t.eq('getMe after login', aliceId, me.id);
});

await kase('MC-4', 'WebSocketClient (authentication_challenge) for alice and for the bot -> hello with their user ids', async (t) => {
  if (!alice.getToken()) throw new Error('alice has no session (MC-3 failed)');
  aliceWs = socket('alice', alice);
  botWs = socket('bot', bot);
  const ha = await aliceWs.waitFor((e) => e.event === 'hello');
  const hb = await botWs.waitFor((e) => e.event === 'hello');
  t.seen(ha && ha.seq === 0 && ha.broadcast?.user_id === aliceId && /^[a-z0-9]{26}$/.test(ha.data?.connection_id ?? ''), "alice's hello", ha ?? aliceWs.errors);
  t.seen(hb && hb.seq === 0 && hb.broadcast?.user_id === botId, "bot's hello", hb ?? botWs.errors);
  t.seen(aliceWs.ws.connectionId === ha?.data?.connection_id, 'the client stored the connection_id', aliceWs.ws.connectionId);
});
if (!aliceWs || !botWs || !ts) {
  line('fail MC-run cannot go on without the two clients, their sockets and town-square');
  line('# done');
  process.exit(0);
}

await kase('MC-5', 'bot posts in town-square -> 201 Post by the bot, props.from_bot "true"', async (t) => {
  root = await bot.createPost({ channel_id: ts.id, message: 'MC-5 bot root post' });
  t.check(root.id?.length === 26 && root.user_id === botId && root.channel_id === ts.id && root.root_id === '', 'Post', root);
  t.eq('message', 'MC-5 bot root post', root.message);
  t.eq('props.from_bot', 'true', root.props?.from_bot);
  expected.push(`posted:${root.id}`);
});

await kase('MC-6', 'bot replies in the thread (root_id) -> root_id echoed; getPostThread has root and reply', async (t) => {
  reply = await bot.createPost({ channel_id: ts.id, message: 'MC-6 reply in thread', root_id: root.id });
  t.eq('reply root_id', root.id, reply.root_id);
  expected.push(`posted:${reply.id}`);
  const thread = await bot.getPostThread(root.id);
  t.check(Array.isArray(thread.order) && thread.order.includes(root.id) && thread.order.includes(reply.id), 'thread order has root and reply', thread.order);
  t.eq('thread reply root_id', root.id, thread.posts?.[reply.id]?.root_id);
});

await kase('MC-7', 'bot opens a DM with alice (createDirectChannel) and posts there; alice reads it back', async (t) => {
  const a = await bot.getUserByUsername(aliceName);
  t.eq('getUserByUsername id', aliceId, a.id);
  dm = await bot.createDirectChannel([botId, aliceId]);
  const want = [botId, aliceId].sort().join('__');
  t.check(dm.type === 'D' && dm.name === want && dm.team_id === '', 'DM channel', dm);
  const again = await bot.createDirectChannel([botId, aliceId]);
  t.eq('createDirectChannel is idempotent', dm.id, again.id);
  dmPost = await bot.createPost({ channel_id: dm.id, message: 'MC-7 hello alice, in private' });
  t.check(dmPost.channel_id === dm.id && dmPost.user_id === botId, 'DM post', dmPost);
  expected.push(`posted:${dmPost.id}`);
  const seen = await alice.getPosts(dm.id, 0, 10);
  t.check(seen.order?.[0] === dmPost.id && seen.posts?.[dmPost.id]?.message === 'MC-7 hello alice, in private', "alice's getPosts(DM)", seen);
});

await kase('MC-8', 'bot reads town-square back with paging: getPosts page/perPage, getPostsBefore/After, cursors', async (t) => {
  for (let i = 1; i <= 5; i++) {
    const p = await bot.createPost({ channel_id: ts.id, message: `MC-8 page post ${i}` });
    pages.push(p.id);
    expected.push(`posted:${p.id}`);
  }
  const [p1, p2, p3, p4, p5] = pages;
  // Channel, oldest first: ... root, reply, p1, p2, p3, p4, p5.
  let l = await bot.getPosts(ts.id, 0, 3);
  t.eq('getPosts(page 0, perPage 3) order', [p5, p4, p3], l.order);
  t.eq('page 0 next_post_id', '', l.next_post_id);
  t.eq('page 0 prev_post_id', p2, l.prev_post_id);
  t.eq('page 0 posts', [p3, p4, p5].sort(), Object.keys(l.posts ?? {}).sort());
  l = await bot.getPosts(ts.id, 1, 3);
  t.eq('getPosts(page 1, perPage 3) order', [p2, p1, reply.id], l.order);
  t.check(l.posts?.[root.id]?.id === root.id, "page 1 posts carry the reply's root", Object.keys(l.posts ?? {}));
  t.eq('page 1 next_post_id', p3, l.next_post_id);
  t.eq('page 1 prev_post_id', root.id, l.prev_post_id);
  l = await bot.getPostsBefore(ts.id, p3, 0, 2);
  t.eq('getPostsBefore(p3, 0, 2) order', [p2, p1], l.order);
  t.eq('before: next_post_id is the cursor', p3, l.next_post_id);
  t.eq('before: prev_post_id', reply.id, l.prev_post_id);
  l = await bot.getPostsBefore(ts.id, p3, 1, 2);
  t.eq('getPostsBefore(p3, page 1, 2) order', [reply.id, root.id], l.order);
  l = await bot.getPostsAfter(ts.id, p1, 0, 2);
  t.eq('getPostsAfter(p1, 0, 2) order', [p3, p2], l.order);
  t.eq('after: prev_post_id is the cursor', p1, l.prev_post_id);
  t.eq('after: next_post_id', p4, l.next_post_id);
  l = await bot.getPostsAfter(ts.id, p3, 0, 5);
  t.eq('getPostsAfter(p3, 0, 5) order (short page)', [p5, p4], l.order);
  t.eq('short page: next_post_id', '', l.next_post_id);
});

await kase('MC-9', 'bot edits: patchPost {message} and updatePost (the whole Post back) -> edit_at > 0', async (t) => {
  const patched = await bot.patchPost({ id: root.id, message: 'MC-9 root, edited' });
  t.check(patched.id === root.id && patched.message === 'MC-9 root, edited' && patched.edit_at > 0, 'patchPost', patched);
  expected.push(`post_edited:${root.id}`);
  const updated = await bot.updatePost({ ...reply, message: 'MC-9 reply, updated' });
  t.check(updated.id === reply.id && updated.message === 'MC-9 reply, updated' && updated.edit_at > 0 && updated.root_id === root.id, 'updatePost', updated);
  expected.push(`post_edited:${reply.id}`);
  const again = await alice.getPost(root.id);
  t.eq("alice's getPost sees the edit", 'MC-9 root, edited', again.message);
});

await kase('MC-10', 'bot reacts: addReaction(bot, root, "+1") -> Reaction; getReactionsForPost lists it', async (t) => {
  const r = await bot.addReaction(botId, root.id, '+1');
  t.check(r.user_id === botId && r.post_id === root.id && r.emoji_name === '+1' && r.create_at > 0, 'Reaction', r);
  expected.push(`reaction_added:${root.id}:+1`);
  const list = await alice.getReactionsForPost(root.id);
  t.check(Array.isArray(list) && list.some((x) => x.user_id === botId && x.emoji_name === '+1'), 'getReactionsForPost', list);
});

await kase('MC-11', 'bot deletes a post: deletePost -> OK; getPost -> 404 ClientError app.post.get.app_error; gone from the page', async (t) => {
  const victim = pages[4];
  const res = await bot.deletePost(victim);
  t.eq('deletePost answer', { status: 'OK' }, res);
  expected.push(`post_deleted:${victim}`);
  let err = null;
  try { await bot.getPost(victim); } catch (e) { err = e; }
  t.check(err && err.status_code === 404 && err.server_error_id === 'app.post.get.app_error', 'getPost of the deleted post rejects with 404 app.post.get.app_error', err && { status_code: err.status_code, server_error_id: err.server_error_id, message: err.message });
  const l = await bot.getPosts(ts.id, 0, 3);
  t.eq('getPosts after the delete', [pages[3], pages[2], pages[1]], l.order);
});

// ---- (b) what alice's WebSocketClient saw -------------------------------------------------------

await kase('MC-12', "alice's WebSocketClient: posted/post_edited/reaction_added/post_deleted for the bot's actions, in order", async (t) => {
  const got = await aliceWs.waitCount((e) => CONTENT_EVENTS.has(e.event), expected.length, 5000);
  t.seenEq('content events in commit order', expected, got.map(summary));
});

await kase('MC-13', "alice's events carry Mattermost's payloads (JSON strings, channel fields, sender_name, DM fields)", async (t) => {
  const evs = content(aliceWs);
  const find = (s) => evs.find((e) => summary(e) === s);
  const p = find(`posted:${root.id}`);
  const post = parsed(p, 'post');
  t.seen(post.id === root.id && post.message === 'MC-5 bot root post' && post.user_id === botId && post.props?.from_bot === 'true', 'posted: data.post is a JSON string of the Post', p?.data);
  t.seen(p?.data?.channel_name === 'town-square' && p.data.channel_type === 'O' && p.data.channel_display_name === ts.display_name && p.data.team_id === team.id, 'posted: channel fields', p?.data);
  t.seenEq('posted: sender_name', `@${botName}`, p?.data?.sender_name);
  t.seenEq('posted: set_online (REST post without ?set_online=false)', true, p?.data?.set_online);
  t.seenEq('posted: broadcast.channel_id', ts.id, p?.broadcast?.channel_id);
  t.seenEq('reply posted: root_id', root.id, parsed(find(`posted:${reply.id}`), 'post').root_id);
  const d = find(`posted:${dmPost.id}`);
  t.seen(d?.data?.channel_type === 'D' && d.data.channel_name === dm.name && d.data.team_id === '' && d.broadcast?.channel_id === dm.id, 'DM posted: type D, DM name, no team', d?.data);
  const e = parsed(find(`post_edited:${root.id}`), 'post');
  t.seen(e.message === 'MC-9 root, edited' && e.edit_at > 0, 'post_edited: data.post (JSON string) has the new message', e);
  const u = parsed(find(`post_edited:${reply.id}`), 'post');
  t.seen(u.message === 'MC-9 reply, updated' && u.root_id === root.id, 'post_edited after updatePost', u);
  const r = parsed(find(`reaction_added:${root.id}:+1`), 'reaction');
  t.seen(r.user_id === botId && r.emoji_name === '+1' && r.post_id === root.id, 'reaction_added: data.reaction is a JSON string of the Reaction', r);
  const x = parsed(find(`post_deleted:${pages[4]}`), 'post');
  t.seen(x.id === pages[4] && x.delete_at > 0, 'post_deleted: data.post (JSON string) with delete_at', x);
});

await kase('MC-14', "a webhook post (curl to the bootstrap hook) arrives on alice's WebSocketClient as posted", async (t) => {
  fs.writeFileSync(`${work}.hook-ready`, 'ready\n');
  const answer = await waitFile(`${work}.hook-done`, 15000);
  t.seen(answer !== null, 'the shell script posted to the hook');
  const [status, body] = (answer ?? '').split('\t');
  t.seen(status === '200' && body === 'ok', `POST /hooks/<bootstrap> {"text":${JSON.stringify(hookText)}} -> 200 ok`, answer);
  const ev = await aliceWs.waitFor((e) => e.event === 'posted' && parsed(e, 'post').message === hookText, 5000);
  const post = parsed(ev, 'post');
  t.seen(ev !== null, 'posted event with the webhook text', content(aliceWs).slice(-3).map(summary));
  t.seen(post.props?.from_webhook === 'true' && post.channel_id === ts.id, 'post: from_webhook "true", town-square', post);
  t.seenEq('set_online', false, ev?.data?.set_online);
  t.seen(ev?.data?.channel_name === 'town-square' && typeof ev?.data?.sender_name === 'string', 'channel_name, sender_name', ev?.data);
  const order = content(aliceWs).map(summary);
  t.seenEq('right after the bot\'s delete', `posted:${post.id}`, order[order.indexOf(`post_deleted:${pages[4]}`) + 1]);
});

// ---- (c) a mention of the bot ---------------------------------------------------------------

let mention;
await kase('MC-15', "alice writes '@bot hello' -> the bot's WebSocketClient gets posted with mentions = [bot id]", async (t) => {
  mention = await alice.createPost({ channel_id: ts.id, message: `@${botName} hello` });
  t.check(mention.user_id === aliceId && !mention.props?.from_bot, "alice's Post", mention);
  const ev = await botWs.waitFor((e) => e.event === 'posted' && parsed(e, 'post').id === mention.id, 5000);
  t.seen(ev !== null, "posted on the bot's socket", botWs.events.slice(-3).map(summary));
  t.seenEq('data.mentions (a JSON string)', JSON.stringify([botId]), ev?.data?.mentions);
  t.seenEq('sender_name', `@${aliceName}`, ev?.data?.sender_name);
  t.seenEq('post.message', `@${botName} hello`, parsed(ev, 'post').message);
});

await kase('MC-16', "the bot answers the mention in its thread -> alice's socket gets the reply with herself in mentions", async (t) => {
  const answer = await bot.createPost({ channel_id: ts.id, root_id: mention.id, message: `@${aliceName} hello to you` });
  t.eq('reply root_id', mention.id, answer.root_id);
  const ev = await aliceWs.waitFor((e) => e.event === 'posted' && parsed(e, 'post').id === answer.id, 5000);
  t.seen(ev !== null, "posted on alice's socket", content(aliceWs).slice(-3).map(summary));
  t.seenEq("alice's copy: mentions", JSON.stringify([aliceId]), ev?.data?.mentions);
  t.seenEq('root_id', mention.id, parsed(ev, 'post').root_id);
});

await kase('MC-17', "per-recipient mentions (spec §6.4 SHOULD): alice's copy of her '@bot' post does not carry the bot's id", async (t) => {
  const ev = await aliceWs.waitFor((e) => e.event === 'posted' && parsed(e, 'post').id === mention?.id, 2000);
  t.seen(ev !== null, "alice's socket got her own post");
  const m = ev?.data?.mentions;
  t.seen(m === undefined || !JSON.parse(m).includes(botId), "no bot id in alice's copy", m);
});

await kase('MC-18', 'both WebSocketClients: one hello, seq 0,1,2,... without a gap, never closed or reconnected', async (t) => {
  for (const s of [aliceWs, botWs]) {
    const seqs = s.events.map((e) => e.seq);
    t.seenEq(`${s.name}: hellos`, 1, s.events.filter((e) => e.event === 'hello').length);
    t.seenEq(`${s.name}: seq`, seqs.map((_, i) => i), seqs);
    t.seenEq(`${s.name}: closes (reconnects)`, 0, s.closes);
    t.seenEq(`${s.name}: missed-message callbacks`, 0, s.missed);
  }
});

await kase('MC-19', 'the new DM: each member\'s socket gets one direct_added for it (creator = bot), the idempotent second createDirectChannel none', async (t) => {
  for (const s of [aliceWs, botWs]) {
    const got = s.events.filter((e) => e.event === 'direct_added' && e.broadcast?.channel_id === dm?.id);
    t.seen(got.length === 1 && got[0].data?.creator_id === botId, `${s.name}: one direct_added`, got);
  }
});

aliceWs.close();
botWs.close();
line(`# alice saw: ${aliceWs.events.map(summary).join(' ')}`);
line('# done');
process.exit(0);
