// "/": the newest tasks, filtered by queue and status (both in the URL, so a filtered view can be
// shared), kept current by the live event stream of the queue (or of every queue), with bulk
// retry and cancel of every task of the filter.
import { api, follow } from "./api.js";
import { bulkBar } from "./bulk.js";
import { STATUSES, badge, count, h, problem, queueLink, replace, taskLink, when } from "./view.js";

const PAGE_SIZE = 50;
/** New tasks added live before the page stops growing and offers a reload instead. */
const MAX_ARRIVALS = 500;

export async function tasksPage(main, signal) {
  const params = new URLSearchParams(location.search);
  const queue = params.get("queue") || "";
  const status = params.get("status") || "";
  const live = h("span", { class: "live", id: "live", "data-state": "connecting" }, "connecting");
  const body = h("tbody", { id: "task-rows" });
  const more = h("button", { type: "button", id: "more", hidden: true }, "Older tasks");
  const message = h("div");
  let arrived = 0;
  const overflow = h("p", { class: "notice", hidden: true, id: "overflow" }, "More new tasks arrived than this page shows live: ",
    h("a", { href: location.pathname + location.search }, "reload"), " to see the newest.");
  replace(main,
    h("div", { class: "title" }, h("h1", {}, "Tasks"), live),
    filters(queue, status),
    bulkBar(Object.fromEntries(Object.entries({ queue, status }).filter(([, value]) => value)), signal),
    overflow,
    message,
    h("table", { class: "tasks" },
      h("thead", {}, h("tr", {},
        h("th", {}, "Task"), h("th", {}, "Target"), h("th", {}, "Queue"), h("th", {}, "Status"),
        h("th", { class: "num" }, "Attempts"), h("th", {}, "Created"), h("th", {}, "Finished"), h("th", {}, "Last error"))),
      body),
    more);
  fillQueues(main.querySelector("#queue"), queue, signal);

  const rows = new Map();
  const show = (task, { atTop = false } = {}) => {
    const row = taskRow(task);
    const old = rows.get(task.taskId);
    rows.set(task.taskId, row);
    if (old) old.replaceWith(row);
    else if (atTop) body.prepend(row);
    else body.append(row);
  };
  let cursor = null;
  const load = async () => {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (queue) query.set("queue", queue);
    if (status) query.set("status", status);
    if (cursor) query.set("cursor", cursor);
    const page = await api(`/v1/tasks?${query}`);
    page.tasks.forEach((task) => { if (!rows.has(task.taskId)) show(task); });
    cursor = page.nextCursor;
    more.hidden = !cursor;
    if (rows.size === 0) replace(message, h("p", { class: "muted", id: "empty" }, "No tasks yet."));
  };
  more.addEventListener("click", () => load().catch((error) => replace(message, problem(error))));

  // Subscribe before the first read, so a task created in between is not missed.
  const stream = follow(queue ? `/v1/events?queue=${encodeURIComponent(queue)}` : "/v1/events", (event) => {
    const task = event.task;
    if (rows.has(task.taskId)) show(task);
    else if (event.type === "task.created" && (!status || task.status === status)) {
      message.replaceChildren();
      if (arrived < MAX_ARRIVALS) {
        arrived++;
        show(task, { atTop: true });
      } else {
        overflow.hidden = false;
      }
    }
  }, { signal, onState: (state) => { live.dataset.state = state; live.textContent = state; } });
  stream.catch((error) => { if (!signal.aborted) replace(message, problem(error)); });
  try {
    await load();
  } catch (error) {
    if (!signal.aborted) replace(message, problem(error));
  }
}

function filters(queue, status) {
  const statusSelect = h("select", { name: "status", id: "status" }, h("option", { value: "" }, "any status"),
    STATUSES.map((s) => h("option", { value: s, selected: s === status }, s)));
  const queueSelect = h("select", { name: "queue", id: "queue" }, h("option", { value: "" }, "every queue"),
    queue ? h("option", { value: queue, selected: true }, queue) : null);
  const submitOnChange = (event) => event.target.form.requestSubmit();
  statusSelect.addEventListener("change", submitOnChange);
  queueSelect.addEventListener("change", submitOnChange);
  const search = h("input", { type: "search", name: "id", id: "search", placeholder: "tsk_… task id", size: 32,
    pattern: "\\s*tsk_[0-9A-Za-z]+\\s*", title: "a task id: tsk_ and 26 letters and digits" });
  const filterForm = h("form", { method: "get", action: "/", class: "filters" },
    h("label", { for: "queue" }, "Queue "), queueSelect, " ",
    h("label", { for: "status" }, "Status "), statusSelect, " ",
    h("noscript", {}, h("button", { type: "submit" }, "Filter")));
  const searchForm = h("form", { class: "search", role: "search" }, search, " ", h("button", { type: "submit" }, "Open"));
  searchForm.addEventListener("submit", (event) => {
    event.preventDefault();
    location.assign(`/tasks/${encodeURIComponent(search.value.trim())}`);
  });
  return h("div", { class: "toolbar" }, filterForm, searchForm);
}

async function fillQueues(select, current, signal) {
  try {
    const { queues } = await api("/v1/queues");
    for (const { name } of queues) {
      if (name !== current) select.append(h("option", { value: name }, name));
    }
  } catch (error) {
    if (!signal.aborted) select.after(problem(error));
  }
}

function taskRow(task) {
  const target = task.callbackUrl ? `${task.method} ${task.callbackUrl}` : `worker: ${task.name}`;
  return h("tr", { "data-task": task.taskId },
    h("td", {}, taskLink(task.taskId)),
    h("td", { class: "target", title: target }, target),
    h("td", {}, queueLink(task.queue)),
    h("td", {}, badge(task.status)),
    h("td", { class: "num" }, `${count(task.attempts)} / ${count(task.maxAttempts)}`),
    h("td", {}, when(task.createdAt)),
    h("td", {}, task.finishedAt ? when(task.finishedAt) : task.nextAttemptAt ? h("span", {}, "next ", when(task.nextAttemptAt)) : "—"),
    h("td", { class: "last-error error-text", title: task.lastError ?? "" }, task.lastError ?? ""));
}
