package dev.todo.db;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Marks a data directory as owned by one running application: an exclusive lock on
 * {@code app.lock}, whose text names the owner (PID and start time) for the messages of others.
 *
 * <p>The operating system drops the lock when its process ends, however it ends. So holding it
 * proves that the application that started any server still running on the directory is gone,
 * and that server is an orphan to stop; failing to get it means another live application uses the
 * directory, and this one must not touch it.
 */
final class DataDirectoryLock implements AutoCloseable {

    static final String FILE = "app.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirectoryLock acquire(Path dataRoot) {
        Path file = dataRoot.resolve(FILE);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String owner = Files.readString(file, StandardCharsets.UTF_8).trim();
                channel.close();
                throw new IllegalStateException("The data directory " + dataRoot.toAbsolutePath()
                        + " is in use by another running instance of the application ("
                        + (owner.isEmpty() ? "owner unknown" : owner.replace('\n', ' '))
                        + "). Stop that one first, or give this one its own directory with TODO_DATA_DIR.");
            }
            ProcessHandle self = ProcessHandle.current();
            String text = "pid " + self.pid() + "\nstarted " + self.info().startInstant().orElse(Instant.now()) + "\n";
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return new DataDirectoryLock(channel, lock);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            throw new IllegalStateException("cannot lock the data directory " + dataRoot.toAbsolutePath()
                    + " (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the lock goes with the channel and, at the latest, with the process
        }
    }
}
