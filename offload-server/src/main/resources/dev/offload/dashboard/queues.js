// "/queues": every queue's figures; "/queues/{name}": one queue with its last hour drawn per
// minute (depth, throughput, attempt duration percentiles), flagged when p95 nears the timeout.
import { api } from "./api.js";
import { actionButton, count, duration, every, h, problem, queueLink, replace } from "./view.js";

const REFRESH_MS = 5_000;
const NEAR_TIMEOUT = 0.7;

export async function queuesPage(main, signal) {
  const body = h("tbody", { id: "queue-rows" });
  const message = h("div");
  replace(main, h("h1", {}, "Queues"), message,
    h("table", { class: "queues" },
      h("thead", {}, h("tr", {},
        h("th", {}, "Queue"), h("th", {}, "State"), h("th", { class: "num" }, "Queued"),
        h("th", { class: "num" }, "Running"), h("th", { class: "num" }, "Retrying"), h("th", { class: "num" }, "Scheduled"),
        h("th", { class: "num" }, "Failed"), h("th", {}, "Oldest ready"), h("th", { class: "num" }, "Done / min"),
        h("th", { class: "num" }, "Done / h"), h("th", {}, "Attempt p50 / p95 / p99"))),
      body));
  await every(REFRESH_MS, signal, async () => {
    const { queues } = await api("/v1/queues");
    message.replaceChildren();
    if (queues.length === 0) message.append(h("p", { class: "muted" }, "No queues yet: a queue appears with its first task."));
    replace(body, queues.map((q) => h("tr", { "data-queue": q.name },
      h("td", {}, queueLink(q.name)),
      h("td", {}, state(q)),
      h("td", { class: "num" }, count(q.counts.queued)),
      h("td", { class: "num" }, count(q.counts.running)),
      h("td", { class: "num" }, count(q.counts.retrying)),
      h("td", { class: "num" }, count(q.counts.scheduled)),
      h("td", { class: "num" }, count(q.counts.failed)),
      h("td", {}, q.oldestReadyAgeMs === null ? "—" : duration(q.oldestReadyAgeMs)),
      h("td", { class: "num" }, count(q.throughput.lastMinute)),
      h("td", { class: "num" }, count(q.throughput.lastHour)),
      h("td", {}, percentiles(q), q.nearTimeout ? [" ", warning(q)] : null))));
  }, (error) => { if (!signal.aborted) replace(message, problem(error)); });
}

function state(q) {
  const limits = [];
  if (q.concurrency) limits.push(`≤ ${q.concurrency} at once`);
  if (q.ratePerSecond) limits.push(`${q.ratePerSecond}/s`);
  return h("span", {}, q.paused ? h("span", { class: "badge paused" }, "paused") : "active",
    limits.length ? h("span", { class: "muted" }, ` (${limits.join(", ")})`) : null);
}

/** The percentiles and the sample they come from: a p95 of 2 attempts is an anecdote, not a trend. */
function percentiles({ attemptDurationMs: d, attemptSamples: n }) {
  if (d.p50 === null) return "—";
  return h("span", {}, `${duration(d.p50)} / ${duration(d.p95)} / ${duration(d.p99)} `,
    h("span", { class: "muted samples" }, `(${count(n)} ${n === 1 ? "attempt" : "attempts"})`));
}

function warning(q) {
  return h("span", { class: "badge warn",
    title: `p95 of ${q.attemptSamples} finished attempts is above ${NEAR_TIMEOUT * 100} % of the ${duration(q.attemptTimeoutMs)} timeout` },
    "near timeout");
}

export async function queuePage(main, signal, name) {
  const path = `/v1/queues/${encodeURIComponent(name)}`;
  let queue;
  try {
    [queue] = await Promise.all([api(path), loadChartJs()]);
  } catch (error) {
    if (!signal.aborted) replace(main, h("h1", {}, "Queue ", name), problem(error), h("p", {}, h("a", { href: "/queues" }, "All queues")));
    return;
  }
  const header = h("div");
  const alert = h("div", { id: "alert" });
  const canvases = {
    depth: h("canvas", { id: "chart-depth", role: "img", "aria-label": "Tasks not finished, per minute" }),
    throughput: h("canvas", { id: "chart-throughput", role: "img", "aria-label": "Tasks created and finished per minute" }),
    durations: h("canvas", { id: "chart-durations", role: "img", "aria-label": "Attempt duration percentiles per minute" }),
  };
  replace(main, header, alert,
    h("div", { class: "charts" },
      h("figure", { class: "card" }, h("figcaption", {}, "Depth (tasks not finished)"), h("div", { class: "chart-box" }, canvases.depth)),
      h("figure", { class: "card" }, h("figcaption", {}, "Throughput per minute"), h("div", { class: "chart-box" }, canvases.throughput)),
      h("figure", { class: "card" }, h("figcaption", {}, "Attempt duration (ms)"), h("div", { class: "chart-box" }, canvases.durations))),
    h("p", { class: "muted" }, "The last hour, one point a minute; the current minute is still filling."));
  const charts = createCharts(canvases);
  const setPaused = async (paused) => {
    const settings = { paused };
    if (queue.concurrency) settings.concurrency = queue.concurrency;
    if (queue.ratePerSecond) Object.assign(settings, { ratePerSecond: queue.ratePerSecond, burst: queue.burst });
    queue = await api(path, { method: "PUT", body: settings });
    drawHeader();
  };
  const drawHeader = () => replace(header,
    h("div", { class: "title" }, h("h1", {}, "Queue ", h("span", { id: "queue-name" }, queue.name)), state(queue),
      h("span", { class: "actions" }, queue.paused
        ? actionButton("Resume", () => setPaused(false), { id: "resume" })
        : actionButton("Pause", () => setPaused(true), { id: "pause" }))),
    h("div", { class: "stats" },
      stat("Queued", count(queue.counts.queued)), stat("Running", count(queue.counts.running)),
      stat("Retrying", count(queue.counts.retrying)), stat("Scheduled", count(queue.counts.scheduled)),
      stat("Succeeded", count(queue.counts.succeeded)), stat("Failed", count(queue.counts.failed)),
      stat("Cancelled", count(queue.counts.cancelled)),
      stat("Oldest ready waited", queue.oldestReadyAgeMs === null ? "—" : duration(queue.oldestReadyAgeMs)),
      stat("Done last min / h", `${count(queue.throughput.lastMinute)} / ${count(queue.throughput.lastHour)}`),
      stat("Attempt p50 / p95 / p99", percentiles(queue)),
      stat("Attempt timeout", queue.attemptTimeoutMs ? duration(queue.attemptTimeoutMs) : "none")),
    h("p", {}, h("a", { href: `/?${new URLSearchParams({ queue: queue.name })}` }, "Tasks of this queue")));
  drawHeader();
  await every(REFRESH_MS, signal, async () => {
    const [latest, history] = await Promise.all([api(path), api(`${path}/history`)]);
    queue = latest;
    drawHeader();
    replace(alert, queue.nearTimeout ? h("p", { class: "warning", role: "alert", id: "near-timeout" },
      `Attempts are getting close to their timeout: p95 ${duration(queue.attemptDurationMs.p95)} of the last `
      + `${count(queue.attemptSamples)} finished attempts is above ${NEAR_TIMEOUT * 100} % of ${duration(queue.attemptTimeoutMs)}. Raise the timeout or split the work `
      + "before attempts start to time out.") : null);
    updateCharts(charts, history);
  }, (error) => { if (!signal.aborted) replace(alert, problem(error)); });
}

function stat(label, value) {
  return h("div", { class: "stat card" }, h("div", { class: "muted" }, label), h("div", { class: "value" }, value));
}

let chartJs;

function loadChartJs() {
  chartJs ??= new Promise((resolve, reject) => {
    const script = h("script", { src: "/assets/chart.umd.min.js" });
    script.addEventListener("load", resolve);
    script.addEventListener("error", () => reject(new Error("could not load the chart library")));
    document.head.append(script);
  });
  return chartJs;
}

const COLORS = { depth: "#2563eb", created: "#94a3b8", finished: "#16a34a", failed: "#dc2626",
  p50: "#16a34a", p95: "#d97706", p99: "#dc2626", limit: "#7c3aed" };

function createCharts(canvases) {
  const { Chart } = window;
  const options = (stacked) => ({
    animation: false, maintainAspectRatio: false, interaction: { mode: "index", intersect: false },
    scales: { x: { ticks: { maxTicksLimit: 7 }, stacked }, y: { beginAtZero: true, stacked } },
    plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
  });
  // A point only where it stands alone (minutes on both sides without data), or it would not show.
  const alone = (ctx) => {
    const data = ctx.dataset.data;
    return data[ctx.dataIndex - 1] == null && data[ctx.dataIndex + 1] == null ? 2.5 : 0;
  };
  const line = (label, color, extra = {}) => ({ label, data: [], borderColor: color, backgroundColor: color,
    pointRadius: alone, borderWidth: 2, tension: 0.2, spanGaps: false, ...extra });
  return {
    depth: new Chart(canvases.depth, { type: "line", data: { labels: [], datasets: [line("not finished", COLORS.depth)] },
      options: options(false) }),
    throughput: new Chart(canvases.throughput, { type: "bar", data: { labels: [], datasets: [
      { ...line("created", COLORS.created), type: "line", stack: "created", order: 0 },
      { label: "succeeded", data: [], backgroundColor: COLORS.finished, stack: "finished", order: 1 },
      { label: "failed or cancelled", data: [], backgroundColor: COLORS.failed, stack: "finished", order: 1 },
    ] }, options: options(true) }),
    durations: new Chart(canvases.durations, { type: "line", data: { labels: [], datasets: [
      line("p50", COLORS.p50), line("p95", COLORS.p95), line("p99", COLORS.p99),
      line("70 % of timeout", COLORS.limit, { borderDash: [6, 4], borderWidth: 1 }),
    ] }, options: options(false) }),
  };
}

function updateCharts(charts, history) {
  const labels = history.buckets.map((b) => new Date(b.at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }));
  const series = (pick) => history.buckets.map(pick);
  const set = (chart, ...data) => {
    chart.data.labels = labels;
    data.forEach((values, i) => { chart.data.datasets[i].data = values; });
    chart.update();
  };
  set(charts.depth, series((b) => b.depth));
  set(charts.throughput, series((b) => b.created), series((b) => b.succeeded), series((b) => b.failed + b.cancelled));
  const limit = history.attemptTimeoutMs ? history.attemptTimeoutMs * NEAR_TIMEOUT : null;
  const p95s = series((b) => b.attemptDurationMs.p95);
  // The limit line is drawn only when the durations come near it, so it does not flatten them.
  const showLimit = limit !== null && Math.max(0, ...p95s.filter((v) => v !== null)) * 2 > limit;
  set(charts.durations, series((b) => b.attemptDurationMs.p50), p95s, series((b) => b.attemptDurationMs.p99),
    series(() => (showLimit ? limit : null)));
}
