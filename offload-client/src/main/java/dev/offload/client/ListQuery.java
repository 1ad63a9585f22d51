package dev.offload.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Filters and paging of {@code GET /v1/tasks}; a null filter matches everything.
 *
 * <pre>{@code
 * ListQuery.builder().queue("emails").status(TaskStatus.FAILED).limit(20).build()
 * }</pre>
 *
 * @param limit tasks per page, 1 to the server's maximum; null for the server's default (50)
 * @param cursor the {@link TaskPage#nextCursor()} of the previous page; null for the first page
 */
public record ListQuery(
    String queue, TaskStatus status, String scheduleName, Integer limit, String cursor) {
  /** Every task, newest first, in pages of the server's default size. */
  public static ListQuery all() {
    return new ListQuery(null, null, null, null, null);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** This query for the page after {@code page}. */
  public ListQuery after(TaskPage page) {
    return new ListQuery(queue, status, scheduleName, limit, page.nextCursor());
  }

  /** The query string, such as {@code "?queue=emails&limit=20"}; empty without filters. */
  String toQueryString() {
    List<String> params = new ArrayList<>();
    add(params, "queue", queue);
    add(params, "status", status == null ? null : status.wire());
    add(params, "scheduleName", scheduleName);
    add(params, "limit", limit == null ? null : limit.toString());
    add(params, "cursor", cursor);
    return params.isEmpty() ? "" : "?" + String.join("&", params);
  }

  private static void add(List<String> params, String name, String value) {
    if (value != null) params.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
  }

  public static final class Builder {
    private String queue;
    private TaskStatus status;
    private String scheduleName;
    private Integer limit;
    private String cursor;

    private Builder() {}

    public Builder queue(String queue) {
      this.queue = queue;
      return this;
    }

    public Builder status(TaskStatus status) {
      this.status = status;
      return this;
    }

    public Builder scheduleName(String scheduleName) {
      this.scheduleName = scheduleName;
      return this;
    }

    public Builder limit(int limit) {
      if (limit < 1) throw new IllegalArgumentException("limit must be at least 1, got " + limit);
      this.limit = limit;
      return this;
    }

    public Builder cursor(String cursor) {
      this.cursor = cursor;
      return this;
    }

    public ListQuery build() {
      return new ListQuery(queue, status, scheduleName, limit, cursor);
    }
  }
}
