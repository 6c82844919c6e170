import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import { processBotRequest } from "../bot/http.js";
import { correlateWith, withInvocation } from "./functionsLogger.js";
import type { Runtime } from "./runtime.js";

/**
 * `/api/messages` as an Azure Functions HTTP handler: translate the request, let the bot process it, translate
 * the answer. The runtime is created on first use and shared by later invocations on the same instance.
 */
export function createMessagesHandler(getRuntime: () => Promise<Runtime>) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const body = await request.text();
    return withInvocation(context, async () => {
      let runtime: Runtime;
      try {
        runtime = await getRuntime();
      } catch (error) {
        // Storage unreachable or refused: say so in the host's log, never to the caller.
        context.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
        return { status: 503, jsonBody: { error: "The bot is not available. See the host's log." } };
      }
      const response = await processBotRequest(
        runtime.bot,
        { method: request.method, headers: Object.fromEntries(request.headers.entries()), body },
        { onActivity: correlateWith },
      );
      return { status: response.status, headers: response.headers, body: response.body };
    });
  };
}
