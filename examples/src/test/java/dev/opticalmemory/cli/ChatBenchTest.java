package dev.opticalmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** bench chat runs the README's assistant in child JVMs, against MessageWindowChatMemory. */
class ChatBenchTest {
  @Test
  void bench_chat_reports_the_first_reply_and_per_chat_times_of_both_memories() {
    CliRun run = CliRun.of("bench", "chat", "--stored", "40", "--chats", "6", "--warmup", "2",
        "--runs", "2", "--pause", "20");
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> rows = run.out().lines().filter(l -> l.startsWith("window ")
        || l.startsWith("optical ")).toList();
    assertThat(rows).hasSize(2);
    for (String row : rows) {
      // first run, first reply, since main, build, p50, p99, max, warm-up max, all p99
      assertThat(row.split("\\s+ms\\s*")).hasSize(9);
      assertThat(row).doesNotContain("NaN");
    }
    assertThat(run.err()).contains("bench chat: storing 40 turns", "run 2/2 optical");
    assertThat(run.out()).contains("6 chats per run, 20 ms pause before each (not timed)");
    assertThat(run.out()).containsPattern("\\nthe last request \\(priced for GPT-4o\\): window"
        + " [1-9][\\d,]* tokens, [1-9][\\d,]* bytes; optical [1-9][\\d,]* tokens, [1-9][\\d,]*"
        + " bytes");
  }

  @Test
  void bench_chat_with_photos_reports_times_and_the_last_request_s_tokens_and_bytes() {
    CliRun run = CliRun.of("bench", "chat", "--stored", "40", "--chats", "9", "--warmup", "2",
        "--runs", "2", "--photos", "3");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).containsPattern("photos: a 1024 px photo every 3 chats; the last request"
        + " \\(priced for GPT-4o\\): window [\\d,]+ tokens, [\\d,]+ bytes; optical [\\d,]+ tokens,"
        + " [\\d,]+ bytes \\(budget 8000\\)");
    String optical = run.out().replaceAll("(?s).*optical ([\\d,]+) tokens.*", "$1");
    assertThat(Integer.parseInt(optical.replace(",", ""))).isBetween(1, 8_000);
  }

  @Test
  void bench_chat_refuses_a_pause_out_of_range() {
    CliRun run = CliRun.of("bench", "chat", "--pause", "-1");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--pause must be between 0 and 10000, but is: -1");
  }

  @Test
  void bench_chat_refuses_a_warm_up_as_long_as_the_chats() {
    CliRun run = CliRun.of("bench", "chat", "--chats", "5", "--warmup", "5");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--warmup must be between 0 and 1000 and below --chats, but"
        + " is: 5");
  }
}
