// "/workers": the pull workers that asked any node for work in the last day, what they ask for,
// and the tasks each holds now; every 5 s.
import { api } from "./api.js";
import { count, every, h, problem, replace, taskLink, when } from "./view.js";

const REFRESH_MS = 5_000;

export async function workersPage(main, signal) {
  const body = h("tbody", { id: "worker-rows" });
  const message = h("div");
  replace(main, h("h1", {}, "Workers"), message,
    h("table", { class: "workers" },
      h("thead", {}, h("tr", {},
        h("th", {}, "Worker"), h("th", {}, "Last seen"), h("th", {}, "Names"), h("th", {}, "Queues"),
        h("th", { class: "num" }, "Holding"), h("th", {}, "Tasks held"))),
      body));
  await every(REFRESH_MS, signal, async () => {
    const { workers } = await api("/v1/workers");
    message.replaceChildren();
    if (workers.length === 0) {
      message.append(h("p", { class: "muted" }, "No worker has asked for work in the last day: POST /v1/workers/lease, or a worker of the Java or JavaScript client."));
    }
    replace(body, workers.map(row));
  }, (error) => { if (!signal.aborted) replace(message, problem(error)); });
}

function row(worker) {
  const unlisted = worker.holding - worker.held.length;
  return h("tr", { "data-worker": worker.workerId },
    h("td", {}, h("strong", { class: "mono" }, worker.workerId), worker.node ? h("div", { class: "muted" }, `asked ${worker.node}`) : null),
    h("td", {}, when(worker.lastSeenAt)),
    h("td", {}, anyOf(worker.names)),
    h("td", {}, anyOf(worker.queues)),
    h("td", { class: "num holding" }, count(worker.holding)),
    h("td", {},
      h("ul", { class: "plain held" }, worker.held.map((task) => h("li", {}, taskLink(task.taskId), " ", h("span", { class: "muted" }, task.name)))),
      unlisted > 0 ? h("div", { class: "muted" }, `and ${count(unlisted)} more`) : null));
}

/** The names or queues a worker asks for; "any" when it names none. */
function anyOf(values) {
  if (values.length === 0) return h("span", { class: "muted" }, "any");
  return values.flatMap((value, i) => [i > 0 ? ", " : null, h("code", {}, value)]);
}
