package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.offload.client.OffloadClient;
import dev.offload.client.OffloadException;
import dev.offload.client.QueueHistory;
import dev.offload.client.QueueSettings;
import dev.offload.client.QueueView;
import dev.offload.client.TaskRequest;
import dev.offload.client.TaskStatus;
import dev.offload.server.TestTarget.Reply;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code offload-client}'s queue calls against the real server. */
class QueueClientIT {
  @TempDir Path dir;
  private RunningServer server;
  private TestTarget target;
  private OffloadClient client;

  @BeforeEach
  void start() {
    target = new TestTarget();
    target.on("/mail", Reply.ok("{}"));
    server = new RunningServer(dir);
    client = OffloadClient.builder().baseUrl(server.url("")).httpClient(server.http()).build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
    target.close();
  }

  @Test
  void puts_gets_and_lists_queues_with_their_settings_and_counts() {
    QueueView put =
        client
            .queues()
            .put("emails", QueueSettings.unlimited().withConcurrency(10).withRate(50.0, 5));
    assertThat(put.settings()).isEqualTo(new QueueSettings(10, 50.0, 5, false));

    String id =
        client
            .tasks()
            .create(
                TaskRequest.builder()
                    .callbackUrl(target.url("/mail"))
                    .queue("emails")
                    .concurrencyKey("customer-1", 2)
                    .build())
            .taskId();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.queues().get("emails").counts().get(TaskStatus.SUCCEEDED) == 1);

    QueueView emails = client.queues().get("emails");
    assertThat(emails.finishedLastMinute()).isEqualTo(1);
    assertThat(emails.attemptP50Ms()).isNotNull();
    assertThat(emails.attemptTimeoutMs()).isEqualTo(3_600_000L);
    assertThat(emails.nearTimeout()).isFalse();
    assertThat(client.tasks().get(id).status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(client.queues().list()).extracting(QueueView::name).containsExactly("emails");

    QueueView paused = client.queues().put("emails", QueueSettings.unlimited().withPaused(true));
    assertThat(paused.settings()).isEqualTo(new QueueSettings(null, null, null, true));
  }

  @Test
  void reads_a_queues_history_minute_by_minute() {
    client
        .tasks()
        .create(
            TaskRequest.builder()
                .callbackUrl(target.url("/mail"))
                .queue("charted")
                .timeout(Duration.ofSeconds(20))
                .build());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.queues().get("charted").finishedLastMinute() == 1);

    QueueHistory history = client.queues().history("charted");

    assertThat(history.queue()).isEqualTo("charted");
    assertThat(history.bucketSeconds()).isEqualTo(60);
    assertThat(Duration.between(history.from(), history.to())).isEqualTo(Duration.ofHours(1));
    assertThat(history.attemptTimeoutMs()).isEqualTo(20_000L);
    assertThat(history.buckets()).hasSize(60);
    assertThat(history.buckets().getFirst().at()).isEqualTo(history.from());
    assertThat(history.buckets().stream().mapToLong(QueueHistory.Bucket::created).sum())
        .isEqualTo(1);
    assertThat(history.buckets().stream().mapToLong(QueueHistory.Bucket::succeeded).sum())
        .isEqualTo(1);
    QueueHistory.Bucket attempted =
        history.buckets().stream().filter(b -> b.attempts() == 1).findFirst().orElseThrow();
    assertThat(attempted.attemptP50Ms()).isNotNull().isEqualTo(attempted.attemptP99Ms());
    assertThat(history.buckets().getLast().depth()).isZero();

    OffloadException missing =
        catchThrowableOfType(OffloadException.class, () -> client.queues().history("nowhere"));
    assertThat(missing.status()).isEqualTo(404);
  }

  @Test
  void an_unknown_queue_is_a_404_and_bad_settings_a_400() {
    OffloadException missing =
        catchThrowableOfType(OffloadException.class, () -> client.queues().get("nowhere"));
    assertThat(missing.status()).isEqualTo(404);

    OffloadException invalid =
        catchThrowableOfType(
            OffloadException.class,
            () -> client.queues().put("q", QueueSettings.unlimited().withConcurrency(0)));
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.errors())
        .extracting(dev.offload.client.FieldError::field)
        .containsExactly("concurrency");
  }
}
