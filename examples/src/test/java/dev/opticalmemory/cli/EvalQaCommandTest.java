package dev.opticalmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opticalmemory.eval.StandInVisionServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eval qa} from the command line, against a stand-in vision LLM server (a remote boundary). */
class EvalQaCommandTest {
  @TempDir Path tmp;

  @Test
  void eval_qa_runs_against_a_stand_in_server_and_resumes_from_its_csv() throws Exception {
    Path conversation = StandInVisionServer.writeConversation(tmp.resolve("7.json"));
    try (StandInVisionServer server = new StandInVisionServer(StandInVisionServer.GOLD,
        Set.of(768, 512))) {
      String[] args = {"eval", "qa", "--locomo", conversation.toString(), "--out",
          tmp.resolve("qa").toString(), "--url", server.url(), "--model", "stand-in-vl",
          "--budget", "1500", "--systems", "full-text,text-window,optical", "--limit", "2",
          "--judge"};
      CliRun run = CliRun.of(args);
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out()).startsWith("6 rows (6 answered, 0 failed, 0 skipped); ");
      assertThat(server.violations).isEmpty();
      List<String> csv = Files.readAllLines(tmp.resolve("qa/qa.csv"));
      assertThat(csv).hasSize(1 + 6);
      assertThat(Files.readString(tmp.resolve("qa/qa-summary.md")))
          .contains("Model stand-in-vl at " + server.url());

      int before = server.requests.get();
      CliRun again = CliRun.of(args);
      assertThat(again.exitCode()).as(again.err()).isZero();
      assertThat(server.requests.get()).as("everything was answered already").isEqualTo(before);
    }
  }

  @Test
  void eval_qa_without_a_model_or_with_a_bad_value_is_a_usage_error_before_any_work() {
    CliRun none = CliRun.of("eval", "qa", "--locomo", "x.json", "--out",
        tmp.resolve("o").toString(), "--url", "http://127.0.0.1:9/v1");
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("eval qa needs a chat model: give --url URL and --model NAME,"
        + " or set OPTICAL_MEMORY_LLM_URL and OPTICAL_MEMORY_LLM_MODEL");
    CliRun budget = CliRun.of("eval", "qa", "--locomo", "x.json", "--out",
        tmp.resolve("o").toString(), "--url", "http://127.0.0.1:9/v1", "--model", "m",
        "--budget", "10");
    assertThat(budget.exitCode()).isEqualTo(2);
    assertThat(budget.err()).contains("budget must be at least 500 tokens, but is: 10");
    CliRun reader = CliRun.of("eval", "qa", "--locomo", "x.json", "--out",
        tmp.resolve("o").toString(), "--url", "http://127.0.0.1:9/v1", "--model", "m",
        "--reader", "gpt");
    assertThat(reader.exitCode()).isEqualTo(2);
    assertThat(reader.err()).contains("--reader: reader must be one of");
    assertThat(tmp.resolve("o")).doesNotExist();
  }

  @Test
  void eval_qa_in_which_every_question_failed_exits_non_zero_naming_the_cause_and_refuses_other_schemes()
      throws Exception {
    Path conversation = StandInVisionServer.writeConversation(tmp.resolve("7.json"));
    CliRun run = CliRun.of("eval", "qa", "--locomo", conversation.toString(), "--out",
        tmp.resolve("qa").toString(), "--url", "http://127.0.0.1:9/v1", "--model", "m",
        "--systems", "text-window", "--retries", "0", "--max-errors", "50", "--limit", "1");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("every question failed; the last error:")
        .contains("connection was refused");
    CliRun script = CliRun.of("eval", "qa", "--locomo", conversation.toString(), "--out",
        tmp.resolve("js").toString(), "--url", "javascript:alert(1)", "--model", "m");
    assertThat(script.exitCode()).isEqualTo(2);
    assertThat(script.err()).contains("--url must be an http or https URL");
    assertThat(tmp.resolve("js")).doesNotExist();
  }

  @Test
  void eval_qa_against_a_server_that_is_down_stops_after_its_errors_with_one_line() throws Exception {
    Path conversation = StandInVisionServer.writeConversation(tmp.resolve("7.json"));
    CliRun run = CliRun.of("eval", "qa", "--locomo", conversation.toString(), "--out",
        tmp.resolve("qa").toString(), "--url", "http://127.0.0.1:9/v1", "--model", "m",
        "--systems", "text-window", "--retries", "0", "--max-errors", "2");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).startsWith("2 rows (0 answered, 2 failed, 0 skipped)");
    assertThat(run.err()).contains("stopped after 2 failed requests in a row; the last:"
        + " http://127.0.0.1:9/v1 (model m) failed: the connection was refused");
  }
}
