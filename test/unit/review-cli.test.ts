import { describe, expect, it } from "vitest";
import { parseReviewArguments } from "../../functions/review.js";

describe("npm run review -- daily|reminders [--project <id>] [--now <ISO time>]", () => {
  it("reads the jobs, a project and a time to replay", () => {
    expect(parseReviewArguments(["daily", "--now", "2026-11-20T08:00:00Z", "--project", "p-abc"])).toEqual({
      ok: true,
      jobs: ["daily"],
      project: "p-abc",
      now: new Date("2026-11-20T08:00:00Z"),
    });
    const both = parseReviewArguments(["daily", "reminders"]);
    expect(both.ok && both.jobs).toEqual(["daily", "reminders"]);
  });

  it("says what was wrong, and what to type, for anything else", () => {
    for (const args of [[], ["weekly"], ["daily", "--now", "yesterday"], ["daily", "--project"]]) {
      const parsed = parseReviewArguments(args);
      expect(parsed.ok).toBe(false);
      expect(parsed.ok ? "" : parsed.problem).toContain("npm run review -- daily|reminders");
    }
  });
});
