package dev.offload.server;

import static dev.offload.server.BadInput.MIB;
import static dev.offload.server.BadInput.SQL;
import static dev.offload.server.BadInput.encoded;
import static dev.offload.server.BadInput.get;
import static dev.offload.server.BadInput.nested;
import static dev.offload.server.BadInput.post;
import static dev.offload.server.BadInput.send;

import java.util.ArrayList;
import java.util.List;

/**
 * Bad {@code /v1/schedules} requests. The schedule declared before the corpus must be unchanged
 * afterwards.
 */
final class ScheduleBadInput {
  /** The schedule that exists while the corpus runs (paused, so it never fires). */
  static final String KEPT = "kept-nightly";

  private static final String TASK = "\"task\":{\"callbackUrl\":\"http://127.0.0.1:9/x\"}";
  private static final String PUT = "/v1/schedules/s";

  private ScheduleBadInput() {}

  static List<BadInput> cases() {
    List<BadInput> cases = new ArrayList<>();
    bodies(cases);
    crons(cases);
    zonesAndOptions(cases);
    names(cases);
    reads(cases);
    return cases;
  }

  private static BadInput put(String name, String json, int status, String... fields) {
    return send("schedule: " + name, "PUT", PUT, json, status, fields);
  }

  private static void bodies(List<BadInput> cases) {
    cases.add(put("no body", "", 400, "(body)"));
    cases.add(put("malformed JSON", "{\"cron\":", 400, "(body)"));
    cases.add(put("an array", "[{\"cron\":\"@daily\"}]", 400, "(body)"));
    cases.add(
        put(
            "nested 10,000 levels",
            "{\"cron\":\"@daily\",\"task\":{\"payload\":" + nested(10_000) + "}}",
            400,
            "(body)"));
    cases.add(
        put(
            "duplicate cron keys",
            "{\"cron\":\"@daily\",\"cron\":\"@hourly\"," + TASK + "}",
            400,
            "(body)"));
    cases.add(
        put("invalid UTF-8", "{\"cron\":\"@daily\u00ff\"," + TASK + "}", 400, "(body)").rawBytes());
    cases.add(
        put("text/plain Content-Type", "{\"cron\":\"@daily\"," + TASK + "}", 415)
            .withContentType("text/plain"));
    cases.add(put("unknown field", "{\"cron\":\"@daily\"," + TASK + ",\"crn\":1}", 400, "crn"));
    cases.add(
        send(
            "schedule: unknown query parameter on PUT",
            "PUT",
            PUT + "?force=1",
            "{\"cron\":\"@daily\"," + TASK + "}",
            400,
            "force"));
    cases.add(put("missing cron and task", "{}", 400, "cron", "task"));
    cases.add(
        put(
            "task not an object",
            "{\"cron\":\"@daily\",\"task\":\"http://127.0.0.1:9/x\"}",
            400,
            "task"));
    cases.add(
        put(
            "task without callbackUrl",
            "{\"cron\":\"@daily\",\"task\":{}}",
            400,
            "task.callbackUrl"));
    cases.add(
        put(
            "a pull task (name)",
            "{\"cron\":\"@daily\",\"task\":{\"name\":\"send-report\"}}",
            400,
            "task.name"));
    cases.add(
        put(
            "task retention below a minute",
            "{\"cron\":\"@daily\",\"task\":{\"callbackUrl\":\"http://127.0.0.1:9/x\","
                + "\"retention\":\"10s\"}}",
            400,
            "task.retention"));
    cases.add(
        put(
            "task with an idempotency key",
            "{\"cron\":\"@daily\",\"task\":{\"callbackUrl\":\"http://127.0.0.1:9/x\",\"idempotencyKey\":\"k\"}}",
            400,
            "task.idempotencyKey"));
    cases.add(
        put(
            "task with a delay",
            "{\"cron\":\"@daily\",\"task\":{\"callbackUrl\":\"http://127.0.0.1:9/x\",\"delay\":\"1m\"}}",
            400,
            "task.delay"));
    cases.add(
        put(
            "task with bad retries and queue",
            "{\"cron\":\"@daily\",\"task\":{\"callbackUrl\":\"http://127.0.0.1:9/x\","
                + "\"retries\":-1,\"queue\":\""
                + SQL
                + "\"}}",
            400,
            "task.retries",
            "task.queue"));
    cases.add(
        put(
            "task with a priority over a day",
            "{\"cron\":\"@daily\",\"task\":{\"callbackUrl\":\"http://127.0.0.1:9/x\","
                + "\"priority\":90000}}",
            400,
            "task.priority"));
    cases.add(
        put(
            "task payload over 1 MiB",
            "{\"cron\":\"@daily\",\"task\":{\"callbackUrl\":\"http://127.0.0.1:9/x\",\"payload\":\""
                + "p".repeat(MIB)
                + "\"}}",
            413,
            "task.payload"));
  }

  private static void crons(List<BadInput> cases) {
    for (String bad :
        List.of(
            "",
            " ",
            "* * * *",
            "0 0 * * * *",
            "60 * * * *",
            "* 24 * * *",
            "* * 32 * *",
            "* * * 13 *",
            "* * * * 8",
            "0 0 30 2 *",
            "*/0 * * * *",
            "5-1 * * * *",
            "99999999999999999999 * * * *",
            "L W # ? *",
            "@yearly2",
            "@every",
            "@every 0s",
            "@every 1ms",
            "@every 1500ms",
            "@every -1s",
            "@every 367d",
            "@every 99999999999s",
            "@every PT9999999999999999H",
            "@reboot",
            SQL,
            "0 0 * * *\\u0000",
            "\\u0000")) {
      cases.add(
          put("cron \"" + bad + "\"", "{\"cron\":\"" + bad + "\"," + TASK + "}", 400, "cron"));
    }
    cases.add(put("cron as a number", "{\"cron\":5," + TASK + "}", 400, "cron"));
    cases.add(put("cron as an array", "{\"cron\":[\"@daily\"]," + TASK + "}", 400, "cron"));
    cases.add(put("cron null", "{\"cron\":null," + TASK + "}", 400, "cron"));
    cases.add(
        put("cron of 1 MiB", "{\"cron\":\"" + "*".repeat(MIB) + "\"," + TASK + "}", 400, "cron"));
  }

  private static void zonesAndOptions(List<BadInput> cases) {
    for (String bad :
        List.of(
            "Europe/Atlantis",
            "",
            "Europe/../../etc/passwd",
            "+25:00",
            "GMT+99",
            "UTC\\u0000",
            SQL,
            "z".repeat(65))) {
      cases.add(
          put(
              "time zone \"" + (bad.length() > 30 ? bad.length() + " characters" : bad) + "\"",
              "{\"cron\":\"@daily\",\"timezone\":\"" + bad + "\"," + TASK + "}",
              400,
              "timezone"));
    }
    cases.add(
        put(
            "time zone a number",
            "{\"cron\":\"@daily\",\"timezone\":1," + TASK + "}",
            400,
            "timezone"));
    cases.add(
        put(
            "paused \"yes\"",
            "{\"cron\":\"@daily\",\"paused\":\"yes\"," + TASK + "}",
            400,
            "paused"));
    cases.add(
        put(
            "overlap \"maybe\"",
            "{\"cron\":\"@daily\",\"overlap\":\"maybe\"," + TASK + "}",
            400,
            "overlap"));
    cases.add(put("catchUp 1", "{\"cron\":\"@daily\",\"catchUp\":1," + TASK + "}", 400, "catchUp"));
  }

  private static void names(List<BadInput> cases) {
    String body = "{\"cron\":\"@daily\"," + TASK + "}";
    cases.add(
        send(
            "schedule: name too long",
            "PUT",
            "/v1/schedules/" + "n".repeat(129),
            body,
            400,
            "name"));
    cases.add(
        send(
            "schedule: SQL name",
            "PUT",
            "/v1/schedules/" + encoded("x'; DROP TABLE schedules;--"),
            body,
            400,
            "name"));
    cases.add(
        send(
            "schedule: name starting with a dot",
            "PUT",
            "/v1/schedules/.hidden",
            body,
            400,
            "name"));
    cases.add(send("schedule: name with a space", "PUT", "/v1/schedules/a%20b", body, 400, "name"));
    // Jetty refuses an encoded NUL before any route, and closes the connection: over a socket of
    // its own.
    cases.add(send("schedule: name with NUL", "PUT", "/v1/schedules/a%00b", body, 400).raw());
    cases.add(
        send(
            "schedule: name with an encoded slash",
            "PUT",
            "/v1/schedules/a%2Fb",
            body,
            400,
            "name"));
    cases.add(send("schedule: name with a slash", "PUT", "/v1/schedules/a/b", body, 404));
    cases.add(
        send("schedule: name with a backslash", "PUT", "/v1/schedules/a%5Cb", body, 400, "name"));
    cases.add(
        send("schedule: name with invalid UTF-8", "PUT", "/v1/schedules/a%FFb", body, 400).raw());
    cases.add(
        send("schedule: name with an encoded '..'", "PUT", "/v1/schedules/%2E%2E", body, 400)
            .raw());
  }

  private static void reads(List<BadInput> cases) {
    String sqlName = encoded(SQL);
    cases.add(get("schedule: unknown", "/v1/schedules/nope", 404));
    cases.add(get("schedule: get SQL name", "/v1/schedules/" + sqlName, 404));
    for (String bad : List.of("0", "51", "abc", "-1", "1.5", "", "9999")) {
      cases.add(
          get("schedule: next=" + bad, "/v1/schedules/" + KEPT + "?next=" + bad, 400, "next"));
    }
    cases.add(
        get("schedule: next given twice", "/v1/schedules/" + KEPT + "?next=1&next=2", 400, "next"));
    cases.add(
        get("schedule: next with invalid UTF-8", "/v1/schedules/" + KEPT + "?next=%FF", 400, "next")
            .raw());
    cases.add(get("schedules: unknown query parameter", "/v1/schedules?limit=5", 400, "limit"));
    cases.add(get("schedules: SQL query parameter", "/v1/schedules?" + sqlName + "=1", 400, SQL));
    for (String action : List.of("trigger", "pause", "resume")) {
      cases.add(post("schedule: " + action + " unknown", "/v1/schedules/nope/" + action, "", 404));
      cases.add(
          post(
              "schedule: " + action + " SQL name",
              "/v1/schedules/" + sqlName + "/" + action,
              "",
              404));
      cases.add(
          post(
              "schedule: " + action + " name with a slash",
              "/v1/schedules/" + KEPT + "/x/" + action,
              "",
              404));
    }
    cases.add(send("schedule: delete unknown", "DELETE", "/v1/schedules/nope", null, 404));
    cases.add(send("schedule: delete SQL name", "DELETE", "/v1/schedules/" + sqlName, null, 404));
    cases.add(
        send(
            "schedule: delete name of 129 characters",
            "DELETE",
            "/v1/schedules/" + "n".repeat(129),
            null,
            404));
  }
}
