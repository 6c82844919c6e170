import type { TeamsAdapter } from "@microsoft/teams-ai";
import type { Activity, ConversationReference, TurnContext } from "botbuilder";
import type {
  ConversationReferenceStore,
  StoredConversationReference,
} from "../store/conversationReferences.js";

/** Nothing can be posted: the app is not installed in the channel, or Teams never told us where it is. */
export class ChannelUnreachableError extends Error {
  override readonly name = "ChannelUnreachableError";
}

/** Teams kept refusing a message (throttled or failing), or refused it outright; nothing was posted. */
export class OutboundFailedError extends Error {
  override readonly name = "OutboundFailedError";
  constructor(
    /** The HTTP status of Teams' last answer. */
    readonly status: number,
    /** How many times the message was sent. */
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(
      `Teams refused the message with status ${status} after ${attempts} attempt${attempts === 1 ? "" : "s"}.`,
      options,
    );
  }
}

/**
 * Posts into a project's channel when the person is not talking there (a raise from personal chat). Uses the
 * channel's stored conversation reference; every send is awaited and a failure is reported, never dropped.
 */
export interface ChannelPoster {
  /** Starts a new post in the channel (or replies under one); returns the posted activity's id. */
  postToChannel(
    channelId: string,
    activity: Partial<Activity>,
    options?: { replyTo?: string },
  ): Promise<string | undefined>;
}

/**
 * The one way proactive posts (digests, reminders, alerts, raises from chat) leave the bot: within Teams' rate
 * limits, retried when Teams is throttling or briefly failing, and stopped when the app can no longer post.
 *
 * `postToChannel` throws `ChannelUnreachableError` when the app is not installed (or was found blocked: 403),
 * `OutboundFailedError` when Teams refused the message, or the underlying error when no HTTP answer came.
 */
export interface OutboundSender extends ChannelPoster {}

export interface OutboundSenderOptions {
  adapter: TeamsAdapter;
  references: ConversationReferenceStore;
  botAppId: string;
  /** Epoch milliseconds; Date.now by default. Also used to read a Retry-After given as an HTTP date. */
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** In [0, 1): the backoff jitter. */
  random?: () => number;
  /** Told when Teams refuses to let the bot post in a conversation (403): the caller records it. */
  onBlocked?: (channelId: string, detail: string) => Promise<void>;
  /** Sends of one message in all, first included. Default 5. */
  maxAttempts?: number;
  /** The most one message waits between retries, in all (rate-limit spacing not counted). Default 60 s. */
  maxWaitMs?: number;
  /**
   * The rate limiter to share. By default every sender built on the same adapter with the default clock
   * shares one, so a channel poster and the scheduled reviews never together exceed a thread's limits.
   */
  limiter?: OutboundLimiter;
}

interface Limit {
  windowMs: number;
  max: number;
}

/** Teams' limits per bot per conversation thread: no window of this length holds more sends than this. */
export const THREAD_LIMITS: readonly Limit[] = [
  { windowMs: 1_000, max: 7 },
  { windowMs: 2_000, max: 8 },
  { windowMs: 30_000, max: 60 },
  { windowMs: 3_600_000, max: 1_800 },
];
/** Per app per tenant Teams allows about 30–50 sends a second: stay at the low end. */
export const TENANT_LIMITS: readonly Limit[] = [{ windowMs: 1_000, max: 30 }];

const RETRIABLE = new Set([412, 429, 502, 504]);
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 30_000;

/**
 * Sliding-window send limiter, per conversation thread and per tenant. `reserve` is synchronous: it books the
 * earliest slot that keeps every window within its limit and records it at once, so concurrent senders
 * awaiting afterwards are spaced correctly. A thread's slots are handed out in order (first come, first sent);
 * a tenant's slots may interleave between threads. Memory is bounded: a thread or tenant with no send inside
 * its longest window is forgotten, and each map keeps at most `maxKeys` entries (least recently used dropped).
 */
export class OutboundLimiter {
  private readonly threads = new Map<string, number[]>();
  private readonly tenants = new Map<string, number[]>();

  constructor(
    private readonly clock: () => number = Date.now,
    private readonly maxKeys = { threads: 10_000, tenants: 1_000 },
  ) {}

  /** Books a send to `thread` (of `tenant`) at or after `notBefore`; returns the time it may go out. */
  reserve(thread: string, tenant: string, notBefore = this.clock()): number {
    const now = this.clock();
    const threadTimes = touch(this.threads, thread, now, longest(THREAD_LIMITS), this.maxKeys.threads);
    const tenantTimes = touch(this.tenants, tenant, now, longest(TENANT_LIMITS), this.maxKeys.tenants);
    // In order within the thread: never before the thread's last booked send.
    let at = Math.max(now, notBefore, threadTimes.at(-1) ?? Number.NEGATIVE_INFINITY);
    for (const { windowMs, max } of THREAD_LIMITS) {
      const oldest = threadTimes[threadTimes.length - max];
      if (oldest !== undefined) at = Math.max(at, oldest + windowMs);
    }
    at = earliestFit(tenantTimes, at, TENANT_LIMITS);
    threadTimes.push(at);
    tenantTimes.splice(upperBound(tenantTimes, at), 0, at);
    return at;
  }

  /** How many threads and tenants are remembered (for tests of the memory bound). */
  get size(): { threads: number; tenants: number } {
    return { threads: this.threads.size, tenants: this.tenants.size };
  }
}

const longest = (limits: readonly Limit[]) => Math.max(...limits.map((l) => l.windowMs));

/** The key's booked times, pruned to those still inside `horizonMs`; marks it most recently used. */
function touch(map: Map<string, number[]>, key: string, now: number, horizonMs: number, maxKeys: number) {
  const times = map.get(key) ?? [];
  map.delete(key);
  let expired = 0;
  while (expired < times.length && (times[expired] as number) <= now - horizonMs) expired++;
  if (expired > 0) times.splice(0, expired);
  // Forget idle keys from the least recently used end; stop at the first one still in use.
  for (const [k, v] of map) {
    const last = v.at(-1);
    if (last !== undefined && last > now - horizonMs) break;
    map.delete(k);
  }
  while (map.size >= Math.max(1, maxKeys)) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) break;
    map.delete(oldest);
  }
  map.set(key, times);
  return times;
}

function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The earliest time at or after `from` that can join the sorted `times` with no window over its limit. The
 * answer is `from` or the moment an earlier booking leaves a window (a booked time plus a window length).
 */
function earliestFit(times: readonly number[], from: number, limits: readonly Limit[]): number {
  if (fits(times, from, limits)) return from;
  const candidates = new Set<number>();
  for (const { windowMs } of limits)
    for (const t of times) if (t + windowMs > from) candidates.add(t + windowMs);
  for (const candidate of [...candidates].sort((a, b) => a - b)) {
    if (fits(times, candidate, limits)) return candidate;
  }
  return Math.max(from, (times.at(-1) ?? from) + longest(limits));
}

/** True when adding `t` leaves every run of max+1 consecutive sends spanning at least the window. */
function fits(times: readonly number[], t: number, limits: readonly Limit[]): boolean {
  const k = upperBound(times, t);
  const at = (i: number) => (i < k ? times[i] : i === k ? t : times[i - 1]) as number;
  const n = times.length + 1;
  for (const { windowMs, max } of limits) {
    for (let j = Math.max(0, k - max); j <= Math.min(k, n - 1 - max); j++) {
      if (at(j + max) - at(j) < windowMs) return false;
    }
  }
  return true;
}

/** One limiter per adapter (per bot) for senders on the real clock. */
const sharedLimiters = new WeakMap<object, OutboundLimiter>();

function sharedLimiter(adapter: object): OutboundLimiter {
  let limiter = sharedLimiters.get(adapter);
  if (!limiter) {
    limiter = new OutboundLimiter();
    sharedLimiters.set(adapter, limiter);
  }
  return limiter;
}

export function outboundSender(options: OutboundSenderOptions): OutboundSender {
  const { adapter, references, botAppId, onBlocked } = options;
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const maxWaitMs = Math.max(0, options.maxWaitMs ?? 60_000);
  const limiter = options.limiter ?? (options.clock ? new OutboundLimiter(clock) : sharedLimiter(adapter));

  /** One send, in its own proactive turn. The error is caught inside so the adapter's onTurnError never eats it. */
  async function sendOnce(
    target: Partial<ConversationReference>,
    activity: Partial<Activity>,
  ): Promise<{ ok: true; id: string | undefined } | { ok: false; error: unknown }> {
    let outcome: { ok: true; id: string | undefined } | { ok: false; error: unknown } | undefined;
    await adapter.continueConversationAsync(botAppId, target, async (context) => {
      try {
        withoutBuiltInRetries(context);
        outcome = { ok: true, id: (await context.sendActivity(activity))?.id };
      } catch (error) {
        outcome = { ok: false, error };
      }
    });
    if (!outcome) throw new Error("The adapter did not run the proactive send.");
    return outcome;
  }

  /** Records that the app can no longer post here: tells the caller and marks the stored reference. */
  async function blocked(stored: StoredConversationReference, channelId: string, detail: string) {
    const results = await Promise.allSettled([
      onBlocked?.(channelId, detail),
      (async () => {
        const latest = await references.get(channelId);
        // A reference written since this send began (a reinstall) is newer news than this refusal.
        if (latest?.installed && latest.updatedAt === stored.updatedAt) {
          await references.save({ ...latest, installed: false, updatedAt: new Date(clock()).toISOString() });
        }
      })(),
    ]);
    for (const r of results) if (r.status === "rejected") throw r.reason;
  }

  return {
    async postToChannel(channelId, activity, options = {}) {
      const stored = await references.get(channelId);
      if (!stored?.installed) {
        throw new ChannelUnreachableError("The app is not installed in the project's channel.");
      }
      const reference = stored.reference as Partial<ConversationReference>;
      // A reply goes into the post's thread: Teams names a thread by the channel id and the post's message id.
      const thread = options.replyTo ? `${channelId};messageid=${options.replyTo}` : channelId;
      const target: Partial<ConversationReference> = options.replyTo
        ? {
            ...reference,
            conversation: { ...reference.conversation, id: thread } as ConversationReference["conversation"],
          }
        : reference;
      const tenant = stored.tenantId || reference.conversation?.tenantId || "";

      let waited = 0;
      let notBefore = clock();
      for (let attempt = 1; ; attempt++) {
        // Booked synchronously, then awaited: concurrent posts to one thread each get their own slot.
        const delay = limiter.reserve(thread, tenant, notBefore) - clock();
        if (delay > 0) await sleep(delay);
        const outcome = await sendOnce(target, activity);
        if (outcome.ok) return outcome.id;

        const { error } = outcome;
        const status = statusOf(error);
        if (status === undefined) throw error;
        if (status === 403) {
          await blocked(stored, channelId, detailOf(error));
          throw new ChannelUnreachableError("Teams does not let the app post in the project's channel.", {
            cause: error,
          });
        }
        if (!RETRIABLE.has(status) || attempt >= maxAttempts) {
          throw new OutboundFailedError(status, attempt, { cause: error });
        }
        const remaining = maxWaitMs - waited;
        const retryAfter = retryAfterMs(error, clock());
        let wait: number;
        if (retryAfter !== undefined) {
          // Retrying sooner than Teams asked is pointless: give up if the wait is beyond what is left.
          if (retryAfter > remaining) throw new OutboundFailedError(status, attempt, { cause: error });
          wait = retryAfter;
        } else {
          if (remaining <= 0) throw new OutboundFailedError(status, attempt, { cause: error });
          // Exponential backoff with full jitter.
          const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
          wait = Math.min(remaining, Math.floor(random() * ceiling));
        }
        waited += wait;
        notBefore = clock() + wait;
      }
    },
  };
}

/**
 * The channel poster the conversation handlers use: an outbound sender with a shorter retry budget, because a
 * person is waiting for the answer (a card action must be answered within seconds).
 */
export function channelPoster(
  adapter: TeamsAdapter,
  references: ConversationReferenceStore,
  botAppId: string,
  options: Partial<Omit<OutboundSenderOptions, "adapter" | "references" | "botAppId">> = {},
): ChannelPoster {
  return outboundSender({ maxWaitMs: 5_000, ...options, adapter, references, botAppId });
}

/**
 * The Bot Connector client retries 429 and 5xx itself (three times, ignoring the thread's limits and this
 * sender's budget); this sender does the retrying, so the client's own retry policy is taken out. The client is
 * made afresh for each proactive turn, so this touches no other send.
 */
function withoutBuiltInRetries(context: TurnContext): void {
  const client = context.turnState.get(context.adapter.ConnectorClientKey) as
    | { client?: { pipeline?: PipelineLike } }
    | undefined;
  const pipeline = client?.client?.pipeline;
  if (!pipeline?.getOrderedPolicies || !pipeline.removePolicy) return;
  for (const policy of pipeline.getOrderedPolicies()) {
    if (/retry/i.test(policy.name)) pipeline.removePolicy({ name: policy.name });
  }
}

interface PipelineLike {
  getOrderedPolicies?(): Array<{ name: string }>;
  removePolicy?(options: { name: string }): unknown;
}

interface HttpErrorLike {
  statusCode?: unknown;
  status?: unknown;
  code?: unknown;
  message?: unknown;
  response?: { status?: unknown; headers?: unknown };
}

/** The HTTP status of a failed send: botframework-connector throws a RestError carrying `statusCode`. */
export function statusOf(error: unknown): number | undefined {
  if (!error || typeof error !== "object") return undefined;
  const e = error as HttpErrorLike;
  for (const value of [e.statusCode, e.response?.status, e.status]) {
    if (typeof value === "number" && value >= 100 && value <= 599) return value;
  }
  return undefined;
}

/** Retry-After in ms (delta-seconds or an HTTP date), read from core-rest-pipeline or plain-object headers. */
export function retryAfterMs(error: unknown, now: number): number | undefined {
  const headers = (error as HttpErrorLike | undefined)?.response?.headers;
  let value: unknown;
  if (headers && typeof headers === "object") {
    const h = headers as { get?: (name: string) => unknown } & Record<string, unknown>;
    if (typeof h.get === "function") value = h.get("retry-after");
    else {
      const key = Object.keys(h).find((k) => k.toLowerCase() === "retry-after");
      value = key === undefined ? undefined : h[key];
    }
  }
  if (Array.isArray(value)) value = value[0];
  if (typeof value !== "string" && typeof value !== "number") return undefined;
  const text = String(value).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** What Teams said when it refused: its error code and message, short. */
function detailOf(error: unknown): string {
  const e = error as HttpErrorLike;
  const code = typeof e.code === "string" ? e.code : "Forbidden";
  const message = typeof e.message === "string" ? e.message : "";
  return `${statusOf(error) ?? ""} ${code}${message ? `: ${message}` : ""}`.trim().slice(0, 300);
}
