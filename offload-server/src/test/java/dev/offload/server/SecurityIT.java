package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offload.server.RunningServer.Answer;
import dev.offload.server.TestTarget.Reply;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Production mode end to end (README: Security): API tokens on every endpoint, and the target guard
 * refusing loopback targets at create time. Only loopback is ever called: the other refused ranges
 * are unit tests of the address check (AddressRangesTest), never dialled.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityIT {
  private static final String CURRENT = "tok_current_0123456789abcdef";
  private static final String PREVIOUS = "tok_previous_0123456789abcdef";

  private RunningServer guarded;
  private RunningServer allowingLoopback;
  private TestTarget target;

  @BeforeAll
  void start(@TempDir Path guardedDir, @TempDir Path allowingDir) {
    target = new TestTarget();
    guarded =
        new RunningServer(
            guardedDir,
            config ->
                config.withSecurity(
                    new SecurityConfig(
                        SecurityConfig.Mode.PRODUCTION, List.of(CURRENT, PREVIOUS), List.of())));
    allowingLoopback =
        new RunningServer(
            allowingDir,
            config ->
                config.withSecurity(
                    new SecurityConfig(
                        SecurityConfig.Mode.PRODUCTION,
                        List.of(CURRENT),
                        List.of("127.0.0.1/32"))));
  }

  @AfterAll
  void stop() {
    guarded.close();
    allowingLoopback.close();
    target.close();
  }

  private static final String SOME_TASK = "/v1/tasks/tsk_01KAAAAAAAAAAAAAAAAAAAAAAA";

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "POST, /v1/tasks",
    "POST, /v1/tasks/batch",
    "GET, /v1/tasks",
    "GET, " + SOME_TASK,
    "GET, " + SOME_TASK + "/attempts",
    "POST, " + SOME_TASK + "/cancel",
    "POST, " + SOME_TASK + "/retry",
    "GET, /v1/nodes",
    "GET, /v1/workers",
    "GET, /v1/queues",
    "GET, /v1/queues/default",
    "PUT, /v1/queues/default",
    "GET, /v1/queues/default/history",
    "GET, /v1/schedules",
    "GET, /v1/schedules/nightly",
    "PUT, /v1/schedules/nightly",
    "DELETE, /v1/schedules/nightly",
    "POST, /v1/schedules/nightly/pause",
    "POST, /v1/schedules/nightly/resume",
    "POST, /v1/schedules/nightly/trigger",
    "POST, /v1/workers/lease",
    "POST, " + SOME_TASK + "/heartbeat",
    "POST, " + SOME_TASK + "/complete",
    "POST, " + SOME_TASK + "/fail",
    "GET, /v1/no-such-endpoint"
  })
  void every_endpoint_refuses_a_missing_or_wrong_token_and_accepts_a_right_one(
      String method, String path) {
    Answer missing = call(guarded, method, path, null);
    assertThat(missing.status()).as(missing.text()).isEqualTo(401);
    assertThat(missing.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"offload\"");
    assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
    assertThat(missing.body().path("detail").asText()).contains("Authorization: Bearer");

    Answer wrong = call(guarded, method, path, "Bearer " + CURRENT + "x");
    assertThat(wrong.status()).as(wrong.text()).isEqualTo(401);
    assertThat(wrong.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
    assertThat(call(guarded, method, path, "Basic " + CURRENT).status()).isEqualTo(401);

    for (String token : List.of(CURRENT, PREVIOUS)) {
      Answer accepted = call(guarded, method, path, "Bearer " + token);
      assertThat(accepted.status()).as(accepted.text()).isNotEqualTo(401).isBetween(200, 499);
    }
  }

  /**
   * The pages are one static shell whose scripts call the API with the user's token: without it
   * they show nothing.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "/",
        "/tasks/tsk_01KAAAAAAAAAAAAAAAAAAAAAAA",
        "/queues",
        "/queues/default",
        "/schedules",
        "/workers",
        "/api",
        "/assets/app.js",
        "/assets/chart.umd.min.js",
        "/assets/swagger-ui-bundle.js",
        "/assets/swagger-ui.css"
      })
  void the_dashboards_pages_need_no_token_and_hold_no_data(String path) {
    Answer page = guarded.get(path);
    assertThat(page.status()).as(page.text()).isEqualTo(200);
    assertThat(page.header("Content-Security-Policy"))
        .contains("default-src 'none'")
        .contains("script-src 'self'")
        .doesNotContain("unsafe");
    if (!path.startsWith("/assets/")) assertThat(page.text()).isEqualTo(guarded.get("/").text());
  }

  @Test
  void an_unknown_dashboard_asset_is_404() {
    assertThat(guarded.get("/assets/..%2F..%2FMETA-INF%2FMANIFEST.MF").status()).isIn(400, 404);
    assertThat(guarded.get("/assets/logback.xml").status()).isEqualTo(404);
  }

  @Test
  void health_probes_need_no_token() {
    assertThat(guarded.get("/healthz").status()).isEqualTo(200);
    assertThat(guarded.get("/readyz").status()).isEqualTo(200);
  }

  /**
   * It describes the API and holds no data, like the dashboard's pages; only GET is let through.
   */
  @Test
  void the_openapi_document_needs_no_token() {
    Answer document = guarded.get("/v1/openapi.json");
    assertThat(document.status()).as(document.text()).isEqualTo(200);
    assertThat(document.body().path("openapi").asText()).startsWith("3.1");
    assertThat(call(guarded, "POST", "/v1/openapi.json", null).status()).isEqualTo(401);
  }

  @ParameterizedTest
  @CsvSource({
    "callbackUrl, http://127.0.0.1:9/work, loopback",
    "callbackUrl, http://localhost:9/work, loopback",
    "callbackUrl, 'http://[::1]:9/work', loopback",
    "callbackUrl, 'http://[::ffff:127.0.0.1]:9/work', loopback",
    "callbackUrl, http://0.0.0.0:9/work, unspecified",
    "webhookUrl, http://127.0.0.2/done, loopback"
  })
  void loopback_targets_are_refused_when_the_task_is_created(
      String field, String url, String kind) {
    String other =
        field.equals("callbackUrl") ? "" : ",\"callbackUrl\":\"https://app.example.com/x\"";
    Answer answer =
        guarded.post(
            "/v1/tasks",
            "{\"" + field + "\":\"" + url + "\"" + other + "}",
            "Authorization",
            "Bearer " + CURRENT);
    assertThat(answer.status()).as(answer.text()).isEqualTo(400);
    JsonNode error = answer.body().path("errors").path(0);
    assertThat(error.path("field").asText()).isEqualTo(field);
    assertThat(error.path("message").asText())
        .contains("refused in production mode")
        .contains(kind)
        .contains("--allow-target");
    Answer listed = guarded.get("/v1/tasks", "Authorization", "Bearer " + CURRENT);
    assertThat(listed.body().path("tasks")).as("nothing stored").isEmpty();
  }

  @Test
  void
      an_allowed_block_is_called_and_a_target_reports_progress_with_its_task_token_not_an_api_token() {
    AtomicReference<Answer> progress = new AtomicReference<>();
    target.on(
        "/work",
        call -> {
          // Reported while the call is running, as a real target would.
          progress.set(
              allowingLoopback.post(
                  "/v1/tasks/" + call.header("Offload-Task-Id") + "/progress",
                  "{\"progress\":{\"percent\":50}}",
                  "Offload-Task-Token",
                  call.header("Offload-Task-Token")));
          return Reply.ok("{\"done\":true}");
        });
    Answer created =
        allowingLoopback.post(
            "/v1/tasks",
            "{\"callbackUrl\":\"" + target.url("/work") + "\"}",
            "Authorization",
            "Bearer " + CURRENT);
    assertThat(created.status()).as(created.text()).isEqualTo(202);
    String id = created.body().path("taskId").asText();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                allowingLoopback
                    .get("/v1/tasks/" + id, "Authorization", "Bearer " + CURRENT)
                    .body()
                    .path("status")
                    .asText()
                    .equals("succeeded"));

    assertThat(progress.get().status()).as(progress.get().text()).isEqualTo(200);
    JsonNode task =
        allowingLoopback.get("/v1/tasks/" + id, "Authorization", "Bearer " + CURRENT).body();
    assertThat(task.path("progress").path("percent").asInt()).isEqualTo(50);
  }

  @Test
  void a_redirecting_target_is_not_followed() {
    target.on("/moved", Reply.status(302).withHeader("Location", target.url("/landing")));
    Answer created =
        allowingLoopback.post(
            "/v1/tasks",
            "{\"callbackUrl\":\"" + target.url("/moved") + "\",\"retries\":0}",
            "Authorization",
            "Bearer " + CURRENT);
    String id = created.body().path("taskId").asText();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                allowingLoopback
                    .get("/v1/tasks/" + id, "Authorization", "Bearer " + CURRENT)
                    .body()
                    .path("status")
                    .asText()
                    .equals("failed"));
    JsonNode task =
        allowingLoopback.get("/v1/tasks/" + id, "Authorization", "Bearer " + CURRENT).body();
    assertThat(task.path("lastError").asText()).contains("redirects are not followed");
    assertThat(target.received("/landing")).isEmpty();
  }

  private static Answer call(
      RunningServer server, String method, String path, String authorization) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.url(path)))
            .header("Content-Type", "application/json")
            .method(
                method,
                method.equals("POST") || method.equals("PUT")
                    ? HttpRequest.BodyPublishers.ofString("{}")
                    : HttpRequest.BodyPublishers.noBody());
    if (authorization != null) request.header("Authorization", authorization);
    return server.send(request);
  }
}
