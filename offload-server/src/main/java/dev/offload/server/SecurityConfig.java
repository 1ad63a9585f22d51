package dev.offload.server;

import dev.offload.net.TargetGuard;
import java.util.List;
import java.util.Locale;

/**
 * Who may call the API and where Offload's own calls may go. Dev mode (the default) serves loopback
 * only and needs no token; production mode may bind any address, requires API tokens and refuses
 * targets on private networks unless {@code allowTargets} lists them.
 *
 * @param apiTokens accepted {@code Authorization: Bearer} tokens; also enforced in dev mode when
 *     given
 * @param allowTargets CIDR blocks, addresses or host names the target guard lets through
 */
public record SecurityConfig(Mode mode, List<String> apiTokens, List<String> allowTargets) {
  public static final int MIN_TOKEN_LENGTH = 16;

  public enum Mode {
    DEV,
    PRODUCTION;

    public static Mode parse(String text) {
      return switch (text.toLowerCase(Locale.ROOT)) {
        case "dev" -> DEV;
        case "production" -> PRODUCTION;
        default ->
            throw new IllegalArgumentException("--mode must be dev or production, got " + text);
      };
    }
  }

  public SecurityConfig {
    if (mode == null) throw new IllegalArgumentException("mode is required");
    apiTokens = List.copyOf(apiTokens);
    allowTargets = List.copyOf(allowTargets);
    for (String token : apiTokens) {
      if (token.length() < MIN_TOKEN_LENGTH
          || !token.matches("[\\x21-\\x7e]+")
          || token.contains(",")) {
        throw new IllegalArgumentException(
            "every API token in OFFLOAD_API_TOKENS must be at least "
                + MIN_TOKEN_LENGTH
                + " visible ASCII characters without commas; one is "
                + token.length()
                + " characters long");
      }
    }
    if (mode == Mode.PRODUCTION && apiTokens.isEmpty()) {
      throw new IllegalArgumentException(
          "--mode production needs API tokens: set OFFLOAD_API_TOKENS to one or more"
              + " comma-separated tokens (e.g. from `openssl rand -hex 32`)");
    }
    // Parsed here so a bad --allow-target stops the start; fields are not assigned yet in a compact
    // constructor.
    TargetGuard.refusingPrivate(allowTargets);
  }

  public static SecurityConfig dev() {
    return new SecurityConfig(Mode.DEV, List.of(), List.of());
  }

  public TargetGuard targetGuard() {
    return mode == Mode.PRODUCTION ? TargetGuard.refusingPrivate(allowTargets) : TargetGuard.off();
  }

  /** Never prints the tokens: configurations get logged. */
  @Override
  public String toString() {
    return "SecurityConfig[mode="
        + mode
        + ", apiTokens="
        + apiTokens.size()
        + " given, allowTargets="
        + allowTargets
        + "]";
  }
}
