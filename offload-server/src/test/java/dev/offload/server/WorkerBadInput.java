package dev.offload.server;

import static dev.offload.server.BadInput.MALFORMED_ID;
import static dev.offload.server.BadInput.MIB;
import static dev.offload.server.BadInput.PULL;
import static dev.offload.server.BadInput.SQL;
import static dev.offload.server.BadInput.TASK;
import static dev.offload.server.BadInput.UNKNOWN_ID;
import static dev.offload.server.BadInput.encoded;
import static dev.offload.server.BadInput.nested;
import static dev.offload.server.BadInput.post;

import java.util.ArrayList;
import java.util.List;

/**
 * Bad pull-worker requests: leases that ask for the wrong thing, heartbeats (one or many),
 * completions, failures and releases with bad lease tokens. The queued pull task must still be
 * queued afterwards.
 */
final class WorkerBadInput {
  private static final String LEASE = "/v1/workers/lease";

  private WorkerBadInput() {}

  static List<BadInput> cases() {
    List<BadInput> cases = new ArrayList<>();
    leases(cases);
    for (String action : List.of("heartbeat", "complete", "fail", "release")) tokens(cases, action);
    bodies(cases);
    batchHeartbeats(cases);
    return cases;
  }

  private static void leases(List<BadInput> cases) {
    cases.add(post("lease: malformed JSON", LEASE, "{\"max\":", 400, "(body)"));
    cases.add(post("lease: empty body", LEASE, "", 400, "(body)"));
    cases.add(post("lease: an array", LEASE, "[]", 400, "(body)"));
    cases.add(
        post(
            "lease: nested 10,000 levels",
            LEASE,
            "{\"queues\":" + nested(10_000) + "}",
            400,
            "(body)"));
    cases.add(
        post("lease: text/plain Content-Type", LEASE, "{}", 415).withContentType("text/plain"));
    cases.add(
        post("lease: invalid UTF-8", LEASE, "{\"workerId\":\"w\u00ff\"}", 400, "(body)")
            .rawBytes());
    cases.add(post("lease: unknown field", LEASE, "{\"queue\":\"q\"}", 400, "queue"));
    for (String bad :
        List.of(
            "1",
            "\"\"",
            "\"" + "w".repeat(101) + "\"",
            "\"" + SQL + "\"",
            "\"a b\"",
            "\"w\\u0000\"",
            "[\"w\"]")) {
      cases.add(
          post(
              "lease: workerId " + abbreviate(bad),
              LEASE,
              "{\"workerId\":" + bad + ",\"wait\":\"0s\"}",
              400,
              "workerId"));
    }
    cases.add(post("lease: queues a string", LEASE, "{\"queues\":\"q\"}", 400, "queues"));
    cases.add(
        post(
            "lease: 101 queues",
            LEASE,
            "{\"queues\":[" + "\"q\",".repeat(100) + "\"q\"]}",
            400,
            "queues"));
    cases.add(post("lease: a queue that is a number", LEASE, "{\"queues\":[1]}", 400, "queues[0]"));
    cases.add(post("lease: an empty queue", LEASE, "{\"queues\":[\"\"]}", 400, "queues[0]"));
    cases.add(
        post(
            "lease: a SQL queue",
            LEASE,
            "{\"queues\":[\"ok\",\"" + SQL + "\"]}",
            400,
            "queues[1]"));
    cases.add(
        post(
            "lease: a queue of 1 MiB",
            LEASE,
            "{\"queues\":[\"" + "q".repeat(MIB) + "\"]}",
            400,
            "queues[0]"));
    cases.add(post("lease: a SQL name", LEASE, "{\"names\":[\"" + SQL + "\"]}", 400, "names[0]"));
    cases.add(
        post(
            "lease: a name of 201 characters",
            LEASE,
            "{\"names\":[\"" + "n".repeat(201) + "\"]}",
            400,
            "names[0]"));
    for (String bad :
        List.of("0", "101", "\"5\"", "1.5", "1e400", "9223372036854775808", "-1", "true")) {
      cases.add(post("lease: max " + bad, LEASE, "{\"max\":" + bad + "}", 400, "max"));
    }
    for (String bad :
        List.of("\"61s\"", "\"-1s\"", "5", "\"abc\"", "\"PT9999999999999999H\"", "\"1h\"")) {
      cases.add(post("lease: wait " + bad, LEASE, "{\"wait\":" + bad + "}", 400, "wait"));
    }
    for (String bad : List.of("\"0s\"", "\"999ms\"", "\"2h\"", "60")) {
      cases.add(
          post("lease: leaseFor " + bad, LEASE, "{\"leaseFor\":" + bad + "}", 400, "leaseFor"));
    }
    cases.add(
        post(
            "lease: many errors at once",
            LEASE,
            "{\"max\":0,\"wait\":\"2m\",\"leaseFor\":\"0s\",\"queues\":[\"a b\"]}",
            400,
            "max",
            "wait",
            "leaseFor",
            "queues[0]"));
  }

  /** Wrong ids and wrong lease tokens on one worker action. */
  private static void tokens(List<BadInput> cases, String action) {
    String body =
        action.equals("fail")
            ? "{\"leaseToken\":\"%s\",\"error\":\"boom\"}"
            : "{\"leaseToken\":\"%s\"}";
    String pull = "/v1/tasks/" + PULL + "/" + action;
    cases.add(
        post(
            action + ": unknown task id",
            "/v1/tasks/" + UNKNOWN_ID + "/" + action,
            body.formatted("t"),
            404));
    cases.add(
        post(
            action + ": malformed task id",
            "/v1/tasks/" + MALFORMED_ID + "/" + action,
            body.formatted("t"),
            404));
    cases.add(
        post(
            action + ": SQL task id",
            "/v1/tasks/" + encoded(SQL) + "/" + action,
            body.formatted("t"),
            404));
    cases.add(
        post(
            action + ": a queued task with a made-up token",
            pull,
            body.formatted("worker/lease_abc_" + PULL),
            409));
    cases.add(post(action + ": a queued task with a SQL token", pull, body.formatted(SQL), 409));
    cases.add(
        post(
            action + ": a finished push task",
            "/v1/tasks/" + TASK + "/" + action,
            body.formatted("t"),
            409));
    cases.add(
        post(
            action + ": no leaseToken",
            pull,
            action.equals("fail") ? "{\"error\":\"boom\"}" : "{}",
            400,
            "leaseToken"));
    cases.add(
        post(
            action + ": leaseToken a number",
            pull,
            body.replace("\"%s\"", "42"),
            400,
            "leaseToken"));
    cases.add(post(action + ": empty leaseToken", pull, body.formatted(""), 400, "leaseToken"));
    cases.add(
        post(
            action + ": leaseToken of 601 characters",
            pull,
            body.formatted("t".repeat(601)),
            400,
            "leaseToken"));
    cases.add(
        post(
            action + ": unknown field",
            pull,
            body.formatted("t").replace("}", ",\"x\":1}"),
            400,
            "x"));
    cases.add(post(action + ": malformed JSON", pull, "{\"leaseToken\":", 400, "(body)"));
    cases.add(post(action + ": body a string", pull, "\"t\"", 400, "(body)"));
  }

  private static void bodies(List<BadInput> cases) {
    String pull = "/v1/tasks/" + PULL;
    cases.add(
        post(
            "heartbeat: leaseFor 2h",
            pull + "/heartbeat",
            "{\"leaseToken\":\"t\",\"leaseFor\":\"2h\"}",
            400,
            "leaseFor"));
    cases.add(
        post(
            "heartbeat: leaseFor a number",
            pull + "/heartbeat",
            "{\"leaseToken\":\"t\",\"leaseFor\":30}",
            400,
            "leaseFor"));
    cases.add(
        post(
            "heartbeat: progress over 64 KiB",
            pull + "/heartbeat",
            "{\"leaseToken\":\"t\",\"progress\":\"" + "p".repeat(64 * 1024) + "\"}",
            400,
            "progress"));
    cases.add(
        post(
            "complete: result over --max-payload",
            pull + "/complete",
            "{\"leaseToken\":\"t\",\"result\":\"" + "r".repeat(MIB) + "\"}",
            413,
            "result"));
    cases.add(
        post(
            "complete: result nested 10,000 levels",
            pull + "/complete",
            "{\"leaseToken\":\"t\",\"result\":" + nested(10_000) + "}",
            400,
            "(body)"));
    cases.add(post("fail: no error", pull + "/fail", "{\"leaseToken\":\"t\"}", 400, "error"));
    cases.add(
        post(
            "fail: error a number",
            pull + "/fail",
            "{\"leaseToken\":\"t\",\"error\":500}",
            400,
            "error"));
    cases.add(
        post(
            "fail: error of 10,001 characters",
            pull + "/fail",
            "{\"leaseToken\":\"t\",\"error\":\"" + "e".repeat(10_001) + "\"}",
            400,
            "error"));
    cases.add(
        post(
            "fail: error with NUL",
            pull + "/fail",
            "{\"leaseToken\":\"t\",\"error\":\"a\\u0000b\"}",
            400,
            "error"));
    cases.add(
        post(
            "fail: retryable \"yes\"",
            pull + "/fail",
            "{\"leaseToken\":\"t\",\"error\":\"e\",\"retryable\":\"yes\"}",
            400,
            "retryable"));
    cases.add(post("fail: nothing given", pull + "/fail", "{}", 400, "leaseToken", "error"));
  }

  private static void batchHeartbeats(List<BadInput> cases) {
    String beat = "/v1/workers/heartbeat";
    String lease = lease("");
    cases.add(post("heartbeats: malformed JSON", beat, "{\"leases\":[", 400, "(body)"));
    cases.add(post("heartbeats: an array", beat, "[" + lease + "]", 400, "(body)"));
    cases.add(post("heartbeats: no leases", beat, "{}", 400, "leases"));
    cases.add(
        post("heartbeats: leases an object", beat, "{\"leases\":" + lease + "}", 400, "leases"));
    cases.add(post("heartbeats: no lease at all", beat, "{\"leases\":[]}", 400, "leases"));
    cases.add(
        post(
            "heartbeats: 1,001 leases",
            beat,
            "{\"leases\":[" + (lease + ",").repeat(1_000) + lease + "]}",
            400,
            "leases"));
    cases.add(
        post(
            "heartbeats: a lease that is a string",
            beat,
            "{\"leases\":[" + lease + ",\"t\"]}",
            400,
            "leases[1]"));
    cases.add(
        post(
            "heartbeats: unknown field",
            beat,
            "{\"leases\":[" + lease + "],\"lease\":1}",
            400,
            "lease"));
    cases.add(
        post(
            "heartbeats: unknown field in a lease",
            beat,
            "{\"leases\":[" + lease(",\"x\":1") + "]}",
            400,
            "leases[0].x"));
    cases.add(
        post(
            "heartbeats: no taskId",
            beat,
            "{\"leases\":[{\"leaseToken\":\"t\"}]}",
            400,
            "leases[0].taskId"));
    cases.add(
        post(
            "heartbeats: a malformed taskId",
            beat,
            "{\"leases\":[" + lease.replace(PULL, MALFORMED_ID) + "]}",
            400,
            "leases[0].taskId"));
    cases.add(
        post(
            "heartbeats: a SQL taskId",
            beat,
            "{\"leases\":[" + lease.replace(PULL, SQL) + "]}",
            400,
            "leases[0].taskId"));
    cases.add(
        post(
            "heartbeats: no leaseToken",
            beat,
            "{\"leases\":[{\"taskId\":\"" + PULL + "\"}]}",
            400,
            "leases[0].leaseToken"));
    cases.add(
        post(
            "heartbeats: leaseToken of 601 characters",
            beat,
            "{\"leases\":[" + lease.replace("\"t\"", "\"" + "t".repeat(601) + "\"") + "]}",
            400,
            "leases[0].leaseToken"));
    cases.add(
        post(
            "heartbeats: progress over 64 KiB",
            beat,
            "{\"leases\":[" + lease(",\"progress\":\"" + "p".repeat(64 * 1024) + "\"") + "]}",
            400,
            "leases[0].progress"));
    cases.add(
        post(
            "heartbeats: leaseFor 2h",
            beat,
            "{\"leases\":[" + lease + "],\"leaseFor\":\"2h\"}",
            400,
            "leaseFor"));
    cases.add(
        post(
            "heartbeats: every lease wrong at once",
            beat,
            "{\"leases\":[{},{\"taskId\":1,\"leaseToken\":2}]}",
            400,
            "leases[0].taskId",
            "leases[0].leaseToken",
            "leases[1].taskId",
            "leases[1].leaseToken"));
  }

  /** One lease of a batch heartbeat for the queued pull task, with {@code more} fields. */
  private static String lease(String more) {
    return "{\"taskId\":\"" + PULL + "\",\"leaseToken\":\"t\"" + more + "}";
  }

  private static String abbreviate(String text) {
    return text.length() <= 30
        ? text
        : text.substring(0, 10) + "… (" + text.length() + " characters)";
  }
}
