// "Retry all N" and "Cancel all N" on the tasks list: one bulk action on every task of the list's
// filter, run by the server (POST /v1/bulk-actions), confirmed with its count first, then followed
// with a progress bar until it has finished.
import { api } from "./api.js";
import { count, h, problem, replace } from "./view.js";

const POLL_MS = 500;
const RETRYABLE = ["failed", "cancelled"];
const UNFINISHED = ["scheduled", "queued", "running", "waiting", "retrying"];
const VERBS = {
  retry: { button: "Retry", doing: "Retrying", applies: "failed or cancelled" },
  cancel: { button: "Cancel", doing: "Cancelling", applies: "not finished" },
};

/**
 * The bulk buttons of the filter `{queue, status}`; none without a filter (an action on every task
 * is not one click away), and only those whose action applies to tasks of the chosen status.
 */
export function bulkBar(filter, signal) {
  const bar = h("div", { class: "bulk", id: "bulk" });
  const actions = [];
  if (!filter.status || RETRYABLE.includes(filter.status)) actions.push("retry");
  if (!filter.status || UNFINISHED.includes(filter.status)) actions.push("cancel");
  if (Object.keys(filter).length === 0 || actions.length === 0) return bar;

  const buttons = h("span", { class: "bulk-buttons" });
  const progress = h("div", { class: "bulk-progress", id: "bulk-progress", hidden: true });
  const dialog = h("dialog", { id: "bulk-confirm" });
  bar.append(buttons, progress, dialog);

  const showButtons = async () => {
    const counted = await Promise.all(actions.map(async (action) => [action, await matching(action, filter)]));
    replace(buttons, counted.filter(([, n]) => n > 0).map(([action, n]) =>
      h("button", { type: "button", id: `bulk-${action}`, class: action === "cancel" ? "danger" : null, "data-count": n,
        onclick: () => confirmAction(dialog, action, n, filter, follow) }, `${VERBS[action].button} all ${count(n)}`)));
  };
  const shown = () => showButtons().catch((error) => { if (!signal.aborted) replace(buttons, problem(error)); });
  const follow = async (started) => {
    buttons.hidden = true;
    try {
      await followAction(progress, started, signal);
    } catch (error) {
      if (!signal.aborted) progress.append(problem(error));
    }
    buttons.hidden = false;
    await shown();
  };
  shown();
  return bar;
}

async function matching(action, filter) {
  return (await api("/v1/bulk-actions", { method: "POST", body: { action, filter, dryRun: true } })).matched;
}

function confirmAction(dialog, action, n, filter, follow) {
  const verb = VERBS[action];
  const described = Object.entries(filter).map(([field, value]) => `${field} ${value}`).join(", ");
  const error = h("div");
  const yes = h("button", { type: "button", id: "bulk-confirm-yes", class: action === "cancel" ? "danger" : null },
    `${verb.button} ${count(n)} ${n === 1 ? "task" : "tasks"}`);
  const no = h("button", { type: "button", id: "bulk-confirm-no", onclick: () => dialog.close() }, "Back");
  yes.addEventListener("click", async () => {
    yes.disabled = true;
    try {
      const started = await api("/v1/bulk-actions", { method: "POST", body: { action, filter } });
      dialog.close();
      follow(started);
    } catch (failure) {
      replace(error, problem(failure));
    } finally {
      yes.disabled = false;
    }
  });
  replace(dialog,
    h("h2", {}, `${verb.button} all ${count(n)} ${n === 1 ? "task" : "tasks"}?`),
    h("p", { id: "bulk-confirm-text" }, `${count(n)} ${n === 1 ? "task matches" : "tasks match"} ${described}.`,
      filter.status ? null : ` Only tasks that are ${verb.applies} are changed; the others are counted as failed.`),
    error,
    h("div", { class: "dialog-buttons" }, no, yes));
  dialog.showModal();
}

/** Redraws the bar from the action every POLL_MS until it has succeeded or was cancelled. */
async function followAction(progress, action, signal) {
  progress.hidden = false;
  const stop = h("button", { type: "button", id: "bulk-stop" }, "Stop");
  stop.addEventListener("click", async () => {
    stop.disabled = true;
    try {
      await api(`/v1/bulk-actions/${encodeURIComponent(action.actionId)}/cancel`, { method: "POST" });
    } catch (error) {
      if (error.status !== 409) stop.after(problem(error));
    }
  });
  const draw = (current) => {
    const total = current.matched;
    const processed = current.done + current.failed;
    const verb = VERBS[current.action] ?? { doing: current.action, button: current.action };
    const running = current.status === "running";
    const label = running
      ? `${verb.doing}: ${total === null ? "counting the tasks" : `${count(processed)} of ${count(total)}`}`
      : `${verb.button} ${current.status}`;
    progress.dataset.status = current.status;
    replace(progress,
      h("progress", { id: "bulk-bar", max: total ?? 1, value: total === null ? null : processed }),
      h("span", { id: "bulk-text" }, `${label} (${count(current.done)} done, ${count(current.failed)} failed)`),
      running ? stop : null);
  };
  let current = action;
  draw(current);
  while (current.status === "running" && !signal.aborted) {
    await sleep(POLL_MS, signal);
    if (signal.aborted) return;
    current = await api(`/v1/bulk-actions/${encodeURIComponent(action.actionId)}`);
    draw(current);
  }
}

function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}
