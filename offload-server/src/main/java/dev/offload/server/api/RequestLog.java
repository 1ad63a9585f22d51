package dev.offload.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Gives every request an {@code Offload-Request-Id}, puts it in the log context ({@code requestId})
 * of every line logged while the request runs, and logs one line per error answer with its problem
 * (title, detail, field errors): 5xx at error, 4xx at info (a client's mistake, not the server's).
 */
public final class RequestLog {
  public static final String HEADER = "Offload-Request-Id";
  public static final String MDC_KEY = "requestId";

  /**
   * The request attribute where {@link Problems} leaves the problem's title, detail and field
   * errors for the log line.
   */
  static final String PROBLEM_ATTRIBUTE = "offload.problem";

  private static final Logger log = LoggerFactory.getLogger(RequestLog.class);

  public void register(RoutesConfig routes) {
    routes.before(
        ctx -> {
          String id = ProblemErrorHandler.newRequestId();
          ctx.header(HEADER, id);
          MDC.put(MDC_KEY, id);
        });
    routes.after(RequestLog::finished);
  }

  private static void finished(Context ctx) {
    int status = ctx.statusCode();
    String problem = ctx.attribute(PROBLEM_ATTRIBUTE);
    String why = problem == null ? "" : ": " + problem;
    if (status >= 500) {
      log.atError()
          .addKeyValue("status", status)
          .log("{} {} answered {}{}", ctx.method(), ctx.path(), status, why);
    } else if (status >= 400) {
      log.atInfo()
          .addKeyValue("status", status)
          .log("{} {} answered {}{}", ctx.method(), ctx.path(), status, why);
    }
    MDC.remove(MDC_KEY);
  }
}
