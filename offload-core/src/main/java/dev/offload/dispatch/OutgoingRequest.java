package dev.offload.dispatch;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** One HTTP call to make; a null {@code timeout} means no limit on the exchange. */
public record OutgoingRequest(
    URI uri,
    String method,
    Map<String, String> headers,
    byte[] body,
    String contentType,
    Duration timeout) {}
