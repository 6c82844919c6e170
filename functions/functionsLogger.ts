import { AsyncLocalStorage } from "node:async_hooks";
import type { InvocationContext } from "@azure/functions";
import { consoleLine, type Logger, type LogLevel, lineLogger } from "../bot/logger.js";

interface Invocation {
  context: InvocationContext;
  /** The Bot Framework activity id of the request once known, else the invocation id (always, for a timer). */
  correlationId: string;
}

const current = new AsyncLocalStorage<Invocation>();

/**
 * Runs one invocation with its logging context: everything the bot logs meanwhile goes through the invocation
 * (so Application Insights files it under the invocation's operation) and carries the correlation id.
 */
export function withInvocation<T>(context: InvocationContext, work: () => Promise<T>): Promise<T> {
  return current.run({ context, correlationId: context.invocationId }, work);
}

/** From now on, the current invocation's lines carry this id (the activity's, once its body is read). */
export function correlateWith(correlationId: string | undefined): void {
  const invocation = current.getStore();
  if (invocation && correlationId) invocation.correlationId = correlationId;
}

/**
 * The Function App's logger. Each line is one JSON object (level, message, correlationId, the properties) so it
 * can be queried in Application Insights by activity id (`traces | where message has "<activity id>"`). Like
 * every logger here it is given ids, kinds and counts, never the text a person typed.
 */
export function functionsLogger(minimum: LogLevel = "info"): Logger {
  return lineLogger(minimum, (level, fields) => {
    const invocation = current.getStore();
    if (!invocation) return consoleLine(level, fields);
    const line = JSON.stringify({ ...fields, correlationId: invocation.correlationId });
    if (level === "info") invocation.context.log(line);
    else if (level === "warn") invocation.context.warn(line);
    else invocation.context.error(line);
  });
}
