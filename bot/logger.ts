/**
 * What the bot writes to the host's log. Properties must never hold the text a person typed (it may describe a
 * person who receives care): ids, kinds and counts only.
 */
export interface Logger {
  info(message: string, properties?: Record<string, unknown>): void;
  warn(message: string, properties?: Record<string, unknown>): void;
  error(message: string, properties?: Record<string, unknown>): void;
}

export type LogLevel = "info" | "warn" | "error";

/**
 * A logger writing one JSON object per line ({ level, message, …properties }) to `write`, from `minimum` up.
 * Hosts differ only in where the line goes and what it adds (a time, a correlation id).
 */
export function lineLogger(
  minimum: LogLevel,
  write: (level: LogLevel, fields: Record<string, unknown>) => void,
): Logger {
  const order = { info: 0, warn: 1, error: 2 } as const;
  const at = (level: LogLevel) => (message: string, properties?: Record<string, unknown>) => {
    if (order[level] >= order[minimum]) write(level, { level, message, ...properties });
  };
  return { info: at("info"), warn: at("warn"), error: at("error") };
}

/** Writes one log line to the console, with the time: info to stdout, warnings and errors to stderr. */
export function consoleLine(level: LogLevel, fields: Record<string, unknown>): void {
  const line = JSON.stringify({ ...fields, at: new Date().toISOString() });
  if (level === "info") console.log(line);
  else console.error(line);
}

export function consoleLogger(minimum: LogLevel = "info"): Logger {
  return lineLogger(minimum, consoleLine);
}

export function errorProperties(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    const cause =
      error.cause instanceof Error ? { cause: `${error.cause.name}: ${error.cause.message}` } : {};
    return { error: `${error.name}: ${error.message}`, ...cause };
  }
  return { error: String(error) };
}
