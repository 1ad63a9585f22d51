package dev.offload.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.offload.server.RunningServer;
import dev.offload.server.SecurityConfig;
import dev.offload.server.TestTarget;
import dev.offload.server.TestTarget.Reply;
import dev.offload.server.api.ApiContract;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real headless Chromium against a real server: what a user sees and clicks.
 * Each test leaves a screenshot in target/screenshots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardIT {
  private RunningServer server;
  private TestTarget target;
  private Browser browser;

  @BeforeAll
  void start(@TempDir Path dataDir) {
    browser = Browser.open();
    target = new TestTarget();
    server = new RunningServer(dataDir);
  }

  @AfterAll
  void stop() {
    if (browser != null) browser.close();
    if (server != null) server.close();
    if (target != null) target.close();
  }

  /** Set by the test that sends no token on purpose: its 401s are what it asserts. */
  private boolean unauthorizedExpected;

  @AfterEach
  void no_page_logged_an_error() {
    List<String> errors =
        browser.errors().stream()
            .filter(error -> !(unauthorizedExpected && error.contains("status of 401")))
            .toList();
    unauthorizedExpected = false;
    assertThat(errors).as("errors in the browser console").isEmpty();
  }

  private static By badgeOf(String taskId) {
    return By.cssSelector("tr[data-task='" + taskId + "'] .badge");
  }

  @Test
  void the_tasks_list_shows_a_new_task_and_follows_its_status_live() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    target.on(
        "/held",
        request -> {
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return Reply.ok("{\"rendered\":true}");
        });
    browser.open(server.url("/"));
    browser.until(d -> "live".equals(d.findElement(By.id("live")).getAttribute("data-state")));
    browser.js("window.sameDocument = true");

    String id =
        server.createTask(
            "{\"callbackUrl\":\"" + target.url("/held") + "\",\"queue\":\"live-list\"}");
    browser.awaitText(badgeOf(id), "running");
    browser.screenshot("tasks-running");
    release.countDown();
    browser.awaitText(badgeOf(id), "succeeded");
    assertThat(browser.js("return window.sameDocument === true"))
        .as("updated without a reload")
        .isEqualTo(true);
    assertThat(browser.find(By.cssSelector("tr[data-task='" + id + "']")).getText())
        .contains("live-list")
        .contains("POST " + target.url("/held"))
        .contains("1 / 4");
    browser.screenshot("tasks-list");
  }

  @Test
  void the_filters_put_queue_and_status_in_the_url_and_show_only_matching_tasks() {
    target.on("/broken", Reply.status(400));
    String failed =
        server.createTask(
            "{\"callbackUrl\":\"" + target.url("/broken") + "\",\"queue\":\"filters\"}");
    String succeeded =
        server.createTask(
            "{\"callbackUrl\":\"" + target.url("/fine") + "\",\"queue\":\"filters\"}");
    server.awaitFinished(failed);
    server.awaitFinished(succeeded);

    browser.open(server.url("/"));
    browser.find(By.cssSelector("#queue option[value='filters']")).click();
    browser.until(d -> d.getCurrentUrl().contains("queue=filters"));
    browser.find(By.cssSelector("#status option[value='failed']")).click();
    browser.until(
        d ->
            d.getCurrentUrl().contains("status=failed")
                && d.getCurrentUrl().contains("queue=filters"));
    browser.find(By.cssSelector("tr[data-task='" + failed + "']"));
    List<String> shown =
        browser.driver().findElements(By.cssSelector("#task-rows tr")).stream()
            .map(row -> row.getAttribute("data-task"))
            .toList();
    assertThat(shown).containsExactly(failed);
  }

  @Test
  void
      retry_all_asks_with_the_count_then_fills_its_bar_and_the_failed_tasks_of_the_queue_run_again() {
    target.on("/bulk-flaky", Reply.status(400));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(
          server.createTask(
              "{\"callbackUrl\":\""
                  + target.url("/bulk-flaky")
                  + "\",\"queue\":\"bulk-retry\",\"retries\":0}"));
    }
    ids.forEach(server::awaitFinished);
    target.on("/bulk-flaky", Reply.ok("{}"));

    browser.open(server.url("/?queue=bulk-retry&status=failed"));
    browser.awaitText(By.id("bulk-retry"), "Retry all 3");
    assertThat(browser.driver().findElements(By.id("bulk-cancel")))
        .as("nothing failed can be cancelled")
        .isEmpty();
    browser.find(By.id("bulk-retry")).click();
    assertThat(browser.find(By.id("bulk-confirm-text")).getText())
        .startsWith("3 tasks match queue bulk-retry, status failed.");
    browser.screenshot("bulk-confirm");
    browser.find(By.id("bulk-confirm-yes")).click();

    browser.until(
        d -> "succeeded".equals(d.findElement(By.id("bulk-progress")).getAttribute("data-status")));
    WebElement bar = browser.find(By.id("bulk-bar"));
    assertThat(List.of(bar.getAttribute("max"), bar.getAttribute("value")))
        .containsExactly("3", "3");
    assertThat(browser.find(By.id("bulk-text")).getText())
        .isEqualTo("Retry succeeded (3 done, 0 failed)");
    ids.forEach(id -> browser.awaitText(badgeOf(id), "succeeded"));
    ids.forEach(
        id ->
            assertThat(server.get("/v1/tasks/" + id).body().get("status").asText())
                .isEqualTo("succeeded"));
    browser.until(d -> d.findElements(By.id("bulk-retry")).isEmpty());
    browser.screenshot("bulk-retried");
  }

  @Test
  void a_task_page_shows_its_attempts_result_and_payload_and_is_found_by_its_id() {
    target.onSequence(
        "/flaky", Reply.status(503), Reply.ok("{\"pdf\":\"s3://bucket/invoice-42.pdf\"}"));
    String id =
        server.createTask(
            "{\"callbackUrl\":\""
                + target.url("/flaky")
                + "\",\"payload\":{\"invoice\":42},"
                + "\"retries\":2,\"backoff\":{\"type\":\"fixed\",\"initial\":\"100ms\"},\"metadata\":{\"customer\":\"c_7\"}}");
    server.awaitFinished(id);

    browser.open(server.url("/"));
    WebElement search = browser.find(By.id("search"));
    search.sendKeys(id, Keys.ENTER);
    browser.until(d -> browser.path().equals("/tasks/" + id));
    browser.awaitText(By.cssSelector("#task-status .badge"), "succeeded");
    List<WebElement> attempts =
        browser.driver().findElements(By.cssSelector("#attempts li.attempt"));
    assertThat(attempts)
        .extracting(a -> a.getAttribute("data-outcome"))
        .containsExactly("http_error", "succeeded");
    assertThat(attempts.get(0).getText()).contains("#1").contains("HTTP 503");
    assertThat(attempts.get(1).getText()).contains("#2").contains("HTTP 200");
    assertThat(browser.find(By.id("result")).getText())
        .contains("s3://bucket/invoice-42.pdf")
        .contains("200");
    assertThat(browser.find(By.id("payload")).getText()).contains("\"invoice\": 42");
    assertThat(browser.find(By.id("metadata")).getText()).contains("c_7");
    assertThat(browser.find(By.id("webhook")).getText()).contains("no webhook");
    browser.screenshot("task-page");
  }

  @Test
  void a_long_task_page_shows_its_chain_of_calls_and_state_and_cancels_while_waiting() {
    target.onSequence(
        "/chain",
        Reply.ok("{\"row\":500}").withHeader("Offload-Continue", ""),
        Reply.ok("{\"row\":1000,\"rows\":\"" + "r".repeat(800) + "\"}")
            .withHeader("Offload-Continue", "await=1h"));
    String id = server.createTask("{\"callbackUrl\":\"" + target.url("/chain") + "\"}");
    browser.open(server.url("/tasks/" + id));

    browser.awaitText(By.cssSelector("#task-status .badge"), "waiting");
    browser.until(d -> d.findElements(By.cssSelector("#chain li")).size() == 2);
    List<WebElement> calls = browser.driver().findElements(By.cssSelector("#chain li"));
    assertThat(calls.get(0).getText()).contains("#1").contains("continued");
    assertThat(calls.get(1).getText()).contains("#2").contains("awaiting a callback since");
    assertThat(browser.find(By.cssSelector(".card")).getText())
        .contains("Continuations")
        .contains("Awaiting a callback until");
    assertThat(browser.find(By.cssSelector("#state summary")).getText())
        .as("a large state is collapsed")
        .contains("characters");
    browser.screenshot("long-task-page");

    browser.find(By.id("cancel")).click();
    browser.awaitText(By.cssSelector("#task-status .badge"), "cancelled");
  }

  @Test
  void the_cancel_and_retry_buttons_cancel_a_waiting_task_and_run_it_again() {
    String id =
        server.createTask("{\"callbackUrl\":\"" + target.url("/later") + "\",\"delay\":\"1h\"}");
    browser.open(server.url("/tasks/" + id));
    browser.awaitText(By.cssSelector("#task-status .badge"), "scheduled");
    browser.find(By.id("cancel")).click();
    browser.awaitText(By.cssSelector("#task-status .badge"), "cancelled");
    assertThat(server.get("/v1/tasks/" + id).body().get("status").asText()).isEqualTo("cancelled");
    assertThat(browser.driver().findElements(By.id("cancel"))).isEmpty();
    browser.screenshot("task-cancelled");

    browser.find(By.id("retry")).click();
    browser.awaitText(By.cssSelector("#task-status .badge"), "succeeded");
    assertThat(server.get("/v1/tasks/" + id).body().get("status").asText()).isEqualTo("succeeded");
    assertThat(target.received("/later")).hasSize(1);
    assertThat(browser.driver().findElements(By.cssSelector("#attempts li.attempt"))).hasSize(1);
  }

  @Test
  void a_running_task_shows_its_attempt_in_progress_with_the_time_it_has_run() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    target.on(
        "/in-progress",
        request -> {
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return Reply.ok("{}");
        });
    String id = server.createTask("{\"callbackUrl\":\"" + target.url("/in-progress") + "\"}");
    await().atMost(Duration.ofSeconds(10)).until(() -> !target.received("/in-progress").isEmpty());

    browser.open(server.url("/tasks/" + id));
    WebElement running = browser.find(By.cssSelector("#attempts li.attempt.in-progress"));
    assertThat(running.getText())
        .contains("#1")
        .contains("running")
        .contains("in progress, started");
    assertThat(browser.find(By.id("attempts")).getText()).doesNotContain("No attempt yet.");
    String first = browser.find(By.id("attempt-elapsed")).getText();
    browser.until(d -> !d.findElement(By.id("attempt-elapsed")).getText().equals(first));
    browser.screenshot("task-attempt-in-progress");
    release.countDown();
    browser.awaitText(By.cssSelector("#task-status .badge"), "succeeded");
    assertThat(browser.driver().findElements(By.cssSelector("#attempts li.attempt.in-progress")))
        .isEmpty();
  }

  @Test
  void a_pull_task_says_whether_a_worker_asks_for_it_and_lists_show_the_last_error_and_exact_times()
      throws Exception {
    String waiting = server.createTask("{\"name\":\"nobody-leases-this\",\"queue\":\"pull-wait\"}");
    browser.open(server.url("/tasks/" + waiting));
    assertThat(browser.find(By.id("worker-wait")).getText())
        .contains(
            "No worker has asked this server for nobody-leases-this tasks of queue pull-wait since it started");

    assertThat(
            server
                .post(
                    "/v1/workers/lease",
                    "{\"workerId\":\"w1\",\"names\":[\"something-else\"],\"wait\":\"0s\"}")
                .status())
        .isEqualTo(200);
    assertThat(server.get("/v1/tasks/" + waiting).body().path("workerLastAskedAt").isNull())
        .as("another name is not asking for it")
        .isTrue();
    assertThat(
            server
                .post(
                    "/v1/workers/lease",
                    "{\"workerId\":\"w1\",\"queues\":[\"elsewhere\"],\"wait\":\"0s\"}")
                .status())
        .isEqualTo(200);
    assertThat(server.get("/v1/tasks/" + waiting).body().path("workerLastAskedAt").isNull())
        .as("another queue is not asking for it")
        .isTrue();
    assertThat(
            server
                .post(
                    "/v1/workers/lease",
                    "{\"workerId\":\"w1\",\"queues\":[\"pull-wait\"],\"wait\":\"0s\"}")
                .body()
                .path("tasks")
                .get(0)
                .path("taskId")
                .asText())
        .as("a worker asking for any name of its queue leases it")
        .isEqualTo(waiting);
    String stillWaiting =
        server.createTask("{\"name\":\"nobody-leases-this\",\"queue\":\"pull-wait\"}");
    assertThat(server.get("/v1/tasks/" + stillWaiting).body().path("workerLastAskedAt").asText())
        .matches("\\d{4}-.*Z");
    browser.open(server.url("/tasks/" + stillWaiting));
    WebElement asked = browser.find(By.id("worker-wait"));
    assertThat(asked.getText())
        .contains("A worker last asked for nobody-leases-this tasks of queue pull-wait");
    assertThat(asked.findElement(By.tagName("time")).getAttribute("title"))
        .as("the exact time on hover")
        .endsWith(
            "("
                + server.get("/v1/tasks/" + stillWaiting).body().path("workerLastAskedAt").asText()
                + ")");

    target.on("/refused", Reply.status(422));
    String refused =
        server.createTask(
            "{\"callbackUrl\":\"" + target.url("/refused") + "\",\"queue\":\"errors-column\"}");
    server.awaitFinished(refused);
    browser.open(server.url("/?queue=errors-column"));
    WebElement error =
        browser.find(By.cssSelector("tr[data-task='" + refused + "'] td.last-error"));
    assertThat(error.getText()).isEqualTo("HTTP 422");
    assertThat(browser.find(By.cssSelector("table")).getText()).containsIgnoringCase("Last error");
    browser.screenshot("tasks-last-error");
  }

  @Test
  void the_queues_pages_list_the_queues_and_draw_the_charts_and_flag_attempts_near_the_timeout() {
    target.on("/slow-report", Reply.ok("{}").holding(Duration.ofMillis(2_400)));
    // 2 slow of 20: p95 (the 19th) is slow, and 20 finished attempts are enough to judge
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(
          server.createTask(
              "{\"callbackUrl\":\""
                  + target.url(i < 2 ? "/slow-report" : "/quick")
                  + "\",\"queue\":\"reports\",\"timeout\":\"3s\"}"));
    }
    ids.forEach(server::awaitFinished);

    browser.open(server.url("/queues"));
    WebElement row = browser.find(By.cssSelector("tr[data-queue='reports']"));
    assertThat(row.getText()).contains("near timeout").contains("(20 attempts)");
    browser.screenshot("queues");
    row.findElement(By.linkText("reports")).click();
    browser.until(d -> browser.path().equals("/queues/reports"));
    assertThat(browser.find(By.id("near-timeout")).getText()).contains("p95").contains("3.0 s");
    for (String chart : List.of("chart-depth", "chart-throughput", "chart-durations")) {
      browser.until(
          d ->
              Boolean.TRUE.equals(
                  browser.js(
                      """
          const chart = Chart.getChart(arguments[0]);
          return chart !== undefined && chart.data.labels.length === 60""",
                      chart)));
      long painted =
          (Long)
              browser.js(
                  """
          const canvas = document.getElementById(arguments[0]);
          const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          let painted = 0;
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
          return painted;""",
                  chart);
      assertThat(painted).as("pixels drawn on " + chart).isGreaterThan(1_000);
    }
    Object throughput =
        browser.js(
            """
        const sets = Chart.getChart('chart-throughput').data.datasets;
        return [sets[0].data.reduce((a, b) => a + b, 0), sets[1].data.reduce((a, b) => a + b, 0)]""");
    assertThat(throughput)
        .as("created and succeeded in the last hour")
        .isEqualTo(List.of(20L, 20L));
    browser.screenshot("queue-page");

    pauseAndResume(By.id("pause"), By.id("resume"), "/v1/queues/reports");
  }

  @Test
  void the_schedules_page_shows_next_runs_and_pauses_resumes_and_triggers() {
    assertThat(
            server
                .put(
                    "/v1/schedules/nightly-report",
                    "{\"cron\":\"0 3 * * *\",\"timezone\":\"Europe/Berlin\","
                        + "\"task\":{\"callbackUrl\":\""
                        + target.url("/report")
                        + "\",\"queue\":\"exports\"}}")
                .status())
        .isEqualTo(201);
    browser.open(server.url("/schedules"));
    By row = By.cssSelector("tr[data-schedule='nightly-report']");
    assertThat(browser.find(row).getText())
        .contains("0 3 * * *")
        .contains("Europe/Berlin")
        .contains("queue exports");
    assertThat(
            browser
                .driver()
                .findElements(By.cssSelector("tr[data-schedule='nightly-report'] ol li")))
        .hasSize(3)
        .allSatisfy(run -> assertThat(run.getText()).contains("03:00"));

    browser.find(By.cssSelector("tr[data-schedule='nightly-report'] .trigger")).click();
    String taskId = browser.find(By.cssSelector(".notice a")).getText();
    server.awaitFinished(taskId);
    assertThat(target.received("/report")).hasSize(1);
    browser.screenshot("schedules");

    pauseAndResume(
        By.cssSelector("tr[data-schedule='nightly-report'] .pause"),
        By.cssSelector("tr[data-schedule='nightly-report'] .resume"),
        "/v1/schedules/nightly-report");
  }

  /** Pause, then resume: each click turns the button into the other one and the API agrees. */
  private void pauseAndResume(By pause, By resume, String apiPath) {
    browser.find(pause).click();
    browser.find(resume);
    assertThat(server.get(apiPath).body().get("paused").asBoolean()).isTrue();
    browser.find(resume).click();
    browser.find(pause);
    assertThat(server.get(apiPath).body().get("paused").asBoolean()).isFalse();
  }

  @Test
  void the_workers_page_lists_each_worker_with_what_it_asks_for_and_links_the_tasks_it_holds() {
    String id =
        server.createTask(
            "{\"name\":\"render-pdf\",\"queue\":\"pdf-exports\",\"payload\":{\"invoice\":42}}");
    var leased =
        server
            .post(
                "/v1/workers/lease",
                "{\"workerId\":\"pdf-worker-1\",\"names\":[\"render-pdf\"],"
                    + "\"queues\":[\"pdf-exports\"],\"wait\":\"0s\",\"leaseFor\":\"10m\"}")
            .body()
            .path("tasks")
            .get(0);
    assertThat(leased.path("taskId").asText()).isEqualTo(id);
    // names only, and none another test's tasks have: it asks for any queue
    assertThat(
            server
                .post(
                    "/v1/workers/lease",
                    "{\"workerId\":\"idle-worker\",\"names\":[\"thumbnail\"],\"wait\":\"0s\"}")
                .status())
        .isEqualTo(200);

    browser.open(server.url("/"));
    browser.find(By.linkText("Workers")).click();
    browser.until(d -> browser.path().equals("/workers"));
    WebElement busy = browser.find(By.cssSelector("tr[data-worker='pdf-worker-1']"));
    assertThat(busy.getText())
        .contains("render-pdf")
        .contains("pdf-exports")
        .containsPattern("now|s ago");
    assertThat(busy.findElement(By.cssSelector("td.holding")).getText()).isEqualTo("1");
    assertThat(browser.find(By.cssSelector("tr[data-worker='idle-worker']")).getText())
        .contains("thumbnail")
        .contains("any");
    assertThat(browser.find(By.cssSelector("nav a[aria-current=page]")).getText())
        .isEqualTo("Workers");
    browser.screenshot("workers");

    busy.findElement(By.linkText(id)).click();
    browser.until(d -> browser.path().equals("/tasks/" + id));
    browser.awaitText(By.cssSelector("#task-status .badge"), "running");
    assertThat(
            server
                .post(
                    "/v1/tasks/" + id + "/complete",
                    "{\"leaseToken\":\"" + leased.path("leaseToken").asText() + "\",\"result\":{}}")
                .status())
        .isEqualTo(200);
    browser.open(server.url("/workers"));
    browser.awaitText(By.cssSelector("tr[data-worker='pdf-worker-1'] td.holding"), "0");
  }

  @Test
  void
      the_api_page_lists_every_path_and_webhook_of_the_openapi_document_and_tries_one_against_this_server() {
    browser.open(server.url("/"));
    browser.find(By.linkText("API")).click();
    browser.until(d -> browser.path().equals("/api"));
    List<String> documented = new ArrayList<>();
    ApiContract.get().document().path("paths").fieldNames().forEachRemaining(documented::add);
    ApiContract.get().document().path("webhooks").fieldNames().forEachRemaining(documented::add);
    browser.until(
        d -> d.findElements(By.cssSelector(".opblock-summary-path")).size() >= documented.size());
    List<String> shown =
        browser.driver().findElements(By.cssSelector(".opblock-summary-path")).stream()
            .map(path -> path.getAttribute("data-path"))
            .distinct()
            .toList();
    assertThat(shown).containsExactlyInAnyOrderElementsOf(documented);
    assertThat(browser.find(By.cssSelector("nav a[aria-current=page]")).getText()).isEqualTo("API");

    browser.find(By.cssSelector("#operations-Operations-health .opblock-summary")).click();
    browser.find(By.cssSelector("#operations-Operations-health .try-out__btn")).click();
    browser.find(By.cssSelector("#operations-Operations-health .execute")).click();
    browser.awaitText(
        By.cssSelector(
            "#operations-Operations-health .live-responses-table tr.response .response-col_status"),
        "200");
    browser.screenshot("api");
  }

  @Test
  void in_production_mode_the_dashboard_asks_for_an_api_token(@TempDir Path dataDir) {
    String token = "tok_dashboard_0123456789abcdef";
    unauthorizedExpected = true;
    try (RunningServer guarded =
        new RunningServer(
            dataDir,
            config ->
                config.withSecurity(
                    new SecurityConfig(
                        SecurityConfig.Mode.PRODUCTION,
                        List.of(token),
                        List.of("127.0.0.1/32"))))) {
      var created =
          guarded.post(
              "/v1/tasks",
              "{\"callbackUrl\":\"" + target.url("/guarded") + "\"}",
              "Authorization",
              "Bearer " + token);
      assertThat(created.status()).isEqualTo(202);
      String id = created.body().get("taskId").asText();

      browser.open(guarded.url("/"));
      browser.find(By.id("token-form"));
      assertThat(browser.driver().findElements(By.id("task-rows"))).isEmpty();
      browser.find(By.id("token")).sendKeys("tok_wrong_0123456789abcdef", Keys.ENTER);
      assertThat(browser.find(By.cssSelector("#token-form [role=alert]")).getText())
          .contains("token");
      browser.screenshot("token-form");
      browser.find(By.id("token")).sendKeys(token, Keys.ENTER);
      browser.find(By.cssSelector("tr[data-task='" + id + "']"));
      browser.find(By.id("sign-out")).click();
      browser.find(By.id("token-form"));
    }
  }
}
