import { createHash } from "node:crypto";
import { z } from "zod";
import type { BoardDecision, Condition } from "./boardDecision.js";
import type { CommandLogState } from "./commandLog.js";
import { LIMITS } from "./limits.js";
import type { ReadinessState } from "./readiness.js";
import type { ReviewRun } from "./reviewRuns.js";
import { type RoleAssignment, RoleAssignmentSchema } from "./roles.js";
import type { StabilisationState } from "./stabilisation.js";

export const PHASES = [
  "preparing",
  "readiness-review",
  "board-decision",
  "live",
  "stabilisation",
  "routine-governance",
] as const;
export const PhaseSchema = z.enum(PHASES);
export type Phase = z.infer<typeof PhaseSchema>;

export const DEFAULT_TIME_ZONE = "Europe/London";
export const DEFAULT_DIGEST_TIME = "08:00";

const knownTimeZones = new Map<string, boolean>();

export function isValidTimeZone(zone: string): boolean {
  let valid = knownTimeZones.get(zone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat("en-GB", { timeZone: zone });
      valid = true;
    } catch {
      valid = false;
    }
    // Remembered because building a formatter is slow and every stored project row is checked on read.
    if (knownTimeZones.size < 1_000) knownTimeZones.set(zone, valid);
  }
  return valid;
}

export const TimeZoneSchema = z
  .string()
  .max(64)
  .refine(isValidTimeZone, { message: "a time zone such as Europe/London" });
export const ClockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time as HH:MM, e.g. 08:00");
export const CalendarDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD")
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    {
      message: "a real calendar date",
    },
  );
export const ProjectNameSchema = z
  .string()
  .trim()
  .min(1, "a project name")
  .max(LIMITS.projectNameCharacters, `at most ${LIMITS.projectNameCharacters} characters`);
export const SiteNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(LIMITS.siteNameCharacters, `site names of at most ${LIMITS.siteNameCharacters} characters`);

/** Where a project lives in Teams. A project is bound to one team channel. */
export const ChannelBindingSchema = z.object({
  tenantId: z.string().min(1).max(100),
  teamId: z.string().max(200).optional(),
  channelId: z.string().min(1).max(200),
});
export type ChannelBinding = z.infer<typeof ChannelBindingSchema>;

export const ProjectSettingsSchema = z.object({
  goLiveDate: CalendarDateSchema.optional(),
  sites: z.array(SiteNameSchema).max(LIMITS.sitesPerProject, `at most ${LIMITS.sitesPerProject} sites`),
  timeZone: TimeZoneSchema,
  digestTime: ClockTimeSchema,
});
export type ProjectSettings = z.infer<typeof ProjectSettingsSchema>;

export const ProjectSchema = z.object({
  id: z.string().min(1).max(64),
  name: ProjectNameSchema,
  binding: ChannelBindingSchema,
  phase: PhaseSchema,
  settings: ProjectSettingsSchema,
  createdAt: z.string(),
  createdBy: z.string(),
  /** Set by a go-live decision: the date the project goes (or went) live. */
  liveFrom: CalendarDateSchema.optional(),
});
export type Project = z.infer<typeof ProjectSchema>;

export const DEFAULT_SETTINGS: ProjectSettings = {
  sites: [],
  timeZone: DEFAULT_TIME_ZONE,
  digestTime: DEFAULT_DIGEST_TIME,
};

/** What the bot knows of a project at one moment: the projected rows, read back together. */
export interface ProjectState {
  project: Project;
  roles: RoleAssignment[];
  readiness: ReadinessState;
  /** The board's go-live decisions, open and closed, oldest first. */
  decisions: BoardDecision[];
  /** Conditions of conditional approvals, tracked to closure. */
  conditions: Condition[];
  /**
   * The go-live command log's counter, targets and open high-risk issues. The issues themselves are not part of
   * this state (a project can have thousands): the store reads the ones a change or a list needs.
   */
  commandLog: CommandLogState;
  /** The scheduled reviews' latest runs (one per review), with the board's decisions on them. */
  reviews: ReviewRun[];
  /** Audits, staff confidence, risks, the SLT's decisions and the follow-up audits. */
  stabilisation: StabilisationState;
}

export { RoleAssignmentSchema };

/**
 * A project's id comes from its channel, so finding the project of an incoming activity needs no lookup table
 * and one channel can never hold two projects. The tenant is deliberately not part of the id: an activity from
 * another tenant in the same channel finds the project and is refused (and logged) instead of creating a second one.
 */
export function projectIdForChannel(channelId: string): string {
  return `p-${createHash("sha256").update(channelId).digest("hex").slice(0, 24)}`;
}
