package dev.offload.server;

import static dev.offload.server.BadInput.TASK;
import static dev.offload.server.BadInput.get;
import static dev.offload.server.BadInput.post;
import static dev.offload.server.BadInput.send;
import static dev.offload.server.BadInput.task;

import java.util.ArrayList;
import java.util.List;

/**
 * Bad requests below the API: unknown routes and methods, malformed paths and bytes, and request
 * lines and headers past Jetty's 8 KiB buffer, which Jetty refuses before any route runs.
 */
final class ProtocolBadInput {
  private ProtocolBadInput() {}

  static List<BadInput> cases() {
    List<BadInput> cases = new ArrayList<>();
    routes(cases);
    paths(cases);
    headers(cases);
    return cases;
  }

  private static void routes(List<BadInput> cases) {
    cases.add(get("unknown route", "/v1/nope", 404));
    cases.add(get("unknown API version", "/v2/tasks", 404));
    cases.add(post("POST on the dashboard", "/", "{}", 404));
    cases.add(get("a dashboard page below a task's", "/tasks/" + TASK + "/edit", 404));
    cases.add(get("an unknown dashboard asset", "/assets/nope.js", 404));
    cases.add(get("a class path file as a dashboard asset", "/assets/logback.xml", 404));
    cases.add(get("a path like a file", "/etc/passwd", 404));
    cases.add(post("unknown action on a task", "/v1/tasks/" + TASK + "/explode", "", 404));
    cases.add(send("DELETE on /v1/tasks", "DELETE", "/v1/tasks", null, 404));
    cases.add(send("PUT on a task", "PUT", "/v1/tasks/" + TASK, task(""), 404));
    cases.add(send("PATCH on a task", "PATCH", "/v1/tasks/" + TASK, task(""), 404));
    cases.add(get("GET on the lease endpoint", "/v1/workers/lease", 404));
    cases.add(post("POST on /v1/nodes", "/v1/nodes", "{}", 404));
    cases.add(post("POST on /healthz", "/healthz", "{}", 404));
    cases.add(send("DELETE on /readyz", "DELETE", "/readyz", null, 404));
    cases.add(post("POST on /v1/schedules", "/v1/schedules", "{}", 404));
    cases.add(send("an unknown method", "BREW", "/v1/tasks", null, 404).raw());
    cases.add(send("TRACE", "TRACE", "/v1/tasks", null, 404).raw());
  }

  private static void paths(List<BadInput> cases) {
    cases.add(get("task id with a broken %-escape", "/v1/tasks/%ZZ", 400).raw());
    cases.add(get("task id with a truncated %-escape", "/v1/tasks/%", 400).raw());
    cases.add(get("task id with an encoded NUL", "/v1/tasks/tsk_%00", 400).raw());
    cases.add(get("task id with a raw invalid UTF-8 byte", "/v1/tasks/tsk_\u00ff", 400).raw());
    cases.add(get("task id with %-escaped invalid UTF-8", "/v1/tasks/tsk_%FF%FE", 400).raw());
    cases.add(
        get("task id with an overlong '/' (C0 AF)", "/v1/tasks/..%C0%AF..%C0%AFetc", 400).raw());
    cases.add(
        get("path traversal with encoded slashes", "/v1/tasks/..%2F..%2Fetc%2Fpasswd", 404).raw());
    cases.add(
        get("path traversal with encoded dots", "/v1/tasks/%2E%2E/%2E%2E/%2E%2E/etc/passwd", 400)
            .raw());
    cases.add(get("path traversal above the root", "/v1/../../../etc/passwd", 400).raw());
    cases.add(get("a backslash in the path", "/v1/tasks/..\\..\\etc", 400).raw());
    cases.add(get("a raw space in the request line", "/v1/tasks/a b", 400).raw());
    cases.add(get("a request target that is not a path", "v1/tasks", 400).raw());
    cases.add(
        get("a query with a raw invalid UTF-8 byte", "/v1/tasks?queue=\u00ff", 400, "queue").raw());
    cases.add(get("request line over 8 KiB", "/v1/tasks?queue=" + "q".repeat(9_000), 414).raw());
    cases.add(get("request line over 16 KiB", "/v1/tasks?queue=" + "q".repeat(20_000), 414).raw());
  }

  private static void headers(List<BadInput> cases) {
    cases.add(
        get("header over 8 KiB", "/v1/tasks", 431).withHeader("X-Big", "h".repeat(9_000)).raw());
    cases.add(
        get("header over 16 KiB", "/v1/tasks", 431).withHeader("X-Big", "h".repeat(20_000)).raw());
    BadInput many = get("300 small headers (12 KB)", "/v1/tasks", 431);
    for (int i = 0; i < 300; i++) many = many.withHeader("X-H" + i, "v".repeat(30));
    cases.add(many.raw());
    cases.add(
        get("Idempotency-Key of 9 KiB", "/v1/tasks", 431)
            .withHeader("Idempotency-Key", "k".repeat(9_000))
            .raw());
    cases.add(get("NUL in a header value", "/v1/tasks", 400).withHeader("X-A", "a\u0000b").raw());
    cases.add(get("a bare CR in a header value", "/v1/tasks", 400).withHeader("X-A", "a\rb").raw());
    cases.add(get("a space in a header name", "/v1/tasks", 400).withHeader("X A", "1").raw());
    cases.add(get("an empty header name", "/v1/tasks", 400).withHeader("", "1").raw());
    cases.add(
        post("Content-Length not a number", "/v1/tasks", "{}", 400)
            .withHeader("Content-Length", "abc")
            .raw());
    cases.add(
        post("Content-Length negative", "/v1/tasks", "{}", 400)
            .withHeader("Content-Length", "-1")
            .raw());
    cases.add(
        post("two different Content-Lengths", "/v1/tasks", "{}", 400)
            .withHeader("Content-Length", "3")
            .withHeader("Content-Length", "2")
            .raw());
    cases.add(
        post("Content-Length of 10^20", "/v1/tasks", "{}", 400)
            .withHeader("Content-Length", "1" + "0".repeat(20))
            .raw());
    cases.add(
        post("Content-Length over 32 MiB", "/v1/tasks", "{}", 413)
            .withHeader("Content-Length", String.valueOf(64L * 1024 * 1024))
            .raw());
    cases.add(
        post("unknown Transfer-Encoding", "/v1/tasks", "{}", 400)
            .withHeader("Transfer-Encoding", "gzip")
            .raw());
    cases.add(
        post("chunked Transfer-Encoding with a body that is not chunked", "/v1/tasks", "{}", 400)
            .withHeader("Transfer-Encoding", "chunked")
            .raw());
    cases.add(
        post("Content-Type with NUL", "/v1/tasks", "{}", 400)
            .withContentType("application/json\u0000")
            .raw());
    cases.add(post("Content-Type garbage", "/v1/tasks", "{}", 415).withContentType(";;;").raw());
    cases.add(post("Content-Type empty", "/v1/tasks", "{}", 415).withContentType("").raw());
  }
}
