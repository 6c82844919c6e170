import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Runs a command-line entry point when its file is the one started (`tsx functions/x.ts`), not when imported by
 * a test: its exit code becomes the process's, and an unexpected error is said in one line, never a stack trace.
 */
export function runWhenStarted(moduleUrl: string, main: () => Promise<number>, failure: string): void {
  if (!process.argv[1] || resolve(process.argv[1]) !== fileURLToPath(moduleUrl)) return;
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`${failure}: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
