import type { Project } from "./project.js";

/**
 * When scheduled reviews are due, in the project's own time zone. Periods are local calendar dates, so a change
 * of the clocks neither skips nor doubles a morning: the digest for a date is due from its digest time until the
 * next date's, whatever the UTC offset did in between.
 */

const localFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A formatter giving an instant's local date and time, to the second, as numeric parts (never formatted text,
 * which locale data changes). Built once per zone: building one costs far more than using it, and a replay of a
 * long log asks thousands of times.
 */
export function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let format = localFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    if (localFormats.size < 1_000) localFormats.set(timeZone, format);
  }
  return format;
}
/** From 1972 every zone's offset is whole minutes (Liberia was the last with seconds). */
const WHOLE_MINUTE_OFFSETS_FROM = Date.UTC(1972, 1, 1);
const lastMinute = new Map<string, { minute: number; value: { date: string; time: string } }>();

/** The local date and wall-clock time of an instant in a time zone. */
export function localNow(now: Date, timeZone: string): { date: string; time: string } {
  const format = zoneFormatter(timeZone);
  // Many instants of one minute are asked in a row (a replay of a long log): the last minute's answer is kept.
  // (Not before 1972: some zones' offsets then had seconds, so a UTC minute was not a local one.)
  const minute = now.getTime() >= WHOLE_MINUTE_OFFSETS_FROM ? Math.floor(now.getTime() / 60_000) : Number.NaN;
  const last = lastMinute.get(timeZone);
  if (last?.minute === minute) return { ...last.value };
  const parts = format.formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "00";
  const value = {
    date: `${get("year")}-${get("month")}-${get("day")}`,
    time: `${get("hour")}:${get("minute")}`,
  };
  if (lastMinute.size < 1_000 || lastMinute.has(timeZone)) lastMinute.set(timeZone, { minute, value });
  return { ...value };
}

const knownDays = new Map<string, { from: number; to: number; date: string }>();
/** Local days are never longer than 27 hours: a window kept this far inside the day is safe across any change of the clocks. */
const DAY_MARGIN_MS = 3 * 3_600_000;

/**
 * The local date of an instant, as YYYY-MM-DD. Replaying a long log asks this of every entry, so the day last
 * seen is remembered as a window of instants (kept three hours inside its midnights, where no change of the
 * clocks can move the date) and instants inside it are answered without formatting.
 */
export function localDate(now: Date, timeZone: string): string {
  const ms = now.getTime();
  const known = knownDays.get(timeZone);
  if (known && ms >= known.from && ms < known.to) return known.date;
  if (ms < WHOLE_MINUTE_OFFSETS_FROM) return localNow(now, timeZone).date;
  const { date, time } = localNow(now, timeZone);
  const elapsed = (Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))) * 60_000 + (ms % 60_000);
  const from = ms - elapsed + DAY_MARGIN_MS;
  const to = ms - elapsed + 24 * 3_600_000 - DAY_MARGIN_MS;
  if (knownDays.size < 1_000 || knownDays.has(timeZone)) {
    knownDays.set(timeZone, ms >= from && ms < to ? { from, to, date } : { from: ms, to: ms + 1, date });
  }
  return date;
}

/** A calendar date `days` away (negative for earlier). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days)).toISOString().slice(0, 10);
}

/** The phases in which the command log is worked and the daily digest runs. */
const DIGEST_PHASES = new Set(["live", "stabilisation"]);

/**
 * The period (local date) of the daily digest that is due now: today's once the digest time has passed, else
 * yesterday's — so a tick missed at 08:00 is caught up by the next one, and after a longer outage only the latest
 * morning is posted, never a pile of stale ones. Undefined when the project is not live, or the period would be
 * before it went live.
 */
export function dueDigestPeriod(project: Project, now: Date): string | undefined {
  if (!DIGEST_PHASES.has(project.phase)) return undefined;
  const { date, time } = localNow(now, project.settings.timeZone);
  // Times compare as text: both are HH:MM. A digest time inside the hour skipped in spring is simply passed.
  const period = time >= project.settings.digestTime ? date : addDays(date, -1);
  if (project.liveFrom !== undefined && period < project.liveFrom) return undefined;
  return period;
}
