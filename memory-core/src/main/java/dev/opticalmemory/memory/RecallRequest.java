package dev.opticalmemory.memory;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link OpticalMemory#recall(String, RecallRequest)} looks for: a query, how many segments at
 * most, how to rank them, and which turns to leave out because the agent already sees them. It is
 * immutable: each setting returns a new request, so one request can be the base of others.
 *
 * <pre>{@code
 * memory.recall("alice-42", RecallRequest.of("locker number").k(3).leaveOut(shownTurns));
 * }</pre>
 */
public final class RecallRequest {
  /** How many segments a request asks for unless {@link #k(int)} says otherwise. */
  public static final int DEFAULT_K = 5;

  private final String query;
  private final int k;
  private final Retrieval retrieval;
  private final Set<Integer> leaveOut;

  private RecallRequest(String query, int k, Retrieval retrieval, Set<Integer> leaveOut) {
    this.query = query;
    this.k = k;
    this.retrieval = retrieval;
    this.leaveOut = leaveOut;
  }

  /**
   * A request for the {@link #DEFAULT_K} best segments for {@code query}, ranked as the memory
   * ranks by default, leaving nothing out.
   *
   * @param query words to look for, or a question (DENSE, HYBRID)
   * @return the request
   * @throws NullPointerException if the query is null
   * @throws IllegalArgumentException if the query is blank
   */
  public static RecallRequest of(String query) {
    Objects.requireNonNull(query, "query");
    if (query.isBlank()) {
      throw new IllegalArgumentException("query must not be blank, but is: '" + query + "'");
    }
    return new RecallRequest(query, DEFAULT_K, null, Set.of());
  }

  /**
   * The same request for at most {@code k} segments.
   *
   * @param k how many segments at most, 1 to 100
   * @return a new request
   * @throws IllegalArgumentException if k is out of range
   */
  public RecallRequest k(int k) {
    if (k < 1 || k > 100) {
      throw new IllegalArgumentException("k must be between 1 and 100, but is: " + k);
    }
    return new RecallRequest(query, k, retrieval, leaveOut);
  }

  /**
   * The same request ranked by {@code retrieval} instead of the memory's default ({@link
   * OpticalMemoryBuilder#retrieval}). DENSE and HYBRID find only turns embedded, which a memory
   * built with LEXICAL does not do.
   *
   * @param retrieval how to rank
   * @return a new request
   * @throws NullPointerException if retrieval is null
   */
  public RecallRequest retrieval(Retrieval retrieval) {
    return new RecallRequest(query, k, Objects.requireNonNull(retrieval, "retrieval"), leaveOut);
  }

  /**
   * The same request leaving out the turns the agent already sees as text (by number, as {@link
   * dev.opticalmemory.memory.context.TextItem#turnNumber()} of an assembled context gives them),
   * the message being answered included: a segment whose matching turns are all left out gives
   * way to the next best.
   *
   * @param turns numbers of the turns the agent already sees
   * @return a new request
   * @throws NullPointerException if turns is null or holds null
   */
  public RecallRequest leaveOut(Set<Integer> turns) {
    return new RecallRequest(query, k, retrieval, Set.copyOf(turns));
  }

  /**
   * The query.
   *
   * @return the words to look for
   */
  public String query() {
    return query;
  }

  /**
   * How many segments at most.
   *
   * @return 1 to 100
   */
  public int k() {
    return k;
  }

  /**
   * How to rank, where the request says.
   *
   * @return the ranking, or empty for the memory's default
   */
  public Optional<Retrieval> retrieval() {
    return Optional.ofNullable(retrieval);
  }

  /**
   * The turns left out.
   *
   * @return their numbers, unmodifiable
   */
  public Set<Integer> leaveOut() {
    return leaveOut;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecallRequest r && query.equals(r.query) && k == r.k
        && Objects.equals(retrieval, r.retrieval) && leaveOut.equals(r.leaveOut);
  }

  @Override
  public int hashCode() {
    return Objects.hash(query, k, retrieval, leaveOut);
  }

  @Override
  public String toString() {
    return "RecallRequest[query=" + query + ", k=" + k + ", retrieval="
        + (retrieval == null ? "default" : retrieval) + ", leaveOut=" + leaveOut + "]";
  }
}
