/**
 * What the bot writes to the host's log. Properties must never hold the text a person typed (it may describe a
 * person who receives care): ids, kinds and counts only.
 */
export interface Logger {
  info(message: string, properties?: Record<string, unknown>): void;
  warn(message: string, properties?: Record<string, unknown>): void;
  error(message: string, properties?: Record<string, unknown>): void;
}

export function consoleLogger(minimum: "info" | "warn" | "error" = "info"): Logger {
  const order = { info: 0, warn: 1, error: 2 } as const;
  const write = (level: keyof typeof order) => (message: string, properties?: Record<string, unknown>) => {
    if (order[level] < order[minimum]) return;
    const line = JSON.stringify({ level, message, ...properties, at: new Date().toISOString() });
    if (level === "info") console.log(line);
    else console.error(line);
  };
  return { info: write("info"), warn: write("warn"), error: write("error") };
}

export function errorProperties(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    const cause =
      error.cause instanceof Error ? { cause: `${error.cause.name}: ${error.cause.message}` } : {};
    return { error: `${error.name}: ${error.message}`, ...cause };
  }
  return { error: String(error) };
}
