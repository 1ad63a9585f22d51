package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offload.server.RunningServer.Answer;
import dev.offload.server.TestTarget.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** design.md: bulk actions, over real HTTP against a real server and target. */
class BulkActionIT extends LiveServerSupport {

  @Test
  void a_dry_run_counts_the_matching_tasks_and_starts_nothing() {
    String queue = unique("dry");
    List<String> failed = failedTasks(queue, 3);
    String ok = path("ok");
    target.on(ok, Reply.ok("{}"));
    server.awaitFinished(
        server.createTask(json("{'callbackUrl':'%s','queue':'%s'}", target.url(ok), queue)));
    int actionsBefore = server.get("/v1/bulk-actions?limit=100").body().path("actions").size();

    Answer failedOnly =
        server.post(
            "/v1/bulk-actions",
            json(
                "{'action':'retry','filter':{'queue':'%s','status':'failed'},'dryRun':true}",
                queue));
    Answer wholeQueue =
        server.post(
            "/v1/bulk-actions",
            json("{'action':'retry','filter':{'queue':'%s'},'dryRun':true}", queue));
    Answer byError =
        server.post(
            "/v1/bulk-actions",
            json(
                "{'action':'retry','filter':{'queue':'%s','lastErrorContains':'500'},'dryRun':true}",
                queue));

    assertThat(failedOnly.status()).as(failedOnly.text()).isEqualTo(200);
    assertThat(failedOnly.body().path("matched").asLong()).isEqualTo(failed.size());
    assertThat(wholeQueue.body().path("matched").asLong()).isEqualTo(4);
    assertThat(byError.body().path("matched").asLong()).isEqualTo(3);
    assertThat(server.get("/v1/bulk-actions?limit=100").body().path("actions").size())
        .isEqualTo(actionsBefore);
  }

  @Test
  void retry_of_every_failed_task_of_a_queue_succeeds_with_its_counts() {
    String queue = unique("retry");
    AtomicBoolean up = new AtomicBoolean();
    String flaky = path("flaky");
    target.on(flaky, request -> up.get() ? Reply.ok("{}") : Reply.status(500));
    List<String> failed = new ArrayList<>();
    for (int i = 0; i < 5; i++)
      failed.add(
          server.createTask(
              json("{'callbackUrl':'%s','queue':'%s','retries':0}", target.url(flaky), queue)));
    failed.forEach(
        id -> assertThat(server.awaitFinished(id).path("status").asText()).isEqualTo("failed"));
    String ok = path("ok");
    target.on(ok, Reply.ok("{}"));
    String succeeded =
        server.createTask(json("{'callbackUrl':'%s','queue':'%s'}", target.url(ok), queue));
    server.awaitFinished(succeeded);
    up.set(true);

    Answer started =
        server.post("/v1/bulk-actions", json("{'action':'retry','filter':{'queue':'%s'}}", queue));

    assertThat(started.status()).as(started.text()).isEqualTo(202);
    String id = started.body().path("actionId").asText();
    assertThat(id).startsWith("bulk_");
    assertThat(started.header("Location")).isEqualTo("/v1/bulk-actions/" + id);
    assertThat(started.body().path("action").asText()).isEqualTo("retry");
    assertThat(started.body().path("filter").path("queue").asText()).isEqualTo(queue);
    JsonNode done = awaitFinishedAction(id);
    assertThat(done.path("status").asText()).isEqualTo("succeeded");
    assertThat(done.path("matched").asLong()).isEqualTo(6);
    assertThat(done.path("done").asLong()).isEqualTo(5);
    assertThat(done.path("failed").asLong())
        .as("the succeeded task cannot be retried")
        .isEqualTo(1);
    assertThat(done.path("finishedAt").isNull()).isFalse();
    for (String task : failed) {
      JsonNode finished = server.awaitFinished(task);
      assertThat(finished.path("status").asText()).isEqualTo("succeeded");
      assertThat(finished.path("attempts").asInt()).isEqualTo(2);
    }
    assertThat(task(succeeded).path("attempts").asInt()).isEqualTo(1);
  }

  @Test
  void cancel_cancels_the_unfinished_tasks_and_counts_the_finished_as_failed() {
    String queue = unique("cancel");
    List<String> waiting = scheduledTasks(queue, 4);
    List<String> failed = failedTasks(queue, 1);
    String hook = path("on-cancelled");
    target.on(hook, Reply.ok("{}"));
    String withWebhook =
        server.createTask(
            json(
                "{'callbackUrl':'%s','webhookUrl':'%s','queue':'%s','delay':'1h'}",
                target.url(path("never")), target.url(hook), queue));

    JsonNode action = awaitFinishedAction(start("cancel", json("{'queue':'%s'}", queue)));

    assertThat(action.path("matched").asLong()).isEqualTo(6);
    assertThat(action.path("done").asLong()).isEqualTo(5);
    assertThat(action.path("failed").asLong()).isEqualTo(1);
    waiting.forEach(id -> assertThat(task(id).path("status").asText()).isEqualTo("cancelled"));
    assertThat(task(failed.getFirst()).path("status").asText()).isEqualTo("failed");
    eventually()
        .untilAsserted(
            () ->
                assertThat(task(withWebhook).path("webhook").path("status").asText())
                    .as("the webhook of a cancel, as after POST /v1/tasks/{id}/cancel")
                    .isEqualTo("delivered"));
    JsonNode webhook = parse(target.received(hook).getFirst().body());
    assertThat(webhook.path("taskId").asText()).isEqualTo(withWebhook);
    assertThat(webhook.path("status").asText()).isEqualTo("cancelled");
  }

  @Test
  void delete_deletes_the_finished_tasks_and_leaves_the_others() {
    String queue = unique("delete");
    List<String> failed = failedTasks(queue, 3);
    List<String> waiting = scheduledTasks(queue, 1);

    JsonNode action = awaitFinishedAction(start("delete", json("{'queue':'%s'}", queue)));

    assertThat(action.path("done").asLong()).isEqualTo(3);
    assertThat(action.path("failed").asLong()).isEqualTo(1);
    failed.forEach(id -> assertThat(server.get("/v1/tasks/" + id).status()).isEqualTo(404));
    assertThat(task(waiting.getFirst()).path("status").asText()).isEqualTo("scheduled");
  }

  @Test
  void only_tasks_created_before_the_action_are_touched() {
    String queue = unique("snapshot");
    List<String> before = scheduledTasks(queue, 2);
    String id = start("cancel", json("{'queue':'%s','status':'scheduled'}", queue));
    List<String> after = scheduledTasks(queue, 1);

    JsonNode action = awaitFinishedAction(id);

    assertThat(action.path("done").asLong()).isEqualTo(2);
    before.forEach(t -> assertThat(task(t).path("status").asText()).isEqualTo("cancelled"));
    assertThat(task(after.getFirst()).path("status").asText()).isEqualTo("scheduled");
  }

  @Test
  void the_same_action_and_filter_while_running_answers_with_the_running_one() {
    String queue = unique("dedupe");
    scheduledBatch(queue, 1_000);
    String filter = json("{'queue':'%s','status':'scheduled'}", queue);
    String sameFilterOtherOrder = json("{'status':'scheduled','queue':'%s'}", queue);

    Answer first =
        server.post("/v1/bulk-actions", "{\"action\":\"cancel\",\"filter\":" + filter + "}");
    Answer second =
        server.post(
            "/v1/bulk-actions", "{\"action\":\"cancel\",\"filter\":" + sameFilterOtherOrder + "}");
    Answer otherVerb =
        server.post("/v1/bulk-actions", "{\"action\":\"delete\",\"filter\":" + filter + "}");

    assertThat(first.status()).as(first.text()).isEqualTo(202);
    String id = first.body().path("actionId").asText();
    assertThat(second.status()).as("still running: %s", second.text()).isEqualTo(200);
    assertThat(second.body().path("actionId").asText()).isEqualTo(id);
    assertThat(second.header("Location")).isEqualTo("/v1/bulk-actions/" + id);
    assertThat(otherVerb.status()).isEqualTo(202);
    assertThat(otherVerb.body().path("actionId").asText()).isNotEqualTo(id);
    assertThat(awaitFinishedAction(id).path("done").asLong()).isEqualTo(1_000);
    awaitFinishedAction(otherVerb.body().path("actionId").asText());
    Answer again =
        server.post("/v1/bulk-actions", "{\"action\":\"cancel\",\"filter\":" + filter + "}");
    assertThat(again.status()).as("the first one finished").isEqualTo(202);
    assertThat(again.body().path("actionId").asText()).isNotEqualTo(id);
  }

  @Test
  void a_cancelled_action_stops_and_what_it_did_stays_done() {
    String queue = unique("stop");
    scheduledBatch(queue, 3_000);
    String id = start("cancel", json("{'queue':'%s'}", queue));

    Answer cancelled = server.post("/v1/bulk-actions/" + id + "/cancel", "");

    assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(200);
    assertThat(cancelled.body().path("status").asText()).isEqualTo("cancelled");
    assertThat(cancelled.body().path("finishedAt").isNull()).isFalse();
    long done = cancelled.body().path("done").asLong();
    assertThat(done).isLessThan(3_000);
    assertThat(countOf(queue, "cancelled")).isEqualTo(done);
    assertThat(countOf(queue, "scheduled")).isEqualTo(3_000 - done);
    assertProblem(server.post("/v1/bulk-actions/" + id + "/cancel", ""), 409);
    assertThat(action(id).path("status").asText()).isEqualTo("cancelled");
  }

  @Test
  void actions_are_listed_newest_first() {
    String queue = unique("list");
    scheduledTasks(queue, 1);
    String older = start("cancel", json("{'queue':'%s'}", queue));
    awaitFinishedAction(older);
    String newer = start("delete", json("{'queue':'%s'}", queue));
    awaitFinishedAction(newer);

    JsonNode list = server.get("/v1/bulk-actions?limit=2").body().path("actions");

    assertThat(texts(list, "actionId")).containsExactly(newer, older);
  }

  @Test
  void an_unknown_action_is_a_404() {
    assertProblem(server.get("/v1/bulk-actions/bulk_01JDQ5V8Z3K7M2N4P6R8S0T2V4"), 404);
    assertProblem(server.get("/v1/bulk-actions/nonsense"), 404);
    assertProblem(server.post("/v1/bulk-actions/bulk_01JDQ5V8Z3K7M2N4P6R8S0T2V4/cancel", ""), 404);
  }

  @Test
  void bad_requests_are_400s_naming_the_field() {
    assertInvalid("{'action':'retry'}", "filter");
    assertInvalid("{'action':'retry','filter':{}}", "filter");
    assertInvalid("{'action':'retry','filter':{'queue':'q','colour':'red'}}", "filter.colour");
    assertInvalid("{'action':'retry','filter':{'status':'lost'}}", "filter.status");
    assertInvalid("{'action':'rerun','filter':{'queue':'q'}}", "action");
    assertInvalid("{'filter':{'queue':'q'}}", "action");
    assertInvalid("{'action':'retry','filter':{'queue':'q'},'when':'now'}", "when");
    assertInvalid("{'action':'retry','filter':{'queue':'no spaces'}}", "filter.queue");
    assertInvalid(
        "{'action':'retry','filter':{'createdAfter':'yesterday'}}", "filter.createdAfter");
    assertInvalid(
        "{'action':'retry','filter':{'lastErrorContains':'%s'}}".formatted("x".repeat(201)),
        "filter.lastErrorContains");
    assertInvalid(
        "{'action':'retry','filter':{'lastErrorContains':''}}", "filter.lastErrorContains");
    assertInvalid(
        "{'action':'retry','filter':{'metadata':{'tenant':7}}}", "filter.metadata.tenant");
    assertInvalid("{'action':'retry','filter':{'metadata':{}}}", "filter.metadata");
    assertInvalid("{'action':'retry','filter':'queue=q'}", "filter");
    assertInvalid("{'action':'retry','filter':{'queue':'q'},'dryRun':'yes'}", "dryRun");
    Answer limit = server.get("/v1/bulk-actions?limit=0");
    assertProblem(limit, 400);
    assertThat(texts(limit.body().path("errors"), "field")).containsExactly("limit");
  }

  private void assertInvalid(String body, String field) {
    Answer answer = server.post("/v1/bulk-actions", json(body));
    assertProblem(answer, 400);
    assertThat(texts(answer.body().path("errors"), "field")).as(answer.text()).contains(field);
  }

  private String start(String verb, String filter) {
    Answer answer =
        server.post("/v1/bulk-actions", "{\"action\":\"" + verb + "\",\"filter\":" + filter + "}");
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    return answer.body().path("actionId").asText();
  }

  private JsonNode action(String id) {
    Answer answer = server.get("/v1/bulk-actions/" + id);
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    return answer.body();
  }

  /** Waits for the action to end: batches are paced, and slower on a busy machine. */
  private JsonNode awaitFinishedAction(String id) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> assertThat(action(id).path("status").asText()).isNotEqualTo("running"));
    return action(id);
  }

  private long countOf(String queue, String status) {
    return server
        .post(
            "/v1/bulk-actions",
            json(
                "{'action':'retry','filter':{'queue':'%s','status':'%s'},'dryRun':true}",
                queue, status))
        .body()
        .path("matched")
        .asLong();
  }

  private List<String> failedTasks(String queue, int count) {
    String down = path("down");
    target.on(down, Reply.status(500));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++)
      ids.add(
          server.createTask(
              json("{'callbackUrl':'%s','queue':'%s','retries':0}", target.url(down), queue)));
    ids.forEach(
        id -> assertThat(server.awaitFinished(id).path("status").asText()).isEqualTo("failed"));
    return ids;
  }

  private List<String> scheduledTasks(String queue, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++)
      ids.add(
          server.createTask(
              json(
                  "{'callbackUrl':'%s','queue':'%s','delay':'1h'}",
                  target.url(path("later")), queue)));
    return ids;
  }

  private void scheduledBatch(String queue, int count) {
    String task =
        json("{'callbackUrl':'%s','queue':'%s','delay':'1h'}", target.url(path("later")), queue);
    for (int created = 0; created < count; created += 1_000) {
      String batch =
          "{\"tasks\":["
              + String.join(",", Collections.nCopies(Math.min(1_000, count - created), task))
              + "]}";
      Answer answer = server.post("/v1/tasks/batch", batch);
      assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    }
  }
}
