package dev.offload.server;

import static dev.offload.server.BadInput.MALFORMED_ID;
import static dev.offload.server.BadInput.MIB;
import static dev.offload.server.BadInput.PULL;
import static dev.offload.server.BadInput.SQL;
import static dev.offload.server.BadInput.TASK;
import static dev.offload.server.BadInput.TOKEN;
import static dev.offload.server.BadInput.UNKNOWN_ID;
import static dev.offload.server.BadInput.batch;
import static dev.offload.server.BadInput.encoded;
import static dev.offload.server.BadInput.get;
import static dev.offload.server.BadInput.nested;
import static dev.offload.server.BadInput.post;
import static dev.offload.server.BadInput.send;
import static dev.offload.server.BadInput.task;

import java.util.ArrayList;
import java.util.List;

/**
 * Bad requests to the other task endpoints: batch, list, get (long-poll), attempts, cancel, retry,
 * progress.
 */
final class TaskEndpointBadInput {
  /** Ids of the wrong shape: each is simply not found. */
  private static final List<String> BAD_IDS =
      List.of(
          MALFORMED_ID,
          UNKNOWN_ID.toLowerCase(),
          "tsk_01JD000000000000000000000",
          "tsk_01JD00000000000000000000000",
          "TSK_01JD0000000000000000000000",
          "tsk_01JD000000000000000000000U",
          encoded(SQL),
          "tsk_" + "0".repeat(2_000));

  private TaskEndpointBadInput() {}

  static List<BadInput> cases() {
    List<BadInput> cases = new ArrayList<>();
    batches(cases);
    lists(cases);
    reads(cases);
    actions(cases);
    progress(cases);
    return cases;
  }

  private static void batches(List<BadInput> cases) {
    String path = "/v1/tasks/batch";
    cases.add(post("batch: malformed JSON", path, "{\"tasks\":[", 400, "(body)"));
    cases.add(post("batch: empty body", path, "", 400, "(body)"));
    cases.add(post("batch: 0 tasks", path, "{\"tasks\":[]}", 400, "tasks"));
    cases.add(post("batch: 1001 tasks", path, batch(1_001), 400, "tasks"));
    cases.add(
        post(
            "batch: 100,000 empty objects",
            path,
            "{\"tasks\":[" + "{},".repeat(99_999) + "{}]}",
            400,
            "tasks"));
    cases.add(
        post("batch: tasks not an array", path, "{\"tasks\":" + task("") + "}", 400, "tasks"));
    cases.add(post("batch: tasks null", path, "{\"tasks\":null}", 400, "tasks"));
    cases.add(post("batch: tasks a string", path, "{\"tasks\":\"" + SQL + "\"}", 400, "tasks"));
    cases.add(post("batch: tasks missing", path, "{}", 400, "tasks"));
    cases.add(
        post(
            "batch: duplicate tasks key",
            path,
            "{\"tasks\":[" + task("") + "],\"tasks\":[]}",
            400,
            "(body)"));
    cases.add(
        post(
            "batch: nested 10,000 levels",
            path,
            "{\"tasks\":" + nested(10_000) + "}",
            400,
            "(body)"));
    cases.add(
        post(
            "batch: unknown top-level field",
            path,
            "{\"tasks\":[" + task("") + "],\"queue\":\"q\"}",
            400,
            "queue"));
    cases.add(post("batch: a bare array", path, "[" + task("") + "]", 400, "tasks"));
    cases.add(
        post(
            "batch: a task that is not an object",
            path,
            "{\"tasks\":[" + task("") + ",7]}",
            400,
            "tasks[1]"));
    cases.add(post("batch: a null task", path, "{\"tasks\":[null]}", 400, "tasks[0]"));
    cases.add(
        post(
            "batch: a task that is an array",
            path,
            "{\"tasks\":[[" + task("") + "]]}",
            400,
            "tasks[0]"));
    cases.add(
        post(
            "batch: second task invalid (all-or-nothing)",
            path,
            "{\"tasks\":[" + task("") + ",{\"callbackUrl\":\"ftp://example.com\"}]}",
            400,
            "tasks[1].callbackUrl"));
    cases.add(
        post(
            "batch: errors in several tasks",
            path,
            "{\"tasks\":["
                + task("\"delay\":\"3x\"")
                + ","
                + task("")
                + ","
                + task("\"headers\":{\"Host\":\"x\"}")
                + "]}",
            400,
            "tasks[0].delay",
            "tasks[2].headers.Host"));
    cases.add(
        post(
            "batch: SQL queue in the last task",
            path,
            "{\"tasks\":[" + task("") + "," + task("\"queue\":\"" + SQL + "\"") + "]}",
            400,
            "tasks[1].queue"));
    cases.add(
        post(
                "batch: Idempotency-Key header",
                path,
                "{\"tasks\":[" + task("") + "]}",
                400,
                "Idempotency-Key")
            .withHeader("Idempotency-Key", "k1"));
    cases.add(
        post("batch: text/plain Content-Type", path, "{\"tasks\":[" + task("") + "]}", 415)
            .withContentType("text/plain"));
    cases.add(
        post(
                "batch: invalid UTF-8",
                path,
                "{\"tasks\":[{\"callbackUrl\":\"\u00fe\u00ff\"}]}",
                400,
                "(body)")
            .rawBytes());
    cases.add(
        post(
            "batch: payload of 1 MiB + 1 byte",
            path,
            "{\"tasks\":["
                + task("")
                + ","
                + task("\"payload\":\"" + "p".repeat(MIB - 1) + "\"")
                + "]}",
            413,
            "tasks[1].payload"));
  }

  private static void lists(List<BadInput> cases) {
    cases.add(get("list: status=bogus", "/v1/tasks?status=bogus", 400, "status"));
    cases.add(
        get("list: status=SUCCEEDED (wrong case)", "/v1/tasks?status=SUCCEEDED", 400, "status"));
    cases.add(
        get(
            "list: status with SQL",
            "/v1/tasks?status=" + encoded("succeeded' OR '1'='1"),
            400,
            "status"));
    cases.add(get("list: status with NUL", "/v1/tasks?status=succeeded%00", 400, "status"));
    for (String bad :
        List.of(
            "0",
            "501",
            "abc",
            "-1",
            "",
            "1.5",
            "99999999999",
            "2147483648",
            "-0",
            "1e3",
            "0x10",
            "%20",
            "5%00")) {
      cases.add(get("list: limit=" + bad, "/v1/tasks?limit=" + bad, 400, "limit"));
    }
    cases.add(get("list: limit given twice", "/v1/tasks?limit=5&limit=6", 400, "limit"));
    cases.add(get("list: unknown parameter", "/v1/tasks?sort=" + encoded(SQL), 400, "sort"));
    cases.add(get("list: SQL as a parameter name", "/v1/tasks?" + encoded(SQL) + "=1", 400, SQL));
    cases.add(get("list: queue with SQL", "/v1/tasks?queue=" + encoded(SQL), 400, "queue"));
    cases.add(
        get("list: queue of 101 characters", "/v1/tasks?queue=" + "q".repeat(101), 400, "queue"));
    cases.add(
        get(
            "list: scheduleName with SQL",
            "/v1/tasks?scheduleName=" + encoded("x' UNION SELECT * FROM tasks--"),
            400,
            "scheduleName"));
    cases.add(
        get(
            "list: scheduleName with a slash",
            "/v1/tasks?scheduleName=a%2Fb",
            400,
            "scheduleName"));
    cases.add(get("list: cursor=garbage", "/v1/tasks?cursor=garbage", 400, "cursor"));
    cases.add(get("list: cursor=tsk_ too short", "/v1/tasks?cursor=tsk_01JD", 400, "cursor"));
    cases.add(
        get(
            "list: cursor with SQL",
            "/v1/tasks?cursor=" + encoded(UNKNOWN_ID + SQL),
            400,
            "cursor"));
    cases.add(
        get("list: status with a broken %-escape", "/v1/tasks?status=%ZZ", 400, "status").raw());
    cases.add(
        get("list: limit with a broken %-escape", "/v1/tasks?limit=0%ZZ", 400, "limit").raw());
    cases.add(
        get("list: cursor with a broken %-escape", "/v1/tasks?cursor=%ZZ", 400, "cursor").raw());
    cases.add(get("list: truncated %-escape", "/v1/tasks?queue=a%2", 400, "queue").raw());
    cases.add(get("list: %-escaped invalid UTF-8", "/v1/tasks?queue=%FF%FE", 400, "queue").raw());
    cases.add(
        get("list: %-escaped overlong '/' (C0 AF)", "/v1/tasks?queue=%C0%AF", 400, "queue").raw());
    cases.add(
        get("list: %-escaped lone surrogate (ED A0 80)", "/v1/tasks?queue=%ED%A0%80", 400, "queue")
            .raw());
  }

  private static void reads(List<BadInput> cases) {
    cases.add(get("get: unknown task id", "/v1/tasks/" + UNKNOWN_ID, 404));
    cases.add(get("attempts: unknown task id", "/v1/tasks/" + UNKNOWN_ID + "/attempts", 404));
    for (String id : BAD_IDS) {
      cases.add(get("get: bad task id " + label(id), "/v1/tasks/" + id, 404));
      cases.add(get("attempts: bad task id " + label(id), "/v1/tasks/" + id + "/attempts", 404));
    }
    for (String bad :
        List.of(
            "61s",
            "abc",
            "61",
            "2m",
            "-1s",
            "",
            "60001ms",
            "PT61S",
            "1d",
            "99999999999s",
            "0x10",
            "%00",
            encoded("1s; DROP TABLE tasks"))) {
      cases.add(get("get: wait=" + bad, "/v1/tasks/" + TASK + "?wait=" + bad, 400, "wait"));
    }
    cases.add(get("get: wait given twice", "/v1/tasks/" + TASK + "?wait=1s&wait=2s", 400, "wait"));
    cases.add(
        get("get: unknown parameter", "/v1/tasks/" + TASK + "?include=attempts", 400, "include"));
    cases.add(
        get(
            "get: wait=61s on an unknown task",
            "/v1/tasks/" + UNKNOWN_ID + "?wait=61s",
            400,
            "wait"));
    cases.add(get("get: wait=1s on an unknown task", "/v1/tasks/" + UNKNOWN_ID + "?wait=1s", 404));
    cases.add(
        get("get: wait with a broken %-escape", "/v1/tasks/" + TASK + "?wait=61s%ZZ", 400, "wait")
            .raw());
  }

  private static void actions(List<BadInput> cases) {
    for (String action : List.of("cancel", "retry")) {
      cases.add(
          post(action + ": unknown task id", "/v1/tasks/" + UNKNOWN_ID + "/" + action, "", 404));
      for (String id : BAD_IDS.subList(0, 4)) {
        cases.add(
            post(action + ": bad task id " + label(id), "/v1/tasks/" + id + "/" + action, "", 404));
      }
      cases.add(
          post(action + ": SQL task id", "/v1/tasks/" + encoded(SQL) + "/" + action, "", 404));
      cases.add(post(action + ": a succeeded task", "/v1/tasks/" + TASK + "/" + action, "", 409));
    }
    cases.add(send("delete: unknown task id", "DELETE", "/v1/tasks/" + UNKNOWN_ID, null, 404));
    for (String id : BAD_IDS)
      cases.add(send("delete: bad task id " + label(id), "DELETE", "/v1/tasks/" + id, null, 404));
    cases.add(
        send("delete: an unfinished (queued) task", "DELETE", "/v1/tasks/" + PULL, null, 409));
    cases.add(
        send(
            "delete: unknown query parameter",
            "DELETE",
            "/v1/tasks/" + TASK + "?force=true",
            null,
            400,
            "force"));
    cases.add(
        send(
            "delete: on the attempts of a task",
            "DELETE",
            "/v1/tasks/" + TASK + "/attempts",
            null,
            404));
  }

  private static void progress(List<BadInput> cases) {
    String path = "/v1/tasks/" + TASK + "/progress";
    cases.add(post("progress: without token", path, "{\"progress\":50}", 401));
    cases.add(
        post("progress: with a wrong token", path, "{\"progress\":50}", 401)
            .withHeader("Offload-Task-Token", "not-the-token"));
    cases.add(
        post("progress: with a SQL token", path, "{\"progress\":50}", 401)
            .withHeader("Offload-Task-Token", SQL));
    cases.add(
        post("progress: with an empty token", path, "{\"progress\":50}", 401)
            .withHeader("Offload-Task-Token", ""));
    cases.add(
        post("progress: with a token of 4 KiB", path, "{\"progress\":50}", 401)
            .withHeader("Offload-Task-Token", "t".repeat(4_096)));
    cases.add(
        post(
                "progress: another task's token",
                "/v1/tasks/" + UNKNOWN_ID + "/progress",
                "{\"progress\":50}",
                401)
            .withHeader("Offload-Task-Token", TOKEN));
    cases.add(
        post(
            "progress: unknown task id without token",
            "/v1/tasks/" + UNKNOWN_ID + "/progress",
            "{\"progress\":50}",
            401));
    cases.add(
        post(
            "progress: malformed task id",
            "/v1/tasks/" + MALFORMED_ID + "/progress",
            "{\"progress\":50}",
            404));
    cases.add(
        post("progress: unknown field", path, "{\"progress\":50,\"stage\":\"x\"}", 400, "stage")
            .withHeader("Offload-Task-Token", TOKEN));
    cases.add(
        post("progress: missing progress", path, "{}", 400, "progress")
            .withHeader("Offload-Task-Token", TOKEN));
    cases.add(
        post("progress: body an array", path, "[50]", 400, "(body)")
            .withHeader("Offload-Task-Token", TOKEN));
    cases.add(
        post("progress: malformed JSON", path, "{\"progress\":", 400, "(body)")
            .withHeader("Offload-Task-Token", TOKEN));
    cases.add(
        post(
                "progress: nested 10,000 levels",
                path,
                "{\"progress\":" + nested(10_000) + "}",
                400,
                "(body)")
            .withHeader("Offload-Task-Token", TOKEN));
    cases.add(
        post("progress: invalid UTF-8", path, "{\"progress\":\"\u00c3\u0028\"}", 400, "(body)")
            .withHeader("Offload-Task-Token", TOKEN)
            .rawBytes());
    cases.add(
        post("progress: text/plain Content-Type", path, "50", 415)
            .withHeader("Offload-Task-Token", TOKEN)
            .withContentType("text/plain"));
    cases.add(
        post(
                "progress: over 64 KiB",
                path,
                "{\"progress\":\"" + "x".repeat(64 * 1024) + "\"}",
                400,
                "progress")
            .withHeader("Offload-Task-Token", TOKEN));
    cases.add(
        post(
                "progress: over 64 KiB of UTF-8 in fewer characters",
                path,
                "{\"progress\":\"" + "\u20ac".repeat(30_000) + "\"}",
                400,
                "progress")
            .withHeader("Offload-Task-Token", TOKEN));
    cases.add(
        post("progress: on a finished task", path, "{\"progress\":50}", 409)
            .withHeader("Offload-Task-Token", TOKEN));
  }

  private static String label(String id) {
    return id.length() <= 40 ? "\"" + id + "\"" : "of " + id.length() + " characters";
  }
}
