// Sends one message with npm's @slack/webhook IncomingWebhook, as a Slack app would.
//
//   node slack-webhook.mjs URL MESSAGE_JSON
//
// MESSAGE_JSON is passed to IncomingWebhook(url).send(). On success prints
// {"resolved":true,"result":<what send() resolved with>}; on rejection prints
// {"resolved":false,"error":{name,code,status,body,message}}. Exit status 0 in both cases.
import { IncomingWebhook } from '@slack/webhook';

const [url, messageJson] = process.argv.slice(2);
if (!url || !messageJson) {
  console.error('usage: slack-webhook.mjs URL MESSAGE_JSON');
  process.exit(2);
}
const message = JSON.parse(messageJson);
const webhook = new IncomingWebhook(url, { timeout: 10000 });
try {
  const result = await webhook.send(message);
  console.log(JSON.stringify({ resolved: true, result }));
} catch (e) {
  console.log(JSON.stringify({
    resolved: false,
    error: { name: e.name, code: e.code, status: e.statusCode ?? e.status, body: e.body, message: e.message },
  }));
}
