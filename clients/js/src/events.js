import { OffloadConnectionError, OffloadError } from './errors.js';
import { EventStreamParser } from './sse.js';

const FINAL_TYPES = new Set(['task.succeeded', 'task.failed', 'task.cancelled']);
/** The server sends at least a heartbeat every 25 s: a stream silent for longer has died unnoticed. */
const IDLE_LIMIT_MS = 45_000;
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 5_000;

/** Checks the options of `tasks.events` and `events` when they are called, not at the first `next()`. */
export function streamOptions({ signal, lastEventId } = {}) {
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new TypeError('signal must be an AbortSignal');
  if (lastEventId === undefined || lastEventId === null) return { signal, lastEventId: '' };
  const text = String(lastEventId);
  if (!/^\d{1,18}$/.test(text)) throw new RangeError(`lastEventId must be an event's eventId (a whole number >= 0), got ${lastEventId}`);
  return { signal, lastEventId: text };
}

/**
 * Follows a server-sent event stream of task events (`fetch`, so the bearer token goes along) and
 * yields each event's data, parsed. A connection that breaks, stays silent past the heartbeats or
 * answers 5xx is opened again with `Last-Event-ID`, so the server goes on after the last event
 * yielded: nothing is lost or repeated. Reconnecting gives up, throwing the last error, when no
 * connection could be made for `timeoutMs`; the first connection is not retried, so a wrong
 * address or a 4xx (a 404 for an unknown task) throws at once. A task's stream (`endsWithTask`)
 * ends when the server ends it after the task's final event; aborting `signal` ends it at any time.
 */
export async function* followEvents(transport, path, { query, signal, lastEventId, endsWithTask }) {
  const parser = new EventStreamParser(lastEventId);
  const request = `GET ${path}`;
  let everConnected = false;
  let failures = 0;
  let downSince;
  while (!signal?.aborted) {
    const connection = new AbortController();
    const abort = () => connection.abort(signal.reason);
    signal?.addEventListener('abort', abort);
    let finished = false;
    let delivered = 0;
    try {
      const headers = parser.lastEventId ? { 'Last-Event-ID': parser.lastEventId } : {};
      const response = await transport.stream(path, { query, headers, signal: connection.signal });
      everConnected = true;
      downSince = undefined;
      parser.reset();
      const dropped = (cause) => new OffloadConnectionError(request, transport.baseUrl, cause);
      for await (const text of readText(response.body, connection, dropped)) {
        for (const message of parser.push(text)) {
          const event = parseEvent(message, request);
          failures = 0;
          delivered++;
          finished = FINAL_TYPES.has(event.type);
          yield event;
        }
      }
      // The server ended the stream: a task's ends after its final event, or without any event when
      // that final event came before lastEventId.
      if (endsWithTask && (finished || delivered === 0)) return;
    } catch (error) {
      if (signal?.aborted) return;
      if (!everConnected || !isDrop(error)) throw error;
      if (downSince !== undefined && Date.now() - downSince >= transport.timeoutMs) throw error;
    } finally {
      signal?.removeEventListener('abort', abort);
      connection.abort();
    }
    downSince ??= Date.now();
    await pause(Math.min(MAX_RETRY_MS, (parser.retryMs ?? FIRST_RETRY_MS) * 2 ** failures++), signal);
  }
}

/** The body as text, chunk by chunk; a failed read, or one that waits past the idle limit, is thrown as `dropped(cause)`. */
async function* readText(body, connection, dropped) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    while (true) {
      const idle = setTimeout(() => connection.abort(new Error(`no event or heartbeat for ${IDLE_LIMIT_MS}ms`)), IDLE_LIMIT_MS);
      let chunk;
      try {
        chunk = await reader.read();
      } catch (cause) {
        throw dropped(cause);
      } finally {
        clearTimeout(idle);
      }
      if (chunk.done) return;
      yield decoder.decode(chunk.value, { stream: true });
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

function parseEvent(message, request) {
  try {
    return JSON.parse(message.data);
  } catch {
    throw new OffloadError({
      status: 200, title: 'Invalid answer', detail: `expected JSON event data, got: ${message.data.slice(0, 200)}`, request,
    });
  }
}

/** A broken or refused connection worth opening again; a 4xx or a malformed event is not. */
function isDrop(error) {
  return error instanceof OffloadConnectionError || (error instanceof OffloadError && error.status >= 500);
}

/** Waits `ms`, or less when `signal` aborts; never rejects. */
function pause(ms, signal) {
  return new Promise((done) => {
    const finish = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      done();
    };
    const timer = setTimeout(finish, ms);
    signal?.addEventListener('abort', finish);
  });
}
