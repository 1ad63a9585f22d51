package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients keep idle connections for reuse (the JDK's HttpClient, and so the Java SDK, for 30 s):
 * the server must keep them longer, or a request sent on a connection just as the server closes it
 * gets no answer.
 */
class KeepAliveIT {
  /** Past the JDK HttpClient's 30 s keep-alive, which was also Jetty's idle timeout. */
  private static final Duration IDLE = Duration.ofSeconds(35);

  @TempDir Path dataDir;

  @Test
  void a_connection_idle_longer_than_a_jdk_client_keeps_it_still_takes_a_request()
      throws Exception {
    try (RunningServer server = new RunningServer(dataDir);
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      assertThat(exchange(out, in)).startsWith("HTTP/1.1 200");

      // The idle time itself is what is tested: no condition to wait for instead.
      Thread.sleep(IDLE);

      assertThat(exchange(out, in)).as("answer after %s idle", IDLE).startsWith("HTTP/1.1 200");
    }
  }

  /** One GET /healthz on the socket; the answer's head and body, or "" if the server closed it. */
  private static String exchange(OutputStream out, InputStream in) throws IOException {
    try {
      out.write(
          "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } catch (IOException closed) {
      return "";
    }
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    int contentLength = -1;
    int headEnd = -1;
    while (headEnd < 0 || answer.size() < headEnd + contentLength) {
      int b = in.read();
      if (b < 0) break;
      answer.write(b);
      String text = answer.toString(StandardCharsets.ISO_8859_1);
      if (headEnd < 0 && text.endsWith("\r\n\r\n")) {
        headEnd = text.length();
        contentLength = contentLength(text);
      }
    }
    return answer.toString(StandardCharsets.ISO_8859_1);
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
        return Integer.parseInt(line.substring("content-length:".length()).trim());
    }
    return 0;
  }
}
