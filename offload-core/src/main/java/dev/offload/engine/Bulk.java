package dev.offload.engine;

import dev.offload.bulk.BulkAction;
import dev.offload.bulk.BulkCancel;
import dev.offload.bulk.BulkFilter;
import dev.offload.bulk.BulkStart;
import dev.offload.bulk.BulkVerb;
import dev.offload.store.BulkActions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Bulk actions (design.md: bulk actions): retry, cancel or delete every task a filter matches. This
 * side starts, reads and cancels them; the {@link BulkRunner} of some node does the work.
 */
public final class Bulk {
  private final BulkActions store;
  private final Clock clock;
  private final Runnable wake;

  Bulk(BulkActions store, Clock clock, Runnable wake) {
    this.store = store;
    this.clock = clock;
    this.wake = wake;
  }

  /**
   * Starts {@code verb} over the tasks {@code filter} matches among those created until now; the
   * running one when the same verb and filter is running already.
   */
  public BulkStart start(BulkVerb verb, BulkFilter filter) {
    BulkStart start = store.start(verb, filter, clock.instant());
    if (start instanceof BulkStart.Started) wake.run();
    return start;
  }

  /** How many tasks {@code filter} matches now (a dry run). */
  public long count(BulkFilter filter) {
    return store.count(filter, null);
  }

  public Optional<BulkAction> find(String id) {
    return store.find(id);
  }

  /** The newest {@code limit} actions, newest first. */
  public List<BulkAction> list(int limit) {
    return store.list(limit);
  }

  /** Stops a running action after its batch in progress; what it did stays done. */
  public BulkCancel cancel(String id) {
    return store.cancel(id, clock.instant());
  }
}
