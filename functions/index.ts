import { app } from "@azure/functions";
import { createMessagesHandler } from "./messagesHandler.js";
import { productionRuntime } from "./productionRuntime.js";
import { createReviewsTimerHandler, REVIEWS_SCHEDULE } from "./reviewsTimer.js";

// Azure Functions v4 entry point: each registration is a line; the work is in bot/ and store/.
// The settings are checked here, as the instance starts: a missing one stops the host, every problem listed.
const runtime = productionRuntime();

app.http("messages", {
  methods: ["POST"],
  authLevel: "anonymous", // the Bot Framework token is checked by the adapter on every request
  route: "messages",
  handler: createMessagesHandler(runtime),
});

app.timer("reviews", {
  schedule: REVIEWS_SCHEDULE,
  handler: createReviewsTimerHandler(runtime),
});
