import type { Request, Response } from "botbuilder";
import { z } from "zod";
import type { GovernanceBot } from "./app.js";

/** An HTTP request as any host sees it: the local node:http server, the Functions trigger, a test. */
export interface BotHttpRequest {
  method: string;
  headers: Record<string, string | undefined>;
  body: string;
}

export interface BotHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Large enough for any Teams activity with a card submission; anything bigger is refused unread. */
export const MAX_REQUEST_BYTES = 256 * 1024;

/** The smallest shape an activity must have before the bot looks at it. */
const ActivityEnvelopeSchema = z
  .object({
    type: z.string().min(1).max(100),
    serviceUrl: z.string().url().max(500).optional(),
    conversation: z.object({ id: z.string().min(1).max(500) }).passthrough(),
  })
  .passthrough();

function json(status: number, value: unknown): BotHttpResponse {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify(value) };
}

/**
 * Runs one `/api/messages` request through the Teams adapter: checks the body is an activity (400 otherwise,
 * with nothing stored), then lets the adapter authenticate it (in production) and run the bot. Hosts stay a few
 * lines: they only translate their request and response types to these.
 */
export async function processBotRequest(
  bot: GovernanceBot,
  request: BotHttpRequest,
  options: {
    /** Told the activity's id once the body is known to be an activity, before anything else (e.g. for logs). */
    onActivity?: (activityId: string | undefined) => void;
  } = {},
): Promise<BotHttpResponse> {
  if (request.method !== "POST") return json(405, { error: "Use POST." });
  if (Buffer.byteLength(request.body) > MAX_REQUEST_BYTES) return json(413, { error: "Request too large." });
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body);
  } catch {
    return json(400, { error: "The request body is not valid JSON." });
  }
  const envelope = ActivityEnvelopeSchema.safeParse(parsed);
  if (!envelope.success) return json(400, { error: "The request body is not a Bot Framework activity." });
  const id = envelope.data.id;
  options.onActivity?.(typeof id === "string" && id.length > 0 && id.length <= 200 ? id : undefined);
  // No token at all: refused here, before botbuilder, which would print a stack trace to the host's log for
  // every such request (anyone on the internet can send them). Tokens that are present are checked by it.
  if (bot.requiresToken && !/^Bearer \S/i.test(request.headers.authorization ?? ""))
    return json(401, { error: "Unauthorized." });

  const response: BotHttpResponse = { status: 200, headers: {}, body: "" };
  const res: Response = {
    socket: undefined,
    status(code: number) {
      response.status = code;
      return res;
    },
    header(name: string, value: unknown) {
      response.headers[name.toLowerCase()] = String(value);
      return res;
    },
    send(body?: unknown) {
      if (body === undefined || body === null) return res;
      if (typeof body === "string") response.body = body;
      else {
        response.body = JSON.stringify(body);
        response.headers["content-type"] = "application/json";
      }
      return res;
    },
    end() {
      return res;
    },
  };
  const req: Request = { method: "POST", headers: request.headers, body: envelope.data };
  await bot.adapter.process(req, res, (context) => bot.app.run(context).then(() => undefined));
  if (response.status === 401 || response.status === 403)
    response.body = JSON.stringify({ error: "Unauthorized." });
  if (response.status >= 500)
    response.body = JSON.stringify({ error: "The bot could not process this activity." });
  return response;
}
