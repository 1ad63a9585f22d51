// Every page is a real URL (/, /tasks/{id}, /queues, /queues/{name}, /schedules, /workers, /api)
// served by the same HTML; this picks the page's view from the path. Links are ordinary links.
import { onUnauthorized, setToken, token } from "./api.js";
import { h, replace, when } from "./view.js";
import { tasksPage } from "./tasks.js";
import { taskPage } from "./task.js";
import { queuePage, queuesPage } from "./queues.js";
import { schedulesPage } from "./schedules.js";
import { workersPage } from "./workers.js";
import { apiPage } from "./apidoc.js";

const routes = [
  [/^\/$/, () => ["tasks", tasksPage]],
  [/^\/tasks\/([^/]+)$/, (id) => ["tasks", (main, signal) => taskPage(main, signal, id)]],
  [/^\/queues$/, () => ["queues", queuesPage]],
  [/^\/queues\/([^/]+)$/, (name) => ["queues", (main, signal) => queuePage(main, signal, name)]],
  [/^\/schedules$/, () => ["schedules", schedulesPage]],
  [/^\/workers$/, () => ["workers", workersPage]],
  [/^\/api$/, () => ["api", apiPage]],
];

const main = document.getElementById("page");
const controller = new AbortController();

function route() {
  for (const [pattern, page] of routes) {
    const match = location.pathname.match(pattern);
    if (match) return page(...match.slice(1).map(decodeURIComponent));
  }
  return [null, (target) => replace(target, h("h1", {}, "Not found"))];
}

function showTokenForm(detail) {
  if (document.getElementById("token-form")) return;
  controller.abort();
  const input = h("input", { type: "password", name: "token", id: "token", autocomplete: "off", required: true, size: 40 });
  const form = h("form", { id: "token-form", class: "card" },
    h("h1", {}, "API token"),
    h("p", {}, "This Offload runs in production mode: its API needs one of the tokens in OFFLOAD_API_TOKENS. "
      + "The dashboard keeps it in this tab only."),
    token() ? h("p", { class: "error", role: "alert" }, detail || "That token was not accepted.") : null,
    h("label", { for: "token" }, "Token "), input, " ",
    h("button", { type: "submit" }, "Open the dashboard"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    setToken(input.value.trim());
    location.reload();
  });
  replace(main, form);
  input.focus();
}

onUnauthorized(showTokenForm);

const [section, render] = route();
document.querySelectorAll("nav a[data-section]").forEach((link) => {
  if (link.dataset.section === section) link.setAttribute("aria-current", "page");
});
const signOut = document.getElementById("sign-out");
if (token()) {
  signOut.hidden = false;
  signOut.addEventListener("click", () => {
    setToken(null);
    location.reload();
  });
}
window.addEventListener("pagehide", () => controller.abort());
// "3 s ago" goes stale while a page is open: re-read every relative time now and then.
setInterval(() => document.querySelectorAll("time[datetime]").forEach((time) => {
  time.replaceWith(when(time.getAttribute("datetime")));
}), 5_000);
render(main, controller.signal);
