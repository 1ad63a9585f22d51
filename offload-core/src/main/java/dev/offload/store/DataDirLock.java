package dev.offload.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a second process off a single-node store: an operating-system lock on a file beside the
 * database, holding the owner's pid. Two processes on one SQLite file would each take the other's
 * running tasks for left over and run them twice at once.
 *
 * <p>Why a file lock: the operating system releases it when the process ends, however it ends, so a
 * {@code kill -9} leaves at most a stale pid in the file, never a lock that blocks the next start.
 * Why the set of paths: on Linux closing any channel of a file drops every lock this process holds
 * on it, so a second open within the process is refused before it touches the file.
 */
public final class DataDirLock implements AutoCloseable {
  private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /** Locks {@code file}, or throws {@link StoreInUseException} naming the process that holds it. */
  public static DataDirLock acquire(Path file) {
    Path path = file.toAbsolutePath().normalize();
    long pid = ProcessHandle.current().pid();
    if (!HELD_HERE.add(path)) throw new StoreInUseException(path.getParent(), Long.toString(pid));
    try {
      Files.createDirectories(path.getParent());
      FileChannel channel =
          FileChannel.open(
              path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        String holder = holder(channel);
        channel.close();
        throw new StoreInUseException(path.getParent(), holder);
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
      channel.force(false);
      return new DataDirLock(path, channel, lock);
    } catch (IOException e) {
      HELD_HERE.remove(path);
      throw new UncheckedIOException("cannot lock " + path, e);
    } catch (RuntimeException e) {
      HELD_HERE.remove(path);
      throw e;
    }
  }

  /** The pid the holder wrote, or "unknown" while it has not written it yet. */
  private static String holder(FileChannel channel) throws IOException {
    ByteBuffer content = ByteBuffer.allocate(32);
    channel.read(content, 0);
    String pid =
        new String(content.array(), 0, content.position(), StandardCharsets.US_ASCII).strip();
    return pid.isEmpty() ? "unknown" : pid;
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unlock " + file, e);
    } finally {
      HELD_HERE.remove(file);
    }
  }
}
