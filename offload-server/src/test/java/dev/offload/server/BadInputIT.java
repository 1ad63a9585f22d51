package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad input to the task API (DESIGN.md §3, §8) gets a precise RFC 9457 problem,
 * creates nothing and leaves the server healthy.
 *
 * <p>One task is created and finished up front, so cancel/retry/progress/wait have a real task to
 * be refused on; afterwards it must be the only task there is.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputIT {
  private static final String UNKNOWN_ID = "tsk_01JD0000000000000000000000";
  private static final String MALFORMED_ID = "not-a-task-id";
  private static final int MIB = 1024 * 1024;
  /** Placeholders filled in at send time: the finished task, its progress token, the target. */
  private static final String TASK = "{task}";
  private static final String TOKEN = "{token}";
  private static final String NEVER = "{never}";

  @TempDir static Path dataDir;
  private static RunningServer server;
  private static TestTarget target;
  private static String finishedTaskId;
  private static String finishedTaskToken;

  /** One bad request and the problem it must get. */
  record Case(String name, String method, String path, String contentType, String body, List<String> headers,
              int status, List<String> fields, boolean overSocket) {
    Case withContentType(String newContentType) {
      return new Case(name, method, path, newContentType, body, headers, status, fields, overSocket);
    }

    Case withHeader(String header, String value) {
      List<String> all = new ArrayList<>(headers);
      all.add(header);
      all.add(value);
      return new Case(name, method, path, contentType, body, List.copyOf(all), status, fields, overSocket);
    }

    /** Sent byte for byte over a socket: for what java.net.URI refuses to build (bad %-escapes, huge lines). */
    Case raw() {
      return new Case(name, method, path, contentType, body, headers, status, fields, true);
    }

    @Override
    public String toString() {
      return name + " -> " + status + (fields.isEmpty() ? "" : " " + fields);
    }
  }

  @BeforeAll
  static void startServerWithOneFinishedTask() throws Exception {
    target = new TestTarget();
    server = new RunningServer(dataDir);
    finishedTaskId = server.createTask("{\"callbackUrl\":\"" + target.url("/work") + "\"}");
    assertThat(server.awaitFinished(finishedTaskId).get("status").asText()).isEqualTo("succeeded");
    finishedTaskToken = target.received("/work").getFirst().header("Offload-Task-Token");
    assertThat(finishedTaskToken).isNotBlank();
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
    if (target != null) target.close();
  }

  static Stream<Case> badRequests() {
    List<Case> cases = new ArrayList<>();
    // --- POST /v1/tasks: the body as a whole
    cases.add(post("malformed JSON", "/v1/tasks", "{\"callbackUrl\":", 400, "(body)"));
    cases.add(post("empty body", "/v1/tasks", "", 400, "(body)"));
    cases.add(post("whitespace-only body", "/v1/tasks", "  \n ", 400, "(body)"));
    cases.add(post("JSON array instead of object", "/v1/tasks", "[" + task("") + "]", 400, "(body)"));
    cases.add(post("JSON string instead of object", "/v1/tasks", "\"" + NEVER + "\"", 400, "(body)"));
    cases.add(post("JSON null instead of object", "/v1/tasks", "null", 400, "(body)"));
    cases.add(post("trailing garbage", "/v1/tasks", task("") + " x", 400, "(body)"));
    cases.add(post("two JSON objects", "/v1/tasks", task("") + task(""), 400, "(body)"));
    cases.add(post("duplicate keys", "/v1/tasks", "{\"callbackUrl\":\"" + NEVER + "\",\"callbackUrl\":\"" + NEVER + "\"}", 400, "(body)"));
    cases.add(post("payload nested 100 levels", "/v1/tasks", task("\"payload\":" + "[".repeat(100) + "]".repeat(100)), 400, "(body)"));
    cases.add(post("metadata nested 100 levels", "/v1/tasks",
        task("\"metadata\":" + "{\"a\":".repeat(100) + "1" + "}".repeat(100)), 400, "(body)"));
    cases.add(post("text/plain Content-Type", "/v1/tasks", task(""), 415).withContentType("text/plain"));
    cases.add(post("form Content-Type", "/v1/tasks", "callbackUrl=x", 415).withContentType("application/x-www-form-urlencoded"));
    cases.add(post("Content-Type application/jsonp (not JSON)", "/v1/tasks", "callbackUrl=x", 415).withContentType("application/jsonp"));
    // --- fields
    cases.add(post("unknown field (typo callbackURL)", "/v1/tasks", "{\"callbackURL\":\"" + NEVER + "\"}", 400, "callbackURL", "callbackUrl"));
    cases.add(post("unknown field next to valid ones", "/v1/tasks", task("\"retires\":3"), 400, "retires"));
    cases.add(post("missing callbackUrl", "/v1/tasks", "{\"payload\":{\"a\":1}}", 400, "callbackUrl"));
    cases.add(post("empty object", "/v1/tasks", "{}", 400, "callbackUrl"));
    cases.add(post("callbackUrl null", "/v1/tasks", "{\"callbackUrl\":null}", 400, "callbackUrl"));
    cases.add(post("callbackUrl not a string", "/v1/tasks", "{\"callbackUrl\":42}", 400, "callbackUrl"));
    cases.add(post("non-http callbackUrl", "/v1/tasks", "{\"callbackUrl\":\"ftp://example.com/file\"}", 400, "callbackUrl"));
    cases.add(post("javascript: callbackUrl", "/v1/tasks", "{\"callbackUrl\":\"javascript:alert(1)\"}", 400, "callbackUrl"));
    cases.add(post("relative callbackUrl", "/v1/tasks", "{\"callbackUrl\":\"/transcode\"}", 400, "callbackUrl"));
    cases.add(post("callbackUrl without host", "/v1/tasks", "{\"callbackUrl\":\"http:///path\"}", 400, "callbackUrl"));
    cases.add(post("callbackUrl with user:password", "/v1/tasks", "{\"callbackUrl\":\"https://user:secret@example.com/x\"}", 400, "callbackUrl"));
    cases.add(post("callbackUrl with spaces", "/v1/tasks", "{\"callbackUrl\":\"http://exa mple.com/x\"}", 400, "callbackUrl"));
    cases.add(post("callbackUrl over 2048 characters", "/v1/tasks",
        "{\"callbackUrl\":\"https://example.com/" + "a".repeat(2_048) + "\"}", 400, "callbackUrl"));
    cases.add(post("non-http webhookUrl", "/v1/tasks", task("\"webhookUrl\":\"mailto:ops@example.com\""), 400, "webhookUrl"));
    cases.add(post("bad method", "/v1/tasks", task("\"method\":\"FETCH\""), 400, "method"));
    cases.add(post("method not a string", "/v1/tasks", task("\"method\":1"), 400, "method"));
    cases.add(post("headers not an object", "/v1/tasks", task("\"headers\":[\"X-A: 1\"]"), 400, "headers"));
    cases.add(post("header value not a string", "/v1/tasks", task("\"headers\":{\"X-Count\":1}"), 400, "headers.X-Count"));
    cases.add(post("header value with a newline", "/v1/tasks", task("\"headers\":{\"X-A\":\"a\\r\\nX-Injected: 1\"}"), 400, "headers.X-A"));
    cases.add(post("header name with a space", "/v1/tasks", task("\"headers\":{\"X A\":\"1\"}"), 400, "headers.X A"));
    cases.add(post("reserved header Host", "/v1/tasks", task("\"headers\":{\"Host\":\"evil.example.com\"}"), 400, "headers.Host"));
    cases.add(post("reserved header Content-Type", "/v1/tasks", task("\"headers\":{\"Content-Type\":\"text/plain\"}"), 400, "headers.Content-Type"));
    cases.add(post("reserved header Offload-Task-Id", "/v1/tasks", task("\"headers\":{\"Offload-Task-Id\":\"tsk_x\"}"), 400, "headers.Offload-Task-Id"));
    cases.add(post("reserved header webhook-signature", "/v1/tasks", task("\"headers\":{\"webhook-signature\":\"v1,x\"}"), 400, "headers.webhook-signature"));
    cases.add(post("payload and body both", "/v1/tasks", task("\"payload\":{\"a\":1},\"body\":\"a=1\""), 400, "body"));
    cases.add(post("contentType with payload", "/v1/tasks", task("\"payload\":{\"a\":1},\"contentType\":\"text/csv\""), 400, "contentType"));
    cases.add(post("contentType without body", "/v1/tasks", task("\"contentType\":\"text/csv\""), 400, "contentType"));
    cases.add(post("body not a string", "/v1/tasks", task("\"body\":{\"a\":1}"), 400, "body"));
    for (String bad : List.of("3x", "-1s", "10 minutes", "", "1.5s", "P1D2")) {
      cases.add(post("delay \"" + bad + "\"", "/v1/tasks", task("\"delay\":\"" + bad + "\""), 400, "delay"));
    }
    cases.add(post("delay a number", "/v1/tasks", task("\"delay\":30"), 400, "delay"));
    cases.add(post("delay over a year", "/v1/tasks", task("\"delay\":\"400d\""), 400, "delay"));
    cases.add(post("delay and runAt both", "/v1/tasks", task("\"delay\":\"30s\",\"runAt\":\"2030-01-01T00:00:00Z\""), 400, "delay"));
    for (String bad : List.of("tomorrow", "2030-01-01 09:00:00", "2030-01-01", "2030-13-01T00:00:00Z", "1767225600")) {
      cases.add(post("runAt \"" + bad + "\"", "/v1/tasks", task("\"runAt\":\"" + bad + "\""), 400, "runAt"));
    }
    for (String bad : List.of("-1", "101", "1.5", "\"3\"", "true", "9999999999")) {
      cases.add(post("retries " + bad, "/v1/tasks", task("\"retries\":" + bad), 400, "retries"));
    }
    cases.add(post("backoff unknown type", "/v1/tasks", task("\"backoff\":\"quadratic\""), 400, "backoff"));
    cases.add(post("backoff a number", "/v1/tasks", task("\"backoff\":2"), 400, "backoff"));
    cases.add(post("backoff object with unknown type", "/v1/tasks", task("\"backoff\":{\"type\":\"quadratic\"}"), 400, "backoff.type"));
    cases.add(post("backoff unknown field", "/v1/tasks", task("\"backoff\":{\"type\":\"fixed\",\"maximum\":\"1m\"}"), 400, "backoff.maximum"));
    cases.add(post("backoff max < initial", "/v1/tasks", task("\"backoff\":{\"initial\":\"10s\",\"max\":\"1s\"}"), 400, "backoff.max"));
    cases.add(post("backoff factor 0", "/v1/tasks", task("\"backoff\":{\"factor\":0}"), 400, "backoff.factor"));
    cases.add(post("backoff factor a string", "/v1/tasks", task("\"backoff\":{\"factor\":\"2\"}"), 400, "backoff.factor"));
    cases.add(post("backoff initial \"3x\"", "/v1/tasks", task("\"backoff\":{\"initial\":\"3x\"}"), 400, "backoff.initial"));
    cases.add(post("backoff jitter not a boolean", "/v1/tasks", task("\"backoff\":{\"jitter\":\"yes\"}"), 400, "backoff.jitter"));
    for (String bad : List.of("0ms", "abc", "-5s", "8d")) {
      cases.add(post("timeout \"" + bad + "\"", "/v1/tasks", task("\"timeout\":\"" + bad + "\""), 400, "timeout"));
    }
    cases.add(post("queue with spaces", "/v1/tasks", task("\"queue\":\"my queue\""), 400, "queue"));
    cases.add(post("queue of 101 characters", "/v1/tasks", task("\"queue\":\"" + "q".repeat(101) + "\""), 400, "queue"));
    cases.add(post("queue empty", "/v1/tasks", task("\"queue\":\"\""), 400, "queue"));
    cases.add(post("queue starting with a dot", "/v1/tasks", task("\"queue\":\".hidden\""), 400, "queue"));
    cases.add(post("idempotencyKey of 256 characters", "/v1/tasks", task("\"idempotencyKey\":\"" + "k".repeat(256) + "\""), 400, "idempotencyKey"));
    cases.add(post("Idempotency-Key header of 256 characters", "/v1/tasks", task(""), 400, "Idempotency-Key")
        .withHeader("Idempotency-Key", "k".repeat(256)));
    cases.add(post("idempotencyKey differing from the header", "/v1/tasks", task("\"idempotencyKey\":\"a\""), 400, "idempotencyKey")
        .withHeader("Idempotency-Key", "b"));
    cases.add(post("metadata a string", "/v1/tasks", task("\"metadata\":\"order-1\""), 400, "metadata"));
    cases.add(post("metadata an array", "/v1/tasks", task("\"metadata\":[1,2]"), 400, "metadata"));
    cases.add(post("metadata over 64 KiB", "/v1/tasks", task("\"metadata\":{\"a\":\"" + "m".repeat(64 * 1024) + "\"}"), 400, "metadata"));
    cases.add(post("many errors at once", "/v1/tasks",
        "{\"callbackUrl\":\"ftp://x\",\"retries\":-1,\"delay\":\"3x\",\"queue\":\"a b\",\"typo\":1}", 400,
        "callbackUrl", "retries", "delay", "queue", "typo"));
    // --- size limits (--max-payload, 1 MiB by default)
    cases.add(post("payload of 1 MiB + 1 byte", "/v1/tasks", task("\"payload\":\"" + "p".repeat(MIB - 1) + "\""), 413, "payload"));
    cases.add(post("text body of 1 MiB + 1 byte", "/v1/tasks", task("\"body\":\"" + "b".repeat(MIB + 1) + "\""), 413, "body"));

    // --- POST /v1/tasks/batch
    cases.add(post("batch: malformed JSON", "/v1/tasks/batch", "{\"tasks\":[", 400, "(body)"));
    cases.add(post("batch: empty body", "/v1/tasks/batch", "", 400, "(body)"));
    cases.add(post("batch: 0 tasks", "/v1/tasks/batch", "{\"tasks\":[]}", 400, "tasks"));
    cases.add(post("batch: 1001 tasks", "/v1/tasks/batch", batch(1_001), 400, "tasks"));
    cases.add(post("batch: tasks not an array", "/v1/tasks/batch", "{\"tasks\":" + task("") + "}", 400, "tasks"));
    cases.add(post("batch: tasks missing", "/v1/tasks/batch", "{}", 400, "tasks"));
    cases.add(post("batch: unknown top-level field", "/v1/tasks/batch", "{\"tasks\":[" + task("") + "],\"queue\":\"q\"}", 400, "queue"));
    cases.add(post("batch: a bare array", "/v1/tasks/batch", "[" + task("") + "]", 400, "tasks"));
    cases.add(post("batch: a task that is not an object", "/v1/tasks/batch", "{\"tasks\":[" + task("") + ",7]}", 400, "tasks[1]"));
    cases.add(post("batch: second task invalid (all-or-nothing)", "/v1/tasks/batch",
        "{\"tasks\":[" + task("") + ",{\"callbackUrl\":\"ftp://example.com\"}]}", 400, "tasks[1].callbackUrl"));
    cases.add(post("batch: errors in several tasks", "/v1/tasks/batch",
        "{\"tasks\":[" + task("\"delay\":\"3x\"") + "," + task("") + "," + task("\"headers\":{\"Host\":\"x\"}") + "]}", 400,
        "tasks[0].delay", "tasks[2].headers.Host"));
    cases.add(post("batch: Idempotency-Key header", "/v1/tasks/batch", "{\"tasks\":[" + task("") + "]}", 400, "Idempotency-Key")
        .withHeader("Idempotency-Key", "k1"));
    cases.add(post("batch: text/plain Content-Type", "/v1/tasks/batch", "{\"tasks\":[" + task("") + "]}", 415).withContentType("text/plain"));
    cases.add(post("batch: payload of 1 MiB + 1 byte", "/v1/tasks/batch",
        "{\"tasks\":[" + task("") + "," + task("\"payload\":\"" + "p".repeat(MIB - 1) + "\"") + "]}", 413, "tasks[1].payload"));

    // --- GET /v1/tasks
    cases.add(get("list: status=bogus", "/v1/tasks?status=bogus", 400, "status"));
    cases.add(get("list: status=SUCCEEDED (wrong case)", "/v1/tasks?status=SUCCEEDED", 400, "status"));
    for (String bad : List.of("0", "501", "abc", "-1", "", "1.5", "99999999999")) {
      cases.add(get("list: limit=" + bad, "/v1/tasks?limit=" + bad, 400, "limit"));
    }
    cases.add(get("list: cursor=garbage", "/v1/tasks?cursor=garbage", 400, "cursor"));
    cases.add(get("list: cursor=tsk_ too short", "/v1/tasks?cursor=tsk_01JD", 400, "cursor"));
    cases.add(get("list: status with a broken %-escape", "/v1/tasks?status=%ZZ", 400, "status").raw());
    cases.add(get("list: limit with a broken %-escape", "/v1/tasks?limit=0%ZZ", 400, "limit").raw());
    cases.add(get("list: cursor with a broken %-escape", "/v1/tasks?cursor=%ZZ", 400, "cursor").raw());

    // --- GET /v1/tasks/{id}
    cases.add(get("get: unknown task id", "/v1/tasks/" + UNKNOWN_ID, 404));
    cases.add(get("get: malformed task id", "/v1/tasks/" + MALFORMED_ID, 404));
    cases.add(get("get: lower-case task id", "/v1/tasks/" + UNKNOWN_ID.toLowerCase(), 404));
    cases.add(get("attempts: unknown task id", "/v1/tasks/" + UNKNOWN_ID + "/attempts", 404));
    cases.add(get("attempts: malformed task id", "/v1/tasks/" + MALFORMED_ID + "/attempts", 404));
    for (String bad : List.of("61s", "abc", "61", "2m", "-1s", "")) {
      cases.add(get("get: wait=" + bad, "/v1/tasks/" + TASK + "?wait=" + bad, 400, "wait"));
    }
    cases.add(get("get: wait=61s on an unknown task", "/v1/tasks/" + UNKNOWN_ID + "?wait=61s", 400, "wait"));
    cases.add(get("get: wait=1s on an unknown task", "/v1/tasks/" + UNKNOWN_ID + "?wait=1s", 404));
    cases.add(get("get: wait with a broken %-escape", "/v1/tasks/" + TASK + "?wait=61s%ZZ", 400, "wait").raw());

    // --- POST /v1/tasks/{id}/cancel|retry
    cases.add(post("cancel: unknown task id", "/v1/tasks/" + UNKNOWN_ID + "/cancel", "", 404));
    cases.add(post("cancel: malformed task id", "/v1/tasks/" + MALFORMED_ID + "/cancel", "", 404));
    cases.add(post("cancel: a succeeded task", "/v1/tasks/" + TASK + "/cancel", "", 409));
    cases.add(post("retry: unknown task id", "/v1/tasks/" + UNKNOWN_ID + "/retry", "", 404));
    cases.add(post("retry: malformed task id", "/v1/tasks/" + MALFORMED_ID + "/retry", "", 404));
    cases.add(post("retry: a succeeded task", "/v1/tasks/" + TASK + "/retry", "", 409));

    // --- /v1/schedules
    String task = "\"task\":{\"callbackUrl\":\"http://127.0.0.1:9/x\"}";
    cases.add(send("schedule: no body", "PUT", "/v1/schedules/s", "", 400, "(body)"));
    cases.add(send("schedule: unknown field", "PUT", "/v1/schedules/s", "{\"cron\":\"@daily\"," + task + ",\"crn\":1}", 400, "crn"));
    cases.add(send("schedule: 6-field cron", "PUT", "/v1/schedules/s", "{\"cron\":\"0 0 * * * *\"," + task + "}", 400, "cron"));
    cases.add(send("schedule: cron as a number", "PUT", "/v1/schedules/s", "{\"cron\":5," + task + "}", 400, "cron"));
    cases.add(send("schedule: @every 0s", "PUT", "/v1/schedules/s", "{\"cron\":\"@every 0s\"," + task + "}", 400, "cron"));
    cases.add(send("schedule: unknown time zone", "PUT", "/v1/schedules/s",
        "{\"cron\":\"@daily\",\"timezone\":\"Europe/Atlantis\"," + task + "}", 400, "timezone"));
    cases.add(send("schedule: task without callbackUrl", "PUT", "/v1/schedules/s", "{\"cron\":\"@daily\",\"task\":{}}", 400, "task.callbackUrl"));
    cases.add(send("schedule: task with an idempotency key", "PUT", "/v1/schedules/s",
        "{\"cron\":\"@daily\",\"task\":{\"callbackUrl\":\"http://127.0.0.1:9/x\",\"idempotencyKey\":\"k\"}}", 400, "task.idempotencyKey"));
    cases.add(send("schedule: name too long", "PUT", "/v1/schedules/" + "n".repeat(129), "{\"cron\":\"@daily\"," + task + "}", 400, "name"));
    cases.add(get("schedule: unknown", "/v1/schedules/nope", 404));
    cases.add(get("schedule: next=0", "/v1/schedules/nope?next=0", 400, "next"));
    cases.add(get("schedules: unknown query parameter", "/v1/schedules?limit=5", 400, "limit"));
    cases.add(post("schedule: trigger unknown", "/v1/schedules/nope/trigger", "", 404));
    cases.add(post("schedule: pause unknown", "/v1/schedules/nope/pause", "", 404));
    cases.add(send("schedule: delete unknown", "DELETE", "/v1/schedules/nope", null, 404));

    // --- POST /v1/tasks/{id}/progress
    cases.add(post("progress: without token", "/v1/tasks/" + TASK + "/progress", "{\"progress\":50}", 401));
    cases.add(post("progress: with a wrong token", "/v1/tasks/" + TASK + "/progress", "{\"progress\":50}", 401)
        .withHeader("Offload-Task-Token", "not-the-token"));
    cases.add(post("progress: another task's token", "/v1/tasks/" + UNKNOWN_ID + "/progress", "{\"progress\":50}", 401)
        .withHeader("Offload-Task-Token", TOKEN));
    cases.add(post("progress: unknown task id without token", "/v1/tasks/" + UNKNOWN_ID + "/progress", "{\"progress\":50}", 401));
    cases.add(post("progress: malformed task id", "/v1/tasks/" + MALFORMED_ID + "/progress", "{\"progress\":50}", 404));
    cases.add(post("progress: unknown field", "/v1/tasks/" + TASK + "/progress", "{\"progress\":50,\"stage\":\"x\"}", 400, "stage")
        .withHeader("Offload-Task-Token", TOKEN));
    cases.add(post("progress: missing progress", "/v1/tasks/" + TASK + "/progress", "{}", 400, "progress")
        .withHeader("Offload-Task-Token", TOKEN));
    cases.add(post("progress: malformed JSON", "/v1/tasks/" + TASK + "/progress", "{\"progress\":", 400, "(body)")
        .withHeader("Offload-Task-Token", TOKEN));
    cases.add(post("progress: over 64 KiB", "/v1/tasks/" + TASK + "/progress", "{\"progress\":\"" + "x".repeat(64 * 1024) + "\"}", 400, "progress")
        .withHeader("Offload-Task-Token", TOKEN));
    cases.add(post("progress: over 64 KiB of UTF-8 in fewer characters", "/v1/tasks/" + TASK + "/progress",
        "{\"progress\":\"" + "\u20ac".repeat(30_000) + "\"}", 400, "progress")
        .withHeader("Offload-Task-Token", TOKEN));
    cases.add(post("progress: on a finished task", "/v1/tasks/" + TASK + "/progress", "{\"progress\":50}", 409)
        .withHeader("Offload-Task-Token", TOKEN));

    // --- routes
    cases.add(get("unknown route", "/v1/nope", 404));
    cases.add(get("unknown API version", "/v2/tasks", 404));
    cases.add(post("unknown action on a task", "/v1/tasks/" + TASK + "/explode", "", 404));
    cases.add(send("DELETE on /v1/tasks", "DELETE", "/v1/tasks", null, 404));
    cases.add(send("PUT on a task", "PUT", "/v1/tasks/" + TASK, task(""), 404));
    cases.add(get("task id with a broken %-escape", "/v1/tasks/%ZZ", 400).raw());
    cases.add(get("request line over 16 KiB", "/v1/tasks?queue=" + "q".repeat(20_000), 414).raw());
    cases.add(get("header over 16 KiB", "/v1/tasks", 431).withHeader("X-Big", "h".repeat(20_000)).raw());
    return cases.stream();
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void bad_request_gets_a_precise_problem(Case c) {
    RunningServer.Answer answer = c.overSocket() ? RawHttp.send(server.server().port(), c.method(), fill(c.path()),
        c.contentType(), c.body() == null ? null : fill(c.body()), c.headers().stream().map(BadInputIT::fill).toList())
        : server.send(request(c));

    List<String> wrong = new ArrayList<>();
    if (answer.status() != c.status()) wrong.add("status " + answer.status() + ", expected " + c.status());
    String contentType = answer.header("Content-Type");
    if (contentType == null || !contentType.startsWith("application/problem+json")) {
      wrong.add("Content-Type " + contentType + ", expected application/problem+json");
    }
    String requestId = answer.header("Offload-Request-Id");
    if (requestId == null || requestId.isBlank()) wrong.add("no Offload-Request-Id header");
    JsonNode problem = answer.body() == null ? MissingNode.getInstance() : answer.body();
    if (!problem.has("type") && !problem.has("title")) {
      wrong.add("the body is not a problem document");
    } else {
      for (String member : List.of("type", "title", "detail")) {
        if (problem.path(member).asText("").isBlank()) wrong.add("no problem member \"" + member + "\"");
      }
      if (!problem.path("status").isInt() || problem.path("status").asInt() != answer.status()) {
        wrong.add("problem member status " + problem.path("status") + " differs from the HTTP status " + answer.status());
      }
    }
    if (!c.fields().isEmpty()) {
      List<String> fields = new ArrayList<>();
      for (JsonNode error : problem.path("errors")) {
        fields.add(error.path("field").asText());
        if (error.path("message").asText("").isBlank()) wrong.add("no message in " + error);
      }
      if (!new HashSet<>(fields).equals(new HashSet<>(c.fields())) || fields.size() != c.fields().size()) {
        wrong.add("errors[].field " + fields + ", expected " + c.fields());
      }
    }
    if (!wrong.isEmpty()) {
      fail("[" + c.name() + "] " + String.join("; ", wrong) + "\n  answer: " + answer.status() + " " + contentType + " "
          + abbreviate(answer.text()).replaceAll("\\s*\\n\\s*", " "));
    }
  }

  @Order(2)
  @Test
  void after_all_bad_requests_the_server_is_healthy_and_holds_only_the_one_good_task() {
    RunningServer.Answer health = server.get("/healthz");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.header("Offload-Request-Id")).isNotBlank();
    assertThat(server.get("/readyz").status()).isEqualTo(200);

    RunningServer.Answer list = server.get("/v1/tasks?limit=500");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.header("Offload-Request-Id")).isNotBlank();
    List<String> ids = new ArrayList<>();
    list.body().get("tasks").forEach(t -> ids.add(t.get("taskId").asText()));
    assertThat(ids).as("no bad request created a task").containsExactly(finishedTaskId);
    assertThat(list.body().get("nextCursor").isNull()).isTrue();

    JsonNode task = server.get("/v1/tasks/" + finishedTaskId).body();
    assertThat(task.get("status").asText()).as("refused cancel/retry/progress changed nothing").isEqualTo("succeeded");
    assertThat(task.get("attempts").asInt()).isEqualTo(1);
    assertThat(task.get("progress").isNull()).isTrue();
    assertThat(target.received("/never")).as("no bad task was dispatched").isEmpty();
    assertThat(target.received("/work")).hasSize(1);
  }

  // --- building cases

  /** A valid task to the never-called path, with {@code extraFields} ("\"a\":1,\"b\":2") added. */
  private static String task(String extraFields) {
    return "{\"callbackUrl\":\"" + NEVER + "\"" + (extraFields.isEmpty() ? "" : "," + extraFields) + "}";
  }

  private static String batch(int size) {
    return IntStream.range(0, size).mapToObj(i -> task("\"payload\":{\"n\":" + i + "}"))
        .collect(Collectors.joining(",", "{\"tasks\":[", "]}"));
  }

  private static Case post(String name, String path, String body, int status, String... fields) {
    return send(name, "POST", path, body, status, fields);
  }

  private static Case get(String name, String path, int status, String... fields) {
    return send(name, "GET", path, null, status, fields);
  }

  private static Case send(String name, String method, String path, String body, int status, String... fields) {
    return new Case(name, method, path, body == null ? null : "application/json", body, List.of(), status, List.of(fields), false);
  }

  private static HttpRequest.Builder request(Case c) {
    String body = c.body() == null ? null : fill(c.body());
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url(fill(c.path()))))
        .method(c.method(), body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.UTF_8)));
    if (c.contentType() != null) request.header("Content-Type", c.contentType());
    for (int i = 0; i < c.headers().size(); i += 2) request.header(c.headers().get(i), fill(c.headers().get(i + 1)));
    return request;
  }

  private static String fill(String text) {
    return text.replace(TASK, finishedTaskId).replace(TOKEN, finishedTaskToken).replace(NEVER, target.url("/never"));
  }

  private static String abbreviate(String text) {
    if (text == null) return "(no body)";
    return text.length() < 300 ? text : text.substring(0, 300) + "…";
  }
}
