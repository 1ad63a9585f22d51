// Small DOM helpers. Every value from the API goes in as text, never as HTML, so a payload or an
// error message can never become markup.

/** h("a", {href: "/x", class: "y"}, "text", child…): an element with attributes and children. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

export const FINISHED = ["succeeded", "failed", "cancelled"];
export const STATUSES = ["scheduled", "queued", "running", "retrying", "succeeded", "failed", "cancelled"];

export function badge(status) {
  return h("span", { class: `badge ${status}`, "data-status": status }, status.replace("_", " "));
}

export function taskLink(id) {
  return h("a", { href: `/tasks/${encodeURIComponent(id)}`, class: "mono" }, id);
}

export function queueLink(name) {
  return h("a", { href: `/queues/${encodeURIComponent(name)}` }, name);
}

/** "3 s ago" with the exact time, local and UTC, as its tooltip; "in 5 min" for the future. */
export function when(iso) {
  if (!iso) return "—";
  const ms = Date.parse(iso) - Date.now();
  const text = Math.abs(ms) < 1000 ? "now" : ms < 0 ? `${duration(-ms)} ago` : `in ${duration(ms)}`;
  return h("time", { datetime: iso, title: `${new Date(iso).toLocaleString()} (${iso})` }, text);
}

/** 850 ms, 1.2 s, 4 min, 3 h, 2 d. */
export function duration(ms) {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}

export function count(n) {
  return n === null || n === undefined ? "—" : Number(n).toLocaleString("en");
}

/** A JSON value as indented text, or a plain string as it is. */
export function pretty(value) {
  if (value === null || value === undefined) return h("p", { class: "muted" }, "none");
  return h("pre", { class: "json" }, typeof value === "string" ? value : JSON.stringify(value, null, 2));
}

/** A definition list from [label, value] pairs, skipping empty values. */
export function facts(pairs) {
  const list = h("dl", { class: "facts" });
  for (const [label, value] of pairs) {
    if (value === null || value === undefined || value === "") continue;
    list.append(h("dt", {}, label), h("dd", {}, value));
  }
  return list;
}

export function problem(error) {
  const detail = error?.problem?.errors?.map((e) => `${e.field}: ${e.message}`).join("; ");
  return h("p", { class: "error", role: "alert" }, detail || error.message || String(error));
}

/** A button that runs `action` once at a time and shows what went wrong next to it. */
export function actionButton(label, action, attributes = {}) {
  const button = h("button", { type: "button", ...attributes }, label);
  button.addEventListener("click", async () => {
    button.disabled = true;
    button.parentElement?.querySelector(".error")?.remove();
    try {
      await action();
    } catch (error) {
      button.after(problem(error));
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/** Calls `load` now and then every `ms` until `signal` aborts; a failed round shows its error. */
export function every(ms, signal, load, onError) {
  let timer;
  const round = async () => {
    try {
      await load();
    } catch (error) {
      onError(error);
    }
    if (!signal.aborted) timer = setTimeout(round, ms);
  };
  signal.addEventListener("abort", () => clearTimeout(timer), { once: true });
  return round();
}
