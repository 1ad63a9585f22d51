package dev.offload.store;

import java.nio.file.Path;

/** Another process (or this one) already has the single-node store of {@code folder} open. */
public final class StoreInUseException extends StoreException {
  private final Path folder;
  private final String pid;

  StoreInUseException(Path folder, String pid) {
    super(
        "the data folder "
            + folder
            + " is in use by another Offload process (pid "
            + pid
            + "); stop that process first, or give this one a data folder of its own",
        null);
    this.folder = folder;
    this.pid = pid;
  }

  public Path folder() {
    return folder;
  }

  /** The pid of the process holding the folder, or "unknown". */
  public String pid() {
    return pid;
  }
}
