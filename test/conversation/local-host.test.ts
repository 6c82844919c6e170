import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalHost } from "../../functions/localHost.js";
import { newChannel, PEOPLE } from "../support/fixtures.js";
import { StubConnector } from "../support/stubConnector.js";
import { channelMessage } from "../support/teams.js";

/** `npm start` as a person runs it: a child process, stopped with SIGTERM. */
function startLocal(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; output: () => string; endpoint: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "functions/local.ts"], {
    env: {
      ...process.env,
      BOT_PORT: "0",
      AZURITE_TABLE_PORT: "0",
      PLAYGROUND: "off",
      LOG_LEVEL: "error",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 20 s:\n${output}`)), 20_000);
    const check = () => {
      const match = /Bot endpoint:\s+(\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, output: () => output, endpoint: match[1] });
      }
    };
    child.stdout?.on("data", check);
    child.once("exit", () => {
      clearTimeout(timer);
      reject(new Error(`exited:\n${output}`));
    });
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

describe("the local host (npm start)", () => {
  let connector: StubConnector;
  beforeAll(async () => {
    connector = await new StubConnector().start();
    connector.addMembers(
      ...Object.values(PEOPLE).map((p) => ({ id: p.teamsId, name: p.name, aadObjectId: p.objectId })),
    );
  });
  afterAll(async () => {
    await connector?.stop();
  });

  it("keeps what was recorded when stopped with SIGTERM right after a write", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "golive-local-"));
    const where = { serviceUrl: connector.url, channel: newChannel() };
    const first = await startLocal({ DATA_DIR: dataDir });
    const post = (endpoint: string, text: string) =>
      fetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(channelMessage(where, PEOPLE.priya, text)),
      });
    expect((await post(first.endpoint, "setup Willow Lodge go-live")).status).toBe(200);
    const stopped = exited(first.child);
    first.child.kill("SIGTERM"); // well within Azurite's 5 s window in which an unclean kill loses writes
    expect(await stopped).toBe(0);
    expect(first.output()).toContain("Everything recorded is kept");

    const second = await startLocal({ DATA_DIR: dataDir });
    try {
      connector.clear();
      await post(second.endpoint, "roles");
      expect(connector.texts().join()).toContain("Project roles: Willow Lodge go-live");
    } finally {
      const done = exited(second.child);
      second.child.kill("SIGINT");
      await done;
    }
  });

  it("refuses to listen on anything but loopback without bot credentials, saying why", async () => {
    await expect(
      startLocalHost({
        dataDir: mkdtempSync(join(tmpdir(), "golive-local-")),
        host: "0.0.0.0",
        startPlayground: false,
      }),
    ).rejects.toThrow(/refusing to listen on 0\.0\.0\.0 without bot credentials/);
    const child = spawn(process.execPath, ["--import", "tsx", "functions/local.ts"], {
      env: {
        ...process.env,
        BOT_HOST: "0.0.0.0",
        PLAYGROUND: "off",
        DATA_DIR: mkdtempSync(join(tmpdir(), "golive-local-")),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stderr?.on("data", (d: Buffer) => {
      output += d.toString();
    });
    expect(await exited(child)).toBe(1);
    expect(output).toContain("MicrosoftAppId");
    expect(output).not.toMatch(/\n\s+at /);
  });
});
