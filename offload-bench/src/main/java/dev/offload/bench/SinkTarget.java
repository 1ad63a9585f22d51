package dev.offload.bench;

import io.javalin.Javalin;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A trivially fast target on Jetty: answers 200 {"ok":true} and counts requests and distinct task ids. */
final class SinkTarget implements AutoCloseable {
  private final Javalin server;
  private final AtomicLong hits = new AtomicLong();
  private final Set<String> taskIds = ConcurrentHashMap.newKeySet();

  SinkTarget() {
    server = Javalin.create(config -> {
      config.concurrency.useVirtualThreads = true;
      config.startup.showJavalinBanner = false;
      config.jetty.host = "127.0.0.1";
      config.jetty.port = 0;
      config.routes.post("/sink", ctx -> {
        String id = ctx.header("Offload-Task-Id");
        if (id != null) taskIds.add(id);
        hits.incrementAndGet();
        ctx.contentType("application/json").result("{\"ok\":true}");
      });
    }).start();
  }

  String url() {
    return "http://127.0.0.1:" + server.port() + "/sink";
  }

  long hits() {
    return hits.get();
  }

  int distinctTasks() {
    return taskIds.size();
  }

  @Override
  public void close() {
    server.stop();
  }
}
