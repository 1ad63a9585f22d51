package dev.offload.server;

import static dev.offload.server.BadInput.MIB;
import static dev.offload.server.BadInput.NEVER;
import static dev.offload.server.BadInput.SQL;
import static dev.offload.server.BadInput.nested;
import static dev.offload.server.BadInput.post;
import static dev.offload.server.BadInput.task;

import java.util.ArrayList;
import java.util.List;

/** Bad {@code POST /v1/tasks} requests: the body as a whole, then field by field. */
final class TaskCreateBadInput {
  private static final String PATH = "/v1/tasks";
  private static final String MEGA = "x".repeat(MIB);

  private TaskCreateBadInput() {}

  static List<BadInput> cases() {
    List<BadInput> cases = new ArrayList<>();
    body(cases);
    targets(cases);
    callShape(cases);
    timing(cases);
    names(cases);
    return cases;
  }

  private static void body(List<BadInput> cases) {
    cases.add(post("malformed JSON", PATH, "{\"callbackUrl\":", 400, "(body)"));
    cases.add(post("empty body", PATH, "", 400, "(body)"));
    cases.add(post("whitespace-only body", PATH, "  \n ", 400, "(body)"));
    cases.add(post("JSON array instead of object", PATH, "[" + task("") + "]", 400, "(body)"));
    cases.add(post("JSON string instead of object", PATH, "\"" + NEVER + "\"", 400, "(body)"));
    cases.add(post("JSON null instead of object", PATH, "null", 400, "(body)"));
    cases.add(post("JSON number instead of object", PATH, "42", 400, "(body)"));
    cases.add(post("trailing garbage", PATH, task("") + " x", 400, "(body)"));
    cases.add(post("two JSON objects", PATH, task("") + task(""), 400, "(body)"));
    cases.add(
        post("single-quoted JSON", PATH, "{'callbackUrl':'http://127.0.0.1:9/x'}", 400, "(body)"));
    cases.add(
        post(
            "JSON with a comment",
            PATH,
            "{/* x */\"callbackUrl\":\"" + NEVER + "\"}",
            400,
            "(body)"));
    cases.add(
        post(
            "duplicate keys",
            PATH,
            "{\"callbackUrl\":\"" + NEVER + "\",\"callbackUrl\":\"" + NEVER + "\"}",
            400,
            "(body)"));
    cases.add(
        post(
            "duplicate keys inside payload",
            PATH,
            task("\"payload\":{\"a\":1,\"a\":2}"),
            400,
            "(body)"));
    cases.add(
        post(
            "duplicate keys inside headers",
            PATH,
            task("\"headers\":{\"X-A\":\"1\",\"X-A\":\"2\"}"),
            400,
            "(body)"));
    cases.add(
        post("payload nested 100 levels", PATH, task("\"payload\":" + nested(100)), 400, "(body)"));
    cases.add(
        post(
            "payload nested 10,000 levels",
            PATH,
            task("\"payload\":" + nested(10_000)),
            400,
            "(body)"));
    cases.add(
        post(
            "body nested 10,000 objects deep",
            PATH,
            "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000),
            400,
            "(body)"));
    cases.add(
        post(
            "metadata nested 100 levels",
            PATH,
            task("\"metadata\":" + "{\"a\":".repeat(100) + "1" + "}".repeat(100)),
            400,
            "(body)"));
    cases.add(
        post(
            "number of 2,000 digits",
            PATH,
            task("\"retries\":" + "9".repeat(2_000)),
            400,
            "(body)"));
    cases.add(post("bare NaN", PATH, task("\"retries\":NaN"), 400, "(body)"));
    cases.add(
        post("bare Infinity", PATH, task("\"backoff\":{\"factor\":Infinity}"), 400, "(body)"));
    cases.add(post("leading zeros", PATH, task("\"retries\":007"), 400, "(body)"));
    cases.add(
        post(
            "raw control character inside a string",
            PATH,
            task("\"queue\":\"a\u0001b\""),
            400,
            "(body)"));
    cases.add(post("lone backslash escape", PATH, task("\"queue\":\"a\\qb\""), 400, "(body)"));
    cases.add(
        post(
                "invalid UTF-8 byte in a string",
                PATH,
                "{\"callbackUrl\":\"http://127.0.0.1:9/\u00ff\"}",
                400,
                "(body)")
            .rawBytes());
    cases.add(
        post(
                "truncated UTF-8 sequence",
                PATH,
                "{\"callbackUrl\":\"http://127.0.0.1:9/\u00e2\u0082\"}",
                400,
                "(body)")
            .rawBytes());
    // Jackson decodes an overlong form to the character it spells: the value is then checked as
    // such.
    cases.add(
        post("overlong UTF-8 '/' (C0 AF)", PATH, task("\"queue\":\"a\u00c0\u00afb\""), 400, "queue")
            .rawBytes());
    cases.add(
        post(
                "UTF-8 encoded surrogate (ED A0 80)",
                PATH,
                task("\"queue\":\"\u00ed\u00a0\u0080\""),
                400,
                "(body)")
            .rawBytes());
    cases.add(post("text/plain Content-Type", PATH, task(""), 415).withContentType("text/plain"));
    cases.add(
        post("form Content-Type", PATH, "callbackUrl=x", 415)
            .withContentType("application/x-www-form-urlencoded"));
    cases.add(
        post("multipart Content-Type", PATH, task(""), 415)
            .withContentType("multipart/form-data; boundary=x"));
    cases.add(
        post("application/xml Content-Type", PATH, "<task/>", 415)
            .withContentType("application/xml"));
    cases.add(
        post("Content-Type application/jsonp (not JSON)", PATH, "callbackUrl=x", 415)
            .withContentType("application/jsonp"));
    cases.add(
        post(
            "unknown field (typo callbackURL)",
            PATH,
            "{\"callbackURL\":\"" + NEVER + "\"}",
            400,
            "callbackURL",
            "callbackUrl"));
    cases.add(
        post("unknown field next to valid ones", PATH, task("\"retires\":3"), 400, "retires"));
    cases.add(post("SQL as a field name", PATH, task("\"" + SQL + "\":1"), 400, SQL));
    cases.add(post("empty field name", PATH, task("\"\":1"), 400, ""));
    cases.add(post("missing callbackUrl", PATH, "{\"payload\":{\"a\":1}}", 400, "callbackUrl"));
    cases.add(post("empty object", PATH, "{}", 400, "callbackUrl"));
    cases.add(
        post(
            "many errors at once",
            PATH,
            "{\"callbackUrl\":\"ftp://x\",\"retries\":-1,\"delay\":\"3x\",\"queue\":\"a b\",\"typo\":1}",
            400,
            "callbackUrl",
            "retries",
            "delay",
            "queue",
            "typo"));
    cases.add(
        post(
            "payload of 1 MiB + 1 byte",
            PATH,
            task("\"payload\":\"" + "p".repeat(MIB - 1) + "\""),
            413,
            "payload"));
    cases.add(
        post(
            "payload an array of 600,000 numbers",
            PATH,
            task("\"payload\":[" + "0,".repeat(600_000) + "0]"),
            413,
            "payload"));
    cases.add(
        post(
            "text body of 1 MiB + 1 byte",
            PATH,
            task("\"body\":\"" + "b".repeat(MIB + 1) + "\""),
            413,
            "body"));
    cases.add(
        post(
            "request body over 32 MiB",
            PATH,
            task("\"payload\":\"" + "p".repeat(33 * MIB) + "\""),
            413));
  }

  private static void targets(List<BadInput> cases) {
    for (String bad :
        List.of(
            "null",
            "42",
            "true",
            "[\"http://127.0.0.1:9/x\"]",
            "{\"url\":\"http://127.0.0.1:9/x\"}")) {
      cases.add(
          post("callbackUrl " + bad, PATH, "{\"callbackUrl\":" + bad + "}", 400, "callbackUrl"));
    }
    cases.add(
        post(
            "non-http callbackUrl",
            PATH,
            "{\"callbackUrl\":\"ftp://example.com/file\"}",
            400,
            "callbackUrl"));
    cases.add(
        post(
            "file: callbackUrl",
            PATH,
            "{\"callbackUrl\":\"file:///etc/passwd\"}",
            400,
            "callbackUrl"));
    cases.add(
        post(
            "javascript: callbackUrl",
            PATH,
            "{\"callbackUrl\":\"javascript:alert(1)\"}",
            400,
            "callbackUrl"));
    cases.add(
        post("relative callbackUrl", PATH, "{\"callbackUrl\":\"/transcode\"}", 400, "callbackUrl"));
    cases.add(
        post(
            "callbackUrl without host",
            PATH,
            "{\"callbackUrl\":\"http:///path\"}",
            400,
            "callbackUrl"));
    cases.add(
        post(
            "callbackUrl with user:password",
            PATH,
            "{\"callbackUrl\":\"https://user:secret@example.com/x\"}",
            400,
            "callbackUrl"));
    cases.add(
        post(
            "callbackUrl with spaces",
            PATH,
            "{\"callbackUrl\":\"http://exa mple.com/x\"}",
            400,
            "callbackUrl"));
    cases.add(
        post(
            "callbackUrl with SQL",
            PATH,
            "{\"callbackUrl\":\"http://127.0.0.1:9/" + SQL + "\"}",
            400,
            "callbackUrl"));
    cases.add(
        post(
            "callbackUrl with NUL",
            PATH,
            "{\"callbackUrl\":\"http://127.0.0.1:9/a\\u0000b\"}",
            400,
            "callbackUrl"));
    cases.add(
        post(
            "callbackUrl with CR LF",
            PATH,
            "{\"callbackUrl\":\"http://127.0.0.1:9/a\\r\\nHost: evil\"}",
            400,
            "callbackUrl"));
    cases.add(
        post(
            "callbackUrl over 2048 characters",
            PATH,
            "{\"callbackUrl\":\"https://example.com/" + "a".repeat(2_048) + "\"}",
            400,
            "callbackUrl"));
    cases.add(
        post(
            "callbackUrl of 1 MiB",
            PATH,
            "{\"callbackUrl\":\"https://example.com/" + MEGA + "\"}",
            400,
            "callbackUrl"));
    cases.add(
        post(
            "non-http webhookUrl",
            PATH,
            task("\"webhookUrl\":\"mailto:ops@example.com\""),
            400,
            "webhookUrl"));
    cases.add(post("webhookUrl a number", PATH, task("\"webhookUrl\":1"), 400, "webhookUrl"));
    cases.add(
        post(
            "webhookUrl of 1 MiB",
            PATH,
            task("\"webhookUrl\":\"https://example.com/" + MEGA + "\""),
            400,
            "webhookUrl"));
    cases.add(
        post("callbackUrl and name both", PATH, task("\"name\":\"send-email\""), 400, "name"));
  }

  private static void callShape(List<BadInput> cases) {
    cases.add(post("bad method", PATH, task("\"method\":\"FETCH\""), 400, "method"));
    cases.add(post("method not a string", PATH, task("\"method\":1"), 400, "method"));
    cases.add(post("method with SQL", PATH, task("\"method\":\"GET" + SQL + "\""), 400, "method"));
    cases.add(post("method with NUL", PATH, task("\"method\":\"GET\\u0000\""), 400, "method"));
    cases.add(post("method of 1 MiB", PATH, task("\"method\":\"" + MEGA + "\""), 400, "method"));
    cases.add(
        post("headers not an object", PATH, task("\"headers\":[\"X-A: 1\"]"), 400, "headers"));
    cases.add(post("headers a string", PATH, task("\"headers\":\"X-A: 1\""), 400, "headers"));
    cases.add(post("65 headers", PATH, task("\"headers\":{" + headers(65) + "}"), 400, "headers"));
    cases.add(
        post(
            "10,000 headers", PATH, task("\"headers\":{" + headers(10_000) + "}"), 400, "headers"));
    cases.add(
        post(
            "header value not a string",
            PATH,
            task("\"headers\":{\"X-Count\":1}"),
            400,
            "headers.X-Count"));
    cases.add(
        post(
            "header value null",
            PATH,
            task("\"headers\":{\"X-Count\":null}"),
            400,
            "headers.X-Count"));
    cases.add(
        post(
            "header value with a newline",
            PATH,
            task("\"headers\":{\"X-A\":\"a\\r\\nX-Injected: 1\"}"),
            400,
            "headers.X-A"));
    cases.add(
        post(
            "header value with NUL",
            PATH,
            task("\"headers\":{\"X-A\":\"a\\u0000b\"}"),
            400,
            "headers.X-A"));
    cases.add(
        post(
            "header value with DEL",
            PATH,
            task("\"headers\":{\"X-A\":\"a\\u007fb\"}"),
            400,
            "headers.X-A"));
    cases.add(
        post(
            "header value of 8 KiB + 1",
            PATH,
            task("\"headers\":{\"X-A\":\"" + "v".repeat(8_193) + "\"}"),
            400,
            "headers.X-A"));
    cases.add(
        post(
            "header name with a space",
            PATH,
            task("\"headers\":{\"X A\":\"1\"}"),
            400,
            "headers.X A"));
    cases.add(
        post(
            "header name with a colon",
            PATH,
            task("\"headers\":{\"X-A:\":\"1\"}"),
            400,
            "headers.X-A:"));
    cases.add(post("header name empty", PATH, task("\"headers\":{\"\":\"1\"}"), 400, "headers."));
    cases.add(
        post(
            "header name with SQL",
            PATH,
            task("\"headers\":{\"" + SQL + "\":\"1\"}"),
            400,
            "headers." + SQL));
    String longName = "X" + "h".repeat(300);
    cases.add(
        post(
            "header name of 301 characters",
            PATH,
            task("\"headers\":{\"" + longName + "\":\"1\"}"),
            400,
            "headers." + longName));
    for (String reserved :
        List.of(
            "Host",
            "Content-Type",
            "Content-Length",
            "Transfer-Encoding",
            "Connection",
            "User-Agent",
            "Offload-Task-Id",
            "offload-task-token",
            "webhook-signature")) {
      cases.add(
          post(
              "reserved header " + reserved,
              PATH,
              task("\"headers\":{\"" + reserved + "\":\"x\"}"),
              400,
              "headers." + reserved));
    }
    cases.add(
        post(
            "payload and body both",
            PATH,
            task("\"payload\":{\"a\":1},\"body\":\"a=1\""),
            400,
            "body"));
    cases.add(
        post(
            "contentType with payload",
            PATH,
            task("\"payload\":{\"a\":1},\"contentType\":\"text/csv\""),
            400,
            "contentType"));
    cases.add(
        post(
            "contentType without body",
            PATH,
            task("\"contentType\":\"text/csv\""),
            400,
            "contentType"));
    cases.add(
        post(
            "contentType a number",
            PATH,
            task("\"body\":\"a\",\"contentType\":7"),
            400,
            "contentType"));
    cases.add(
        post(
            "contentType with CR LF",
            PATH,
            task("\"body\":\"a\",\"contentType\":\"text/csv\\r\\nX-Injected: 1\""),
            400,
            "contentType"));
    cases.add(
        post(
            "contentType with NUL",
            PATH,
            task("\"body\":\"a\",\"contentType\":\"text/csv\\u0000\""),
            400,
            "contentType"));
    cases.add(
        post(
            "contentType of 1 MiB",
            PATH,
            task("\"body\":\"a\",\"contentType\":\"" + MEGA + "\""),
            400,
            "contentType"));
    cases.add(post("body not a string", PATH, task("\"body\":{\"a\":1}"), 400, "body"));
    cases.add(post("body a number", PATH, task("\"body\":1"), 400, "body"));
    cases.add(post("body with NUL", PATH, task("\"body\":\"a\\u0000b\""), 400, "body"));
  }

  private static void timing(List<BadInput> cases) {
    for (String bad :
        List.of(
            "3x",
            "-1s",
            "10 minutes",
            "",
            "1.5s",
            "P1D2",
            "400d",
            "9999999999s",
            "PT9999999999999999H",
            "P-1D",
            "30s; DROP TABLE tasks",
            "\\u00001s")) {
      cases.add(
          post("delay \"" + bad + "\"", PATH, task("\"delay\":\"" + bad + "\""), 400, "delay"));
    }
    for (String bad : List.of("30", "{\"seconds\":30}", "true", "[\"30s\"]")) {
      cases.add(post("delay " + bad, PATH, task("\"delay\":" + bad), 400, "delay"));
    }
    cases.add(
        post("delay of 1 MiB", PATH, task("\"delay\":\"" + "9".repeat(MIB) + "s\""), 400, "delay"));
    cases.add(
        post(
            "delay and runAt both",
            PATH,
            task("\"delay\":\"30s\",\"runAt\":\"2030-01-01T00:00:00Z\""),
            400,
            "delay"));
    for (String bad :
        List.of(
            "tomorrow",
            "2030-01-01 09:00:00",
            "2030-01-01",
            "2030-13-01T00:00:00Z",
            "1767225600",
            "+1000000000-12-31T23:59:59Z",
            "2030-02-30T00:00:00Z",
            SQL)) {
      cases.add(
          post("runAt \"" + bad + "\"", PATH, task("\"runAt\":\"" + bad + "\""), 400, "runAt"));
    }
    cases.add(post("runAt a number", PATH, task("\"runAt\":1767225600"), 400, "runAt"));
    for (String bad :
        List.of(
            "-1",
            "101",
            "1.5",
            "\"3\"",
            "true",
            "9999999999",
            "1e400",
            "9223372036854775808",
            "-9223372036854775809",
            "-0.0",
            "1e2",
            "[3]",
            "{}")) {
      cases.add(post("retries " + bad, PATH, task("\"retries\":" + bad), 400, "retries"));
    }
    for (String bad :
        List.of(
            "86401", "-86401", "1.5", "\"10\"", "true", "1e400", "9223372036854775808", "[1]")) {
      cases.add(post("priority " + bad, PATH, task("\"priority\":" + bad), 400, "priority"));
    }
    cases.add(
        post("backoff unknown type", PATH, task("\"backoff\":\"quadratic\""), 400, "backoff"));
    cases.add(post("backoff a number", PATH, task("\"backoff\":2"), 400, "backoff"));
    cases.add(post("backoff an array", PATH, task("\"backoff\":[\"fixed\"]"), 400, "backoff"));
    cases.add(
        post(
            "backoff object with unknown type",
            PATH,
            task("\"backoff\":{\"type\":\"quadratic\"}"),
            400,
            "backoff.type"));
    cases.add(
        post(
            "backoff unknown field",
            PATH,
            task("\"backoff\":{\"type\":\"fixed\",\"maximum\":\"1m\"}"),
            400,
            "backoff.maximum"));
    cases.add(
        post(
            "backoff max < initial",
            PATH,
            task("\"backoff\":{\"initial\":\"10s\",\"max\":\"1s\"}"),
            400,
            "backoff.max"));
    for (String bad : List.of("0", "-0", "101", "1e400", "-1e400", "\"2\"")) {
      cases.add(
          post(
              "backoff factor " + bad,
              PATH,
              task("\"backoff\":{\"factor\":" + bad + "}"),
              400,
              "backoff.factor"));
    }
    cases.add(
        post(
            "backoff initial \"3x\"",
            PATH,
            task("\"backoff\":{\"initial\":\"3x\"}"),
            400,
            "backoff.initial"));
    cases.add(
        post(
            "backoff initial over 7 days",
            PATH,
            task("\"backoff\":{\"initial\":\"8d\",\"max\":\"9d\"}"),
            400,
            "backoff.initial",
            "backoff.max"));
    cases.add(
        post(
            "backoff jitter not a boolean",
            PATH,
            task("\"backoff\":{\"jitter\":\"yes\"}"),
            400,
            "backoff.jitter"));
    for (String bad :
        List.of(
            "\"0ms\"",
            "\"abc\"",
            "\"-5s\"",
            "\"8d\"",
            "\"None\"",
            "60",
            "\"PT9999999999999999H\"")) {
      cases.add(post("timeout " + bad, PATH, task("\"timeout\":" + bad), 400, "timeout"));
    }
    for (String bad :
        List.of(
            "\"0s\"",
            "\"59s\"",
            "\"3651d\"",
            "\"Forever\"",
            "\"never\"",
            "\"none\"",
            "\"-5m\"",
            "\"7 d\"",
            "\"\"",
            "\"PT-1H\"",
            "\"P9999999999D\"",
            "-1",
            "604800000",
            "true",
            "{\"days\":7}",
            "[\"7d\"]")) {
      cases.add(post("retention " + bad, PATH, task("\"retention\":" + bad), 400, "retention"));
    }
    cases.add(
        post("retention of 1 MiB", PATH, task("\"retention\":\"" + MEGA + "\""), 400, "retention"));
    cases.add(post("retention SQL", PATH, task("\"retention\":\"" + SQL + "\""), 400, "retention"));
  }

  private static void names(List<BadInput> cases) {
    for (String bad :
        List.of(
            "my queue",
            "",
            ".hidden",
            "-dash",
            "a/b",
            "a\\u0000b",
            "caf\\u00e9",
            "q".repeat(101),
            SQL)) {
      cases.add(
          post(
              "queue \"" + abbreviate(bad) + "\"",
              PATH,
              task("\"queue\":\"" + bad + "\""),
              400,
              "queue"));
    }
    cases.add(post("queue a number", PATH, task("\"queue\":7"), 400, "queue"));
    cases.add(post("queue an array", PATH, task("\"queue\":[\"a\"]"), 400, "queue"));
    cases.add(post("queue of 1 MiB", PATH, task("\"queue\":\"" + MEGA + "\""), 400, "queue"));
    for (String bad : List.of("send email", "", "/send", "a\\u0007b", "n".repeat(201), SQL)) {
      cases.add(
          post(
              "pull task name \"" + abbreviate(bad) + "\"",
              PATH,
              "{\"name\":\"" + bad + "\"}",
              400,
              "name"));
    }
    cases.add(post("pull task name a number", PATH, "{\"name\":5}", 400, "name"));
    cases.add(
        post(
            "pull task with headers",
            PATH,
            "{\"name\":\"send-email\",\"headers\":{\"X-A\":\"1\"}}",
            400,
            "headers"));
    cases.add(
        post(
            "idempotencyKey of 256 characters",
            PATH,
            task("\"idempotencyKey\":\"" + "k".repeat(256) + "\""),
            400,
            "idempotencyKey"));
    cases.add(
        post(
            "idempotencyKey of 1 MiB",
            PATH,
            task("\"idempotencyKey\":\"" + MEGA + "\""),
            400,
            "idempotencyKey"));
    cases.add(
        post("idempotencyKey empty", PATH, task("\"idempotencyKey\":\"\""), 400, "idempotencyKey"));
    cases.add(
        post(
            "idempotencyKey a number",
            PATH,
            task("\"idempotencyKey\":12345"),
            400,
            "idempotencyKey"));
    cases.add(
        post(
            "idempotencyKey with NUL",
            PATH,
            task("\"idempotencyKey\":\"k\\u0000\""),
            400,
            "idempotencyKey"));
    cases.add(
        post("Idempotency-Key header of 256 characters", PATH, task(""), 400, "Idempotency-Key")
            .withHeader("Idempotency-Key", "k".repeat(256)));
    cases.add(
        post(
                "idempotencyKey differing from the header",
                PATH,
                task("\"idempotencyKey\":\"a\""),
                400,
                "idempotencyKey")
            .withHeader("Idempotency-Key", "b"));
    cases.add(
        post(
                "SQL idempotency key with an invalid task",
                PATH,
                "{\"callbackUrl\":\"gopher://x\"}",
                400,
                "callbackUrl")
            .withHeader("Idempotency-Key", SQL));
    cases.add(post("metadata a string", PATH, task("\"metadata\":\"order-1\""), 400, "metadata"));
    cases.add(post("metadata an array", PATH, task("\"metadata\":[1,2]"), 400, "metadata"));
    cases.add(post("metadata a number", PATH, task("\"metadata\":1e400"), 400, "metadata"));
    cases.add(
        post(
            "metadata over 64 KiB",
            PATH,
            task("\"metadata\":{\"a\":\"" + "m".repeat(64 * 1024) + "\"}"),
            400,
            "metadata"));
    cases.add(
        post(
            "metadata of 1 MiB",
            PATH,
            task("\"metadata\":{\"a\":\"" + MEGA + "\"}"),
            400,
            "metadata"));
  }

  private static String headers(int count) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < count; i++)
      out.append(i == 0 ? "" : ",").append("\"X-H").append(i).append("\":\"v\"");
    return out.toString();
  }

  private static String abbreviate(String text) {
    return text.length() <= 20
        ? text
        : text.substring(0, 10) + "… (" + text.length() + " characters)";
  }
}
