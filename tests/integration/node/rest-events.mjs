// WebSocket listener for tests/integration/32-rest.sh: what the REST surface publishes.
//
//   node --experimental-websocket rest-events.mjs URL TOKEN MS READY_FILE
//
// Connects to URL/api/v4/websocket (ws://), authenticates with an authentication_challenge,
// writes READY_FILE once `hello` arrived, then collects events for MS milliseconds and prints
// one JSON array: [{event, seq, broadcast, data}], with data values that hold JSON strings
// (post, reaction) parsed. Needs no npm package: Node's own WebSocket (global from Node 22,
// behind --experimental-websocket in Node 20/21). Prints {"skip": "..."} when there is none.
import fs from 'node:fs';

const [url, token, ms, ready] = process.argv.slice(2);
if (typeof WebSocket === 'undefined') {
    console.log(JSON.stringify({skip: 'this Node has no WebSocket'}));
    process.exit(0);
}
const events = [];
const ws = new WebSocket(url.replace(/^http/, 'ws') + '/api/v4/websocket');
ws.onopen = () =>
    ws.send(JSON.stringify({seq: 1, action: 'authentication_challenge', data: {token}}));
ws.onmessage = (m) => {
    const f = JSON.parse(m.data);
    if (!f.event)
        return;
    if (f.event === 'hello')
        fs.writeFileSync(ready, 'ready');
    for (const k of ['post', 'reaction'])
        if (f.data && typeof f.data[k] === 'string')
            f.data[k] = JSON.parse(f.data[k]);
    events.push({event: f.event, seq: f.seq, broadcast: f.broadcast, data: f.data});
};
ws.onerror = () => {};
setTimeout(() => {
    console.log(JSON.stringify(events));
    process.exit(0);
}, Number(ms));
