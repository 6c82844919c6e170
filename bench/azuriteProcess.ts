/**
 * Azurite in its own process, for the benchmark: Azure Table Storage is a separate service in production, so the
 * bot should not share its JavaScript thread with the storage emulator when it is measured. Run directly, it
 * starts Azurite in memory and prints its port; `startAzuriteProcess` spawns it and returns the connection.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import {
  DEVELOPMENT_ACCOUNT,
  developmentConnectionString,
  type RunningAzurite,
  startAzurite,
} from "../store/azurite.js";

export async function startAzuriteProcess(): Promise<RunningAzurite> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const [port, blobPort] = await new Promise<[number, number]>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`Azurite process exited (${code})`)));
    lines.on("line", (line) => {
      const match = /^azurite-port (\d+) (\d+)$/.exec(line);
      if (match) resolve([Number(match[1]), Number(match[2])]);
    });
  });
  const tableEndpoint = `http://127.0.0.1:${port}/${DEVELOPMENT_ACCOUNT}`;
  // The bot opens the Blob service too (evidence packs), so the connection names both.
  const blobEndpoint = `http://127.0.0.1:${blobPort}/${DEVELOPMENT_ACCOUNT}`;
  return {
    tableEndpoint,
    connectionString: developmentConnectionString(tableEndpoint, blobEndpoint),
    port,
    close: async () => {
      child.kill("SIGTERM");
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const azurite = await startAzurite({});
  console.log(`azurite-port ${azurite.port} ${azurite.blobPort}`);
  process.on("SIGTERM", () => void azurite.close().then(() => process.exit(0)));
}
