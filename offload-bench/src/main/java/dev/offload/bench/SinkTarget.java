package dev.offload.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/** A trivially fast target: answers 200 {"ok":true} and counts requests and distinct task ids. */
final class SinkTarget implements AutoCloseable {
  private static final byte[] OK = "{\"ok\":true}".getBytes();
  private final HttpServer server;
  private final AtomicLong hits = new AtomicLong();
  private final Set<String> taskIds = ConcurrentHashMap.newKeySet();

  SinkTarget() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4_096);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", exchange -> {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        String id = exchange.getRequestHeaders().getFirst("Offload-Task-Id");
        if (id != null) taskIds.add(id);
        hits.incrementAndGet();
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, OK.length);
        exchange.getResponseBody().write(OK);
      }
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/sink";
  }

  long hits() {
    return hits.get();
  }

  int distinctTasks() {
    return taskIds.size();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
