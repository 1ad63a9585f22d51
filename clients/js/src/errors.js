/**
 * The server refused a request: an RFC 9457 problem (`application/problem+json`) with its
 * `status`, `type`, `title`, `detail` and the per-field `errors` of a 400, plus the server's
 * `Offload-Request-Id`. Statuses worth telling apart: 400 invalid input, 404 no such task or
 * schedule, 409 a conflict (an action on a task in the wrong state, or an idempotency key reused
 * for a different request), 413 payload too large, 503 storage unavailable (nothing changed; retry).
 */
export class OffloadError extends Error {
  constructor({ status, type, title, detail, errors, request, requestId }) {
    super(describe(status, title, detail, errors, request, requestId));
    this.name = 'OffloadError';
    this.status = status;
    this.type = type ?? 'about:blank';
    this.title = title;
    this.detail = detail;
    this.errors = errors ?? [];
    this.request = request;
    this.requestId = requestId;
  }

  /** Reads an error answer; the body may be a problem object, empty, or not JSON at all (a proxy's page). */
  static fromAnswer(status, bodyText, request, requestId) {
    let problem;
    try {
      problem = bodyText ? JSON.parse(bodyText) : undefined;
    } catch {
      problem = undefined;
    }
    if (problem === null || typeof problem !== 'object' || Array.isArray(problem)) {
      const detail = bodyText ? excerpt(bodyText) : 'the answer had no body';
      return new OffloadError({ status, title: `HTTP ${status}`, detail, request, requestId });
    }
    const errors = Array.isArray(problem.errors)
      ? problem.errors.map((e) => ({ field: String(e?.field ?? ''), message: String(e?.message ?? '') }))
      : [];
    return new OffloadError({
      status, type: problem.type, title: problem.title ?? `HTTP ${status}`, detail: problem.detail, errors, request, requestId,
    });
  }
}

/** A request got no answer: the server could not be reached, the connection broke, or no answer came within `timeoutMs`. */
export class OffloadConnectionError extends Error {
  constructor(request, url, cause) {
    super(`${request}: no answer from ${url}: ${cause?.message ?? cause}`, { cause });
    this.name = 'OffloadConnectionError';
    this.request = request;
    this.url = url;
  }
}

/** `tasks.wait` reached its deadline while the task was still unfinished; `task` is how it was last seen. */
export class OffloadTimeoutError extends Error {
  constructor(task, timeoutMs) {
    super(`task ${task.taskId} is still ${task.status} after ${timeoutMs}ms`);
    this.name = 'OffloadTimeoutError';
    this.task = task;
    this.timeoutMs = timeoutMs;
  }
}

/** `verify` refused a request: a header is missing, the timestamp is out of tolerance, or no signature matches. */
export class WebhookVerificationError extends Error {
  constructor(message) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

function describe(status, title, detail, errors, request, requestId) {
  const fields = errors?.length ? errors.map((e) => `${e.field}: ${e.message}`).join('; ') : detail;
  const where = [request, requestId && `request ${requestId}`].filter(Boolean).join(', ');
  return `${status} ${title}${fields ? `: ${fields}` : ''}${where ? ` (${where})` : ''}`;
}

function excerpt(text) {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
