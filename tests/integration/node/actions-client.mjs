// One click through the official client, for tests/integration/82-actions.sh:
// npm `@mattermost/client` Client4 logs in with a password, then calls
// doPostActionWithCookie(postId, actionId, cookie, selectedOption) exactly as the web app does
// when a user clicks a button or picks a menu option.
//
//   node actions-client.mjs GRIOT_URL LOGIN PASSWORD POST_ID ACTION_ID [SELECTED [COOKIE]]
//
// Prints one JSON line: {"ok": true, "result": <the answer>} or
// {"ok": false, "status": <HTTP status>, "id": <server_error_id>, "message": ...}.
import { Client4, ClientError } from './mm-client-lib.mjs';

const [url, login, password, postId, actionId, selected = '', cookie = ''] = process.argv.slice(2);
if (!url || !login || !password || !postId || !actionId) {
  console.error('usage: actions-client.mjs GRIOT_URL LOGIN PASSWORD POST_ID ACTION_ID [SELECTED [COOKIE]]');
  process.exit(2);
}

const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const client = new Client4();
client.setUrl(url);
try {
  await client.login(login, password);
  const result = await client.doPostActionWithCookie(postId, actionId, cookie, selected);
  out({ ok: true, result });
} catch (e) {
  if (e instanceof ClientError || e?.status_code) {
    out({ ok: false, status: e.status_code, id: e.server_error_id, message: e.message });
  } else {
    out({ ok: false, error: String(e?.stack || e) });
  }
}
