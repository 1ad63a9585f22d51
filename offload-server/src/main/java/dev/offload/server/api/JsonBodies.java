package dev.offload.server.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Locale;

/**
 * Reads request bodies strictly: JSON only, no duplicate keys, no trailing garbage, bounded
 * nesting.
 *
 * <p>Its parsers and generators take their buffers from one shared pool: Jackson's default keeps
 * them per thread, and as every request runs on a virtual thread of its own, each parse and each
 * write would allocate them afresh (several KiB a request).
 */
public final class JsonBodies {
  private static final int MAX_NESTING = 64;

  /**
   * Writes JSON as {@link JsonNode#toString()} does, but with the shared buffers (that method uses
   * Jackson's own mapper).
   */
  private static final ObjectMapper WRITER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                  .build())
          .build();

  private final ObjectMapper mapper;
  private final long maxRequestBytes;

  /**
   * {@code maxRequestBytes}: the request body limit, refused up front when Content-Length says
   * more.
   */
  public JsonBodies(long maxRequestBytes) {
    this.maxRequestBytes = maxRequestBytes;
    this.mapper =
        JsonMapper.builder(
                JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                    .streamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
  }

  /** {@code node} as compact JSON text, the same as {@link JsonNode#toString()}. */
  static String text(JsonNode node) {
    try {
      return WRITER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always writes", e);
    }
  }

  /**
   * A body of known length is read straight into an array of that length: Javalin's own read copies
   * it through an 8 KiB buffer and a growing stream on every request. Without a length (chunked)
   * Javalin reads it and enforces the limit.
   */
  private static byte[] bytes(Context ctx, long declared) {
    if (declared < 0) return ctx.bodyAsBytes();
    try {
      return ctx.req().getInputStream().readNBytes((int) declared);
    } catch (IOException e) {
      throw ApiException.invalid("(body)", "could not be read: " + e.getMessage());
    }
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  /** {@code application/json} or a {@code +json} type, with any parameters. */
  static boolean isJson(String contentType) {
    String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return mediaType.equals("application/json")
        || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
  }

  /** The body as JSON; 415 when it is declared as something else, 400 when it does not parse. */
  public JsonNode read(Context ctx) {
    String contentType = ctx.contentType();
    if (contentType != null && !isJson(contentType)) {
      throw new ApiException(
          415,
          "Unsupported media type",
          "send the request as Content-Type: application/json, got " + contentType);
    }
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxRequestBytes) {
      throw new ApiException(
          413,
          "Request too large",
          "the body is " + declared + " bytes; the limit is " + maxRequestBytes);
    }
    byte[] body = bytes(ctx, declared);
    if (body.length == 0) throw ApiException.invalid("(body)", "a JSON body is required");
    try {
      JsonNode node = mapper.readTree(body);
      if (node == null || node.isMissingNode())
        throw ApiException.invalid("(body)", "a JSON body is required");
      return node;
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw ApiException.invalid(
          "(body)", "is not valid JSON" + where + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.invalid("(body)", "could not be read: " + e.getMessage());
    }
  }
}
