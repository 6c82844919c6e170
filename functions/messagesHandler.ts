import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import { processBotRequest } from "../bot/http.js";
import type { Runtime } from "./runtime.js";

/**
 * `/api/messages` as an Azure Functions HTTP handler: translate the request, let the bot process it, translate
 * the answer. The runtime is created on first use and shared by later invocations on the same instance.
 */
export function createMessagesHandler(getRuntime: () => Promise<Runtime>) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    let runtime: Runtime;
    try {
      runtime = await getRuntime();
    } catch (error) {
      // Misconfiguration: say so in the host's log, never to the caller.
      context.error(error instanceof Error ? error.message : String(error));
      return { status: 503, jsonBody: { error: "The bot is not configured. See the host's log." } };
    }
    const response = await processBotRequest(runtime.bot, {
      method: request.method,
      headers: Object.fromEntries(request.headers.entries()),
      body: await request.text(),
    });
    return { status: response.status, headers: response.headers, body: response.body };
  };
}
