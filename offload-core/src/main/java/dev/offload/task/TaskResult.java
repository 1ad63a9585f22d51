package dev.offload.task;

/**
 * The target's answer to the successful (or last) attempt, or the result a worker completed a pull
 * task with ({@code statusCode} null, {@code body} the worker's JSON). {@code body} is JSON text
 * when {@code json} is true, else plain text; bodies over the cap are cut and {@code truncated} is
 * set.
 */
public record TaskResult(
    Integer statusCode, String contentType, String body, boolean json, boolean truncated) {}
