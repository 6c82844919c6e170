import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { playgroundConfig } from "./playgroundConfig.js";

const require = createRequire(import.meta.url);

/**
 * The Microsoft 365 Agents Playground: a Teams-like web client that runs offline and talks to the bot. It is
 * given the demo provider's people and team (see playgroundConfig), keeps its log under the data folder, and
 * must be started with stdin closed or it exits at once. If the port is taken it silently moves to another one,
 * so the port is read from what it prints.
 */
export async function startPlayground(options: {
  botEndpoint: string;
  port: number;
  dataDir: string;
}): Promise<{ url: string; close(): Promise<void> }> {
  mkdirSync(options.dataDir, { recursive: true });
  const configPath = join(options.dataDir, "m365agentsplayground.yml");
  writeFileSync(configPath, playgroundConfig());
  const cli = join(dirname(require.resolve("@microsoft/m365agentsplayground/package.json")), "cli.js");
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "--require",
      fileURLToPath(new URL("./loopbackOnly.cjs", import.meta.url)),
      cli,
      "-e",
      options.botEndpoint,
      "-c",
      "msteams",
      "-p",
      String(options.port),
      "--disable-telemetry",
    ],
    {
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
        M365_AGENTS_PLAYGROUND_LOGFILE: join(options.dataDir, "m365agentsplayground.log"),
        TEAMSAPPTESTER_BROWSER: "none",
      },
    },
  );
  let output = "";
  child.stderr?.on("data", (d: Buffer) => {
    output = (output + d.toString()).slice(-4000);
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`The Agents Playground did not start within 30 s:\n${output}`));
    }, 30_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`The Agents Playground stopped at start (exit ${code}):\n${output}`));
    });
    lines.on("line", (line) => {
      output = `${output}${line}\n`.slice(-4000);
      const match = /Listening on (\d+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  });
  child.removeAllListeners("exit");
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
