package dev.offload.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Requires {@code Authorization: Bearer <token>} on the API when tokens are configured. Tokens are
 * compared as SHA-256 digests with {@link MessageDigest#isEqual}, in constant time and without
 * revealing their length, and against every configured token so timing tells nothing about which
 * one nearly matched. A target reporting progress or posting a callback proves itself with its own
 * capability token instead; the OpenAPI document is public.
 */
public final class Authentication {
  /**
   * Targets prove themselves otherwise: progress with the per-task token, callbacks with the token
   * in the URL.
   */
  private static final Pattern TARGET_CALLS =
      Pattern.compile("/v1/tasks/[^/]+/progress|/v1/callbacks/[^/]+");

  /** The API's description holds no data, like the dashboard's pages. */
  private static final String OPENAPI = "/v1/openapi.json";

  private static final String CHALLENGE = "Bearer realm=\"offload\"";

  private final List<byte[]> tokenDigests;

  public Authentication(List<String> tokens) {
    this.tokenDigests = tokens.stream().map(Authentication::sha256).toList();
  }

  public void register(RoutesConfig routes) {
    if (tokenDigests.isEmpty()) return;
    routes.before("/v1/*", this::require);
    routes.before("/metrics", this::require);
  }

  private void require(Context ctx) {
    if (ctx.method() == HandlerType.POST && TARGET_CALLS.matcher(ctx.path()).matches()) return;
    if (ctx.method() == HandlerType.GET && ctx.path().equals(OPENAPI)) return;
    String authorization = ctx.header("Authorization");
    if (authorization == null || authorization.isBlank()) {
      ctx.header("WWW-Authenticate", CHALLENGE);
      throw new ApiException(
          401, "Unauthorized", "send an API token: Authorization: Bearer <token>");
    }
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        || !accepts(authorization.substring(7).strip())) {
      ctx.header("WWW-Authenticate", CHALLENGE + ", error=\"invalid_token\"");
      throw new ApiException(401, "Unauthorized", "the API token is not valid");
    }
  }

  boolean accepts(String token) {
    byte[] given = sha256(token);
    boolean accepted = false;
    for (byte[] digest : tokenDigests) {
      accepted |= MessageDigest.isEqual(digest, given);
    }
    return accepted;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
