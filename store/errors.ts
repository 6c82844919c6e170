/** Typed failures of the store, so the bot can tell a person the truth about what happened. */

/** Storage could not be reached or failed; the change was not recorded. */
export class StoreUnavailableError extends Error {
  override readonly name = "StoreUnavailableError";
  /** True when storage went away after the change was sent: whether it was applied could not be confirmed. */
  readonly whileRecording: boolean;
  constructor(message: string, options?: { cause?: unknown; whileRecording?: boolean }) {
    super(message, options);
    this.whileRecording = options?.whileRecording ?? false;
  }
}

/** Too many people changed the same project at once; the change was not recorded and may be tried again. */
export class StoreBusyError extends Error {
  override readonly name = "StoreBusyError";
}

/** A change larger than one Table Storage transaction can hold; refused before anything was written. */
export class ChangeTooLargeError extends Error {
  override readonly name = "ChangeTooLargeError";
}

interface RestErrorLike {
  statusCode?: number;
  code?: string;
  message?: string;
}

export function statusOf(error: unknown): number | undefined {
  return typeof error === "object" && error !== null ? (error as RestErrorLike).statusCode : undefined;
}

/** Which operation of an entity-group transaction failed: Table Storage prefixes the message with its index. */
export function failedOperationIndex(error: unknown): number | undefined {
  const message = typeof error === "object" && error !== null ? (error as RestErrorLike).message : undefined;
  const match = /^(\d+):/.exec(message ?? "");
  return match ? Number(match[1]) : undefined;
}

/**
 * Turns anything that is not a definite answer from storage (refused connection, reset, timeout, 5xx) into a
 * StoreUnavailableError; definite answers (4xx) are left to the caller.
 */
export function asStoreError(error: unknown): unknown {
  const status = statusOf(error);
  if (status !== undefined && status < 500) return error;
  if (error instanceof StoreUnavailableError) return error;
  return new StoreUnavailableError("The governance log could not be reached.", { cause: error });
}
