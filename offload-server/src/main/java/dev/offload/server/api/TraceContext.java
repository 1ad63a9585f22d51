package dev.offload.server.api;

import dev.offload.task.NewTask;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): a valid {@code traceparent} on a create
 * request is kept with the task and sent to its target on every attempt, with {@code tracestate},
 * so the target's spans join the caller's trace. It replaces a {@code traceparent} the task's own
 * {@code headers} name: the request's header is the live context. An invalid one is ignored, as the
 * specification asks of a receiver (the task is still created).
 */
final class TraceContext {
  private static final Pattern TRACEPARENT =
      Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}(-[^\\s]*)?");
  private static final int MAX_TRACESTATE = 512;

  private final String traceparent;
  private final String tracestate;

  private TraceContext(String traceparent, String tracestate) {
    this.traceparent = traceparent;
    this.tracestate = tracestate;
  }

  static TraceContext of(Context ctx) {
    String parent = ctx.header("traceparent");
    if (parent == null || !isValid(parent.strip())) return new TraceContext(null, null);
    String state = ctx.header("tracestate");
    boolean keepState = state != null && !state.isBlank() && state.length() <= MAX_TRACESTATE;
    return new TraceContext(parent.strip(), keepState ? state.strip() : null);
  }

  static boolean isValid(String traceparent) {
    var m = TRACEPARENT.matcher(traceparent);
    if (!m.matches() || m.group(1).equals("ff")) return false;
    if (m.group(1).equals("00") && m.group(4) != null) return false;
    return !m.group(2).equals("0".repeat(32)) && !m.group(3).equals("0".repeat(16));
  }

  NewTask applyTo(NewTask task) {
    if (traceparent == null) return task;
    Map<String, String> headers = new LinkedHashMap<>();
    task.headers()
        .forEach(
            (name, value) -> {
              if (!name.equalsIgnoreCase("traceparent")
                  && !(tracestate != null && name.equalsIgnoreCase("tracestate"))) {
                headers.put(name, value);
              }
            });
    headers.put("traceparent", traceparent);
    if (tracestate != null) headers.put("tracestate", tracestate);
    return task.withHeaders(headers);
  }
}
