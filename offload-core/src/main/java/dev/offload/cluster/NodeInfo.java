package dev.offload.cluster;

import java.time.Instant;

/**
 * A node that shares the store, as it last reported itself; {@code stoppedAt} is set on a clean
 * stop.
 */
public record NodeInfo(
    String id,
    String host,
    String version,
    Instant startedAt,
    Instant heartbeatAt,
    Instant stoppedAt) {}
