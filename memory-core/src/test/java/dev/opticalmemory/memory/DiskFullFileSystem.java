package dev.opticalmemory.memory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * A stand-in for a full disk, which the tests cannot make for real: H2's own file system wrapper
 * ({@code diskfull:/path}) over real files, whose writes fail with the operating system's "No space
 * left on device" once {@link #LIMIT} bytes would be passed. Everything below the limit is real I/O
 * on a real file.
 */
public final class DiskFullFileSystem extends FilePathWrapper {
  /** The size past which writes fail; {@code Long.MAX_VALUE} for none. */
  static final AtomicLong LIMIT = new AtomicLong(Long.MAX_VALUE);

  private static final DiskFullFileSystem INSTANCE = new DiskFullFileSystem();

  static void register() {
    FilePath.register(INSTANCE);
  }

  @Override
  public String getScheme() {
    return "diskfull";
  }

  @Override
  public FileChannel open(String mode) throws IOException {
    return new Channel(getBase().open(mode));
  }

  private static final class Channel extends FileBase {
    private final FileChannel base;

    Channel(FileChannel base) {
      this.base = base;
    }

    private void check(long end) throws IOException {
      if (end > LIMIT.get()) {
        throw new IOException("No space left on device");
      }
    }

    @Override
    public long position() throws IOException {
      return base.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      base.position(newPosition);
      return this;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return base.read(dst);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return base.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      check(base.position() + src.remaining());
      return base.write(src);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      check(position + src.remaining());
      return base.write(src, position);
    }

    @Override
    public long size() throws IOException {
      return base.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      base.truncate(size);
      return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      base.force(metaData);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return base.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      base.close();
    }
  }
}
