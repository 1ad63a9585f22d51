package dev.offload.store;

import org.junit.jupiter.api.Nested;

/**
 * Every area of the store contract, one nested class each (as River's driver test suite exercises
 * each area in a file of its own): {@link SqliteStoreTest} runs them on SQLite and {@link
 * PostgresStoreIT} on PostgreSQL, each naming its dialect with {@code @ExtendWith}.
 */
abstract class StoreSuite {
  @Nested
  class Inserts extends InsertContract {}

  @Nested
  class Lists extends ListContract {}

  @Nested
  class Claims extends ClaimContract {}

  @Nested
  class QueueLimits extends QueueLimitContract {}

  @Nested
  class Completions extends CompletionContract {}

  @Nested
  class Continuations extends ContinuationContract {}

  @Nested
  class Actions extends TaskActionContract {}

  @Nested
  class NodeLeases extends NodeLeaseContract {}

  @Nested
  class PullTaskLeases extends PullLeaseContract {}

  @Nested
  class WebhookDeliveries extends WebhookContract {}

  @Nested
  class Events extends EventContract {}

  @Nested
  class Counters extends TaskCountContract {}

  @Nested
  class QueueTimelines extends QueueHistoryContract {}

  @Nested
  class Schedules extends ScheduleContract {}

  @Nested
  class Retention extends RetentionContract {}

  @Nested
  class StoreSettings extends SettingContract {}

  @Nested
  class BulkActions extends BulkActionContract {}
}
