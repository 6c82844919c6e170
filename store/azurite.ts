import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

/**
 * Azurite's Table service started inside this process, for the local host and the tests. `require("azurite")`
 * pulls in its VS Code extension, so the table server class is loaded directly. A kill within seconds of a write
 * can lose data unless the server is closed cleanly: callers must `close()` on shutdown.
 */
const require = createRequire(import.meta.url);

interface AzuriteTableServer {
  start(): Promise<void>;
  close(): Promise<void>;
  getHttpServerAddress(): string;
}

export const DEVELOPMENT_ACCOUNT = "devstoreaccount1";
/** Azurite's published development key: the same in every Azurite, meaningless outside the emulator. */
export const DEVELOPMENT_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface AzuriteOptions {
  /** A folder to keep the data in; omit to keep everything in memory (tests). */
  location?: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
}

export interface RunningAzurite {
  tableEndpoint: string;
  connectionString: string;
  port: number;
  close(): Promise<void>;
}

export function developmentConnectionString(tableEndpoint: string): string {
  return `DefaultEndpointsProtocol=http;AccountName=${DEVELOPMENT_ACCOUNT};AccountKey=${DEVELOPMENT_KEY};TableEndpoint=${tableEndpoint};`;
}

export async function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  const { default: TableServer } = require("azurite/dist/src/table/TableServer.js");
  const { default: TableConfiguration } = require("azurite/dist/src/table/TableConfiguration.js");
  const { AzuriteTelemetryClient } = require("azurite/dist/src/common/Telemetry.js");
  // Nothing leaves this machine: Azurite would otherwise report usage.
  AzuriteTelemetryClient.enableTelemetry = false;

  const host = options.host ?? "127.0.0.1";
  const inMemory = options.location === undefined;
  let dbPath = "__table_memory__";
  if (options.location !== undefined) {
    mkdirSync(options.location, { recursive: true });
    dbPath = join(options.location, "__azurite_db_table__.json");
  }
  const config = new TableConfiguration(
    host,
    options.port ?? 0,
    undefined, // keep-alive timeout: Azurite's default
    dbPath,
    false, // debug log
    false, // access log
    undefined,
    undefined,
    false, // loose
    true, // skip API version check: the SDK may be newer than the emulator
    "",
    "",
    "",
    undefined,
    false,
    inMemory,
  );
  const server: AzuriteTableServer = new TableServer(config);
  await server.start();
  const address = server.getHttpServerAddress(); // e.g. http://127.0.0.1:54321
  const port = Number(new URL(address).port);
  const tableEndpoint = `http://${host}:${port}/${DEVELOPMENT_ACCOUNT}`;
  let closed: Promise<void> | undefined;
  return {
    tableEndpoint,
    connectionString: developmentConnectionString(tableEndpoint),
    port,
    close: () => {
      closed ??= server.close();
      return closed;
    },
  };
}
