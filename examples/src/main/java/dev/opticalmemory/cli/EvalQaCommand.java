package dev.opticalmemory.cli;

import dev.opticalmemory.eval.QaExperiment;
import dev.opticalmemory.eval.QaExperimentBuilder;
import dev.opticalmemory.eval.QaRow;
import dev.opticalmemory.memory.context.VisionReader;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eval qa}: LoCoMo questions answered by a vision LLM from the memory's context. */
@Command(name = "qa", mixinStandardHelpOptions = true,
    description = {"LoCoMo question answering through a vision LLM behind an OpenAI-compatible"
        + " chat API (Ollama, vLLM, SGLang, OpenAI): each question, at the end of its"
        + " conversation, is sent with each system's context; answers are scored with LoCoMo's"
        + " token F1 and, with --judge, an LLM judge (J).",
        "Systems: full-text (the whole conversation as text), text-window (the newest turns"
            + " within the budget), optical (pages and recent text from the context assembler),"
            + " optical-recall (the same, with the recall tool), optical-read (each page after"
            + " its label 'page N, turns A-B', with the read and recall tools).",
        "Writes qa.csv (a row per question and system, appended as answered: a second run with"
            + " the same --out resumes), qa-summary.md, qa.png and qa.html (model, URL, date,"
            + " prompts). The key is read from $OPTICAL_MEMORY_LLM_KEY, never from the command"
            + " line."})
final class EvalQaCommand implements Callable<Integer> {
  static final String URL_VARIABLE = "OPTICAL_MEMORY_LLM_URL";
  static final String MODEL_VARIABLE = "OPTICAL_MEMORY_LLM_MODEL";
  static final String KEY_VARIABLE = "OPTICAL_MEMORY_LLM_KEY";

  @Spec CommandSpec spec;

  @Mixin EvalCommand.LocomoRun run;

  @Option(names = "--url", paramLabel = "URL", description = "OpenAI-compatible base URL, e.g."
      + " http://localhost:11434/v1 (Ollama) or https://api.openai.com/v1. Default: $"
      + URL_VARIABLE + ".")
  String url;

  @Option(names = "--model", paramLabel = "NAME", description = "Model name as served, e.g."
      + " qwen2.5vl:7b or gpt-4o-mini. Default: $" + MODEL_VARIABLE + ".")
  String model;

  @Option(names = "--reader", defaultValue = "gpt-4o", paramLabel = "NAME",
      description = "The model and server, for how it counts tokens and the page sizes it is"
          + " sent, e.g. gpt-4o, gpt-5.4, claude, gemini-3, qwen2.5-vl:ollama (see 'price')."
          + " Default: ${DEFAULT-VALUE}.")
  String reader;

  @Option(names = "--budget", defaultValue = "4000", paramLabel = "N",
      description = "Context budget of text-window and optical, in tokens. Default:"
          + " ${DEFAULT-VALUE}.")
  int budget;

  @Option(names = "--systems", split = ",", defaultValue = "full-text,text-window,optical,"
      + "optical-recall,optical-read", paramLabel = "NAME",
      description = "Default: ${DEFAULT-VALUE}.")
  List<String> systems;

  @Option(names = "--categories", split = ",", defaultValue = "1,2,3,4,5", paramLabel = "N",
      description = "LoCoMo question categories (5: adversarial). Default: ${DEFAULT-VALUE}.")
  List<Integer> categories;

  @Option(names = "--judge", description = "Also ask the model (or --judge-model) to judge each"
      + " answer against the gold one (the J score); its prompt is in the report.")
  boolean judge;

  @Option(names = "--judge-model", paramLabel = "NAME", description = "Judge model at the same"
      + " URL. Default: the --model.")
  String judgeModel;

  @Option(names = "--limit", paramLabel = "N", description = "At most N questions per"
      + " conversation (a quick run).")
  Integer limit;

  @Option(names = "--max-questions", defaultValue = "2000", paramLabel = "N",
      description = "At most N questions in all. Default: ${DEFAULT-VALUE}.")
  int maxQuestions;

  @Option(names = "--recall-rounds", defaultValue = "3", paramLabel = "N",
      description = "Rounds of recall before the model must answer. Default: ${DEFAULT-VALUE}.")
  int recallRounds;

  @Option(names = "--timeout", defaultValue = "120", paramLabel = "SECONDS",
      description = "Deadline of one request, body included. Default: ${DEFAULT-VALUE}.")
  int timeoutSeconds;

  @Option(names = "--retries", defaultValue = "2", paramLabel = "N", description = "Retries of"
      + " a failed request, with backoff from 2 s. Default: ${DEFAULT-VALUE}.")
  int retries;

  @Option(names = "--max-errors", defaultValue = "5", paramLabel = "N", description = "Stop"
      + " after N failed questions in a row (a re-run resumes). Default: ${DEFAULT-VALUE}.")
  int maxErrors;

  @Override
  public Integer call() {
    java.util.Map<String, String> env = System.getenv();
    String baseUrl = url != null ? url : env.get(URL_VARIABLE);
    String served = model != null ? model : env.get(MODEL_VARIABLE);
    if (baseUrl == null || baseUrl.isBlank() || served == null || served.isBlank()) {
      throw CliException.usage("eval qa needs a chat model: give --url URL and --model NAME, or"
          + " set " + URL_VARIABLE + " and " + MODEL_VARIABLE + " (for example"
          + " http://localhost:11434/v1 and qwen2.5vl:7b for Ollama)");
    }
    PriceCommand.checkUrl("--url", baseUrl);
    VisionReader counting;
    try {
      counting = VisionReader.named(reader);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--reader: " + e.getMessage(), e);
    }
    if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
      throw CliException.usage("--timeout must be between 1 and 3600 seconds, but is: "
          + timeoutSeconds);
    }
    QaExperimentBuilder b = QaExperiment.builder();
    try {
      b.budget(budget).systems(systems).categories(categories).maxQuestions(maxQuestions)
          .recallRounds(recallRounds).retries(retries).maxConsecutiveErrors(maxErrors)
          .timeout(java.time.Duration.ofSeconds(timeoutSeconds)).reader(counting);
      if (limit != null) {
        b.limit(limit);
      }
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage(), e);
    }
    run.checkFiles();
    String key = env.getOrDefault(KEY_VARIABLE, "none");
    b.secret(key);
    java.time.Duration deadline = java.time.Duration.ofSeconds(timeoutSeconds);
    b.chatModel(chatModel(baseUrl, served, key, deadline), served, baseUrl);
    if (judge) {
      b.judge(chatModel(baseUrl, judgeModel == null ? served : judgeModel, key, deadline));
    }
    try {
      QaExperiment.Result result = b.locomo(run.locomo)
          .progress(EvalCommand.bar(spec.commandLine().getErr()))
          .commandLine(EvalCommand.commandLine(spec)).build().run(run.out);
      report(result);
      long ok = result.rows().stream().filter(r -> r.status() == QaRow.Status.OK).count();
      java.util.Optional<String> failed = result.rows().stream()
          .filter(r -> r.status() == QaRow.Status.ERROR).map(QaRow::error).reduce(
              (first, second) -> second);
      if (ok == 0 && failed.isPresent()) {
        throw new CliException("every question failed; the last error: " + PriceCommand.redact(
            String.valueOf(failed.get()), key));
      }
      return 0;
    } catch (QaExperiment.QaStoppedException e) {
      report(e.result());
      throw new CliException(PriceCommand.redact(e.getMessage(), key), null);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage(), e);
    }
  }

  private static dev.langchain4j.model.chat.ChatModel chatModel(String url, String model,
      String key, java.time.Duration timeout) {
    // No retries of its own: the experiment retries with backoff and records the attempts.
    return dev.langchain4j.model.openai.OpenAiChatModel.builder().baseUrl(url).apiKey(key)
        .modelName(model).timeout(timeout).maxRetries(0).build();
  }

  private void report(QaExperiment.Result result) {
    long ok = result.rows().stream().filter(r -> r.status() == QaRow.Status.OK).count();
    long errors = result.rows().stream().filter(r -> r.status() == QaRow.Status.ERROR).count();
    spec.commandLine().getOut().printf("%d rows (%d answered, %d failed, %d skipped); %s, %s,"
        + " %s, %s%n", result.rows().size(), ok, errors, result.rows().size() - ok - errors,
        result.csv(), result.summary(), result.plot(), result.html());
  }
}
