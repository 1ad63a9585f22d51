import { createServer } from 'node:http';

/**
 * A real HTTP endpoint for Offload to call: records every request (method, path, headers, raw body)
 * and answers with what `respond(call)` returns, by default 200 `{"ok":true}`.
 */
export async function startTarget(respond = () => ({ status: 200, json: { ok: true } })) {
  const calls = [];
  const waiters = new Set();
  const server = createServer(async (request, response) => {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const call = { method: request.method, path: request.url, headers: request.headers, rawBody: Buffer.concat(chunks) };
    call.body = call.rawBody.toString('utf8');
    calls.push(call);
    for (const waiter of waiters) waiter();
    const answer = await respond(call);
    response.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
    response.end(answer.json === undefined ? '' : JSON.stringify(answer.json));
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    calls,
    url: (path) => base + path,
    /** The first call on `path` matching `predicate`, waiting up to `timeoutMs` for it. */
    async callTo(path, predicate = () => true, timeoutMs = 15_000) {
      const find = () => calls.find((call) => call.path === path && predicate(call));
      const deadline = Date.now() + timeoutMs;
      while (!find()) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no call to ${path} within ${timeoutMs}ms; calls: ${calls.map((c) => c.path).join(', ') || 'none'}`);
        await new Promise((done) => {
          const finish = () => { clearTimeout(timer); waiters.delete(finish); done(); };
          const timer = setTimeout(finish, left);
          waiters.add(finish);
        });
      }
      return find();
    },
    close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }),
  };
}
