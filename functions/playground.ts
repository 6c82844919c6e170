import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const require = createRequire(import.meta.url);

/**
 * The Microsoft 365 Agents Playground: a Teams-like web client that runs offline and talks to the bot.
 * It must be started with stdin closed, or it exits at once.
 */
export async function startPlayground(options: {
  botEndpoint: string;
  port: number;
}): Promise<{ url: string; close(): Promise<void> }> {
  const cli = join(dirname(require.resolve("@microsoft/m365agentsplayground/package.json")), "cli.js");
  const child: ChildProcess = spawn(
    process.execPath,
    [cli, "-e", options.botEndpoint, "-c", "msteams", "-p", String(options.port), "--disable-telemetry"],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, BROWSER: "none" } },
  );
  let output = "";
  child.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`The Agents Playground stopped at start:\n${output.slice(-2000)}`);
    const ok = await fetch(url)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    await sleep(200);
  }
  if (Date.now() >= deadline) {
    child.kill();
    throw new Error(`The Agents Playground did not start on port ${options.port}:\n${output.slice(-2000)}`);
  }
  return {
    url,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(3_000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}
