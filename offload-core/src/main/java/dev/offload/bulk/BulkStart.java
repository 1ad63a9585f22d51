package dev.offload.bulk;

/** What asking for a bulk action did. */
public sealed interface BulkStart {
  BulkAction action();

  record Started(BulkAction action) implements BulkStart {}

  /** The same verb with the same filter was still running: no second one starts. */
  record AlreadyRunning(BulkAction action) implements BulkStart {}
}
