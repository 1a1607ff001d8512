package dev.opticalmemory.cli;

import dev.opticalmemory.memory.OpticalMemory;
import picocli.CommandLine.Option;

/** The {@code --db} and {@code --conversation} options of the commands that read a stored memory. */
final class StoredConversation {
  @Option(names = "--db", required = true, paramLabel = "PATH|URL",
      description = "Memory database: the H2 file PATH.mv.db written by ingest, or a"
          + " jdbc:postgresql:// URL (password from OPTICAL_MEMORY_DB_PASSWORD or PGPASSWORD).")
  String db;

  @Option(names = "--conversation", required = true, paramLabel = "ID", description = "Conversation id.")
  String id;

  /** Opens the memory; a missing database is a {@link CliException} naming {@code --db}. */
  OpticalMemory open() {
    MemoryCommands.refuseInMemory(db);
    return MemoryCommands.open(db, true);
  }
}
