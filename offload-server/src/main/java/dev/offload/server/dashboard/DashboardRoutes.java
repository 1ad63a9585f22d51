package dev.offload.server.dashboard;

import dev.offload.server.api.ApiException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The dashboard (README: Monitoring): one HTML shell for every page URL, whose scripts read the
 * same {@code /v1} API as any client, with the caller's token. The pages themselves hold no data,
 * so they need no token; what they show does. The assets are a fixed list read from the jar once,
 * so no request path ever reaches the class path.
 */
public final class DashboardRoutes {
  private static final String BASE = "/dev/offload/dashboard/";
  private static final String CHART_JS =
      "/META-INF/resources/webjars/chart.js/4.5.1/dist/chart.umd.min.js";
  private static final String SWAGGER_UI = "/META-INF/resources/webjars/swagger-ui/5.35.0/";

  /**
   * Everything from this origin only, no inline script or style: task data shown on a page can
   * never run.
   */
  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  private static final String SCRIPT = "text/javascript; charset=utf-8";
  private static final String CSS = "text/css; charset=utf-8";

  /** sse.js is the JavaScript client's stream parser, copied in by the build (see the pom). */
  private static final List<String> FILES =
      List.of(
          "app.js",
          "api.js",
          "sse.js",
          "view.js",
          "tasks.js",
          "bulk.js",
          "task.js",
          "queues.js",
          "schedules.js",
          "workers.js",
          "apidoc.js",
          "style.css");

  private static final List<String> PAGES =
      List.of("/", "/tasks/{id}", "/queues", "/queues/{name}", "/schedules", "/workers", "/api");

  private final Asset shell;
  private final Map<String, Asset> assets;

  public DashboardRoutes() {
    shell = Asset.load(BASE + "index.html", "text/html; charset=utf-8");
    Map<String, Asset> files = new HashMap<>();
    for (String name : FILES)
      files.put(name, Asset.load(BASE + name, name.endsWith(".css") ? CSS : SCRIPT));
    files.put("chart.umd.min.js", Asset.load(CHART_JS, SCRIPT));
    files.put("swagger-ui-bundle.js", Asset.load(SWAGGER_UI + "swagger-ui-bundle.js", SCRIPT));
    files.put("swagger-ui.css", Asset.load(SWAGGER_UI + "swagger-ui.css", CSS));
    assets = Map.copyOf(files);
  }

  public void register(RoutesConfig routes) {
    PAGES.forEach(page -> routes.get(page, ctx -> send(ctx, shell)));
    routes.get(
        "/assets/{name}",
        ctx -> {
          Asset asset = assets.get(ctx.pathParam("name"));
          if (asset == null)
            throw ApiException.notFound("the dashboard has no asset " + ctx.pathParam("name"));
          send(ctx, asset);
        });
  }

  private static void send(Context ctx, Asset asset) {
    ctx.header("Cache-Control", "no-cache");
    ctx.header("ETag", asset.etag());
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("Referrer-Policy", "no-referrer");
    if (asset.etag().equals(ctx.header("If-None-Match"))) {
      ctx.status(304);
      return;
    }
    ctx.contentType(asset.contentType()).result(asset.bytes());
  }

  private record Asset(byte[] bytes, String contentType, String etag) {
    static Asset load(String path, String contentType) {
      try (InputStream in = DashboardRoutes.class.getResourceAsStream(path)) {
        if (in == null) throw new IllegalStateException("the jar lacks the dashboard file " + path);
        byte[] bytes = in.readAllBytes();
        return new Asset(
            bytes,
            contentType,
            "\""
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8)
                + "\"");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
