// "/api": this server's OpenAPI document (/v1/openapi.json) shown by Swagger UI, whose script and
// style sheet come from the jar like every other asset. "Try it out" sends the dashboard's token.
import { token } from "./api.js";
import { h, replace } from "./view.js";

export async function apiPage(main) {
  const ui = h("div", { id: "swagger-ui" });
  replace(main,
    h("div", { class: "title" }, h("h1", {}, "API"),
      h("div", { class: "actions" }, h("a", { href: "/v1/openapi.json", download: "offload-openapi.json" }, "openapi.json"))),
    h("p", { class: "muted" }, "Every endpoint, parameter, body, status and problem of this server's HTTP API, "
      + "and the calls Offload makes to your endpoints (webhooks), as OpenAPI 3.1."),
    ui);
  await Promise.all([
    load(h("link", { rel: "stylesheet", href: "/assets/swagger-ui.css" })),
    load(h("script", { src: "/assets/swagger-ui-bundle.js" })),
  ]);
  window.SwaggerUIBundle({
    url: "/v1/openapi.json",
    domNode: ui,
    // Swagger UI would otherwise send the document to an online validator for a badge.
    validatorUrl: null,
    defaultModelsExpandDepth: 0,
    requestInterceptor: (request) => {
      const current = token();
      if (current && !request.headers.Authorization) request.headers.Authorization = `Bearer ${current}`;
      return request;
    },
  });
}

function load(element) {
  return new Promise((resolve, reject) => {
    element.addEventListener("load", resolve, { once: true });
    element.addEventListener("error", () => reject(new Error(`cannot load ${element.src || element.href}`)), { once: true });
    document.head.append(element);
  });
}
