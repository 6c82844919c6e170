import { app } from "@azure/functions";
import { createMessagesHandler } from "./messagesHandler.js";
import { productionRuntime } from "./productionRuntime.js";
import { createReviewsTimerHandler, REVIEWS_SCHEDULE } from "./reviewsTimer.js";

// Azure Functions v4 entry point: each registration is a line; the work is in bot/ and store/.
app.http("messages", {
  methods: ["POST"],
  authLevel: "anonymous", // the Bot Framework token is checked by the adapter on every request
  route: "messages",
  handler: createMessagesHandler(() => productionRuntime()),
});

app.timer("reviews", {
  schedule: REVIEWS_SCHEDULE,
  handler: createReviewsTimerHandler(() => productionRuntime()),
});
