import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

/**
 * Azurite's Table and Blob services started inside this process, for the local host and the tests.
 * `require("azurite")` pulls in its VS Code extension, so the server classes are loaded directly. A kill within
 * seconds of a write can lose data unless the servers are closed cleanly: callers must `close()` on shutdown.
 */
const require = createRequire(import.meta.url);

interface AzuriteServer {
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
  /** The Table service's port; 0 picks a free port. */
  port?: number;
  /** The Blob service's port; 0 (the default) picks a free port. */
  blobPort?: number;
  host?: string;
  /** Serve https with this certificate and key (PEM file paths) instead of http; e.g. to try OAuth locally. */
  https?: { cert: string; key: string };
  /**
   * "basic": also accept bearer tokens, checked for audience, issuer and lifetime but not signature, as
   * managed identity would present them in Azure. Needs `https`. The development key works either way.
   */
  oauth?: "basic";
}

export interface RunningAzurite {
  tableEndpoint: string;
  connectionString: string;
  /** The Table service's port. */
  port: number;
  close(): Promise<void>;
}

/** What `startAzurite` returns: the Table service as before, and the Blob service beside it. */
export interface RunningAzuriteWithBlobs extends RunningAzurite {
  /** e.g. `http://127.0.0.1:54322/devstoreaccount1`; also in `connectionString` as `BlobEndpoint`. */
  blobEndpoint: string;
  blobPort: number;
}

export function developmentConnectionString(tableEndpoint: string, blobEndpoint?: string): string {
  const blob = blobEndpoint === undefined ? "" : `BlobEndpoint=${blobEndpoint};`;
  const protocol = tableEndpoint.startsWith("https:") ? "https" : "http";
  return `DefaultEndpointsProtocol=${protocol};AccountName=${DEVELOPMENT_ACCOUNT};AccountKey=${DEVELOPMENT_KEY};TableEndpoint=${tableEndpoint};${blob}`;
}

function loadAzurite() {
  const { AzuriteTelemetryClient } = require("azurite/dist/src/common/Telemetry.js");
  // Nothing leaves this machine: Azurite would otherwise report usage (one switch for every service).
  AzuriteTelemetryClient.enableTelemetry = false;
  return {
    TableServer: require("azurite/dist/src/table/TableServer.js").default,
    TableConfiguration: require("azurite/dist/src/table/TableConfiguration.js").default,
    BlobServer: require("azurite/dist/src/blob/BlobServer.js").default,
    BlobConfiguration: require("azurite/dist/src/blob/BlobConfiguration.js").default,
    MemoryExtentChunkStore: require("azurite/dist/src/common/persistence/MemoryExtentStore.js")
      .MemoryExtentChunkStore,
    DEFAULT_EXTENT_MEMORY_LIMIT: require("azurite/dist/src/common/persistence/MemoryExtentStore.js")
      .DEFAULT_EXTENT_MEMORY_LIMIT as number,
  };
}

export async function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzuriteWithBlobs> {
  const azurite = loadAzurite();
  const host = options.host ?? "127.0.0.1";
  const inMemory = options.location === undefined;
  if (options.location !== undefined) mkdirSync(options.location, { recursive: true });
  if (options.oauth !== undefined && options.https === undefined) {
    throw new RangeError("Azurite accepts bearer tokens only over https: give `https` with `oauth`.");
  }
  const cert = options.https?.cert ?? "";
  const key = options.https?.key ?? "";
  const protocol = options.https === undefined ? "http" : "https";
  const inLocation = (name: string, memoryName: string) =>
    options.location === undefined ? memoryName : join(options.location, name);

  const tableConfig = new azurite.TableConfiguration(
    host,
    options.port ?? 0,
    undefined, // keep-alive timeout: Azurite's default
    inLocation("__azurite_db_table__.json", "__table_memory__"),
    false, // debug log
    false, // access log
    undefined,
    undefined,
    false, // loose
    true, // skip API version check: the SDK may be newer than the emulator
    cert,
    key,
    "", // PFX password: unused
    options.oauth,
    false,
    inMemory,
  );
  // Azurite's own launcher keeps blobs in one chunk store shared by every in-memory server of the process; each
  // server here gets its own, so test files never see each other's blobs and the memory goes with the server.
  const blobConfig = new azurite.BlobConfiguration(
    host,
    options.blobPort ?? 0,
    undefined, // keep-alive timeout: Azurite's default
    inLocation("__azurite_db_blob__.json", "__blob_memory__"),
    inLocation("__azurite_db_blob_extent__.json", "__blob_extent_memory__"),
    // A fresh array: Azurite's default one is a shared module constant its own launcher mutates.
    [
      {
        locationId: "Default",
        locationPath: inLocation("__blobstorage__", "__blob_memory__"),
        maxConcurrency: 50, // Azurite's default writes per location
      },
    ],
    false, // access log
    undefined,
    false, // debug log
    undefined,
    false, // loose
    true, // skip API version check: the SDK may be newer than the emulator
    cert,
    key,
    "", // PFX password: unused
    options.oauth,
    false, // product-style URLs stay enabled (account in the host name when it is not an IP)
    inMemory,
    inMemory ? new azurite.MemoryExtentChunkStore(azurite.DEFAULT_EXTENT_MEMORY_LIMIT) : undefined,
  );

  const tableServer: AzuriteServer = new azurite.TableServer(tableConfig);
  // Table first, unchanged: a caller that finds the table port taken (EADDRINUSE) may reuse a running Azurite.
  await tableServer.start();
  const blobServer: AzuriteServer = new azurite.BlobServer(blobConfig);
  try {
    await blobServer.start();
  } catch (error) {
    await tableServer.close();
    throw error;
  }

  const port = Number(new URL(tableServer.getHttpServerAddress()).port); // e.g. http://127.0.0.1:54321
  const blobPort = Number(new URL(blobServer.getHttpServerAddress()).port);
  const tableEndpoint = `${protocol}://${host}:${port}/${DEVELOPMENT_ACCOUNT}`;
  const blobEndpoint = `${protocol}://${host}:${blobPort}/${DEVELOPMENT_ACCOUNT}`;
  let closed: Promise<void> | undefined;
  return {
    tableEndpoint,
    blobEndpoint,
    connectionString: developmentConnectionString(tableEndpoint, blobEndpoint),
    port,
    blobPort,
    close: () => {
      closed ??= closeBoth(tableServer, blobServer);
      return closed;
    },
  };
}

/** Closes both servers even if one fails, then reports the first failure. */
async function closeBoth(...servers: AzuriteServer[]): Promise<void> {
  const results = await Promise.allSettled(servers.map((server) => server.close()));
  const failed = results.find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
}
