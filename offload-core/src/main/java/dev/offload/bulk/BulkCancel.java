package dev.offload.bulk;

/** What cancelling a bulk action did. */
public sealed interface BulkCancel {
  record Cancelled(BulkAction action) implements BulkCancel {}

  /** It had already succeeded or been cancelled. */
  record AlreadyFinished(BulkAction action) implements BulkCancel {}

  record NotFound() implements BulkCancel {}
}
