package dev.opticalmemory.memory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * The store's operations in SQL, on one connection, for H2 and PostgreSQL alike: the statements are
 * standard SQL except the two upserts, which each {@link Dialect} writes its own way. Every value
 * is a parameter; nothing a user gives is ever part of a statement's text.
 */
final class SqlSession implements MemoryStore.Session {

  /** What differs between the databases. */
  enum Dialect {
    H2("MERGE INTO segment_images (segment_id, tier, encoding, width, height, vision_tokens,"
        + " bytes, byte_count, created_at) KEY (segment_id, tier)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "MERGE INTO segment_fidelity (segment_id, tier, fidelity, word_accuracy)"
            + " KEY (segment_id, tier) VALUES (?, ?, ?, ?)",
        "INSERT INTO conversations (id, created_at, turns, text_tokens, segments, needs_settle)"
            + " SELECT ?, ?, 0, 0, 0, FALSE WHERE NOT EXISTS"
            + " (SELECT 1 FROM conversations WHERE id = ?)",
        "UPDATE segments SET lease_owner = ?, lease_until = ? WHERE id = ?"
            + " AND (lease_until IS NULL OR lease_until < ? OR lease_owner = ?)",
        "MERGE INTO turn_media (conversation_id, hash, bytes, byte_count, created_at)"
            + " KEY (conversation_id, hash) VALUES (?, ?, ?, ?, ?)"),
    POSTGRESQL("INSERT INTO segment_images (segment_id, tier, encoding, width, height,"
        + " vision_tokens, bytes, byte_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT (segment_id, tier) DO UPDATE SET encoding = EXCLUDED.encoding,"
        + " width = EXCLUDED.width, height = EXCLUDED.height,"
        + " vision_tokens = EXCLUDED.vision_tokens, bytes = EXCLUDED.bytes,"
        + " byte_count = EXCLUDED.byte_count, created_at = EXCLUDED.created_at",
        "INSERT INTO segment_fidelity (segment_id, tier, fidelity, word_accuracy)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (segment_id, tier) DO UPDATE SET"
            + " fidelity = EXCLUDED.fidelity, word_accuracy = EXCLUDED.word_accuracy",
        "INSERT INTO conversations (id, created_at, turns, text_tokens, segments, needs_settle)"
            + " SELECT ?, ?, 0, 0, 0, FALSE WHERE NOT EXISTS"
            + " (SELECT 1 FROM conversations WHERE id = ?) ON CONFLICT (id) DO NOTHING",
        // The row is taken with SKIP LOCKED: a worker never waits on another's claim.
        "UPDATE segments SET lease_owner = ?, lease_until = ? WHERE id = (SELECT id FROM segments"
            + " WHERE id = ? AND (lease_until IS NULL OR lease_until < ? OR lease_owner = ?)"
            + " FOR UPDATE SKIP LOCKED)",
        "INSERT INTO turn_media (conversation_id, hash, bytes, byte_count, created_at)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (conversation_id, hash) DO NOTHING");

    final String upsertImage;
    final String upsertFidelity;
    final String createConversation;
    final String claim;
    final String putMedia;

    Dialect(String upsertImage, String upsertFidelity, String createConversation, String claim,
        String putMedia) {
      this.upsertImage = upsertImage;
      this.upsertFidelity = upsertFidelity;
      this.createConversation = createConversation;
      this.claim = claim;
      this.putMedia = putMedia;
    }
  }

  /**
   * A segment's importance, read by {@link #importance}: its salience sum and parts, rehearsals,
   * conversation tokens since the last rehearsal (null if never), and whether a turn is pinned.
   */
  private static final String IMPORTANCE_COLUMNS = "s.salience_sum, s.salience_parts,"
      + " s.rehearsals, (SELECT c.text_tokens FROM conversations c"
      + "   WHERE c.id = s.conversation_id) - s.rehearsed_tokens,"
      + " EXISTS (SELECT 1 FROM pins p WHERE p.conversation_id = s.conversation_id"
      + "   AND p.turn BETWEEN s.first_turn AND s.last_turn)";
  private static final String SEGMENT_COLUMNS = "s.id, s.conversation_id, s.seq, s.first_turn,"
      + " s.last_turn, s.closed, s.tier, s.chars, s.text_tokens, s.created_at, s.closed_at,"
      + " s.text_bytes,"
      + " (SELECT COALESCE(SUM(i.byte_count), 0) FROM segment_images i WHERE i.segment_id = s.id)"
      + " + (SELECT COALESCE(SUM(OCTET_LENGTH(v.vector)), 0) FROM turn_vectors v"
      + "   WHERE v.segment_id = s.id),"
      + " (SELECT i.vision_tokens FROM segment_images i WHERE i.segment_id = s.id"
      + "   AND i.tier = s.tier), s.page_map IS NOT NULL, " + IMPORTANCE_COLUMNS;

  private final Connection c;
  private final Dialect dialect;

  SqlSession(Connection connection, Dialect dialect) {
    this.c = connection;
    this.dialect = dialect;
  }

  /** A JDBC failure inside the session, unwrapped by the store into a {@link MemoryException}. */
  static final class SqlFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SqlFailure(SQLException cause) {
      super(cause);
    }

    @Override
    public synchronized SQLException getCause() {
      return (SQLException) super.getCause();
    }
  }

  /** A statement's parameters and what to do with it. */
  private interface Body<T> {
    T run(PreparedStatement p) throws SQLException;
  }

  private <T> T sql(String statement, Body<T> body) {
    try (PreparedStatement p = c.prepareStatement(statement)) {
      return body.run(p);
    } catch (SQLException e) {
      throw new SqlFailure(e);
    }
  }

  private int update(String statement, Object... values) {
    return sql(statement, p -> {
      bind(p, values);
      return p.executeUpdate();
    });
  }

  private static void bind(PreparedStatement p, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      if (v instanceof Instant instant) {
        p.setObject(i + 1, time(instant));
      } else if (v instanceof Tier tier) {
        p.setString(i + 1, tier.name());
      } else {
        p.setObject(i + 1, v);
      }
    }
  }

  static OffsetDateTime time(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet r, int column) throws SQLException {
    OffsetDateTime t = r.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private List<String> strings(String statement, Object... values) {
    return sql(statement, p -> {
      bind(p, values);
      List<String> list = new ArrayList<>();
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          list.add(r.getString(1));
        }
      }
      return list;
    });
  }

  private List<Long> longs(String statement, Object... values) {
    return sql(statement, p -> {
      bind(p, values);
      List<Long> list = new ArrayList<>();
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          list.add(r.getLong(1));
        }
      }
      return list;
    });
  }

  // ------------------------------------------------------------------ conversations

  @Override
  public Optional<MemoryStore.Totals> conversation(String id) {
    return totals("SELECT turns, text_tokens, segments FROM conversations WHERE id = ?", id);
  }

  @Override
  public Optional<MemoryStore.Totals> lockConversation(String id) {
    return totals("SELECT turns, text_tokens, segments FROM conversations WHERE id = ?"
        + " FOR UPDATE", id);
  }

  private Optional<MemoryStore.Totals> totals(String statement, String id) {
    return sql(statement, p -> {
      p.setString(1, id);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(new MemoryStore.Totals(r.getInt(1), r.getLong(2),
            r.getInt(3))) : Optional.empty();
      }
    });
  }

  @Override
  public void createConversation(String id, Instant at) {
    update(dialect.createConversation, id, at, id);
  }

  @Override
  public void updateConversation(String id, MemoryStore.Totals t) {
    update("UPDATE conversations SET turns = ?, text_tokens = ?, segments = ?, needs_settle = TRUE"
        + " WHERE id = ?", t.turns(), t.textTokens(), t.segments(), id);
  }

  @Override
  public void markSettled(String id, int turns) {
    update("UPDATE conversations SET needs_settle = FALSE WHERE id = ? AND turns = ?", id, turns);
  }

  @Override
  public List<String> conversations() {
    return strings("SELECT id FROM conversations ORDER BY id");
  }

  @Override
  public List<String> unsettledConversations() {
    return strings("SELECT id FROM conversations WHERE needs_settle OR id IN (SELECT"
        + " s.conversation_id FROM segments s WHERE s.closed AND s.tier <> 'FORGOTTEN'"
        + " AND s.page_map IS NULL) ORDER BY id");
  }

  @Override
  public List<Long> deleteConversation(String id) {
    List<Long> ids = longs("SELECT id FROM segments WHERE conversation_id = ?", id);
    update("DELETE FROM conversations WHERE id = ?", id);
    return ids;
  }

  // ------------------------------------------------------------------ segments

  @Override
  public Optional<MemoryStore.OpenSegment> openSegment(String conversation) {
    long[] row = sql("SELECT id, seq, first_turn, chars, text_tokens FROM segments"
        + " WHERE conversation_id = ? AND NOT closed", p -> {
          p.setString(1, conversation);
          try (ResultSet r = p.executeQuery()) {
            return r.next() ? new long[] {r.getLong(1), r.getInt(2), r.getInt(3), r.getInt(4),
                r.getInt(5)} : null;
          }
        });
    if (row == null) {
      return Optional.empty();
    }
    return Optional.of(new MemoryStore.OpenSegment(row[0], (int) row[1], (int) row[2],
        (int) row[3], (int) row[4], parts(row[0])));
  }

  @Override
  public long createSegment(String conversation, int seq, int firstTurn, Instant at) {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO segments (conversation_id, seq,"
        + " first_turn, last_turn, closed, tier, chars, text_tokens, created_at)"
        + " VALUES (?, ?, ?, ?, FALSE, 'TEXT', 0, 0, ?)", new String[] {"id"})) {
      bind(p, conversation, seq, firstTurn, firstTurn, at);
      p.executeUpdate();
      try (ResultSet keys = p.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    } catch (SQLException e) {
      throw new SqlFailure(e);
    }
  }

  @Override
  public void growSegment(long segmentId, int lastTurn, int chars, int textTokens,
      double salience) {
    update("UPDATE segments SET last_turn = ?, chars = chars + ?, text_tokens = text_tokens + ?,"
        + " text_bytes = text_bytes + ?, salience_sum = salience_sum + ?,"
        + " salience_parts = salience_parts + 1 WHERE id = ?", lastTurn, chars, textTokens,
        2L * chars, salience, segmentId);
  }

  @Override
  public boolean pin(String conversation, int turn, Instant at) {
    if (sql("SELECT 1 FROM pins WHERE conversation_id = ? AND turn = ?", p -> {
      p.setString(1, conversation);
      p.setInt(2, turn);
      try (ResultSet r = p.executeQuery()) {
        return r.next();
      }
    })) {
      return false;
    }
    update("INSERT INTO pins (conversation_id, turn, pinned_at) VALUES (?, ?, ?)", conversation,
        turn, at);
    return true;
  }

  @Override
  public boolean unpin(String conversation, int turn) {
    return update("DELETE FROM pins WHERE conversation_id = ? AND turn = ?", conversation, turn)
        > 0;
  }

  @Override
  public List<Integer> pins(String conversation) {
    return sql("SELECT turn FROM pins WHERE conversation_id = ? ORDER BY turn", p -> {
      p.setString(1, conversation);
      List<Integer> list = new ArrayList<>();
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          list.add(r.getInt(1));
        }
      }
      return list;
    });
  }

  @Override
  public boolean rehearse(long segmentId, long tokensNow, long spacing) {
    return update("UPDATE segments SET rehearsals = rehearsals + 1, rehearsed_tokens = ?"
        + " WHERE id = ? AND closed AND tier <> 'FORGOTTEN'"
        + " AND COALESCE(rehearsed_tokens, tokens_at_close) <= ?", tokensNow, segmentId,
        tokensNow - spacing) > 0;
  }

  @Override
  public void closeSegment(long segmentId, long tokensAtClose, int turnsAtClose, Instant at) {
    update("UPDATE segments SET closed = TRUE, closed_at = ?, tokens_at_close = ?,"
        + " turns_at_close = ? WHERE id = ?", at, tokensAtClose, turnsAtClose, segmentId);
  }

  @Override
  public List<MemoryStore.ClosedSegment> closedSegments(String conversation) {
    return sql("SELECT s.id, s.seq, s.tier, s.page_map IS NOT NULL, s.tokens_at_close,"
        + " s.turns_at_close, s.closed_at, EXISTS (SELECT 1 FROM segment_images i"
        + " WHERE i.segment_id = s.id AND i.tier = s.tier AND i.decoded_lines IS NOT NULL), "
        + IMPORTANCE_COLUMNS + " FROM segments s WHERE s.conversation_id = ? AND s.closed"
        + " AND s.tier <> 'FORGOTTEN'"
        + " ORDER BY s.seq", p -> {
          p.setString(1, conversation);
          List<MemoryStore.ClosedSegment> list = new ArrayList<>();
          try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
              list.add(new MemoryStore.ClosedSegment(r.getLong(1), r.getInt(2),
                  Tier.valueOf(r.getString(3)), r.getBoolean(4), r.getLong(5), r.getInt(6),
                  instant(r, 7), r.getBoolean(8), importance(r, 9)));
            }
          }
          return list;
        });
  }

  private static Segment segmentFrom(ResultSet r, Map<Tier, MemoryStore.Fidelity> fidelity)
      throws SQLException {
    Map<Tier, Double> precision = new EnumMap<>(Tier.class);
    Map<Tier, Double> words = new EnumMap<>(Tier.class);
    fidelity.forEach((tier, f) -> {
      precision.put(tier, f.precision());
      if (!Double.isNaN(f.wordAccuracy())) {
        words.put(tier, f.wordAccuracy());
      }
    });
    return new Segment(r.getLong(1), r.getString(2), r.getInt(3), r.getInt(4), r.getInt(5),
        !r.getBoolean(6), r.getBoolean(15), Tier.valueOf(r.getString(7)), r.getInt(8), r.getInt(9),
        r.getInt(14), r.getLong(12) + r.getLong(13), precision, words, instant(r, 10),
        instant(r, 11), importance(r, 16));
  }

  /** A fidelity row's two measures from column {@code first}; word accuracy NaN where null. */
  private static MemoryStore.Fidelity fidelityFrom(ResultSet r, int first) throws SQLException {
    double precision = r.getDouble(first);
    double words = r.getDouble(first + 1);
    return new MemoryStore.Fidelity(precision, r.wasNull() ? Double.NaN : words);
  }

  /** The importance in the five {@link #IMPORTANCE_COLUMNS} from column {@code first}. */
  private static Importance importance(ResultSet r, int first) throws SQLException {
    int parts = r.getInt(first + 1);
    double salience = parts == 0 ? 0 : r.getDouble(first) / parts;
    long since = r.getLong(first + 3);
    boolean never = r.wasNull();
    return new Importance(r.getBoolean(first + 4), Math.max(0, Math.min(1, salience)),
        r.getInt(first + 2), never ? -1 : Math.max(0, since));
  }

  @Override
  public List<Segment> segments(String conversation) {
    Map<Long, Map<Tier, MemoryStore.Fidelity>> fidelity = sql("SELECT f.segment_id, f.tier,"
        + " f.fidelity, f.word_accuracy FROM segment_fidelity f JOIN segments s"
        + " ON s.id = f.segment_id WHERE s.conversation_id = ?", p -> {
          p.setString(1, conversation);
          Map<Long, Map<Tier, MemoryStore.Fidelity>> map = new HashMap<>();
          try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
              map.computeIfAbsent(r.getLong(1), k -> new EnumMap<>(Tier.class))
                  .put(Tier.valueOf(r.getString(2)), fidelityFrom(r, 3));
            }
          }
          return map;
        });
    return sql("SELECT " + SEGMENT_COLUMNS + " FROM segments s WHERE s.conversation_id = ?"
        + " ORDER BY s.seq", p -> {
          p.setString(1, conversation);
          List<Segment> list = new ArrayList<>();
          try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
              list.add(segmentFrom(r, fidelity.getOrDefault(r.getLong(1), Map.of())));
            }
          }
          return list;
        });
  }

  @Override
  public Optional<Segment> segment(String conversation, long segmentId) {
    Map<Tier, MemoryStore.Fidelity> fidelity = fidelity(segmentId);
    return sql("SELECT " + SEGMENT_COLUMNS + " FROM segments s WHERE s.conversation_id = ?"
        + " AND s.id = ?", p -> {
          p.setString(1, conversation);
          p.setLong(2, segmentId);
          try (ResultSet r = p.executeQuery()) {
            return r.next() ? Optional.of(segmentFrom(r, fidelity)) : Optional.empty();
          }
        });
  }

  @Override
  public List<MemoryStore.SegmentAge> closedSegmentAges(String conversation) {
    return sql("SELECT id, tokens_at_close, turns_at_close, page_map IS NOT NULL FROM segments"
        + " WHERE conversation_id = ? AND closed ORDER BY seq", p -> {
          p.setString(1, conversation);
          List<MemoryStore.SegmentAge> list = new ArrayList<>();
          try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
              list.add(new MemoryStore.SegmentAge(r.getLong(1), r.getLong(2), r.getInt(3),
                  r.getBoolean(4)));
            }
          }
          return list;
        });
  }

  @Override
  public boolean moveTier(long segmentId, Tier from, Tier to) {
    return update("UPDATE segments SET tier = ? WHERE id = ? AND tier = ?", to, segmentId,
        from) == 1;
  }

  @Override
  public boolean claim(long segmentId, String owner, Instant until, Instant now) {
    return update(dialect.claim, owner, until, segmentId, now, owner) == 1;
  }

  @Override
  public void release(long segmentId, String owner) {
    update("UPDATE segments SET lease_owner = NULL, lease_until = NULL WHERE id = ?"
        + " AND lease_owner = ?", segmentId, owner);
  }

  @Override
  public List<Long> unrenderedSegments(String conversation) {
    return longs("SELECT id FROM segments WHERE conversation_id = ? AND closed"
        + " AND page_map IS NULL AND tier = 'TEXT' ORDER BY seq", conversation);
  }

  // ------------------------------------------------------------------ turns

  @Override
  public void insertPart(String conversation, long segmentId, MemoryStore.StoredPart part,
      int chars, int textTokens, String key) {
    update("INSERT INTO turns (conversation_id, seq, part, segment_id, role, speaker, text, chars,"
        + " text_tokens, said_at, attributes, turn_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        conversation, part.turn(), part.part(), segmentId, part.role().name(), part.speaker(),
        part.text(), chars, textTokens, part.at(), part.attributes(), key);
  }

  @Override
  public List<MemoryStore.StoredPart> parts(long segmentId) {
    return parts(segmentId, 0);
  }

  @Override
  public List<MemoryStore.StoredPart> parts(long segmentId, int fromSeq) {
    return sql("SELECT seq, part, role, speaker, text, said_at, attributes FROM turns"
        + " WHERE segment_id = ? AND seq >= ? ORDER BY seq, part", p -> {
          p.setLong(1, segmentId);
          p.setInt(2, fromSeq);
          List<MemoryStore.StoredPart> list = new ArrayList<>();
          try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
              list.add(new MemoryStore.StoredPart(r.getInt(1), r.getInt(2),
                  Role.valueOf(r.getString(3)), r.getString(4), r.getString(5), instant(r, 6),
                  r.getString(7)));
            }
          }
          return list;
        });
  }

  @Override
  public OptionalInt turnByKey(String conversation, String key) {
    return sql("SELECT seq FROM turns WHERE conversation_id = ? AND turn_key = ?", p -> {
      p.setString(1, conversation);
      p.setString(2, key);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? OptionalInt.of(r.getInt(1)) : OptionalInt.empty();
      }
    });
  }

  @Override
  public void dropText(long segmentId) {
    update("UPDATE turns SET text = NULL WHERE segment_id = ?", segmentId);
    update("UPDATE segments SET text_bytes = 0 WHERE id = ?", segmentId);
  }

  // ------------------------------------------------------------------ pages and the index

  @Override
  public boolean storePage(long segmentId, PageMap map, Map<String, MemoryStore.TermRow> terms,
      Map<Tier, MemoryStore.Fidelity> fidelity) {
    int termCount = terms.values().stream().mapToInt(MemoryStore.TermRow::frequency).sum();
    if (update("UPDATE segments SET page_map = ?, term_count = ? WHERE id = ?"
        + " AND page_map IS NULL", map.toBytes(), termCount, segmentId) == 0) {
      return false;
    }
    sql("INSERT INTO segment_terms (segment_id, term, tf, lines) VALUES (?, ?, ?, ?)", p -> {
      for (Map.Entry<String, MemoryStore.TermRow> e : terms.entrySet()) {
        String lines = joinInts(e.getValue().lines());
        if (lines.length() > 4000) {
          lines = lines.substring(0, lines.lastIndexOf(',', 3999));
        }
        bind(p, segmentId, e.getKey(), e.getValue().frequency(), lines);
        p.addBatch();
      }
      return p.executeBatch();
    });
    sql(dialect.upsertFidelity, p -> {
      for (Map.Entry<Tier, MemoryStore.Fidelity> e : fidelity.entrySet()) {
        bindFidelity(p, segmentId, e.getKey(), e.getValue());
        p.addBatch();
      }
      return p.executeBatch();
    });
    return true;
  }

  static String joinInts(Collection<Integer> values) {
    StringBuilder s = new StringBuilder();
    for (int v : values) {
      if (s.length() > 0) {
        s.append(',');
      }
      s.append(v);
    }
    return s.toString();
  }

  @Override
  public Optional<PageMap> pageMap(long segmentId) {
    return sql("SELECT page_map FROM segments WHERE id = ?", p -> {
      p.setLong(1, segmentId);
      try (ResultSet r = p.executeQuery()) {
        byte[] data = r.next() ? r.getBytes(1) : null;
        return data == null ? Optional.empty() : Optional.of(PageMap.fromBytes(data));
      }
    });
  }

  @Override
  public void putImage(long segmentId, MemoryStore.StoredImage image) {
    update(dialect.upsertImage, segmentId, image.tier(), image.encoding(), image.width(),
        image.height(), image.visionTokens(), image.bytes(), image.bytes().length, image.at());
  }

  @Override
  public void putMedia(String conversation, String hash, byte[] bytes, Instant at) {
    update(dialect.putMedia, conversation, hash, bytes, bytes.length, at);
  }

  @Override
  public Optional<byte[]> media(String conversation, String hash) {
    return sql("SELECT bytes FROM turn_media WHERE conversation_id = ? AND hash = ?", p -> {
      bind(p, conversation, hash);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(r.getBytes(1)) : Optional.empty();
      }
    });
  }

  @Override
  public Optional<byte[]> image(long segmentId, Tier tier) {
    return sql("SELECT bytes FROM segment_images WHERE segment_id = ? AND tier = ?", p -> {
      bind(p, segmentId, tier);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(r.getBytes(1)) : Optional.empty();
      }
    });
  }

  @Override
  public boolean hasImage(long segmentId, Tier tier) {
    return sql("SELECT 1 FROM segment_images WHERE segment_id = ? AND tier = ?", p -> {
      bind(p, segmentId, tier);
      try (ResultSet r = p.executeQuery()) {
        return r.next();
      }
    });
  }

  @Override
  public void deleteImage(long segmentId, Tier tier) {
    update("DELETE FROM segment_images WHERE segment_id = ? AND tier = ?", segmentId, tier);
  }

  @Override
  public void deletePages(long segmentId) {
    update("DELETE FROM segment_images WHERE segment_id = ?", segmentId);
    update("DELETE FROM segment_terms WHERE segment_id = ?", segmentId);
    update("DELETE FROM turn_vectors WHERE segment_id = ?", segmentId);
  }

  @Override
  public void putVectors(long segmentId, Map<Integer, byte[]> vectors) {
    sql("INSERT INTO turn_vectors (segment_id, turn, vector) VALUES (?, ?, ?)", p -> {
      for (Map.Entry<Integer, byte[]> e : vectors.entrySet()) {
        p.setLong(1, segmentId);
        p.setInt(2, e.getKey());
        p.setBytes(3, e.getValue());
        p.addBatch();
      }
      return p.executeBatch();
    });
  }

  @Override
  public long[] vectorStamp(String conversation) {
    return sql("SELECT COUNT(*), COALESCE(MAX(v.segment_id), 0), COALESCE(SUM(s.seq), 0)"
        + " FROM turn_vectors v JOIN segments s ON s.id = v.segment_id WHERE s.conversation_id = ?"
        + " AND s.tier <> 'FORGOTTEN'", p -> {
          p.setString(1, conversation);
          try (ResultSet r = p.executeQuery()) {
            r.next();
            return new long[] {r.getLong(1), r.getLong(2), r.getLong(3)};
          }
        });
  }

  @Override
  public List<MemoryStore.VectorRow> vectors(String conversation) {
    return sql("SELECT v.segment_id, v.turn, v.vector FROM turn_vectors v JOIN segments s"
        + " ON s.id = v.segment_id WHERE s.conversation_id = ? AND s.tier <> 'FORGOTTEN'", p -> {
          p.setString(1, conversation);
          List<MemoryStore.VectorRow> rows = new ArrayList<>();
          try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
              rows.add(new MemoryStore.VectorRow(r.getLong(1), r.getInt(2), r.getBytes(3)));
            }
          }
          return rows;
        });
  }

  @Override
  public List<MemoryStore.VectorRow> oldestAndNewestVectors(String conversation) {
    List<MemoryStore.VectorRow> rows = new ArrayList<>();
    for (String order : new String[] {"ASC", "DESC"}) {
      sql("SELECT v.segment_id, v.turn, v.vector FROM turn_vectors v JOIN segments s"
          + " ON s.id = v.segment_id WHERE s.conversation_id = ? AND s.tier <> 'FORGOTTEN'"
          + " ORDER BY v.segment_id " + order + ", v.turn " + order + " LIMIT 1", p -> {
            p.setString(1, conversation);
            try (ResultSet r = p.executeQuery()) {
              if (r.next()) {
                MemoryStore.VectorRow row = new MemoryStore.VectorRow(r.getLong(1), r.getInt(2),
                    r.getBytes(3));
                if (rows.isEmpty() || rows.get(0).segmentId() != row.segmentId()
                    || rows.get(0).turn() != row.turn()) {
                  rows.add(row);
                }
              }
            }
            return null;
          });
    }
    return rows;
  }

  @Override
  public Map<Tier, MemoryStore.Fidelity> fidelity(long segmentId) {
    return sql("SELECT tier, fidelity, word_accuracy FROM segment_fidelity WHERE segment_id = ?",
        p -> {
      p.setLong(1, segmentId);
      Map<Tier, MemoryStore.Fidelity> map = new EnumMap<>(Tier.class);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          map.put(Tier.valueOf(r.getString(1)), fidelityFrom(r, 2));
        }
      }
      return map;
    });
  }

  @Override
  public Optional<List<String>> decodedLines(long segmentId, Tier tier) {
    return sql("SELECT decoded_lines FROM segment_images WHERE segment_id = ? AND tier = ?", p -> {
      bind(p, segmentId, tier);
      try (ResultSet r = p.executeQuery()) {
        String text = r.next() ? r.getString(1) : null;
        return text == null ? Optional.empty() : Optional.of(List.of(text.split("\n", -1)));
      }
    });
  }

  @Override
  public boolean putDecodedLines(long segmentId, Tier tier, List<String> lines) {
    StringBuilder whole = new StringBuilder();
    List<String> clean = new ArrayList<>(lines.size());
    for (String line : lines) {
      String one = line.replace('\n', ' ').replace('\r', ' ');
      clean.add(one);
      if (!one.isBlank()) {
        whole.append(whole.length() == 0 ? "" : "\n").append(one);
      }
    }
    return update("UPDATE segment_images SET decoded_lines = ?, decoded = ? WHERE segment_id = ?"
        + " AND tier = ?", String.join("\n", clean), whole.toString(), segmentId, tier) == 1;
  }

  @Override
  public void putFidelity(long segmentId, Tier tier, MemoryStore.Fidelity value) {
    sql(dialect.upsertFidelity, p -> {
      bindFidelity(p, segmentId, tier, value);
      return p.executeUpdate();
    });
  }

  private static void bindFidelity(PreparedStatement p, long segmentId, Tier tier,
      MemoryStore.Fidelity value) throws SQLException {
    p.setLong(1, segmentId);
    p.setString(2, tier.name());
    p.setDouble(3, value.precision());
    if (Double.isNaN(value.wordAccuracy())) {
      p.setNull(4, java.sql.Types.DOUBLE);
    } else {
      p.setDouble(4, value.wordAccuracy());
    }
  }

  @Override
  public Map<Long, Integer> indexedLengths(String conversation) {
    return sql("SELECT id, term_count FROM segments WHERE conversation_id = ?"
        + " AND page_map IS NOT NULL AND tier <> 'FORGOTTEN'", p -> {
          p.setString(1, conversation);
          Map<Long, Integer> map = new LinkedHashMap<>();
          try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
              map.put(r.getLong(1), r.getInt(2));
            }
          }
          return map;
        });
  }

  @Override
  public List<MemoryStore.IndexRow> indexRows(String conversation, List<String> terms) {
    if (terms.isEmpty()) {
      return List.of();
    }
    StringBuilder in = new StringBuilder();
    for (int i = 0; i < terms.size(); i++) {
      in.append(i == 0 ? "?" : ", ?");
    }
    return sql("SELECT t.segment_id, t.term, t.tf, t.lines FROM segment_terms t"
        + " JOIN segments s ON s.id = t.segment_id WHERE s.conversation_id = ?"
        + " AND s.tier <> 'FORGOTTEN' AND t.term IN (" + in + ")", p -> {
          p.setString(1, conversation);
          for (int i = 0; i < terms.size(); i++) {
            p.setString(i + 2, terms.get(i));
          }
          List<MemoryStore.IndexRow> rows = new ArrayList<>();
          try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
              TreeSet<Integer> lines = new TreeSet<>();
              for (String n : r.getString(4).split(",")) {
                if (!n.isEmpty()) {
                  lines.add(Integer.parseInt(n));
                }
              }
              rows.add(new MemoryStore.IndexRow(r.getLong(1), r.getString(2), r.getInt(3),
                  lines));
            }
          }
          return rows;
        });
  }
}
