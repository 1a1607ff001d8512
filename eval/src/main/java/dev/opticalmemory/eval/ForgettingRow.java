package dev.opticalmemory.eval;

import dev.opticalmemory.memory.Tier;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One probe at one checkpoint of {@code eval forgetting}: whether a reader could read a question's
 * answer in what one system sent at one budget, a row of {@code forgetting.csv}.
 *
 * @param conversation the LoCoMo conversation
 * @param reader who read the pages
 * @param measured whether that reader was measured (a decoder run) rather than modelled
 * @param policy the system or memory policy, with its share where several are run
 * @param budget the budget in the reader's tokens
 * @param checkpoint turns appended so far
 * @param question the question's index
 * @param category its LoCoMo category
 * @param answer its gold answer
 * @param evidenceTurn the turn that holds the answer
 * @param ageTurns turns since then
 * @param ageTokens text tokens since then
 * @param storedTier the tier the evidence's segment is stored at, if it is a page
 * @param sentAs how the evidence was sent: a tier, TEXT, RETRIEVED, READ or OMITTED
 * @param pageTextTokens the text tokens on the page sent, if one was
 * @param compression that page's text tokens per vision token, if one was sent
 * @param survived whether the answer could be read
 * @param via what made it readable (text, the page, retrieval...)
 * @param contextTokens tokens the whole context cost
 * @param textTokens of which text
 * @param imageTokens of which images
 */
public record ForgettingRow(String conversation, String reader, boolean measured, String policy,
    int budget, int checkpoint, int question, int category, String answer, int evidenceTurn,
    int ageTurns, long ageTokens, Optional<Tier> storedTier, String sentAs,
    OptionalInt pageTextTokens, OptionalDouble compression, boolean survived, String via,
    int contextTokens, int textTokens, int imageTokens) {

  /** The columns of {@code forgetting.csv}, in order. */
  static final List<Reports.Column<ForgettingRow>> COLUMNS = List.of(
      Reports.column("conversation", ForgettingRow::conversation),
      Reports.column("reader", ForgettingRow::reader),
      Reports.column("readerKind", r -> r.measured() ? "measured" : "model (not measured)"),
      Reports.column("policy", ForgettingRow::policy),
      Reports.column("budget", ForgettingRow::budget),
      Reports.column("checkpoint", ForgettingRow::checkpoint),
      Reports.column("question", ForgettingRow::question),
      Reports.column("category", ForgettingRow::category),
      Reports.column("answer", ForgettingRow::answer),
      Reports.column("evidenceTurn", ForgettingRow::evidenceTurn),
      Reports.column("ageTurns", ForgettingRow::ageTurns),
      Reports.column("ageTokens", ForgettingRow::ageTokens),
      Reports.column("storedTier", r -> r.storedTier().map(Tier::name).orElse("")),
      Reports.column("sentAs", ForgettingRow::sentAs),
      Reports.column("pageTextTokens", r -> r.pageTextTokens().isPresent()
          ? Integer.toString(r.pageTextTokens().getAsInt()) : ""),
      Reports.column("compression", r -> r.compression().isPresent()
          ? String.format(Locale.ROOT, "%.1f", r.compression().getAsDouble()) : ""),
      Reports.column("survived", r -> r.survived() ? 1 : 0),
      Reports.column("via", ForgettingRow::via),
      Reports.column("contextTokens", ForgettingRow::contextTokens),
      Reports.column("textTokens", ForgettingRow::textTokens),
      Reports.column("imageTokens", ForgettingRow::imageTokens));
}
