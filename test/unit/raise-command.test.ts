import { describe, expect, it } from "vitest";
import { normaliseText } from "../../bot/commands.js";
import { ISSUE_TYPE_WORDS, parseRaise, RAISE_USAGE, type RaiseRequest } from "../../bot/raiseCommand.js";

/** As the bot reads a message: normalise it, check the first word is raise, and parse the rest. */
function parse(typed: string) {
  const text = normaliseText(typed);
  if (!/^raise(?:\s|$)/i.test(text)) throw new Error(`not a raise command: ${text}`);
  return parseRaise(text.slice("raise".length));
}

function request(typed: string): RaiseRequest {
  const result = parse(typed);
  if (!result.ok) throw new Error(`expected a request from "${typed}", got: ${result.problem}`);
  return result.request;
}

function problem(typed: string): string {
  const result = parse(typed);
  if (result.ok)
    throw new Error(`expected a problem from "${typed}", got: ${JSON.stringify(result.request)}`);
  return result.problem;
}

const plain = { type: "request", careImpacting: false, workaround: false } as const;

describe("raise: flags", () => {
  it("takes a plain description as a request with no priority, site or flags", () => {
    expect(request("raise eMAR not loading on the tablets")).toEqual({
      ...plain,
      description: "eMAR not loading on the tablets",
    });
  });

  it.each(ISSUE_TYPE_WORDS)("reads the type %s", (type) => {
    expect(request(`raise ${type} rota not showing night shifts`)).toEqual({
      ...plain,
      type,
      description: "rota not showing night shifts",
    });
  });

  it.each(["P1", "P2", "P3", "P4"] as const)("reads the priority %s, in either case", (priority) => {
    expect(request(`raise ${priority} eMAR down`)).toEqual({ ...plain, priority, description: "eMAR down" });
    expect(request(`raise ${priority.toLowerCase()} eMAR down`)).toMatchObject({ priority });
  });

  it("reads care and workaround", () => {
    expect(request("raise care eMAR down")).toEqual({
      ...plain,
      careImpacting: true,
      description: "eMAR down",
    });
    expect(request("raise workaround eMAR down")).toEqual({
      ...plain,
      workaround: true,
      description: "eMAR down",
    });
  });

  it("reads every flag together, in any order and any case", () => {
    const expected: RaiseRequest = {
      type: "system",
      priority: "P2",
      careImpacting: true,
      workaround: true,
      site: "Oak House",
      description: "eMAR not loading on the tablets",
    };
    for (const typed of [
      "raise system P2 care workaround site: Oak House; eMAR not loading on the tablets",
      "raise workaround site: Oak House; care P2 system eMAR not loading on the tablets",
      "raise site: Oak House; P2 workaround system care eMAR not loading on the tablets",
      "RAISE SYSTEM p2 Care WORKAROUND Site: Oak House; eMAR not loading on the tablets",
      "Raise care System WorkAround P2 SITE:Oak House;eMAR not loading on the tablets",
    ]) {
      expect(request(typed), typed).toEqual(expected);
    }
  });

  it("accepts a comma after a flag and a colon that ends the flags", () => {
    expect(request("raise system, P2, care, eMAR down")).toEqual({
      ...plain,
      type: "system",
      priority: "P2",
      careImpacting: true,
      description: "eMAR down",
    });
    expect(request("raise P3: care plans not syncing")).toEqual({
      ...plain,
      priority: "P3",
      description: "care plans not syncing",
    });
  });

  it("starts the description at the first word that is not a flag", () => {
    expect(request("raise P2 systems are slow care is fine")).toEqual({
      ...plain,
      priority: "P2",
      description: "systems are slow care is fine",
    });
    // A second care is the start of the description.
    expect(request("raise care care home lost power")).toEqual({
      ...plain,
      careImpacting: true,
      description: "care home lost power",
    });
    expect(request("raise P2 eMAR down site: Oak House")).toEqual({
      ...plain,
      priority: "P2",
      description: "eMAR down site: Oak House",
    });
  });
});

describe("raise: a description that starts with a flag word", () => {
  it("drops one leading -, – or : so the words are kept", () => {
    expect(request("raise P3 - care plans not syncing")).toEqual({
      ...plain,
      priority: "P3",
      description: "care plans not syncing",
    });
    expect(request("raise – system is slow")).toEqual({ ...plain, description: "system is slow" });
    expect(request("raise care : P1 rota missing")).toEqual({
      ...plain,
      careImpacting: true,
      description: "P1 rota missing",
    });
    expect(request("raise -workaround is paper MAR")).toEqual({
      ...plain,
      description: "workaround is paper MAR",
    });
    expect(request("raise P3 - - dashes kept")).toMatchObject({ description: "- dashes kept" });
  });
});

describe("raise: spacing and Teams markup", () => {
  it("reads the same with a leading slash, tabs, double spaces and markup", () => {
    const expected = {
      ...plain,
      type: "access",
      priority: "P1",
      careImpacting: true,
      description: "login fails",
    };
    expect(request("/raise access P1 care login fails")).toEqual(expected);
    expect(request("  raise\taccess  P1\t\tcare   login fails  ")).toEqual(expected);
    expect(request("<p>raise access&nbsp;P1 <b>care</b> login fails</p>")).toEqual(expected);
    expect(parseRaise("\taccess  P1\t care \tlogin fails ")).toEqual({ ok: true, request: expected });
  });

  it("keeps what is left of another person's mention in the description", () => {
    expect(request("raise P2 <at>Grace Mensah</at> cannot log in to the rota")).toEqual({
      ...plain,
      priority: "P2",
      description: "@ cannot log in to the rota",
    });
    expect(request("raise coaching night staff need help with eMAR, ask <at>Grace</at>")).toEqual({
      ...plain,
      type: "coaching",
      description: "night staff need help with eMAR, ask @",
    });
  });
});

describe("raise: the site", () => {
  it("reads the site up to the semicolon, with or without a space after the colon", () => {
    expect(request("raise site: Oak House; eMAR down")).toMatchObject({
      site: "Oak House",
      description: "eMAR down",
    });
    expect(request("raise site:Oak House;eMAR down")).toMatchObject({
      site: "Oak House",
      description: "eMAR down",
    });
    expect(request("raise site :  Oak   House ; eMAR down")).toMatchObject({ site: "Oak House" });
  });

  it("asks for a semicolon after the site's name", () => {
    const text = problem("raise P2 site: Oak House eMAR down");
    expect(text).toMatch(/semicolon/);
    expect(text).toContain("site: Oak House;");
  });

  it("refuses an empty site", () => {
    expect(problem("raise site: ; hello")).toMatch(/site's name/);
    expect(problem("raise site:; hello")).toMatch(/site's name/);
  });

  it("refuses a site name that is too long, naming the limit", () => {
    expect(problem(`raise site: ${"x".repeat(81)}; eMAR down`)).toMatch(/at most 80 characters/);
    expect(request(`raise site: ${"x".repeat(80)}; eMAR down`)).toMatchObject({ site: "x".repeat(80) });
  });

  it("refuses two sites", () => {
    expect(problem("raise site: Oak House; site: Elm Court; eMAR down")).toMatch(/one site/);
  });
});

describe("raise: what is refused", () => {
  it("shows the usage and an example when nothing follows raise", () => {
    for (const typed of ["raise", "/raise  ", "<p>Raise</p>&nbsp;"]) {
      const text = problem(typed);
      expect(text).toContain(RAISE_USAGE);
      expect(text).toContain("raise system P2 care site: Oak House; eMAR not loading on the tablets");
    }
  });

  it("asks for a description in words", () => {
    expect(problem("raise ???")).toMatch(/^Describe what happened in words, e\.g\. raise /);
    expect(problem("raise P2 care 42")).toMatch(/in words/);
    expect(problem("raise P2 - !")).toMatch(/in words/);
    expect(problem("raise P2 care")).toMatch(/^Say what happened, e\.g\. raise /);
    expect(problem("raise P2 care -")).toMatch(/^Say what happened/);
    expect(request("raise P2 ok")).toMatchObject({ description: "ok" });
  });

  it("refuses a description that is too long, naming the limit", () => {
    expect(problem(`raise P2 ${"a".repeat(1_001)}`)).toMatch(/at most 1,000 characters; yours has 1,001/);
    expect(request(`raise P2 ${"a".repeat(1_000)}`).description).toHaveLength(1_000);
  });

  it("refuses a priority other than P1 to P4", () => {
    for (const typed of ["raise P9 x", "raise P5 eMAR down", "raise p0 eMAR down", "raise P12 eMAR down"]) {
      expect(problem(typed), typed).toMatch(/is not a priority\. Use P1, P2, P3 or P4/);
    }
    expect(problem("raise P9 x")).toContain('"P9"');
  });

  it("refuses two priorities or two types", () => {
    expect(problem("raise P1 P2 broken tablets")).toBe(
      'Give one priority, not two: you wrote "P1" and "P2". Use P1, P2, P3 or P4 (P1 is the most urgent).',
    );
    expect(problem("raise p3 care P3 broken tablets")).toMatch(/^Give one priority.*"P3" twice/);
    expect(problem("raise system risk broken tablets")).toMatch(/^Give one type.*"system" and "risk"/);
    expect(problem("raise Access ACCESS broken tablets")).toMatch(/^Give one type.*"access" twice/);
  });

  it("words every problem plainly, without code or stack traces", () => {
    for (const typed of [
      "raise",
      "raise ???",
      "raise P9 x",
      "raise P1 P2 broken tablets",
      "raise system risk x",
      "raise site: ; hello",
      "raise site: Oak House",
      `raise site: ${"x".repeat(81)}; y`,
      `raise ${"a".repeat(1_001)}`,
    ]) {
      const text = problem(typed);
      expect(text.length, typed).toBeLessThan(220);
      expect(text, typed).not.toMatch(/Error|at \w+ \(|undefined|\bnull\b|ZodError/);
      expect(text, typed).toMatch(/\.$/);
    }
  });
});
