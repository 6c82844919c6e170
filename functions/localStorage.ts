import {
  DEVELOPMENT_ACCOUNT,
  developmentConnectionString,
  type RunningAzurite,
  startAzurite,
} from "../store/azurite.js";

/**
 * The local store: Azurite on a fixed port with its data in a folder of the checkout. If it is already running
 * (the local host is up while the demo loads), the running one is used and left running.
 */
export async function openLocalStorage(options: { dataDir: string; port: number }): Promise<RunningAzurite> {
  try {
    return await startAzurite({ location: options.dataDir, port: options.port });
  } catch (error) {
    if ((error as { code?: string }).code !== "EADDRINUSE" || options.port === 0) throw error;
    const tableEndpoint = `http://127.0.0.1:${options.port}/${DEVELOPMENT_ACCOUNT}`;
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
      connectionString: developmentConnectionString(tableEndpoint),
      port: options.port,
      close: async () => {},
    };
  }
}
