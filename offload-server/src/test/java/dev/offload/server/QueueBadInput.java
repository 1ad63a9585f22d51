package dev.offload.server;

import static dev.offload.server.BadInput.SQL;
import static dev.offload.server.BadInput.encoded;
import static dev.offload.server.BadInput.get;
import static dev.offload.server.BadInput.post;
import static dev.offload.server.BadInput.send;

import java.util.ArrayList;
import java.util.List;

/**
 * Bad {@code /v1/queues} reads. The corpus's server has the queues {@code default} and {@code
 * probe}; a name no queue can have is a 404 like a name never used.
 */
final class QueueBadInput {
  private static final String HISTORY = "/history";

  private QueueBadInput() {}

  static List<BadInput> cases() {
    return List.of(
        get("queues: unknown query parameter", "/v1/queues?name=default", 400, "name"),
        get("queue: unknown query parameter", "/v1/queues/default?window=1h", 400, "window"),
        get(
            "queue history: unknown query parameter",
            "/v1/queues/default" + HISTORY + "?minutes=120",
            400,
            "minutes"),
        get(
            "queue history: two unknown query parameters",
            "/v1/queues/probe" + HISTORY + "?from=0&to=1",
            400,
            "from",
            "to"),
        get("queue history: a queue never used", "/v1/queues/never-used" + HISTORY, 404),
        get("queue history: SQL as the name", "/v1/queues/" + encoded(SQL) + HISTORY, 404),
        get(
            "queue history: a name of 101 characters",
            "/v1/queues/" + "q".repeat(101) + HISTORY,
            404),
        get("queue history: an encoded slash in the name", "/v1/queues/a%2Fb" + HISTORY, 404),
        post("POST on a queue's history", "/v1/queues/default" + HISTORY, "{}", 404));
  }

  /** Bad retention settings in {@code PUT /v1/queues/{name}}; each leaves the queue as it was. */
  static List<BadInput> retentionCases() {
    List<BadInput> cases = new ArrayList<>();
    for (String field : List.of("retainSucceeded", "retainFailed")) {
      for (String bad :
          List.of(
              "\"0s\"",
              "\"30s\"",
              "\"3651d\"",
              "\"FOREVER\"",
              "\"keep\"",
              "\"-1d\"",
              "\"\"",
              "-1",
              "86400",
              "false",
              "[]",
              "\"" + SQL + "\"")) {
        cases.add(
            send(
                "queue: " + field + " " + bad,
                "PUT",
                "/v1/queues/probe",
                "{\"" + field + "\":" + bad + "}",
                400,
                field));
      }
    }
    cases.add(
        send(
            "queue: both retentions bad",
            "PUT",
            "/v1/queues/probe",
            "{\"retainSucceeded\":\"1x\",\"retainFailed\":\"2y\",\"concurrency\":0}",
            400,
            "retainSucceeded",
            "retainFailed",
            "concurrency"));
    cases.add(
        send(
            "queue: retention misspelt",
            "PUT",
            "/v1/queues/probe",
            "{\"retainSuccess\":\"1d\"}",
            400,
            "retainSuccess"));
    return cases;
  }
}
