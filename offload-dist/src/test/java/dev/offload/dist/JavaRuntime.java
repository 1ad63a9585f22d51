package dev.offload.dist;

import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Java runtime with what a JRE package holds and no compiler or other JDK tool, linked by jlink
 * from the JDK that runs the tests: the release must run on it alone.
 */
final class JavaRuntime {
  /**
   * The Java SE modules and the runtime ones a JRE ships beside them; those this JDK lacks are left
   * out.
   */
  private static final List<String> MODULES =
      List.of(
          "java.se",
          "jdk.unsupported",
          "jdk.zipfs",
          "jdk.charsets",
          "jdk.net",
          "jdk.management",
          "jdk.crypto.ec",
          "jdk.naming.dns");

  private JavaRuntime() {}

  /**
   * Links the runtime into {@code folder}. A JDK without jlink or its modules (Debian's JDK keeps
   * them in a separate package) gives the running JDK instead, saying so.
   */
  static Path linkInto(Path folder) throws IOException, InterruptedException {
    Path jdk = Path.of(System.getProperty("java.home"));
    Path jlink = jdk.resolve("bin/jlink");
    Path runtime = folder.resolve("jre");
    if (Files.isExecutable(jlink)) {
      List<String> modules =
          MODULES.stream().filter(name -> ModuleFinder.ofSystem().find(name).isPresent()).toList();
      Path log = folder.resolve("jlink.log");
      Process process =
          new ProcessBuilder(
                  jlink.toString(),
                  "--add-modules",
                  String.join(",", modules),
                  "--strip-debug",
                  "--no-man-pages",
                  "--no-header-files",
                  "--output",
                  runtime.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("jlink did not finish within 5 minutes");
      }
      if (process.exitValue() == 0) return runtime;
      System.out.println(
          "jlink failed, running the release on the JDK at "
              + jdk
              + " instead:\n"
              + Files.readString(log));
    } else {
      System.out.println("no jlink in " + jdk + ": running the release on that JDK");
    }
    return jdk;
  }
}
