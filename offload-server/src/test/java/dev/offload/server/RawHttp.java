package dev.offload.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 exchange written byte for byte on a socket, for requests {@link
 * java.net.http.HttpClient} refuses to send (a broken %-escape, a 20 KB request line).
 */
final class RawHttp {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RawHttp() {}

  static RunningServer.Answer send(
      int port,
      String method,
      String target,
      String contentType,
      String body,
      List<String> headers) {
    return send(
        port,
        method,
        target,
        contentType,
        body == null ? null : body.getBytes(StandardCharsets.UTF_8),
        headers);
  }

  /**
   * Writes {@code target} and the header values as ISO-8859-1 (one byte a character, so raw bytes
   * and control characters go out as given) and {@code body} as it is, with a Content-Length unless
   * {@code headers} set Content-Length or Transfer-Encoding themselves.
   */
  static RunningServer.Answer send(
      int port,
      String method,
      String target,
      String contentType,
      byte[] body,
      List<String> headers) {
    byte[] bytes = body == null ? new byte[0] : body;
    StringBuilder head =
        new StringBuilder(
            method
                + " "
                + target
                + " HTTP/1.1\r\nHost: 127.0.0.1:"
                + port
                + "\r\nConnection: close\r\n");
    if (contentType != null) head.append("Content-Type: ").append(contentType).append("\r\n");
    boolean framed = false;
    for (int i = 0; i < headers.size(); i += 2) {
      head.append(headers.get(i)).append(": ").append(headers.get(i + 1)).append("\r\n");
      framed |=
          headers.get(i).equalsIgnoreCase("Content-Length")
              || headers.get(i).equalsIgnoreCase("Transfer-Encoding");
    }
    if (body != null && !framed)
      head.append("Content-Length: ").append(bytes.length).append("\r\n");
    head.append("\r\n");
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
      } catch (IOException refusedEarly) {
        // The server may answer (413, 431) and close before it read everything: read that answer.
      }
      return parse(socket.getInputStream().readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("raw " + method + " " + abbreviate(target) + " failed", e);
    }
  }

  private static RunningServer.Answer parse(byte[] response) throws IOException {
    String all = new String(response, StandardCharsets.ISO_8859_1);
    int end = all.indexOf("\r\n\r\n");
    if (end < 0) throw new IOException("no complete response head in: " + abbreviate(all));
    String[] lines = all.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers
          .computeIfAbsent(lines[i].substring(0, colon).strip(), k -> new ArrayList<>())
          .add(lines[i].substring(colon + 1).strip());
    }
    HttpHeaders httpHeaders = HttpHeaders.of(headers, (name, value) -> true);
    byte[] rest = java.util.Arrays.copyOfRange(response, end + 4, response.length);
    boolean chunked =
        httpHeaders
            .firstValue("Transfer-Encoding")
            .map(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))
            .orElse(false);
    String text = new String(chunked ? dechunk(rest) : rest, StandardCharsets.UTF_8);
    JsonNode json;
    try {
      json = text.isEmpty() ? null : JSON.readTree(text);
    } catch (IOException notJson) {
      json = null;
    }
    return new RunningServer.Answer(status, httpHeaders, json, text);
  }

  private static byte[] dechunk(byte[] chunked) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = new java.io.ByteArrayInputStream(chunked);
    while (true) {
      StringBuilder sizeLine = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) return out.toByteArray();
        if (c != '\r') sizeLine.append((char) c);
      }
      int size = Integer.parseInt(sizeLine.toString().split(";")[0].strip(), 16);
      if (size == 0) return out.toByteArray();
      out.write(in.readNBytes(size));
      in.readNBytes(2);
    }
  }

  private static String abbreviate(String text) {
    return text.length() < 200 ? text : text.substring(0, 200) + "…";
  }
}
