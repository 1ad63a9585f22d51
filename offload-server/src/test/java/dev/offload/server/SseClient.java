package dev.offload.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Reads a server-sent event stream on a background thread: its events, its comments, and whether it ended. */
public final class SseClient implements AutoCloseable {
  /** One event as the wire carried it. */
  public record Event(String id, String name, String data) {}

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final List<String> comments = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private final int status;
  private final Thread reader;
  private final Stream<String> lines;

  public SseClient(String url, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
    for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
    try {
      HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
      this.status = response.statusCode();
      this.lines = response.body();
    } catch (IOException e) {
      throw new IllegalStateException("cannot open " + url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    this.reader = Thread.ofVirtual().start(this::read);
  }

  private void read() {
    String id = null;
    String name = null;
    List<String> data = new ArrayList<>();
    try {
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.isEmpty()) {
          if (!data.isEmpty()) events.add(new Event(id, name, String.join("\n", data)));
          id = null;
          name = null;
          data.clear();
        } else if (line.startsWith(":")) {
          comments.add(line.substring(1).strip());
        } else if (line.startsWith("id:")) {
          id = line.substring(3).strip();
        } else if (line.startsWith("event:")) {
          name = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          data.add(line.substring(5).strip());
        }
      }
    } catch (RuntimeException e) {
      // closed by the test
    } finally {
      ended.complete(null);
    }
  }

  public int status() {
    return status;
  }

  public List<Event> events() {
    return List.copyOf(events);
  }

  public List<String> names() {
    return events.stream().map(Event::name).toList();
  }

  public List<String> comments() {
    return List.copyOf(comments);
  }

  public boolean hasEnded() {
    return ended.isDone();
  }

  @Override
  public void close() {
    lines.close();
    reader.interrupt();
    http.shutdownNow();
    try {
      ended.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the stream is gone either way
    }
  }
}
