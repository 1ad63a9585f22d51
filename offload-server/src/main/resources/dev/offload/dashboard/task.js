// "/tasks/{id}": one task — its state, the attempt timeline, payload, result, webhook delivery and
// progress — redrawn on each of its live events, with cancel and retry.
import { api, follow } from "./api.js";
import {
  FINISHED, actionButton, badge, count, duration, facts, h, pretty, problem, queueLink, replace, when,
} from "./view.js";

const CANCELLABLE = ["scheduled", "queued", "running", "waiting", "retrying"];
/** A state longer than this (as JSON text) is shown collapsed. */
const LONG_STATE = 600;
const RETRYABLE = ["failed", "cancelled"];

export async function taskPage(main, signal, id) {
  const path = `/v1/tasks/${encodeURIComponent(id)}`;
  let lastEventId = null;
  let following = false;
  let drawing = Promise.resolve();

  // The elapsed time of an attempt in progress ticks every second until the next redraw.
  let ticker = null;
  signal.addEventListener("abort", () => clearInterval(ticker));
  const draw = async (task) => {
    const attempts = await api(`${path}/attempts`);
    replace(main, ...view(task, attempts, { cancel, retry }));
    clearInterval(ticker);
    const elapsed = main.querySelector("#attempt-elapsed");
    if (elapsed) {
      const tick = () => { elapsed.textContent = duration(Date.now() - Date.parse(task.attemptStartedAt)); };
      tick();
      ticker = setInterval(tick, 1000);
    }
  };
  // Events can come faster than a redraw: one waiting redraw covers all that arrive meanwhile.
  let redrawWaiting = false;
  const redraw = () => {
    if (redrawWaiting) return;
    redrawWaiting = true;
    drawing = drawing.then(async () => {
      redrawWaiting = false;
      await draw(await api(path));
    }).catch((error) => {
      if (!signal.aborted) main.prepend(problem(error));
    });
  };
  // The stream ends after the task's final event; a retry starts it again from where it ended.
  const followTask = () => {
    if (following) return;
    following = true;
    follow(`${path}/events`, (event) => {
      lastEventId = event.eventId;
      redraw();
    }, { signal, untilEnd: true, lastEventId })
      .catch((error) => { if (!signal.aborted) main.prepend(problem(error)); })
      .finally(() => { following = false; });
  };
  const cancel = async () => {
    await draw(await api(`${path}/cancel`, { method: "POST" }));
  };
  const retry = async () => {
    await draw(await api(`${path}/retry`, { method: "POST" }));
    followTask();
  };

  try {
    await draw(await api(path));
  } catch (error) {
    if (signal.aborted) return;
    replace(main, h("h1", {}, "Task ", h("span", { class: "mono" }, id)), problem(error),
      h("p", {}, h("a", { href: "/" }, "All tasks")));
    return;
  }
  followTask();
}

function view(task, attempts, actions) {
  const target = task.callbackUrl ? `${task.method} ${task.callbackUrl}` : null;
  return [
    h("div", { class: "title" },
      h("h1", {}, "Task ", h("span", { class: "mono", id: "task-id" }, task.taskId)),
      h("span", { id: "task-status" }, badge(task.status)),
      h("span", { class: "actions" },
        CANCELLABLE.includes(task.status) ? actionButton("Cancel", actions.cancel, { id: "cancel", class: "danger" }) : null,
        RETRYABLE.includes(task.status) ? actionButton("Retry", actions.retry, { id: "retry" }) : null)),
    h("section", { class: "card" }, facts([
      ["Queue", queueLink(task.queue)],
      ["Target", target],
      ["Worker function", task.name],
      ["Created", when(task.createdAt)],
      ["Run at", task.runAt !== task.createdAt ? when(task.runAt) : null],
      ["Started", task.startedAt ? when(task.startedAt) : null],
      ["Finished", task.finishedAt ? when(task.finishedAt) : null],
      ["Next attempt", task.nextAttemptAt ? when(task.nextAttemptAt) : null],
      ["Attempts", `${count(task.attempts)} of at most ${count(task.maxAttempts)}`],
      ["Continuations", task.continuations ? `${count(task.continuations)} of at most ${count(task.maxContinuations)}` : null],
      [task.status === "waiting" ? "Awaiting a callback until" : "Sleeping until", task.waitingUntil ? when(task.waitingUntil) : null],
      ["Timeout per attempt", task.timeout],
      ["Schedule", task.scheduleName ? h("a", { href: "/schedules" }, task.scheduleName) : null],
      ["Concurrency key", task.concurrencyKey],
      ["Priority", task.priority ? `${task.priority} s head start` : null],
      ["Idempotency key", task.idempotencyKey],
      ["Last error", task.lastError ? h("span", { class: "error-text" }, task.lastError) : null],
    ])),
    workerWait(task),
    task.progress !== null && task.progress !== undefined
      ? h("section", { id: "progress" }, h("h2", {}, "Progress"), pretty(task.progress)) : null,
    task.continuations ? h("section", { id: "chain" }, h("h2", {}, "Chain of calls"), chain(attempts, task)) : null,
    task.continuations ? h("section", { id: "state" }, h("h2", {}, "State"), state(task.state)) : null,
    h("section", { id: "attempts" }, h("h2", {}, "Attempts"), timeline(attempts, task)),
    h("section", { id: "result" }, h("h2", {}, "Result"), result(task)),
    h("section", { id: "payload" }, h("h2", {}, "Payload"),
      pretty(task.payload ?? task.body ?? null),
      task.headerNames?.length ? h("p", { class: "muted" }, `Headers sent: ${task.headerNames.join(", ")}`) : null),
    h("section", { id: "webhook" }, h("h2", {}, "Completion webhook"), webhook(task.webhook)),
    task.metadata ? h("section", { id: "metadata" }, h("h2", {}, "Metadata"), pretty(task.metadata)) : null,
  ];
}

/** A pull task that waits for a worker: whether any worker asks for its name and queue, and when one last did. */
function workerWait(task) {
  if (!task.name || !["queued", "retrying"].includes(task.status)) return null;
  const asked = task.workerLastAskedAt
    ? ["A worker last asked for ", h("span", { class: "mono" }, task.name), ` tasks of queue ${task.queue} `, when(task.workerLastAskedAt), "."]
    : ["No worker has asked this server for ", h("span", { class: "mono" }, task.name), ` tasks of queue ${task.queue} since it started:`
      + " the task waits until a worker leases it."];
  return h("p", { class: task.workerLastAskedAt ? "muted" : "warning", id: "worker-wait" }, ...asked);
}

/** The attempt running now: its number, when it started, and how long it has run (ticking). */
function inProgress(task) {
  if (task.status !== "running" || !task.attemptStartedAt) return null;
  return h("li", { class: "attempt in-progress", "data-outcome": "running" },
    h("div", { class: "attempt-head" },
      h("strong", {}, `#${task.attempts}`), " ", badge("running"), " ",
      h("span", { class: "duration", id: "attempt-elapsed" }, duration(Date.now() - Date.parse(task.attemptStartedAt))), " ",
      h("span", { class: "muted" }, "in progress, started ", when(task.attemptStartedAt))));
}

function timeline(attempts, task) {
  const running = inProgress(task);
  if (attempts.length === 0 && !running) {
    const waiting = FINISHED.includes(task.status) ? "It finished without an attempt." : "No attempt yet.";
    return h("p", { class: "muted" }, waiting);
  }
  const longest = Math.max(1, ...attempts.map((a) => a.durationMs));
  return h("ol", { class: "timeline" }, attempts.map((a) => h("li", { class: `attempt ${a.outcome}`, "data-outcome": a.outcome },
    h("div", { class: "attempt-head" },
      h("strong", {}, `#${a.number}`), " ", badge(a.outcome), " ",
      a.statusCode ? h("span", { class: "mono" }, `HTTP ${a.statusCode}`) : null, " ",
      h("span", { class: "duration" }, duration(a.durationMs)), " ",
      h("span", { class: "muted" }, "started ", when(a.startedAt), a.node ? ` on ${a.node}` : "")),
    h("div", { class: "bar", role: "presentation" }, fill(a, longest)),
    a.error ? h("p", { class: "error-text" }, a.error) : null,
    a.responseExcerpt ? h("pre", { class: "excerpt" }, a.responseExcerpt) : null)), running);
}

/**
 * A long task's calls in order: each continued, sleeping or awaiting a callback, then what came of
 * it (the callback received or its wait ended), and where the chain is now.
 */
function chain(attempts, task) {
  const steps = [];
  attempts.forEach((a, i) => {
    const next = attempts[i + 1];
    let text;
    if (a.outcome === "awaiting") {
      text = next ? `awaited a callback since ${new Date(a.finishedAt).toLocaleString()}; the next call came ${new Date(next.startedAt).toLocaleString()}`
        : `awaiting a callback since ${new Date(a.finishedAt).toLocaleString()}`;
    } else if (a.outcome === "continued") {
      const gapMs = next ? Date.parse(next.startedAt) - Date.parse(a.finishedAt) : null;
      text = next ? (gapMs > 1000 ? `continued, slept ${duration(gapMs)}` : "continued")
        : task.waitingUntil ? `continued, sleeping until ${new Date(task.waitingUntil).toLocaleString()}` : "continued";
    } else {
      text = a.outcome.replace("_", " ");
    }
    steps.push(h("li", { "data-outcome": a.outcome }, h("strong", {}, `#${a.number}`), " ", text));
  });
  return h("ol", { class: "chain" }, steps);
}

function state(value) {
  const text = JSON.stringify(value ?? null, null, 2);
  if (text.length <= LONG_STATE) return pretty(value ?? null);
  return h("details", {}, h("summary", {}, `${text.length.toLocaleString()} characters`), h("pre", { class: "json" }, text));
}

/** The attempt's share of the longest one (set through the style object: the page allows no inline styles). */
function fill(attempt, longest) {
  const bar = h("span", { class: `fill ${attempt.outcome}` });
  bar.style.width = `${Math.max(1, Math.round((attempt.durationMs / longest) * 100))}%`;
  return bar;
}

function result(task) {
  if (!task.result) {
    return h("p", { class: "muted" }, FINISHED.includes(task.status) ? "No result was stored." : "Not finished yet.");
  }
  const { statusCode, contentType, body, truncated } = task.result;
  return h("div", {},
    facts([["Status code", statusCode], ["Content type", contentType], ["Truncated", truncated ? "yes" : null]]),
    pretty(body ?? null));
}

function webhook(hook) {
  if (!hook) return h("p", { class: "muted" }, "This task has no webhook.");
  return facts([["URL", hook.url], ["Delivery", hook.status], ["Tries", count(hook.attempts)],
    ["Last error", hook.lastError ? h("span", { class: "error-text" }, hook.lastError) : null]]);
}
