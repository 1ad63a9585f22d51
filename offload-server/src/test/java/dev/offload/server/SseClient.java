package dev.offload.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offload.server.api.ApiContract;
import dev.offload.server.api.ContractCheckedHttpClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Reads a server-sent event stream on a background thread: its events, its comments, and whether it
 * ended. The exchange and every event's data are held to the OpenAPI document; {@link #close} fails
 * on a mismatch.
 */
public final class SseClient implements AutoCloseable {
  /** One event as the wire carried it. */
  public record Event(String id, String name, String data) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ContractCheckedHttpClient http;
  private final List<String> mismatches = new CopyOnWriteArrayList<>();
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final List<String> comments = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private final int status;
  private final Thread reader;
  private final Stream<String> lines;

  public SseClient(String url, String... headers) {
    URI uri = URI.create(url);
    http = new ContractCheckedHttpClient(uri::getPort);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
    for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
    try {
      HttpResponse<Stream<String>> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
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
          if (!data.isEmpty()) add(new Event(id, name, String.join("\n", data)));
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

  private void add(Event event) {
    try {
      List<String> problems = ApiContract.get().validate("TaskEvent", JSON.readTree(event.data()));
      if (!problems.isEmpty())
        mismatches.add("event " + event.id() + " breaks the TaskEvent schema: " + problems);
    } catch (IOException e) {
      mismatches.add("event " + event.id() + " is not JSON: " + event.data());
    }
    events.add(event);
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
    http.assertNoMismatch();
    if (!mismatches.isEmpty()) throw new AssertionError(String.join("\n", mismatches));
  }
}
