package dev.offload.store;

import static dev.offload.task.TestTasks.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.task.Task;
import dev.offload.task.TaskId;
import dev.offload.task.TaskStatus;
import dev.offload.task.WebhookResult;
import dev.offload.task.WebhookState;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Completion webhooks: due once a task is finished, leased to one sender, due again after a failed
 * delivery or a lost sender.
 */
abstract class WebhookContract extends StoreContract {
  @Test
  void a_terminal_transition_makes_the_webhook_due_until_it_is_delivered() {
    TaskId id = create(T0, aPushTask().webhookUrl(URI.create("https://app.example/hook")).build());
    Instant finishedAt = T0.plusSeconds(2);
    store.completion().finish(List.of(succeeded(claimOne(NODE_A, T0), finishedAt)));

    assertThat(find(id).webhook())
        .isEqualTo(
            new WebhookState("https://app.example/hook", WebhookState.Delivery.PENDING, 0, null));
    assertThat(store.webhooks().claimDueWebhooks(finishedAt.minusMillis(1), 10, LEASE)).isEmpty();
    List<Task> due = store.webhooks().claimDueWebhooks(finishedAt, 10, LEASE);
    assertThat(ids(due)).containsExactly(id);
    assertThat(due.getFirst().status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(store.webhooks().claimDueWebhooks(finishedAt.plusSeconds(1), 10, LEASE))
        .as("leased to the first sender")
        .isEmpty();

    store
        .webhooks()
        .recordWebhook(new WebhookResult(id, WebhookState.Delivery.DELIVERED, 1, null, null));

    assertThat(find(id).webhook())
        .isEqualTo(
            new WebhookState("https://app.example/hook", WebhookState.Delivery.DELIVERED, 1, null));
    assertThat(store.webhooks().claimDueWebhooks(finishedAt.plus(Duration.ofDays(1)), 10, LEASE))
        .isEmpty();
  }

  @Test
  void a_webhook_whose_sender_stopped_is_due_again_after_its_lease() {
    TaskId id = create(T0, aPushTask().webhookUrl(URI.create("https://app.example/hook")).build());
    store.completion().finish(List.of(failed(claimOne(NODE_A, T0), T0)));
    store.webhooks().claimDueWebhooks(T0, 10, LEASE);

    assertThat(store.webhooks().claimDueWebhooks(T0.plus(LEASE).minusMillis(1), 10, LEASE))
        .isEmpty();
    assertThat(ids(store.webhooks().claimDueWebhooks(T0.plus(LEASE), 10, LEASE)))
        .containsExactly(id);
  }

  @Test
  void a_failed_webhook_delivery_comes_back_at_its_next_attempt_time() {
    TaskId id = create(T0, aPushTask().webhookUrl(URI.create("https://app.example/hook")).build());
    store.completion().finish(List.of(succeeded(claimOne(NODE_A, T0), T0)));
    store.webhooks().claimDueWebhooks(T0, 10, LEASE);
    Instant next = T0.plusSeconds(10);

    store
        .webhooks()
        .recordWebhook(new WebhookResult(id, WebhookState.Delivery.PENDING, 1, "HTTP 500", next));

    assertThat(find(id).webhook())
        .isEqualTo(
            new WebhookState(
                "https://app.example/hook", WebhookState.Delivery.PENDING, 1, "HTTP 500"));
    assertThat(store.webhooks().claimDueWebhooks(next.minusMillis(1), 10, LEASE)).isEmpty();
    assertThat(ids(store.webhooks().claimDueWebhooks(next, 10, LEASE))).containsExactly(id);
  }

  @Test
  void a_cancel_makes_the_webhook_due() {
    TaskId id = create(T0, aPushTask().webhookUrl(URI.create("https://app.example/hook")).build());

    store.actions().cancel(id, T0.plusSeconds(1));

    assertThat(ids(store.webhooks().claimDueWebhooks(T0.plusSeconds(1), 10, LEASE)))
        .containsExactly(id);
  }

  @Test
  void no_webhook_is_due_for_tasks_without_url_or_not_yet_terminal() {
    create(T0, aPushTask().build());
    store.completion().finish(List.of(succeeded(claimOne(NODE_A, T0), T0)));
    create(T0, aPushTask().webhookUrl(URI.create("https://app.example/hook")).build());
    store.completion().finish(List.of(retrying(claimOne(NODE_A, T0), T0, T0.plusSeconds(60))));

    assertThat(store.webhooks().claimDueWebhooks(T0.plus(Duration.ofDays(1)), 10, LEASE)).isEmpty();
  }
}
