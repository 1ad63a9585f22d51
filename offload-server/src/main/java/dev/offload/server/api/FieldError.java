package dev.offload.server.api;

/** One invalid field of a request: {@code field} is a JSON path such as {@code tasks[2].delay}. */
public record FieldError(String field, String message) {}
