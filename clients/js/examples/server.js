// Serves the route handlers under app/ the way Next.js calls them (a web Request in, a Response
// out), so the examples run without Next.js: OFFLOAD_SIGNING_SECRETS=whsec_… node examples/server.js
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import * as render from './app/api/render/route.js';
import * as importCsv from './app/api/import-csv/route.js';
import * as renderPdf from './app/api/render-pdf/route.js';
import * as renderTarget from './app/api/render-target/route.js';

const routes = {
  '/api/render': render, '/api/render-target': renderTarget, '/api/import-csv': importCsv, '/api/render-pdf': renderPdf,
};

/** Starts the examples on `port` (0: any free port) and resolves to the running `http.Server`. */
export async function serveExamples(port = 3000) {
  const server = createServer(async (incoming, outgoing) => {
    const url = new URL(incoming.url, `http://${incoming.headers.host}`);
    const handler = routes[url.pathname]?.[incoming.method];
    if (!handler) {
      outgoing.writeHead(404).end();
      return;
    }
    const chunks = [];
    for await (const chunk of incoming) chunks.push(chunk);
    const body = ['GET', 'HEAD'].includes(incoming.method) ? undefined : Buffer.concat(chunks);
    try {
      const response = await handler(new Request(url, { method: incoming.method, headers: incoming.headers, body }));
      outgoing.writeHead(response.status, Object.fromEntries(response.headers));
      outgoing.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      console.error(`${incoming.method} ${url.pathname}:`, error);
      outgoing.writeHead(500).end();
    }
  });
  await new Promise((done) => server.listen(port, '127.0.0.1', done));
  return server;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = await serveExamples(Number(process.env.PORT ?? 3000));
  console.log(`examples on http://127.0.0.1:${server.address().port}: POST /api/render {"invoiceId":42}`);
}
