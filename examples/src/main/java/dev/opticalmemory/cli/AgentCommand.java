package dev.opticalmemory.cli;

import dev.opticalmemory.examples.AgentExample;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code agent}: the LangChain4j chat assistant of {@link AgentExample}. */
@Command(name = "agent", mixinStandardHelpOptions = true,
    description = "A chat assistant with the optical memory and the recall tool, on any "
        + "OpenAI-compatible server given by OPTICAL_MEMORY_LLM_URL and OPTICAL_MEMORY_LLM_MODEL.")
final class AgentCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try {
      return AgentExample.run(new BufferedReader(new InputStreamReader(System.in,
          StandardCharsets.UTF_8)), spec.commandLine().getOut(), System.getenv());
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage(), e);
    }
  }
}
