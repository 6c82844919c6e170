import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A message the bot sent to Teams, as the Bot Connector API received it. */
export interface SentActivity {
  method: "POST" | "PUT";
  conversationId: string;
  replyToId?: string;
  activityId?: string;
  activity: {
    type?: string;
    text?: string;
    summary?: string;
    attachments?: Array<{ contentType: string; content: Record<string, unknown> }>;
    [key: string]: unknown;
  };
}

/** An answer scripted for one send, in place of the normal one (see `StubConnector.respondNext`). */
export interface StubResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** One send (POST/PUT of an activity) as it reached the stub, answered or not. */
export interface SendArrival {
  /** `StubConnector.now()` when the request arrived: performance.now() unless a test replaced it. */
  at: number;
  method: "POST" | "PUT";
  conversationId: string;
  status: number;
}

export interface StubMember {
  id: string;
  name: string;
  aadObjectId: string;
}

/**
 * A loopback stand-in for the Teams Bot Connector API (the service the bot posts replies to): it records every
 * activity sent, serves conversation members, and can be told to fail. Unauthenticated, like the local host.
 */
export class StubConnector {
  readonly sent: SentActivity[] = [];
  private readonly members = new Map<string, StubMember>();
  private server: Server | undefined;
  private nextId = 1;
  /** Called when the bot asks who a member is (e.g. to stop storage at that moment in a test). */
  onMemberLookup: (() => void | Promise<void>) | undefined;
  /** Status to answer every send with, to test failures; undefined answers normally. */
  failSendsWith: number | undefined;
  /** Every send attempt (POST/PUT of an activity) in order of arrival, with the status it was answered with. */
  readonly arrivals: SendArrival[] = [];
  /** The clock arrivals are stamped with; a test may swap in its fake clock. */
  now: () => number = () => performance.now();
  private readonly scripted: StubResponse[] = [];
  /** One-to-one chats the bot opened (POST /v3/conversations), in order: with whom, and the id given. */
  readonly created: Array<{ id: string; members: Array<{ id: string }>; tenantId?: string }> = [];
  url = "";

  /**
   * Answers the next sends with these, in order, before answering normally again. A 2xx answer records the send
   * as delivered (answering with `body` when given); any other status answers with that status and headers.
   */
  respondNext(...responses: StubResponse[]): void {
    this.scripted.push(...responses);
  }

  /** The scripted answers not yet used. */
  get pendingResponses(): number {
    return this.scripted.length;
  }

  addMembers(...members: StubMember[]): void {
    for (const m of members) {
      this.members.set(m.id, m);
      this.members.set(m.aadObjectId, m);
    }
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", async () => {
        const body = Buffer.concat(chunks).toString("utf8");
        // Any prefix before /v3 is accepted: a conversation may be moved to another serviceUrl path.
        const path = decodeURIComponent((req.url ?? "").split("?")[0] ?? "").replace(/^.*?(?=\/v3\/)/, "");
        const reply = (status: number, value: unknown) => {
          res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
        };
        const member = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/.exec(path);
        if (req.method === "GET" && member) {
          await this.onMemberLookup?.();
          const found = this.members.get(member[2] ?? "");
          return found
            ? reply(200, { ...found, objectId: found.aadObjectId })
            : reply(404, { error: { code: "MemberNotFoundInConversation", message: "not found" } });
        }
        if (req.method === "GET" && /^\/v3\/conversations\/[^/]+\/pagedmembers$/.test(path)) {
          return reply(200, { members: [...new Set(this.members.values())] });
        }
        if (req.method === "POST" && path === "/v3/conversations") {
          const parameters = JSON.parse(body) as { members?: Array<{ id: string }>; tenantId?: string };
          const id = `a:private-${this.created.length + 1}`;
          this.created.push({
            id,
            members: parameters.members ?? [],
            ...(parameters.tenantId ? { tenantId: parameters.tenantId } : {}),
          });
          return reply(201, { id });
        }
        const send = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
        if (send && (req.method === "POST" || req.method === "PUT")) {
          const conversationId = send[1] ?? "";
          const id = send[2];
          const scripted = this.scripted.shift();
          const status = scripted?.status ?? this.failSendsWith ?? 200;
          this.arrivals.push({ at: this.now(), method: req.method, conversationId, status });
          if (scripted && (scripted.status < 200 || scripted.status > 299)) {
            res
              .writeHead(scripted.status, { "content-type": "application/json", ...scripted.headers })
              .end(JSON.stringify(scripted.body ?? { error: { code: "Stubbed", message: "scripted" } }));
            return;
          }
          if (!scripted && this.failSendsWith)
            return reply(this.failSendsWith, { error: { code: "Stubbed", message: "failing" } });
          const activity = JSON.parse(body) as SentActivity["activity"];
          this.sent.push({
            method: req.method,
            conversationId,
            activity,
            ...(req.method === "POST" && id ? { replyToId: id } : {}),
            ...(req.method === "PUT" && id ? { activityId: id } : {}),
          });
          const answer = { id: req.method === "PUT" ? id : `stub-${this.nextId++}` };
          if (scripted) {
            res
              .writeHead(scripted.status, { "content-type": "application/json", ...scripted.headers })
              .end(JSON.stringify(scripted.body ?? answer));
            return;
          }
          return reply(200, answer);
        }
        reply(404, { error: { code: "NotFound", message: `${req.method} ${path}` } });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }

  /** Forgets what was sent and when, and any scripted answers not yet used. */
  clear(): void {
    this.sent.length = 0;
    this.arrivals.length = 0;
    this.scripted.length = 0;
  }

  /** The text of everything sent since the last clear: message text, card summaries and card text. */
  texts(): string[] {
    return this.sent.map((s) => visibleText(s.activity));
  }

  cards(): Array<Record<string, unknown>> {
    return this.sent.flatMap(
      (s) =>
        s.activity.attachments
          ?.filter((a) => a.contentType === "application/vnd.microsoft.card.adaptive")
          .map((a) => a.content) ?? [],
    );
  }
}

/** All the text a person reads on a card: every TextBlock, fact, label and button title. */
export function cardText(card: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (node && typeof node === "object") {
      const o = node as Record<string, unknown>;
      for (const key of ["text", "title", "value", "label"])
        if (typeof o[key] === "string") parts.push(o[key] as string);
      for (const v of Object.values(o)) if (typeof v === "object") walk(v);
    }
  };
  walk(card);
  return parts.join("\n");
}

/** All the text a person would read in an activity, including every card it carries. */
export function visibleText(activity: SentActivity["activity"]): string {
  return [activity.text ?? "", ...(activity.attachments ?? []).map((a) => cardText(a.content))]
    .filter((t) => t !== "")
    .join("\n");
}
