import {
  DEVELOPMENT_ACCOUNT,
  developmentConnectionString,
  type RunningAzuriteWithBlobs,
  startAzurite,
} from "../store/azurite.js";

/**
 * The local store: Azurite (tables, and blobs for evidence packs) on fixed ports with its data in a folder of
 * the checkout. If it is already running (the local host is up while the demo loads), the running one is used
 * and left running.
 */
export async function openLocalStorage(options: {
  dataDir: string;
  port: number;
  /** Defaults to Azurite's usual 10000, or a free port when the table port is 0 (tests). */
  blobPort?: number;
}): Promise<RunningAzuriteWithBlobs> {
  const blobPort = options.blobPort ?? (options.port === 0 ? 0 : 10_000);
  try {
    return await startAzurite({ location: options.dataDir, port: options.port, blobPort });
  } catch (error) {
    if ((error as { code?: string }).code !== "EADDRINUSE" || options.port === 0) throw error;
    const tableEndpoint = `http://127.0.0.1:${options.port}/${DEVELOPMENT_ACCOUNT}`;
    const blobEndpoint = `http://127.0.0.1:${blobPort}/${DEVELOPMENT_ACCOUNT}`;
    const probe = await fetch(`http://127.0.0.1:${options.port}/${DEVELOPMENT_ACCOUNT}/Tables`).catch(
      () => undefined,
    );
    if (!probe?.headers.get("server")?.startsWith("Azurite")) {
      throw new Error(
        `Port ${options.port} is in use by something other than Azurite. Set AZURITE_TABLE_PORT to a free port.`,
      );
    }
    return {
      tableEndpoint,
      blobEndpoint,
      blobPort,
      connectionString: developmentConnectionString(tableEndpoint, blobEndpoint),
      port: options.port,
      close: async () => {},
    };
  }
}
