package dev.offload.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Function;

/**
 * A target on loopback that answers each request with exactly the bytes a test gives, then closes
 * the connection: the way to send what a well-behaved HTTP server never would.
 */
public final class RawTarget implements AutoCloseable {
  private final ServerSocket socket;
  private volatile Function<String, String> answer =
      head -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
  private volatile boolean answerBeforeReading;

  public RawTarget() {
    try {
      socket = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread.ofVirtual().name("raw-target").start(this::accept);
  }

  /** Answers every request with {@code raw} (ISO-8859-1). */
  public RawTarget answering(String raw) {
    return answering(head -> raw);
  }

  /** Answers each request with what {@code answer} makes of its head (request line and headers). */
  public RawTarget answering(Function<String, String> answer) {
    this.answer = answer;
    this.answerBeforeReading = false;
    return this;
  }

  /** Sends {@code raw} as soon as a connection opens, without reading what the client sends. */
  public RawTarget answeringOnConnect(String raw) {
    this.answer = head -> raw;
    this.answerBeforeReading = true;
    return this;
  }

  /** {@code scheme://127.0.0.1:port/path}. */
  public String url(String scheme, String path) {
    return scheme + "://127.0.0.1:" + socket.getLocalPort() + path;
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket connection = socket.accept();
        Thread.ofVirtual().start(() -> serve(connection));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket connection) {
    try (connection) {
      InputStream in = connection.getInputStream();
      OutputStream out = connection.getOutputStream();
      String head = "";
      if (!answerBeforeReading) {
        head = readHead(in);
        if (head == null) return;
        in.readNBytes(contentLength(head));
      }
      out.write(answer.apply(head).getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      connection.shutdownOutput();
      in.readAllBytes();
    } catch (IOException ignored) {
      // the client went away first: nothing more to answer
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      String text = head.toString(StandardCharsets.ISO_8859_1);
      if (text.endsWith("\r\n\r\n")) return text;
    }
    return null;
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
        return Integer.parseInt(line.substring(15).strip());
    }
    return 0;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a listening socket that failed is nothing to act on
    }
  }
}
