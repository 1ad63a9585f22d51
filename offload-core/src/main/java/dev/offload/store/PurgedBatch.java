package dev.offload.store;

/**
 * What one purge batch did: {@code tasks} deleted, the latest purge time among them ({@code upTo},
 * epoch ms; the {@code from} it was given when it deleted none), where the next batch of the same
 * round starts looking.
 */
public record PurgedBatch(int tasks, long upTo) {}
