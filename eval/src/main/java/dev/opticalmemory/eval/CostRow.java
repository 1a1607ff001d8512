package dev.opticalmemory.eval;

import java.util.List;

/**
 * What one system's context cost at one checkpoint of {@code eval forgetting}, a row of
 * {@code forgetting-cost.csv}.
 *
 * @param conversation the LoCoMo conversation
 * @param policy the system or memory policy
 * @param budget the budget in the reader's tokens
 * @param checkpoint turns appended so far
 * @param contextTokens tokens the context cost (the most any probe's query spent)
 * @param textTokens of which text
 * @param imageTokens of which images
 * @param fullTextTokens the whole conversation so far as text
 */
public record CostRow(String conversation, String policy, int budget, int checkpoint,
    int contextTokens, int textTokens, int imageTokens, long fullTextTokens) {

  /** The columns of {@code forgetting-cost.csv}, in order. */
  static final List<Reports.Column<CostRow>> COLUMNS = List.of(
      Reports.column("conversation", CostRow::conversation),
      Reports.column("policy", CostRow::policy),
      Reports.column("budget", CostRow::budget),
      Reports.column("checkpoint", CostRow::checkpoint),
      Reports.column("contextTokens", CostRow::contextTokens),
      Reports.column("textTokens", CostRow::textTokens),
      Reports.column("imageTokens", CostRow::imageTokens),
      Reports.column("fullTextTokens", CostRow::fullTextTokens),
      Reports.column("turns", CostRow::checkpoint));
}
