// "/schedules": every cron schedule with its next runs and its last run, to pause, resume or
// fire now.
import { api } from "./api.js";
import { actionButton, badge, every, h, problem, replace, taskLink, when } from "./view.js";

const NEXT_RUNS = 3;
const REFRESH_MS = 10_000;

export async function schedulesPage(main, signal) {
  const body = h("tbody", { id: "schedule-rows" });
  const message = h("div");
  const notice = h("div");
  replace(main, h("h1", {}, "Schedules"), notice, message,
    h("table", { class: "schedules" },
      h("thead", {}, h("tr", {},
        h("th", {}, "Schedule"), h("th", {}, "When"), h("th", {}, "Runs"), h("th", {}, "State"),
        h("th", {}, "Next runs"), h("th", {}, "Last run"), h("th", {}, ""))),
      body));
  const load = async () => {
    const { schedules } = await api("/v1/schedules");
    // The list has only the next run; each schedule's next few come from its own page.
    const detailed = await Promise.all(schedules.map((s) =>
      api(`/v1/schedules/${encodeURIComponent(s.name)}?next=${NEXT_RUNS}`)));
    message.replaceChildren();
    if (detailed.length === 0) {
      message.append(h("p", { class: "muted" }, "No schedules yet: PUT /v1/schedules/{name} or offload serve --schedules file."));
    }
    replace(body, detailed.map((s) => row(s, load, notice)));
  };
  await every(REFRESH_MS, signal, load, (error) => { if (!signal.aborted) replace(message, problem(error)); });
}

/** A run's time as the schedule's own zone reads it, as its cron is written in that zone. */
function local(at, timezone) {
  return new Date(at).toLocaleString("en-GB", { timeZone: timezone, weekday: "short", day: "numeric", month: "short",
    hour: "2-digit", minute: "2-digit" });
}

function row(schedule, reload, notice) {
  const path = `/v1/schedules/${encodeURIComponent(schedule.name)}`;
  const act = (what) => async () => {
    const answer = await api(`${path}/${what}`, { method: "POST" });
    if (what === "trigger") {
      replace(notice, h("p", { class: "notice", role: "status" }, `${schedule.name} fired: `, taskLink(answer.taskId)));
    }
    await reload();
  };
  const task = schedule.task;
  return h("tr", { "data-schedule": schedule.name },
    h("td", {}, h("strong", {}, schedule.name)),
    h("td", {}, h("code", {}, schedule.cron), h("div", { class: "muted" }, schedule.timezone)),
    h("td", { class: "target" }, task.callbackUrl ? `${task.method ?? "POST"} ${task.callbackUrl}` : `worker: ${task.name}`,
      h("div", { class: "muted" }, `queue ${task.queue ?? "default"}`)),
    h("td", {}, schedule.paused ? badge("paused") : "active"),
    h("td", {}, schedule.paused ? "—" : h("ol", { class: "plain" },
      (schedule.nextRunsAt ?? []).map((at) => h("li", {}, local(at, schedule.timezone), " ", h("span", { class: "muted" }, when(at)))))),
    h("td", {}, schedule.lastTaskId ? [taskLink(schedule.lastTaskId), " ", when(schedule.lastRunAt)] : "never"),
    h("td", { class: "actions" },
      schedule.paused
        ? actionButton("Resume", act("resume"), { class: "resume" })
        : actionButton("Pause", act("pause"), { class: "pause" }),
      " ", actionButton("Run now", act("trigger"), { class: "trigger" })));
}
