package dev.offload.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release as a user gets it: {@code offload-<version>.tar.gz} unpacked into an empty folder and
 * run through its {@code bin/offload} on a Java runtime without a compiler, with a PATH that holds
 * nothing, so neither Maven nor anything of the source tree can take part.
 */
class DistributionIT {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path shared;
  @TempDir Path workDir;
  private static UnpackedRelease release;
  private static Path runtime;
  private static Path emptyPath;

  @BeforeAll
  static void unpack() throws Exception {
    release = UnpackedRelease.unpackInto(Files.createDirectory(shared.resolve("unpacked")));
    runtime = JavaRuntime.linkInto(shared);
    emptyPath = Files.createDirectory(shared.resolve("empty-path"));
  }

  @Test
  void holds_the_launcher_the_jar_an_example_config_a_systemd_unit_and_install_notes()
      throws Exception {
    assertThat(release.files())
        .containsExactly(
            "INSTALL.md",
            "LICENSE",
            "README.md",
            "bin/offload",
            "config/offload.env.example",
            "lib/offload.jar",
            "systemd/offload.service");
    assertThat(Files.isExecutable(release.launcher())).as("bin/offload is executable").isTrue();
    assertThat(Files.readString(release.home.resolve("INSTALL.md")))
        .contains(
            "tar -xzf offload-" + UnpackedRelease.VERSION + ".tar.gz",
            "ln -sfn /opt/offload-" + UnpackedRelease.VERSION + " /opt/offload");
  }

  @Test
  void serves_tasks_from_an_empty_folder_with_only_a_java_runtime() throws Exception {
    Map<String, String> env = Map.of("JAVA_HOME", runtime.toString(), "PATH", emptyPath.toString());
    List<String> releaseBefore = release.files();
    int port = freePort();
    Path log = workDir.resolve("serve.log");
    Process server =
        UnpackedRelease.start(
            release.launcher(),
            workDir,
            env,
            log,
            "serve",
            "--port",
            Integer.toString(port),
            "--data-dir",
            workDir.resolve("data").toString());
    String base = "http://127.0.0.1:" + port;
    try (HttpClient http = HttpClient.newHttpClient();
        RecordingTarget target = new RecordingTarget()) {
      // a JVM on a loaded 2-core machine can take most of a minute to start
      await("bin/offload serve answering /readyz")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                if (!server.isAlive())
                  throw new IllegalStateException(
                      "bin/offload serve exited with "
                          + server.exitValue()
                          + ":\n"
                          + Files.readString(log));
                return statusOf(http, base + "/readyz") == 200;
              });
      assertThat(server.toHandle().descendants())
          .as("bin/offload hands its process over to java (exec)")
          .isEmpty();
      assertThat(server.info().command())
          .as("the java that serves")
          .contains(runtime.resolve("bin/java").toRealPath().toString());

      HttpResponse<String> created =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/v1/tasks"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"callbackUrl\":\""
                              + target.url("/render")
                              + "\",\"payload\":{\"invoice\":42}}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
      String taskId = JSON.readTree(created.body()).path("taskId").asText();

      HttpResponse<String> finished =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/v1/tasks/" + taskId + "?wait=30s"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode task = JSON.readTree(finished.body());
      assertThat(task.path("status").asText()).as(finished.body()).isEqualTo("succeeded");
      assertThat(target.bodies.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"invoice\":42}");

      UnpackedRelease.Result status =
          UnpackedRelease.run(
              release.launcher(),
              workDir,
              env,
              COMMAND_TIMEOUT,
              "status",
              taskId,
              "--server",
              base);
      assertThat(status.exitCode()).as(status.toString()).isZero();
      assertThat(status.out()).as(status.toString()).contains(taskId, "succeeded");
    } finally {
      server.destroy();
      if (!server.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) server.destroyForcibly();
    }
    // 128 + SIGTERM: the clean stop the systemd unit lists in SuccessExitStatus
    assertThat(server.exitValue()).as(Files.readString(log)).isEqualTo(143);
    assertThat(Files.readString(log)).contains("Offload stopped");
    assertThat(workDir.resolve("data/offload.db")).isRegularFile();
    assertThat(release.files())
        .as("nothing is written into the release folder")
        .isEqualTo(releaseBefore);
  }

  @Test
  void without_java_home_runs_the_java_on_path() throws Exception {
    // links live beside what they point at, in the class's folder, which JUnit deletes whole
    Path bin = Files.createDirectory(shared.resolve("path-with-java"));
    Files.createSymbolicLink(bin.resolve("java"), runtime.resolve("bin/java"));
    // the JVM prints its settings (java.home among them) to stderr before it runs the command
    UnpackedRelease.Result version =
        UnpackedRelease.run(
            release.launcher(),
            workDir,
            Map.of("PATH", bin.toString(), "OFFLOAD_JAVA_OPTS", "-XshowSettings:properties"),
            COMMAND_TIMEOUT,
            "--version");
    assertThat(version.exitCode()).as(version.toString()).isZero();
    assertThat(version.out()).as(version.toString()).contains("offload " + UnpackedRelease.VERSION);
    assertThat(version.err())
        .as(version.toString())
        .contains("java.home = " + runtime.toRealPath());
  }

  @Test
  void runs_through_a_relative_symbolic_link_to_the_launcher() throws Exception {
    Path bin = Files.createDirectory(shared.resolve("usr-local-bin"));
    Path link =
        Files.createSymbolicLink(bin.resolve("offload"), bin.relativize(release.launcher()));
    UnpackedRelease.Result version =
        UnpackedRelease.run(
            link,
            workDir,
            Map.of("JAVA_HOME", runtime.toString(), "PATH", "/usr/bin:/bin"),
            COMMAND_TIMEOUT,
            "--version");
    assertThat(version.exitCode()).as(version.toString()).isZero();
    assertThat(version.out()).as(version.toString()).contains("offload " + UnpackedRelease.VERSION);
  }

  @Test
  void refuses_a_java_home_without_java_and_says_so() throws Exception {
    Path nowhere = workDir.resolve("no-java-here");
    UnpackedRelease.Result refused =
        UnpackedRelease.run(
            release.launcher(),
            workDir,
            Map.of("JAVA_HOME", nowhere.toString(), "PATH", emptyPath.toString()),
            COMMAND_TIMEOUT,
            "--version");
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
    assertThat(refused.err())
        .as(refused.toString())
        .contains(
            "JAVA_HOME is " + nowhere + ", which is not a Java 21 or newer",
            nowhere + "/bin/java: not found");
  }

  @Test
  void refuses_a_java_home_older_than_21_and_names_its_version() throws Exception {
    Optional<Map.Entry<Path, Integer>> older =
        installedJavas().entrySet().stream().filter(java -> java.getValue() < 21).findFirst();
    assumeThat(older).as("a Java older than 21 under /usr/lib/jvm").isPresent();
    Path javaHome = older.orElseThrow().getKey();
    UnpackedRelease.Result refused =
        UnpackedRelease.run(
            release.launcher(),
            workDir,
            Map.of("JAVA_HOME", javaHome.toString(), "PATH", emptyPath.toString()),
            COMMAND_TIMEOUT,
            "--version");
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
    assertThat(refused.err())
        .as(refused.toString())
        .contains("JAVA_HOME is " + javaHome, "Java " + older.orElseThrow().getValue());
  }

  @Test
  void the_example_config_names_every_variable_of_serve_with_its_default() throws Exception {
    // one line per option, so each "(env OFFLOAD_X; default Y)" is whole
    UnpackedRelease.Result help =
        UnpackedRelease.run(
            release.launcher(),
            workDir,
            Map.of(
                "JAVA_HOME", runtime.toString(), "OFFLOAD_JAVA_OPTS", "-Dpicocli.usage.width=1000"),
            COMMAND_TIMEOUT,
            "serve",
            "--help");
    assertThat(help.exitCode()).as(help.toString()).isZero();
    String example = Files.readString(release.home.resolve("config/offload.env.example"));

    Matcher named = Pattern.compile("OFFLOAD_[A-Z_]+").matcher(help.out());
    List<String> variables = named.results().map(MatchResult::group).distinct().toList();
    assertThat(variables)
        .as(help.out())
        .contains("OFFLOAD_PORT", "OFFLOAD_API_TOKENS", "OFFLOAD_DATABASE_URL");
    for (String variable : variables)
      assertThat(example)
          .as("the example config names %s", variable)
          .contains("\n# " + variable + "=");
    assertThat(example).contains("\n# OFFLOAD_SIGNING_SECRETS=");

    Matcher defaults =
        Pattern.compile("\\(env (OFFLOAD_[A-Z_]+); default ([^)<]+)\\)").matcher(help.out());
    Map<String, String> expected = new LinkedHashMap<>();
    defaults.results().forEach(match -> expected.put(match.group(1), match.group(2)));
    assertThat(expected)
        .as(help.out())
        .containsEntry("OFFLOAD_PORT", "8080")
        .hasSizeGreaterThan(10);
    expected.forEach(
        (variable, value) ->
            assertThat(example)
                .as("the example config shows %s with its default %s", variable, value)
                .contains("\n# " + variable + "=" + value + "\n"));
  }

  @Test
  void the_systemd_unit_passes_systemd_analyze_verify() throws Exception {
    Optional<Path> analyze =
        Stream.of("/usr/bin/systemd-analyze", "/bin/systemd-analyze")
            .map(Path::of)
            .filter(Files::isExecutable)
            .findFirst();
    assumeThat(analyze).as("systemd-analyze is installed").isPresent();
    String unit = Files.readString(release.home.resolve("systemd/offload.service"));
    assertThat(unit).contains("ExecStart=/opt/offload/bin/offload serve");
    // verify checks that ExecStart names an executable: point it at this unpacked release
    Path copy =
        Files.writeString(
            workDir.resolve("offload.service"), unit.replace("/opt/offload/", release.home + "/"));
    UnpackedRelease.Result verify =
        UnpackedRelease.run(
            analyze.orElseThrow(),
            workDir,
            Map.of("PATH", "/usr/bin:/bin"),
            COMMAND_TIMEOUT,
            "verify",
            copy.toString());
    assertThat(verify.exitCode()).as(verify.toString()).isZero();
    assertThat(verify.out() + verify.err()).as("warnings of systemd-analyze verify").isBlank();
  }

  /**
   * Each JDK or JRE folder under /usr/lib/jvm with the major version its {@code release} file
   * states.
   */
  private static Map<Path, Integer> installedJavas() throws IOException {
    Map<Path, Integer> javas = new LinkedHashMap<>();
    Path jvm = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvm)) return javas;
    Pattern version = Pattern.compile("(?m)^JAVA_VERSION=\"(?:1\\.)?(\\d+)");
    try (Stream<Path> folders = Files.list(jvm)) {
      for (Path folder : folders.sorted().toList()) {
        Path releaseFile = folder.resolve("release");
        if (!Files.isRegularFile(releaseFile) || !Files.isExecutable(folder.resolve("bin/java")))
          continue;
        Matcher matcher = version.matcher(Files.readString(releaseFile));
        if (matcher.find()) javas.put(folder, Integer.parseInt(matcher.group(1)));
      }
    }
    return javas;
  }

  private static int statusOf(HttpClient http, String url)
      throws IOException, InterruptedException {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (ConnectException notListeningYet) {
      return -1;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
