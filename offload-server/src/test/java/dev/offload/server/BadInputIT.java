package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * The bad-input corpus (README: API, Security): malformed, oversize, wrongly typed and hostile
 * requests (SQL fragments, control characters, huge numbers, deep nesting, invalid UTF-8) to every
 * endpoint, grouped by endpoint in {@link TaskCreateBadInput}, {@link TaskEndpointBadInput}, {@link
 * WorkerBadInput}, {@link ScheduleBadInput}, {@link QueueBadInput} and {@link ProtocolBadInput}.
 * Each gets a precise RFC 9457 problem, never a 5xx, and changes nothing.
 *
 * <p>A finished push task, a queued pull task and a paused schedule exist before the corpus runs,
 * so the task actions, worker tokens and schedule reads have real things to be refused on;
 * afterwards they must be exactly as they were, the database schema intact, the queued task must
 * still run to success, and a new task full of hostile (but valid) text must run end to end.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputIT {
  @TempDir static Path dataDir;
  private static RunningServer server;
  private static TestTarget target;
  private static String finishedTaskId;
  private static String finishedTaskToken;
  private static String pullTaskId;
  private static Map<String, JsonNode> before;
  private static List<String> schemaBefore;

  /** Every answer's status by case name, to count the 5xx answers across the corpus. */
  private static final Map<String, Integer> answered = new ConcurrentHashMap<>();

  @BeforeAll
  static void startServerWithATaskOfEachKindAndASchedule() throws Exception {
    target = new TestTarget();
    server = new RunningServer(dataDir);
    finishedTaskId = server.createTask("{\"callbackUrl\":\"" + target.url("/work") + "\"}");
    assertThat(server.awaitFinished(finishedTaskId).get("status").asText()).isEqualTo("succeeded");
    finishedTaskToken = target.received("/work").getFirst().header("Offload-Task-Token");
    assertThat(finishedTaskToken).isNotBlank();
    pullTaskId =
        server.createTask("{\"name\":\"corpus-probe\",\"queue\":\"probe\",\"payload\":{\"n\":1}}");
    assertThat(
            server
                .put(
                    "/v1/schedules/" + ScheduleBadInput.KEPT,
                    "{\"cron\":\"0 3 1 1 *\",\"paused\":true,"
                        + "\"task\":{\"callbackUrl\":\""
                        + target.url("/never")
                        + "\"}}")
                .status())
        .isEqualTo(201);
    before = snapshot();
    schemaBefore = schema();
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
    if (target != null) target.close();
  }

  static Stream<BadInput> badRequests() {
    return Stream.of(
            TaskCreateBadInput.cases(),
            TaskEndpointBadInput.cases(),
            WorkerBadInput.cases(),
            ScheduleBadInput.cases(),
            QueueBadInput.cases(),
            QueueBadInput.retentionCases(),
            ProtocolBadInput.cases())
        .flatMap(List::stream);
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void bad_request_gets_a_precise_problem(BadInput c) {
    RunningServer.Answer answer = send(c);
    answered.put(c.name(), answer.status());

    List<String> wrong = new ArrayList<>();
    if (answer.status() != c.status())
      wrong.add("status " + answer.status() + ", expected " + c.status());
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
        if (problem.path(member).asText("").isBlank())
          wrong.add("no problem member \"" + member + "\"");
      }
      if (!problem.path("status").isInt() || problem.path("status").asInt() != answer.status()) {
        wrong.add(
            "problem member status "
                + problem.path("status")
                + " differs from the HTTP status "
                + answer.status());
      }
    }
    if (!c.fields().isEmpty()) {
      List<String> fields = new ArrayList<>();
      for (JsonNode error : problem.path("errors")) {
        fields.add(error.path("field").asText());
        if (error.path("message").asText("").isBlank()) wrong.add("no message in " + error);
      }
      if (!new HashSet<>(fields).equals(new HashSet<>(c.fields()))
          || fields.size() != c.fields().size()) {
        wrong.add("errors[].field " + fields + ", expected " + c.fields());
      }
    }
    if (!wrong.isEmpty()) {
      fail(
          "["
              + c.name()
              + "] "
              + String.join("; ", wrong)
              + "\n  answer: "
              + answer.status()
              + " "
              + contentType
              + " "
              + abbreviate(answer.text()).replaceAll("\\s*\\n\\s*", " "));
    }
  }

  @Order(2)
  @Test
  void the_corpus_has_over_200_cases_and_not_one_5xx_answer() {
    List<String> names = badRequests().map(BadInput::name).toList();
    assertThat(names).as("case names").doesNotHaveDuplicates();
    long cases = names.size();
    List<String> serverErrors =
        answered.entrySet().stream()
            .filter(e -> e.getValue() >= 500)
            .map(e -> e.getKey() + " -> " + e.getValue())
            .sorted()
            .toList();
    System.out.printf(
        "bad-input corpus: %d cases, %d answered, %d 5xx answers%n",
        cases, answered.size(), serverErrors.size());
    assertThat(cases).isGreaterThan(200);
    assertThat(answered.keySet())
        .as("every case was sent")
        .containsExactlyInAnyOrderElementsOf(names);
    assertThat(serverErrors).as("5xx answers").isEmpty();
  }

  @Order(3)
  @Test
  void afterwards_the_server_is_healthy_and_the_stored_tasks_schedule_and_schema_are_unchanged()
      throws Exception {
    RunningServer.Answer health = server.get("/healthz");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.header("Offload-Request-Id")).isNotBlank();
    assertThat(server.get("/readyz").status()).isEqualTo(200);
    assertThat(server.get("/v1/nodes").status()).isEqualTo(200);

    RunningServer.Answer list = server.get("/v1/tasks?limit=500");
    assertThat(list.status()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    list.body().get("tasks").forEach(t -> ids.add(t.get("taskId").asText()));
    assertThat(ids)
        .as("no bad request created a task")
        .containsExactlyInAnyOrder(finishedTaskId, pullTaskId);
    assertThat(snapshot()).as("the stored task and schedule JSON, byte for byte").isEqualTo(before);
    assertThat(schema()).as("every table and index, as created").isEqualTo(schemaBefore);
    assertThat(server.get("/v1/schedules").body().get("schedules")).hasSize(1);
    assertThat(target.received("/never")).as("no bad task was dispatched").isEmpty();
    assertThat(target.received("/work")).hasSize(1);
  }

  @Order(4)
  @Test
  void afterwards_the_task_queued_before_the_corpus_still_runs_to_success() {
    RunningServer.Answer lease =
        server.post("/v1/workers/lease", "{\"queues\":[\"probe\"],\"wait\":\"5s\"}");
    assertThat(lease.status()).isEqualTo(200);
    JsonNode leased = lease.body().get("tasks");
    assertThat(leased).hasSize(1);
    assertThat(leased.get(0).get("taskId").asText()).isEqualTo(pullTaskId);
    assertThat(leased.get(0).get("attempt").asInt())
        .as("no refused worker call counted an attempt")
        .isEqualTo(1);
    String token = leased.get(0).get("leaseToken").asText();
    RunningServer.Answer done =
        server.post(
            "/v1/tasks/" + pullTaskId + "/complete",
            "{\"leaseToken\":\"" + token + "\",\"result\":{\"ok\":true}}");
    assertThat(done.status()).isEqualTo(200);
    assertThat(server.get("/v1/tasks/" + pullTaskId).body().get("status").asText())
        .isEqualTo("succeeded");
  }

  @Order(5)
  @Test
  void afterwards_a_task_full_of_hostile_but_valid_text_runs_end_to_end_and_is_stored_verbatim()
      throws Exception {
    String hostile = BadInput.SQL + " \\\" \\\\ \\u0007 \\u2028 \\ud83d\\ude00";
    String expected = BadInput.SQL + " \" \\ \u0007 \u2028 \ud83d\ude00";
    String request =
        "{\"callbackUrl\":\""
            + target.url("/work")
            + "\",\"idempotencyKey\":\""
            + BadInput.SQL
            + "\",\"headers\":{\"X-Note\":\""
            + BadInput.SQL
            + "\"},\"payload\":{\""
            + hostile
            + "\":\""
            + hostile
            + "\"},"
            + "\"metadata\":{\"note\":\""
            + hostile
            + "\"}}";
    String created = server.createTask(request);
    JsonNode task = server.awaitFinished(created);
    assertThat(task.get("status").asText()).isEqualTo("succeeded");
    assertThat(task.get("idempotencyKey").asText()).isEqualTo(BadInput.SQL);
    assertThat(task.get("metadata").get("note").asText()).isEqualTo(expected);
    TestTarget.Received call = target.received("/work").getLast();
    assertThat(call.header("X-Note")).isEqualTo(BadInput.SQL);
    assertThat(new ObjectMapper().readTree(call.body()).get(expected).asText()).isEqualTo(expected);

    RunningServer.Answer replay = server.post("/v1/tasks", request);
    assertThat(replay.status()).as("the same key and request replay the task").isEqualTo(200);
    assertThat(replay.body().get("taskId").asText()).isEqualTo(created);
    assertThat(schema()).isEqualTo(schemaBefore);
  }

  @Order(6)
  @Test
  void a_prefer_wait_that_is_not_a_number_is_ignored_and_one_past_60s_is_capped() {
    String work = "{\"callbackUrl\":\"" + target.url("/work") + "\"}";
    RunningServer.Answer garbage =
        server.post("/v1/tasks", work, "Prefer", "wait=soon; DROP TABLE tasks");
    assertThat(garbage.status())
        .as("RFC 7240: a preference the server does not understand is ignored")
        .isEqualTo(202);
    assertThat(garbage.header("Preference-Applied")).isNull();

    RunningServer.Answer capped = server.post("/v1/tasks", work, "Prefer", "wait=99999999999");
    assertThat(capped.status()).as("the task finished within the wait").isEqualTo(200);
    assertThat(capped.header("Preference-Applied")).isEqualTo("wait=60");
  }

  private static RunningServer.Answer send(BadInput c) {
    if (!c.overSocket()) return server.send(request(c));
    byte[] body =
        c.body() == null
            ? null
            : fill(c.body())
                .getBytes(c.bodyIsBytes() ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    return RawHttp.send(
        server.server().port(),
        c.method(),
        fill(c.path()),
        c.contentType(),
        body,
        c.headers().stream().map(BadInputIT::fill).toList());
  }

  private static HttpRequest.Builder request(BadInput c) {
    String body = c.body() == null ? null : fill(c.body());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.url(fill(c.path()))))
            .method(
                c.method(),
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(
                        body.getBytes(StandardCharsets.UTF_8)));
    if (c.contentType() != null) request.header("Content-Type", c.contentType());
    for (int i = 0; i < c.headers().size(); i += 2)
      request.header(c.headers().get(i), fill(c.headers().get(i + 1)));
    return request;
  }

  private static String fill(String text) {
    return text.replace(BadInput.TASK, finishedTaskId)
        .replace(BadInput.TOKEN, finishedTaskToken)
        .replace(BadInput.PULL, pullTaskId)
        .replace(BadInput.NEVER, target.url("/never"));
  }

  /** What the API says of the two tasks (with their attempts) and the schedule. */
  private static Map<String, JsonNode> snapshot() {
    return Map.of(
        "finished task", server.get("/v1/tasks/" + finishedTaskId).body(),
        "finished task attempts", server.get("/v1/tasks/" + finishedTaskId + "/attempts").body(),
        "queued pull task", server.get("/v1/tasks/" + pullTaskId).body(),
        "queued pull task attempts", server.get("/v1/tasks/" + pullTaskId + "/attempts").body(),
        "schedule", server.get("/v1/schedules/" + ScheduleBadInput.KEPT).body(),
        "probe queue settings", queueSettings(server.get("/v1/queues/probe").body()));
  }

  /** The settings of a queue's JSON, without its figures (which move with time). */
  private static JsonNode queueSettings(JsonNode queue) {
    return ((ObjectNode) queue)
        .retain(
            "name",
            "paused",
            "concurrency",
            "ratePerSecond",
            "burst",
            "retainSucceeded",
            "retainFailed");
  }

  /** Every table and index of the SQLite file, read with a connection of its own. */
  private static List<String> schema() {
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("offload.db"));
        ResultSet rows =
            c.createStatement()
                .executeQuery("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")) {
      List<String> schema = new ArrayList<>();
      while (rows.next())
        schema.add(rows.getString(1) + " " + rows.getString(2) + ": " + rows.getString(3));
      assertThat(schema).anyMatch(row -> row.startsWith("table tasks:"));
      return schema;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the schema: " + e.getMessage(), e);
    }
  }

  private static String abbreviate(String text) {
    if (text == null) return "(no body)";
    return text.length() < 300 ? text : text.substring(0, 300) + "…";
  }
}
