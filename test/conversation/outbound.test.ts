import { randomUUID } from "node:crypto";
import { TeamsAdapter } from "@microsoft/teams-ai";
import { MessageFactory } from "botbuilder";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ChannelUnreachableError,
  channelPoster,
  OutboundFailedError,
  OutboundLimiter,
  type OutboundSenderOptions,
  outboundSender,
  retryAfterMs,
} from "../../bot/outbound.js";
import type { RunningAzurite } from "../../store/azurite.js";
import { TableConversationReferences } from "../../store/conversationReferences.js";
import { TABLE_NAMES, tableClient } from "../../store/tables.js";
import { TENANT_ID } from "../support/fixtures.js";
import { azuriteForTests } from "../support/storage.js";
import { StubConnector } from "../support/stubConnector.js";

const BOT = { id: "28:go-live-governance-bot", name: "Go-Live Governance" };
/** A Monday morning: the fake clock is epoch milliseconds, like Date.now. */
const START = Date.UTC(2025, 0, 6, 8, 0, 0);

let azurite: RunningAzurite;
let references: TableConversationReferences;
let connector: StubConnector;
let adapter: TeamsAdapter;
let turnErrors: unknown[];

beforeAll(async () => {
  azurite = await azuriteForTests();
  references = new TableConversationReferences(
    tableClient(
      { kind: "connection-string", connectionString: azurite.connectionString },
      TABLE_NAMES.conversations,
    ),
  );
  connector = await new StubConnector().start();
  // As in bot/app.ts: empty credentials (loopback, no Authorization header) and an onTurnError that would
  // swallow any error escaping a turn — the sender must still report every failure to its caller.
  adapter = new TeamsAdapter({});
  adapter.onTurnError = async (_context, error) => {
    turnErrors.push(error);
  };
});

afterAll(async () => {
  await connector?.stop();
  await azurite?.close();
});

beforeEach(() => {
  connector.clear();
  connector.now = () => performance.now();
  connector.failSendsWith = undefined;
  turnErrors = [];
});

/** A channel the app is installed in, with its reference stored the way bot/references.ts stores it. */
async function installedChannel(): Promise<string> {
  const channelId = `19:outbound-${randomUUID()}@thread.tacv2`;
  await references.save({
    conversationKey: channelId,
    tenantId: TENANT_ID,
    reference: {
      bot: BOT,
      user: { id: "29:priya", name: "Priya Shah" },
      conversation: { id: channelId, conversationType: "channel", isGroup: true, tenantId: TENANT_ID },
      channelId: "msteams",
      locale: "en-GB",
      serviceUrl: connector.url,
    },
    installed: true,
    updatedAt: new Date(START).toISOString(),
  });
  return channelId;
}

/** A fake clock whose sleep returns at once, moving the clock on and noting the wait asked for. */
function fakeTime() {
  const time = { now: START, waits: [] as number[] };
  return {
    time,
    clock: () => time.now,
    sleep: async (ms: number) => {
      time.waits.push(ms);
      time.now += ms;
    },
  };
}

function sender(options: Partial<OutboundSenderOptions> = {}) {
  return outboundSender({ adapter, references, botAppId: "", ...options });
}

describe("the outbound sender", () => {
  it("waits out a 429's Retry-After and delivers the message exactly once", async () => {
    const channelId = await installedChannel();
    const fake = fakeTime();
    connector.now = fake.clock;
    connector.respondNext({ status: 429, headers: { "Retry-After": "1" } });

    const id = await sender({ clock: fake.clock, sleep: fake.sleep }).postToChannel(
      channelId,
      MessageFactory.text("Daily review: 3 open P1 issues"),
    );

    expect(id).toMatch(/^stub-/);
    expect(fake.time.waits).toEqual([1000]);
    expect(connector.arrivals.map((a) => a.status)).toEqual([429, 200]);
    const [first, second] = connector.arrivals;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(connector.texts()).toEqual(["Daily review: 3 open P1 issues"]);
    expect(turnErrors).toEqual([]);
  });

  it("waits a real second for Retry-After: 1 (real clock)", async () => {
    const channelId = await installedChannel();
    connector.respondNext({ status: 429, headers: { "retry-after": "1" } });

    await sender().postToChannel(channelId, MessageFactory.text("Reminder: sign-off due at 17:00"));

    const [first, second] = connector.arrivals;
    expect(connector.arrivals.map((a) => a.status)).toEqual([429, 200]);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(connector.sent).toHaveLength(1);
  });

  it("backs off with full jitter on 502s, then delivers once", async () => {
    const channelId = await installedChannel();
    const fake = fakeTime();
    connector.respondNext({ status: 502 }, { status: 502 });

    await sender({ clock: fake.clock, sleep: fake.sleep, random: () => 0.5 }).postToChannel(
      channelId,
      MessageFactory.text("Alert: eMAR down at Oak House"),
    );

    // Attempt n waits random × min(30 s, 500 ms × 2^(n-1)).
    expect(fake.time.waits).toEqual([250, 500]);
    expect(connector.arrivals.map((a) => a.status)).toEqual([502, 502, 200]);
    expect(connector.texts()).toEqual(["Alert: eMAR down at Oak House"]);
  });

  it("retries 412 and 504 too, and gives up with OutboundFailedError after maxAttempts", async () => {
    const channelId = await installedChannel();
    const fake = fakeTime();
    connector.respondNext({ status: 412 }, { status: 504 }, { status: 504 }, { status: 504 });

    const failure = await sender({ clock: fake.clock, sleep: fake.sleep, random: () => 1, maxAttempts: 3 })
      .postToChannel(channelId, MessageFactory.text("digest"))
      .catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(OutboundFailedError);
    expect(failure).toMatchObject({ status: 504, attempts: 3 });
    expect(fake.time.waits).toEqual([500, 1000]);
    expect(connector.arrivals).toHaveLength(3);
    expect(connector.sent).toEqual([]);
    // The fourth scripted answer was never asked for (beforeEach clears it).
    expect(connector.pendingResponses).toBe(1);
  });

  it("never waits beyond maxWaitMs in all", async () => {
    const channelId = await installedChannel();
    const fake = fakeTime();
    // Teams asks for two minutes: more than the budget, so the sender stops at once rather than wait.
    connector.respondNext({ status: 429, headers: { "retry-after": "120" } });
    const failure = await sender({ clock: fake.clock, sleep: fake.sleep })
      .postToChannel(channelId, MessageFactory.text("digest"))
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: "OutboundFailedError", status: 429, attempts: 1 });
    expect(fake.time.waits).toEqual([]);

    // Backoff is cut to what is left of the budget, then the sender gives up.
    connector.clear();
    connector.respondNext({ status: 502 }, { status: 502 }, { status: 502 });
    const cut = await sender({ clock: fake.clock, sleep: fake.sleep, random: () => 0.99, maxWaitMs: 700 })
      .postToChannel(channelId, MessageFactory.text("digest"))
      .catch((e: unknown) => e);
    expect(cut).toMatchObject({ name: "OutboundFailedError", status: 502, attempts: 3 });
    expect(fake.time.waits).toEqual([495, 205]);
    expect(connector.arrivals).toHaveLength(3);
  });

  it("never retries another 4xx", async () => {
    const channelId = await installedChannel();
    const fake = fakeTime();
    connector.respondNext({ status: 400, body: { error: { code: "BadArgument", message: "bad" } } });
    const failure = await sender({ clock: fake.clock, sleep: fake.sleep })
      .postToChannel(channelId, MessageFactory.text("digest"))
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OutboundFailedError);
    expect(failure).toMatchObject({ status: 400, attempts: 1 });
    expect(fake.time.waits).toEqual([]);
    expect(connector.arrivals).toHaveLength(1);
    expect(turnErrors).toEqual([]);
  });

  it("on 403 records the block once, marks the channel not installed and stops sending there", async () => {
    const channelId = await installedChannel();
    const fake = fakeTime();
    const blocked: Array<[string, string]> = [];
    const outbound = sender({
      clock: fake.clock,
      sleep: fake.sleep,
      onBlocked: async (id, detail) => {
        blocked.push([id, detail]);
      },
    });
    connector.respondNext({
      status: 403,
      body: { error: { code: "MessageWritesBlocked", message: "Thread is blocked from message writes." } },
    });

    const failure = await outbound
      .postToChannel(channelId, MessageFactory.text("Reminder"))
      .catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(ChannelUnreachableError);
    expect((failure as Error).message).not.toMatch(/MessageWritesBlocked/);
    expect(blocked).toHaveLength(1);
    expect(blocked[0]?.[0]).toBe(channelId);
    expect(blocked[0]?.[1]).toContain("MessageWritesBlocked");
    expect(connector.arrivals).toHaveLength(1);
    expect(fake.time.waits).toEqual([]);
    const stored = await references.get(channelId);
    expect(stored?.installed).toBe(false);
    expect(stored?.reference).toMatchObject({ serviceUrl: connector.url });
    expect(stored?.updatedAt).toBe(new Date(START).toISOString());

    // The next post is refused here, without asking Teams.
    await expect(outbound.postToChannel(channelId, MessageFactory.text("again"))).rejects.toBeInstanceOf(
      ChannelUnreachableError,
    );
    expect(connector.arrivals).toHaveLength(1);
    expect(blocked).toHaveLength(1);
    expect(turnErrors).toEqual([]);
  });

  it("spaces 20 concurrent posts to one thread within Teams' per-thread limits", async () => {
    const channelId = await installedChannel();
    let now = START;
    const timers: Array<{ at: number; resolve: () => void }> = [];
    const sleep = (ms: number) => new Promise<void>((resolve) => timers.push({ at: now + ms, resolve }));
    connector.now = () => now;
    const outbound = sender({ clock: () => now, sleep });

    const results: Array<PromiseSettledResult<string | undefined>> = [];
    const posts = Array.from({ length: 20 }, (_, i) =>
      outbound.postToChannel(channelId, MessageFactory.text(`digest ${i}`)).then(
        (value) => void results.push({ status: "fulfilled", value }),
        (reason: unknown) => void results.push({ status: "rejected", reason }),
      ),
    );
    // The fake clock moves on only once every unfinished post is asleep, so every send due at the current
    // time has reached the stub (and been stamped with that time) before the clock advances.
    const deadline = performance.now() + 15_000;
    while (results.length < 20) {
      if (results.length + timers.length < 20) {
        if (performance.now() > deadline) throw new Error("the posts never settled");
        await new Promise((resolve) => setTimeout(resolve, 2));
        continue;
      }
      now = Math.max(now, Math.min(...timers.map((t) => t.at)));
      for (const due of timers.filter((t) => t.at <= now)) {
        timers.splice(timers.indexOf(due), 1);
        due.resolve();
      }
    }
    await Promise.all(posts);

    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(connector.sent).toHaveLength(20);
    expect(connector.arrivals.every((a) => a.status === 200)).toBe(true);
    const times = connector.arrivals.map((a) => a.at - START).sort((a, b) => a - b);
    // 7 at once; the 8th when the first second is over; then the 2-second limit (8) sets the pace.
    expect(times).toEqual([0, 0, 0, 0, 0, 0, 0, 1000, ...Array(7).fill(2000), 3000, 4000, 4000, 4000, 4000]);
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(7);
    expect(maxInWindow(times, 2000)).toBeLessThanOrEqual(8);
    expect(new Set(connector.texts()).size).toBe(20);
  });

  it("posts a reply into the post's thread: channelId;messageid=…", async () => {
    const channelId = await installedChannel();
    const fake = fakeTime();
    await sender({ clock: fake.clock, sleep: fake.sleep }).postToChannel(
      channelId,
      MessageFactory.text("P1 alert"),
      { replyTo: "1736150400000" },
    );
    expect(connector.sent.map((s) => s.conversationId)).toEqual([`${channelId};messageid=1736150400000`]);
    expect(connector.texts()).toEqual(["P1 alert"]);
  });

  it("keeps channelPoster working for the conversation handlers", async () => {
    const channelId = await installedChannel();
    const id = await channelPoster(adapter, references, "").postToChannel(
      channelId,
      MessageFactory.text("card"),
    );
    expect(id).toMatch(/^stub-/);
    expect(connector.sent.map((s) => s.conversationId)).toEqual([channelId]);

    const missing = `19:never-installed-${randomUUID()}@thread.tacv2`;
    await expect(
      channelPoster(adapter, references, "").postToChannel(missing, MessageFactory.text("x")),
    ).rejects.toBeInstanceOf(ChannelUnreachableError);
    expect(connector.arrivals).toHaveLength(1);
  });
});

describe("the outbound limiter", () => {
  it("holds a tenant to 30 sends a second across its threads", () => {
    let now = START;
    const limiter = new OutboundLimiter(() => now);
    const slots = Array.from({ length: 40 }, (_, i) => limiter.reserve(`19:thread-${i}`, TENANT_ID) - START);
    expect(slots.filter((t) => t === 0)).toHaveLength(30);
    expect(slots.slice(30)).toEqual(Array(10).fill(1000));
    // Another tenant is not held back by this one.
    expect(limiter.reserve("19:other", "other-tenant") - START).toBe(0);
    // A thread throttled far ahead does not hold back the tenant's other threads.
    now += 5000;
    for (let i = 0; i < 60; i++) limiter.reserve("19:busy", TENANT_ID);
    expect(limiter.reserve("19:quiet", TENANT_ID)).toBeLessThan(now + 2000);
  });

  it("keeps to 60 in 30 s and 1,800 an hour on one thread", () => {
    const limiter = new OutboundLimiter(() => START);
    const slots = Array.from({ length: 1801 }, () => limiter.reserve("19:t", TENANT_ID) - START);
    expect(maxInWindow(slots, 1000)).toBeLessThanOrEqual(7);
    expect(maxInWindow(slots, 2000)).toBeLessThanOrEqual(8);
    expect(maxInWindow(slots, 30_000)).toBeLessThanOrEqual(60);
    expect(maxInWindow(slots, 3_600_000)).toBeLessThanOrEqual(1800);
    expect(slots.at(-1)).toBeGreaterThanOrEqual(3_600_000);
  });

  it("forgets idle threads and caps how many it remembers", () => {
    let now = START;
    const limiter = new OutboundLimiter(() => now, { threads: 50, tenants: 5 });
    for (let i = 0; i < 200; i++) limiter.reserve(`19:thread-${i}`, `tenant-${i % 10}`);
    expect(limiter.size.threads).toBeLessThanOrEqual(50);
    expect(limiter.size.tenants).toBeLessThanOrEqual(5);
    now += 3_600_001;
    limiter.reserve("19:later", TENANT_ID);
    expect(limiter.size).toEqual({ threads: 1, tenants: 1 });
  });
});

describe("Retry-After", () => {
  it("reads seconds and HTTP dates from either header shape", () => {
    const withGet = (value: string) => ({ response: { headers: new Headers({ "Retry-After": value }) } });
    expect(retryAfterMs(withGet("2"), START)).toBe(2000);
    expect(retryAfterMs({ response: { headers: { "Retry-After": "1.5" } } }, START)).toBe(1500);
    expect(retryAfterMs(withGet(new Date(START + 3000).toUTCString()), START)).toBe(3000);
    expect(retryAfterMs(withGet(new Date(START - 3000).toUTCString()), START)).toBe(0);
    expect(retryAfterMs({ response: { headers: {} } }, START)).toBeUndefined();
    expect(retryAfterMs(withGet("soon"), START)).toBeUndefined();
    expect(retryAfterMs(new Error("no response"), START)).toBeUndefined();
  });
});

/** The most sends in any half-open window of this length. */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] as number) - (sorted[j] as number) >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}
