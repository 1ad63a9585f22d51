package dev.offload.dispatch;

import org.eclipse.jetty.client.ProcessingProtocolHandler;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;

/**
 * Skips every interim (1xx) answer before the final one, as HTTP asks of a client. Jetty handles
 * 100, 102 and 103 by name only: any other 1xx left its exchange unfinished past every timeout, and
 * its 103 handler lost the final answer that followed. 101 stays out: it ends HTTP on the
 * connection, so it is the final answer (a switch Offload never asks for, and fails).
 */
final class InterimResponses extends ProcessingProtocolHandler {
  @Override
  public boolean accept(Request request, Response response) {
    int status = response.getStatus();
    return status >= 100 && status < 200 && status != 101;
  }
}
