import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, test } from 'node:test';
import { Offload, OffloadConnectionError, OffloadError } from '@offload/client';
import { EventStreamParser } from '../src/sse.js';

const T = { timeout: 10_000 };

function parse(...pieces) {
  const parser = new EventStreamParser();
  const events = pieces.flatMap((piece) => parser.push(piece));
  return { events, parser };
}

describe('event stream parser', () => {
  test('LF, CRLF and CR end lines alike, and a CRLF split between two pieces is one line break', () => {
    const expected = [{ id: '1', type: 'task.created', data: 'a\nb' }];

    assert.deepEqual(parse('id: 1\nevent: task.created\ndata: a\ndata: b\n\n').events, expected);
    assert.deepEqual(parse('id: 1\r\nevent: task.created\r\ndata: a\r\ndata: b\r\n\r\n').events, expected);
    assert.deepEqual(parse('id: 1\revent: task.created\rdata: a\rdata: b\r\r').events, expected);
    assert.deepEqual(parse('id: 1\r', '\nevent: task.created\r\ndata: a\r', '\ndata: b\r\n\r', '\n').events, expected);
  });

  test('a stream fed one character at a time gives the same events as fed at once', () => {
    const text = ': connected\r\n\r\nid: 7\r\ndata: {"x":\r\ndata: 1}\r\n\r\n: heartbeat\n\ndata:second\r\rid: 9\ndata:  two spaces\n\n';

    const whole = parse(text).events;
    const byCharacter = parse(...text).events;

    assert.deepEqual(byCharacter, whole);
    assert.deepEqual(whole, [
      { id: '7', type: 'message', data: '{"x":\n1}' },
      { id: '7', type: 'message', data: 'second' },
      { id: '9', type: 'message', data: ' two spaces' },
    ]);
  });

  test('comments and unknown fields are ignored, and an event without data only moves lastEventId', () => {
    const { events, parser } = parse(': heartbeat\n\nid: 4\n\nfoo: bar\nid: 5\n\n');

    assert.deepEqual(events, []);
    assert.equal(parser.lastEventId, '5');
  });

  test('a bare "data" line adds an empty line, an id holding NUL is ignored, retry takes digits only', () => {
    const { events, parser } = parse('retry: 1500\nretry: soon\nid: 3\nid: 4\0\ndata\ndata\n\n');

    assert.deepEqual(events, [{ id: '3', type: 'message', data: '\n' }]);
    assert.equal(parser.retryMs, 1500);
  });

  test('an event cut off by the end of a connection is never dispatched, and reset keeps lastEventId and retry', () => {
    const { events, parser } = parse('retry: 20\nid: 1\ndata: whole\n\nid: 2\ndata: cut');

    parser.reset();
    const next = parser.push('data: fresh\n\n');

    assert.deepEqual(events.map((e) => e.data), ['whole']);
    assert.deepEqual(next, [{ id: '1', type: 'message', data: 'fresh' }]);
    assert.equal(parser.retryMs, 20);
  });
});

/** A real HTTP server answering its n-th request with `connections[n]`, recording the request headers. */
async function startStreamServer(connections) {
  const requests = [];
  const server = createServer((request, response) => {
    requests.push(request.headers);
    const answer = connections[requests.length - 1] ?? ((_, res) => res.writeHead(500).end());
    answer(request, response);
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return {
    requests,
    client: new Offload({ baseUrl: `http://127.0.0.1:${server.address().port}`, token: 't0k', timeoutMs: 2_000 }),
    close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }),
  };
}

function frame(id, type = 'attempt.started') {
  return `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify({ eventId: id, type, taskId: 'tsk_1' })}\n\n`;
}

function streamHead(response) {
  response.writeHead(200, { 'Content-Type': 'text/event-stream' });
}

/** Writes `text` and then breaks the connection, as a crashing server or a failing network does. */
function writeAndDrop(response, text) {
  streamHead(response);
  response.write(text, () => response.socket.destroy());
}

async function collect(events) {
  const all = [];
  for await (const event of events) all.push(event);
  return all;
}

describe('event streams over HTTP', () => {
  test('CRLF lines, comments, multi-line data and a character split between writes arrive as whole events', T, async () => {
    const server = await startStreamServer([(_, response) => {
      streamHead(response);
      response.write(': connected\r\n\r\nid: 1\r\nevent: task.created\r\ndata: {"eventId":1,\r\ndata: "type":"task.created","queue":"caf');
      const rest = Buffer.from('é"}\r\n\r\n: heartbeat\r\n\r\n');
      response.write(rest.subarray(0, 1));
      response.write(rest.subarray(1));
      response.end(frame(2, 'task.succeeded'));
    }]);
    try {
      const events = await collect(server.client.tasks.events('tsk_1'));

      assert.deepEqual(events, [
        { eventId: 1, type: 'task.created', queue: 'café' },
        { eventId: 2, type: 'task.succeeded', taskId: 'tsk_1' },
      ]);
      assert.equal(server.requests[0].authorization, 'Bearer t0k');
      assert.equal(server.requests[0].accept, 'text/event-stream');
      assert.equal(server.requests[0]['last-event-id'], undefined);
    } finally {
      await server.close();
    }
  });

  test('a broken connection is opened again with Last-Event-ID and the token, through a 503, at the server\'s retry pace', T, async () => {
    const server = await startStreamServer([
      (_, response) => writeAndDrop(response, `retry: 10\n${frame(1, 'task.created')}${frame(2)}id: 3\ndata: {"cut off`),
      (_, response) => response.writeHead(503, { 'Content-Type': 'application/problem+json' }).end('{"title":"Storage unavailable","status":503}'),
      (_, response) => {
        streamHead(response);
        response.end(frame(3, 'attempt.finished') + frame(4, 'task.failed'));
      },
    ]);
    try {
      const events = await collect(server.client.tasks.events('tsk_1', { lastEventId: 0 }));

      assert.deepEqual(events.map((e) => e.eventId), [1, 2, 3, 4]);
      assert.deepEqual(server.requests.map((r) => [r['last-event-id'], r.authorization]), [
        ['0', 'Bearer t0k'], ['2', 'Bearer t0k'], ['2', 'Bearer t0k'],
      ]);
    } finally {
      await server.close();
    }
  });

  test('a 4xx answer to a reconnect is thrown, not retried', T, async () => {
    const server = await startStreamServer([
      (_, response) => writeAndDrop(response, `retry: 10\n${frame(1, 'task.created')}`),
      (_, response) => response.writeHead(401, { 'Content-Type': 'application/problem+json' }).end('{"title":"Unauthorized","status":401}'),
    ]);
    try {
      const seen = [];
      const error = await (async () => { for await (const event of server.client.tasks.events('tsk_1')) seen.push(event.eventId); })().catch((e) => e);

      assert.ok(error instanceof OffloadError, String(error));
      assert.equal(error.status, 401);
      assert.deepEqual(seen, [1]);
      assert.equal(server.requests.length, 2);
    } finally {
      await server.close();
    }
  });

  test('a stream the server ends before a final event is followed on, from the last event', T, async () => {
    const server = await startStreamServer([
      (_, response) => {
        streamHead(response);
        response.end(`retry: 10\n${frame(1, 'task.created')}`);
      },
      (_, response) => {
        streamHead(response);
        response.end(frame(2, 'task.cancelled'));
      },
    ]);
    try {
      const taskEvents = await collect(server.client.tasks.events('tsk_1'));

      assert.deepEqual(taskEvents.map((e) => e.type), ['task.created', 'task.cancelled']);
      assert.deepEqual(server.requests.map((r) => r['last-event-id']), [undefined, '1']);
    } finally {
      await server.close();
    }
  });

  test('a first connection that fails is thrown at once; a server that stays away is given up after timeoutMs', T, async () => {
    const server = await startStreamServer([(_, response) => writeAndDrop(response, frame(1, 'task.created'))]);
    const { client } = server;
    const events = client.events()[Symbol.asyncIterator]();
    assert.equal((await events.next()).value.eventId, 1);
    await server.close();

    const started = Date.now();
    const gaveUp = await events.next().catch((e) => e);
    const refused = await client.events().next().catch((e) => e);

    assert.ok(gaveUp instanceof OffloadConnectionError, String(gaveUp));
    assert.ok(Date.now() - started >= 2_000, 'kept trying for timeoutMs');
    assert.match(gaveUp.message, /^GET \/v1\/events: no answer from/);
    assert.ok(refused instanceof OffloadConnectionError, String(refused));
  });

  test('event data that is not JSON is an OffloadError', T, async () => {
    const server = await startStreamServer([(_, response) => {
      streamHead(response);
      response.end('id: 1\ndata: <html>\n\n');
    }]);
    try {
      const error = await collect(server.client.events()).catch((e) => e);

      assert.ok(error instanceof OffloadError, String(error));
      assert.match(error.detail, /expected JSON event data, got: <html>/);
    } finally {
      await server.close();
    }
  });
});
