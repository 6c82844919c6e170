import { AsyncLocalStorage } from "node:async_hooks";
import type { InvocationContext } from "@azure/functions";
import { consoleLogger, type Logger } from "../bot/logger.js";

interface Invocation {
  context: InvocationContext;
  /** The Bot Framework activity id of the request, or the invocation id for a timer. */
  correlationId: string;
}

const current = new AsyncLocalStorage<Invocation>();

/**
 * Runs one invocation with its logging context: everything the bot logs meanwhile goes through the invocation
 * (so Application Insights files it under the invocation's operation) and carries the correlation id.
 */
export function withInvocation<T>(
  context: InvocationContext,
  correlationId: string | undefined,
  work: () => Promise<T>,
): Promise<T> {
  return current.run({ context, correlationId: correlationId ?? context.invocationId }, work);
}

/**
 * The Function App's logger. Each line is one JSON object (level, message, correlationId, the properties) so it
 * can be queried in Application Insights by activity id (`traces | where message has "<activity id>"`). Like
 * every logger here it is given ids, kinds and counts, never the text a person typed.
 */
export function functionsLogger(minimum: "info" | "warn" | "error" = "info"): Logger {
  const order = { info: 0, warn: 1, error: 2 } as const;
  const outside = consoleLogger(minimum);
  const write = (level: keyof typeof order) => (message: string, properties?: Record<string, unknown>) => {
    const invocation = current.getStore();
    if (!invocation) {
      outside[level](message, properties);
      return;
    }
    if (order[level] < order[minimum]) return;
    const line = JSON.stringify({ level, message, correlationId: invocation.correlationId, ...properties });
    if (level === "info") invocation.context.log(line);
    else if (level === "warn") invocation.context.warn(line);
    else invocation.context.error(line);
  };
  return { info: write("info"), warn: write("warn"), error: write("error") };
}
