package dev.offload.server;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/**
 * Chooses the log format before anything logs, and stops logging last. Logback's own shutdown hook
 * would run alongside the server's (the JVM starts all hooks at once) and stop the appenders while
 * the engine still writes the state lines of the calls that finish during the grace period; so the
 * server stops logging itself, once the engine has closed.
 */
public final class Logging {
  private Logging() {}

  /** Logback reads its configuration once, at the first logger: choose it before anything logs. */
  static void configure(String[] args) {
    String format = System.getenv("OFFLOAD_LOG_FORMAT");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--log-format") && i + 1 < args.length) format = args[i + 1];
      if (args[i].startsWith("--log-format=")) format = args[i].substring("--log-format=".length());
    }
    if ("json".equals(format)) System.setProperty("logback.configurationFile", "logback-json.xml");
  }

  /** Writes out what the asynchronous appender still holds and stops it: call last. */
  public static void stop() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) context.stop();
  }
}
