// An agent written in JavaScript, using the official TypeScript MCP SDK against optical-memory mcp.
// Usage: node client.mjs stdio COMMAND ARGS...   (starts the server, as a desktop client does)
//        node client.mjs http URL                (bearer token from OPTICAL_MEMORY_MCP_TOKEN)
// Prints one JSON object with what it saw on stdout; exits 1 with the reason on stderr.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [mode, ...rest] = process.argv.slice(2);
const conversation = process.env.CONVERSATION ?? "node-agent";
const turns = Number(process.env.TURNS ?? 300);
const FACT = "My locker code at the marina is 4417 and the boat is named Blue Heron.";

function fail(why) {
  console.error("node client: " + why);
  process.exit(1);
}

function transport() {
  if (mode === "stdio") {
    return new StdioClientTransport({ command: rest[0], args: rest.slice(1), stderr: "inherit",
      env: { ...process.env } });
  }
  if (mode === "http") {
    const token = process.env.OPTICAL_MEMORY_MCP_TOKEN;
    const headers = token ? { Authorization: "Bearer " + token } : {};
    return new StreamableHTTPClientTransport(new URL(rest[0]), { requestInit: { headers } });
  }
  fail("the first argument must be stdio or http, but is: " + mode);
}

function text(result) {
  return result.content.filter((c) => c.type === "text").map((c) => c.text).join("\n");
}

const client = new Client({ name: "optical-memory-node-test", version: "1.0.0" });
await client.connect(transport());
const seen = { server: client.getServerVersion()?.name };

const tools = await client.listTools();
seen.tools = tools.tools.map((t) => t.name).sort();
for (const t of tools.tools) {
  if (!t.inputSchema || t.inputSchema.type !== "object" || !t.description) {
    fail("tool " + t.name + " has no object schema or no description");
  }
}

const topics = ["the regatta results", "a leaking hull fitting", "the ferry timetable",
  "repainting the dinghy", "the weather on the quay", "the new mooring fees"];
for (let i = 0; i < turns; i++) {
  const words = i === 17 ? FACT
    : `Turn ${i}: we talked about ${topics[i % topics.length]} for a while, and agreed to`
      + ` look at it again on day ${i % 29 + 1}.`;
  const r = await client.callTool({ name: "remember", arguments: { conversation,
    role: i % 2 === 0 ? "user" : "assistant", speaker: i % 2 === 0 ? "Ines" : "Agent",
    text: words, key: "t" + i } });
  if (r.isError) {
    fail("remember " + i + ": " + text(r));
  }
}
seen.remembered = turns;

const refused = await client.callTool({ name: "recall", arguments: { conversation } });
seen.refusal = refused.isError ? text(refused) : null;

// Pages are drawn in the background: ask until the context carries images, for up to 3 minutes.
const deadline = Date.now() + 180_000;
let context;
for (;;) {
  context = await client.callTool({ name: "context",
    arguments: { conversation, budget: 2000, reader: "gpt-4o" } });
  if (context.isError) {
    fail("context: " + text(context));
  }
  if (context.content.some((c) => c.type === "image") || Date.now() > deadline) {
    break;
  }
  await new Promise((r) => setTimeout(r, 1000));
}
const images = context.content.filter((c) => c.type === "image");
seen.contextImages = images.length;
seen.contextPng = images.every((c) => c.mimeType === "image/png"
  && Buffer.from(c.data, "base64").subarray(1, 4).toString("latin1") === "PNG");
seen.contextText = text(context).slice(0, 2000);

const recall = await client.callTool({ name: "recall",
  arguments: { conversation, query: "locker code marina", k: 3 } });
seen.recall = recall.isError ? "error: " + text(recall) : text(recall);

const templates = await client.listResourceTemplates();
seen.templates = templates.resourceTemplates.map((t) => t.uriTemplate).sort();

const stats = await client.callTool({ name: "stats", arguments: { conversation } });
seen.stats = JSON.parse(text(stats));

await client.close();
console.log(JSON.stringify(seen));
