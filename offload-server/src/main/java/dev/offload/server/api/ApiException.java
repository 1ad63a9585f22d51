package dev.offload.server.api;

import java.util.List;

/**
 * An answer other than success; turned into {@code application/problem+json} by {@link Problems}.
 */
public class ApiException extends RuntimeException {
  private final int status;
  private final String title;
  private final List<FieldError> errors;

  public ApiException(int status, String title, String detail, List<FieldError> errors) {
    super(detail);
    this.status = status;
    this.title = title;
    this.errors = List.copyOf(errors);
  }

  public ApiException(int status, String title, String detail) {
    this(status, title, detail, List.of());
  }

  public static ApiException invalid(List<FieldError> errors) {
    String detail =
        errors.size() == 1
            ? errors.getFirst().field() + ": " + errors.getFirst().message()
            : errors.size()
                + " fields are invalid: "
                + String.join(", ", errors.stream().map(FieldError::field).toList());
    return new ApiException(400, "Invalid request", detail, errors);
  }

  public static ApiException invalid(String field, String message) {
    return invalid(List.of(new FieldError(field, message)));
  }

  public static ApiException notFound(String detail) {
    return new ApiException(404, "Not found", detail);
  }

  public static ApiException conflict(String detail) {
    return new ApiException(409, "Conflict", detail);
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public List<FieldError> errors() {
    return errors;
  }
}
