import type { InvocationContext, Timer } from "@azure/functions";
import { runScheduledReviews } from "../bot/reviews.js";
import { withInvocation } from "./functionsLogger.js";
import type { Runtime } from "./runtime.js";

/** Every 15 minutes: the reviews due now in each project's own time zone. */
export const REVIEWS_SCHEDULE = "0 */15 * * * *";

/**
 * The timer's handler. Azure timers fire at least once and are not retried on failure: each run does what is
 * due now (a missed tick is caught up by the next), and a period already posted is never posted again.
 */
export function createReviewsTimerHandler(
  runtime: () => Promise<Runtime>,
  clock: () => Date = () => new Date(),
) {
  return (timer: Timer, context: InvocationContext): Promise<void> =>
    withInvocation(context, async () => {
      const totals = await runScheduledReviews((await runtime()).reviews, clock());
      context.log(
        `scheduled reviews: ${totals.projects} projects, ${totals.digests} digests, ${totals.stabilisationReviews} stabilisation reviews, ${totals.reminders} reminders, ${totals.failures} failures${timer.isPastDue ? " (tick was late)" : ""}`,
      );
      if (totals.failures > 0)
        context.warn(`${totals.failures} project reviews failed; the next tick tries again`);
    });
}
