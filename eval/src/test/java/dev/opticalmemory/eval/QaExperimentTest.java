package dev.opticalmemory.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.opticalmemory.memory.Tier;
import dev.opticalmemory.memory.context.VisionReader;
import dev.opticalmemory.renderer.FontSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval qa} end to end against {@link StandInVisionServer}, a stand-in for the vision LLM (a
 * remote boundary we cannot run here): the real memory, pages, recall and LangChain4j client.
 */
@Timeout(300)
class QaExperimentTest {
  static final VisionReader READER = VisionReader.openAi();

  @TempDir Path tmp;
  StandInVisionServer server;
  Path conversation;

  @BeforeEach
  void start() throws Exception {
    Set<Integer> sides = new HashSet<>();
    for (Tier tier : Tier.values()) {
      if (tier.isImage()) {
        sides.add(READER.delivery(tier).side());
      }
    }
    server = new StandInVisionServer(StandInVisionServer.GOLD, sides);
    conversation = StandInVisionServer.writeConversation(tmp.resolve("7.json"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  OpenAiChatModel model() {
    return OpenAiChatModel.builder().baseUrl(server.url()).apiKey("not-needed")
        .modelName("stand-in-vl").maxRetries(0).timeout(Duration.ofSeconds(20)).build();
  }

  QaExperimentBuilder experiment() {
    return QaExperiment.builder().locomo(List.of(conversation))
        .chatModel(model(), "stand-in-vl", server.url()).reader(READER).budget(1_500)
        .fonts(FontSet.latinOnly()).backoff(Duration.ofMillis(10)).commandLine("eval qa --test");
  }

  static Map<String, QaRow> byQuestionAndSystem(QaExperiment.Result result) {
    return result.rows().stream().collect(Collectors.toMap(
        r -> r.question() + "/" + r.system(), r -> r));
  }

  @Test
  void every_system_answers_every_question_and_only_the_recall_tool_finds_facts_on_old_pages()
      throws Exception {
    QaExperiment.Result result = experiment().judge(model()).build().run(tmp.resolve("qa"));

    assertThat(server.violations).isEmpty();
    assertThat(result.rows()).hasSize(4 * 5).allSatisfy(r ->
        assertThat(r.status()).as("%s", r).isEqualTo(QaRow.Status.OK));
    Map<String, QaRow> rows = byQuestionAndSystem(result);
    for (int q = 0; q < 3; q++) {
      assertThat(rows.get(q + "/full-text").f1()).as("full text, question %d", q)
          .hasValue(1.0);
      assertThat(rows.get(q + "/full-text").judge())
          .hasValue(1.0);
      assertThat(rows.get(q + "/text-window").f1()).as("the window lost LoCoMo's sitting 1")
          .hasValue(0.0);
      assertThat(rows.get(q + "/optical").f1()).as("the stand-in cannot read pages")
          .hasValue(0.0);
      assertThat(rows.get(q + "/optical-recall").f1()).as("recall read the page back")
          .hasValue(1.0);
      assertThat(rows.get(q + "/optical-recall").toolCalls()).hasValue(1);
      assertThat(rows.get(q + "/optical-read").f1()).as("read the page back")
          .hasValue(1.0);
    }
    assertThat(rows.get("3/text-window").f1()).as("adversarial: no information")
          .hasValue(1.0);
    assertThat(rows.get("3/full-text").judge()).as("no judge for category 5").isEmpty();
    for (QaRow r : result.rows()) {
      assertThat(r.apiInputTokens()).as("the stand-in's own count, %s", r.system())
          .isEqualTo(r.countedInputTokens());
      assertThat(r.images().getAsInt()).isEqualTo(r.system()
          .startsWith("optical") ? r.images().getAsInt() : 0);
    }
    assertThat(rows.get("0/optical").images().getAsInt()).isPositive();
    assertThat(server.images.get()).isPositive();
    assertThat(rows.get("0/full-text").countedInputTokens().getAsLong())
        .isGreaterThan(rows.get("0/optical").countedInputTokens().getAsLong());

    assertThat(Files.readAllLines(result.csv()).get(0)).isEqualTo(String.join(",",
        QaRow.names()));
    assertThat(Files.readAllLines(result.csv())).hasSize(1 + 20);
    String summary = Files.readString(result.summary());
    assertThat(summary).contains("Model stand-in-vl at " + server.url())
        .as("F1 by category 1-5 (no question of category 3), F1 over 1-4, LoCoMo overall, mem0"
            + " F1 and J over 1-4")
        .contains("| optical-recall | 1.000 | 1.000 |  | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 |"
            + " 1.000 |")
        .contains("| text-window | 0.000 | 0.000 |  | 0.000 | 1.000 | 0.000 | 0.250 | 0.000 |"
            + " 0.000 |")
        .contains("  strict (errors count 0):     LoCoMo overall 0.2500   LoCoMo F1 cat. 1-4"
            + " 0.0000   mem0 F1 cat. 1-4 0.0000   (4 rows, 0 errored)");
    assertThat(Files.readString(result.html())).contains("stand-in-vl").contains(server.url())
        .contains("You answer questions about a long conversation")
        .contains("You grade an answer").contains("eval qa --test");
    assertThat(Files.size(result.plot())).isPositive();
  }

  @Test
  void optical_read_labels_each_page_and_the_model_reads_the_facts_back_by_page_and_turn()
      throws Exception {
    QaExperiment.Result result = experiment().systems(List.of("optical-read")).build()
        .run(tmp.resolve("read"));

    assertThat(server.violations).isEmpty();
    Map<String, QaRow> rows = byQuestionAndSystem(result);
    for (int q = 0; q < 3; q++) {
      QaRow row = rows.get(q + "/optical-read");
      assertThat(row.status()).as("%s", row).isEqualTo(QaRow.Status.OK);
      assertThat(row.f1()).as("read the first page back, question %d", q).hasValue(1.0);
      assertThat(row.toolCalls()).hasValue(1);
      assertThat(row.countedInputTokens().getAsLong()).isPositive();
    }
    assertThat(server.readCalls).as("the stand-in called read with the first label's numbers")
        .hasSize(4).allMatch(c -> c.equals("0/0"));
  }

  @Test
  void an_interrupted_run_resumes_from_its_csv_and_asks_nothing_twice() throws Exception {
    Path out = tmp.resolve("qa");
    QaExperiment.Result first = experiment().systems(List.of("full-text", "text-window"))
        .maxQuestions(2).build().run(out);
    assertThat(first.rows()).hasSize(4);
    assertThat(server.questionsAsked).hasSize(4);

    QaExperiment.Result second = experiment().systems(List.of("full-text", "text-window"))
        .build().run(out);
    assertThat(second.rows()).hasSize(8);
    assertThat(server.questionsAsked.stream().collect(Collectors.groupingBy(q -> q,
        Collectors.counting()))).as("each question once per system").hasSize(4)
        .allSatisfy((q, n) -> assertThat(n).isEqualTo(2));
    assertThat(Files.readAllLines(second.csv())).hasSize(1 + 8);
    assertThat(second.rows().stream().map(r -> r.question() + "/" + r.system()))
        .doesNotHaveDuplicates();
  }

  @Test
  void a_server_that_fails_once_is_retried_with_backoff() {
    server.mode(StandInVisionServer.Mode.FAIL_FIRST_ATTEMPT);
    QaExperiment.Result result = experiment().systems(List.of("text-window")).retries(1)
        .build().run(tmp.resolve("qa"));
    assertThat(result.rows()).hasSize(4).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(QaRow.Status.OK);
      assertThat(r.requests()).hasValue(2);
    });
  }

  @Test
  void a_server_that_keeps_failing_stops_the_run_which_then_resumes_and_asks_the_failed_again() {
    server.mode(StandInVisionServer.Mode.ALWAYS_500);
    Path out = tmp.resolve("qa");
    assertThatThrownBy(() -> experiment().systems(List.of("text-window")).retries(1)
        .maxConsecutiveErrors(3).build().run(out))
        .isInstanceOf(QaExperiment.QaStoppedException.class)
        .hasMessageContaining("stopped after 3 failed requests in a row; the last: "
            + server.url() + " (model stand-in-vl) failed: ")
        .hasMessageContaining("(attempt 2 of 2)")
        .hasMessageContaining("run the same command again to go on from there")
        .satisfies(e -> assertThat(((QaExperiment.QaStoppedException) e).result().rows())
            .hasSize(3).allSatisfy(r -> assertThat(r.status()).isEqualTo(QaRow.Status.ERROR)));
    assertThat(server.requests.get()).isEqualTo(3 * 2);

    server.mode(StandInVisionServer.Mode.ANSWER);
    QaExperiment.Result again = experiment().systems(List.of("text-window")).build().run(out);
    assertThat(again.rows()).hasSize(4).allSatisfy(r ->
        assertThat(r.status()).isEqualTo(QaRow.Status.OK));
  }

  @Test
  void a_server_whose_error_echoes_the_key_never_gets_the_key_into_the_csv_or_the_message()
      throws Exception {
    server.mode(StandInVisionServer.Mode.ECHO_KEY_401);
    String key = "sk-test-0123456789secret";
    OpenAiChatModel keyed = OpenAiChatModel.builder().baseUrl(server.url()).apiKey(key)
        .modelName("stand-in-vl").maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    Path out = tmp.resolve("qa");
    assertThatThrownBy(() -> QaExperiment.builder().locomo(List.of(conversation))
        .chatModel(keyed, "stand-in-vl", server.url()).reader(READER).budget(1_500)
        .fonts(FontSet.latinOnly()).backoff(Duration.ofMillis(10)).commandLine("eval qa --test")
        .secret(key).systems(List.of("text-window")).retries(0).maxConsecutiveErrors(2).build()
        .run(out))
        .isInstanceOf(QaExperiment.QaStoppedException.class)
        .hasMessageContaining("[key]").hasMessageNotContaining(key);
    String written = Files.readString(out.resolve("qa.csv"));
    assertThat(written).contains("[key]").doesNotContain(key);
  }

  @Test
  void a_server_that_stalls_is_given_up_on_at_the_deadline() {
    server.mode(StandInVisionServer.Mode.STALL);
    long start = System.nanoTime();
    QaExperiment.Result result = experiment().systems(List.of("text-window")).limit(2)
        .retries(0).timeout(Duration.ofMillis(500)).build().run(tmp.resolve("qa"));
    assertThat(result.rows()).hasSize(2).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(QaRow.Status.ERROR);
      assertThat(r.error()).isEqualTo(server.url() + " (model stand-in-vl) sent no"
          + " complete answer within 500 ms (attempt 1 of 1)");
    });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void a_model_that_calls_the_tool_forever_is_stopped_after_its_rounds() {
    server.mode(StandInVisionServer.Mode.TOOL_LOOP);
    QaExperiment.Result result = experiment().systems(List.of("optical-recall")).limit(1)
        .recallRounds(2).build().run(tmp.resolve("qa"));
    assertThat(result.rows()).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(QaRow.Status.ERROR);
      assertThat(r.toolCalls()).hasValue(2);
      assertThat(r.error()).isEqualTo("the model still calls tools after 2 rounds"
          + " of recall, with no tool offered");
    });
  }

  @Test
  void a_csv_of_another_model_is_not_resumed_and_bad_settings_name_their_value() throws Exception {
    Path out = tmp.resolve("qa");
    experiment().systems(List.of("text-window")).limit(1).build().run(out);
    assertThatThrownBy(() -> QaExperiment.builder().locomo(List.of(conversation))
        .chatModel(model(), "other-model", server.url()).budget(1_500).build().run(out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(out.resolve("qa.csv") + " holds answers of model stand-in-vl at budget 1500,"
            + " not of model other-model at budget 1500; give another --out to keep both");
    Files.writeString(out.resolve("qa.csv"), "a,b\n1,2\n");
    assertThatThrownBy(() -> experiment().build().run(out))
        .hasMessage(out.resolve("qa.csv") + " has other columns than this version writes; give"
            + " another --out");
    assertThatThrownBy(() -> QaExperiment.builder().systems(List.of("rag")))
        .hasMessage("systems must be among [full-text, text-window, optical, optical-recall,"
            + " optical-read], but"
            + " has: rag");
    assertThatThrownBy(() -> QaExperiment.builder().budget(100))
        .hasMessage("budget must be at least 500 tokens, but is: 100");
    assertThatThrownBy(() -> QaExperiment.builder().categories(List.of(0, 6)))
        .hasMessage("categories must be among 1 to 5, but are: [0, 6]");
    assertThatThrownBy(() -> QaExperiment.builder().timeout(Duration.ZERO))
        .hasMessage("timeout must be between 1 ms and 1 hour, but is: PT0S");
    assertThatThrownBy(() -> QaExperiment.builder().locomo(List.of(conversation)).build())
        .hasMessage("LoCoMo files and a chat model are required");
  }
}
