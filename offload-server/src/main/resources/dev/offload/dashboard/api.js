import { EventStreamParser } from "./sse.js";

// The dashboard reads the same /v1 API as every client. In production mode that API wants a
// bearer token: the dashboard asks for it once and keeps it for this browser tab only.
const TOKEN_KEY = "offload.token";

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

function headers(extra = {}) {
  const all = { Accept: "application/json", ...extra };
  const t = token();
  if (t) all.Authorization = `Bearer ${t}`;
  return all;
}

let askForToken = () => {};

/** Who to call when the API answers 401: the page shows its token form. */
export function onUnauthorized(handler) {
  askForToken = handler;
}

export async function api(path, { method = "GET", body } = {}) {
  const init = { method, headers: headers(body === undefined ? {} : { "Content-Type": "application/json" }) };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await fetch(path, init);
  const text = await response.text();
  const json = text ? parseJson(text) : null;
  if (response.status === 401) askForToken(json?.detail);
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text };
  }
}

/**
 * Follows a server-sent event stream with fetch rather than EventSource, because EventSource
 * cannot send the Authorization header. Reconnects after a break with Last-Event-ID, so no event
 * is lost; stops when `signal` aborts or, with `untilEnd`, when the server ends the stream.
 * `onState` hears "live" or "reconnecting".
 */
export async function follow(path, onEvent, { signal, untilEnd = false, onState = () => {}, lastEventId = null } = {}) {
  let last = lastEventId;
  let delay = 500;
  while (!signal.aborted) {
    try {
      const extra = { Accept: "text/event-stream" };
      if (last !== null) extra["Last-Event-ID"] = String(last);
      const response = await fetch(path, { headers: headers(extra), signal });
      if (response.status === 401) askForToken();
      if (!response.ok) throw new ApiError(response.status, parseJson(await response.text()));
      onState("live");
      delay = 500;
      const parser = new EventStreamParser(last ?? "");
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        for (const event of parser.push(chunk.value)) {
          if (event.id !== "") last = event.id;
          onEvent(JSON.parse(event.data));
        }
      }
      if (untilEnd) return last;
    } catch (error) {
      if (signal.aborted) return last;
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
        onState("stopped");
        throw error;
      }
    }
    onState("reconnecting");
    await sleep(delay, signal);
    delay = Math.min(delay * 2, 10_000);
  }
  return last;
}

function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
