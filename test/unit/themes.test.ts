import { describe, expect, it } from "vitest";
import {
  conceptsOf,
  DEFAULT_THEME_OPTIONS,
  type RepeatedTheme,
  repeatedThemes,
  type ThemeIssue,
} from "../../governance/themes.js";

/** The morning digest runs at 07:00 on Monday 10 March. */
const NOW = new Date("2025-03-10T07:00:00.000Z");
const HOUR = 3_600_000;

let next = 1;
/** An issue raised `hoursAgo` before the digest (negative: after it), as the command log summarises it. */
function raised(description: string, hoursAgo: number, theme?: string): ThemeIssue {
  const number = next++;
  return {
    id: `GL-${number}`,
    number,
    description,
    raisedAt: new Date(NOW.getTime() - hoursAgo * HOUR).toISOString(),
    ...(theme !== undefined ? { theme } : {}),
  };
}

const ids = (issues: readonly ThemeIssue[]) => issues.map((i) => i.id);

/** A seeded shuffle, so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe("repeated themes in the go-live command log (3 or more issues on one theme within 48 h)", () => {
  it("finds one medication-records theme when three team leaders word an eMAR sync problem differently", () => {
    const issues = [
      raised("eMAR not syncing on the tablet", 30),
      raised("MAR chart didn't sync after the round", 20),
      raised("medication record not updating on the iPad", 2),
    ];
    const themes = repeatedThemes(issues, NOW);
    expect(themes).toHaveLength(1);
    const [theme] = themes as [RepeatedTheme];
    expect(theme.source).toBe("text");
    // Medication records and syncing are shared by the same three issues, so they are one theme, named together.
    expect(theme.name).toBe("medication records + syncing and saving");
    expect(theme.issueIds).toEqual(ids(issues));
    // The manager sees which of their words matched.
    for (const words of [
      '"emar"',
      '"mar chart"',
      '"medication record"',
      '"syncing"',
      '"sync"',
      '"not updating"',
    ]) {
      expect(theme.because).toContain(words);
    }
    expect(theme.because).toMatch(/^the words /);
    // Tablet and iPad are on only two of the three: not a theme at 3.
    expect(theme.name).not.toContain("devices");
  });

  it("does not flag the same three eMAR issues when they are spread over five days", () => {
    const issues = [
      raised("eMAR not syncing on the tablet", 5 * 24),
      raised("MAR chart didn't sync after the round", 3 * 24),
      raised("medication record not updating on the iPad", 1),
    ];
    expect(repeatedThemes(issues, NOW)).toEqual([]);
    // No 48-hour window holds all three, whichever morning the digest runs.
    for (let day = 0; day <= 5; day++) {
      expect(repeatedThemes(issues, new Date(NOW.getTime() - day * 24 * HOUR))).toEqual([]);
    }
  });

  it("finds no theme in a broken printer, rota and handover that only share 'not working'", () => {
    const issues = [
      raised("printer not working in the office", 10),
      raised("rota not working for the weekend", 8),
      raised("handover notes not working", 6),
    ];
    expect(repeatedThemes(issues, NOW)).toEqual([]);
    expect(issues.map((i) => conceptsOf(i.description))).toEqual([
      ["printing"],
      ["rota and visits"],
      ["handover", "notes"],
    ]);
  });

  it("finds no theme in three unrelated requests made of everyday words (staff, resident, today, please help)", () => {
    const issues = [
      raised("Carer unable to sort it this morning, please help, still not working", 12),
      raised("Staff still cannot see the button today, please help asap", 9),
      raised("Resident's family asked again about the new system today - please help", 3),
    ];
    expect(repeatedThemes(issues, NOW)).toEqual([]);
  });

  it("finds a logins and access theme across 'can't log in', 'locked out of her account' and 'login fails'", () => {
    const issues = [
      raised("agency staff can't log in", 14),
      raised("locked out of her account", 7),
      raised("login fails for the bank carer", 1),
    ];
    const themes = repeatedThemes(issues, NOW);
    expect(themes).toEqual([
      {
        name: "logins and access",
        because: 'the words "log in", "locked out", "account", "login" (logins and access)',
        issueIds: ids(issues),
        source: "text",
      },
    ]);
  });

  it("reads the ways people write logging in, eMAR and wi-fi as the same concepts", () => {
    for (const text of [
      "Can't log-in",
      "logging on fails",
      "signed in but blank",
      "Logon refused",
      "forgot my password",
    ]) {
      expect(conceptsOf(text)).toContain("logins and access");
    }
    expect(conceptsOf("Couldn't open the e-MAR on the iPads, wi-fi down")).toEqual([
      "medication records",
      "devices",
      "wifi and network",
    ]);
    // "care" alone says nothing; "care plan" is a concept.
    expect(conceptsOf("care staff")).toEqual([]);
    expect(conceptsOf("care plans not showing")).toEqual(["care plans and assessments"]);
  });

  it("reports a theme the leads picked on three issues, and adds what their texts share", () => {
    const issues = [
      raised("eMAR not syncing on the tablet", 30, "eMAR sync"),
      raised("MAR chart didn't sync after the round", 20, " emar  SYNC "),
      raised("medication record not updating on the iPad", 2, "eMAR sync"),
    ];
    const themes = repeatedThemes(issues, NOW);
    // One theme, not two: the text theme covers exactly the picked theme's issues.
    expect(themes).toHaveLength(1);
    const [theme] = themes as [RepeatedTheme];
    expect(theme).toMatchObject({ name: "eMAR sync", source: "picked", issueIds: ids(issues) });
    expect(theme.because).toMatch(
      /^picked as the theme "eMAR sync" \(also written "emar SYNC"\); their texts also/,
    );
    expect(theme.because).toContain('"mar chart"');
  });

  it("reports a picked theme even when the texts share no words", () => {
    const issues = [
      raised("Printer jammed in the office", 5, "Oak House go-live"),
      raised("Wifi drops in the lounge", 4, "Oak House go-live"),
      raised("Rota blank for Saturday", 3, "Oak House go-live"),
      raised("Wifi keeps dropping upstairs", 2),
    ];
    expect(repeatedThemes(issues, NOW)).toEqual([
      {
        name: "Oak House go-live",
        because: 'picked as the theme "Oak House go-live"',
        issueIds: ids(issues.slice(0, 3)),
        source: "picked",
      },
    ]);
  });

  it("finds an unforeseen repeated word — a key fob three times — as a theme", () => {
    const issues = [
      raised("Key fob for the front door not working", 20),
      raised("Lost my key fob again", 10),
      raised("Key fobs don't open the medication room", 1),
    ];
    expect(repeatedThemes(issues, NOW)).toEqual([
      { name: "key + fob", because: 'the words "key", "fob", "fobs"', issueIds: ids(issues), source: "text" },
    ]);
  });

  it("finds a repeated place name, such as a home called Ashby, as a theme", () => {
    const issues = [
      raised("Ashby: tablets unplugged overnight", 20),
      raised("Visit to Ashby missed", 10),
      raised("No printer toner at Ashby", 1),
    ];
    const [theme] = repeatedThemes(issues, NOW);
    expect(theme).toMatchObject({ name: "ashby", because: 'the words "ashby"', source: "text" });
  });

  it("counts an issue raised exactly 48 h before the digest, but not one a moment older or one raised after it", () => {
    const texts = ["eMAR not syncing", "MAR chart didn't sync", "medication record not updating"];
    const onTheEdge = [
      raised(texts[0] as string, 48),
      raised(texts[1] as string, 24),
      raised(texts[2] as string, 0),
    ];
    expect(repeatedThemes(onTheEdge, NOW).map((t) => t.issueIds)).toEqual([ids(onTheEdge)]);

    const justOutside = [
      raised(texts[0] as string, 48 + 1 / 3_600_000),
      raised(texts[1] as string, 24),
      raised(texts[2] as string, 0),
    ];
    expect(repeatedThemes(justOutside, NOW)).toEqual([]);

    // Raised after now (a clock ahead): left out until the digest's time reaches it.
    const future = [
      raised(texts[0] as string, 2),
      raised(texts[1] as string, 1),
      raised(texts[2] as string, -1),
    ];
    expect(repeatedThemes(future, NOW)).toEqual([]);
    expect(repeatedThemes(future, new Date(NOW.getTime() + HOUR))).toHaveLength(1);
  });

  it("lists the issues oldest first and counts an issue given twice once", () => {
    const a = raised("Sensor mat not alerting in room 4", 3);
    const b = raised("Nurse call alerts delayed", 20);
    const c = raised("Acoustic monitoring not picking up", 9);
    expect(repeatedThemes([a, b, c, a], NOW)).toEqual([
      expect.objectContaining({ name: "alerts, sensors and nurse call", issueIds: [b.id, c.id, a.id] }),
    ]);
    expect(repeatedThemes([a, b, a], NOW)).toEqual([]);
  });

  it("takes another number of issues or window", () => {
    const issues = [
      raised("eMAR not syncing on the tablet", 60),
      raised("MAR chart didn't sync after the round", 20),
      raised("medication record not updating on the iPad", 2),
    ];
    expect(repeatedThemes(issues, NOW)).toEqual([]);
    expect(repeatedThemes(issues, NOW, { windowHours: 72 })).toHaveLength(1);
    // The oldest is outside 48 h: two left, and at 2 they are a theme.
    expect(repeatedThemes(issues, NOW, { minIssues: 2 }).map((t) => t.issueIds)).toEqual([
      ids(issues.slice(1)),
    ]);
    // Over 72 h at 2: the tablet and the iPad are a theme of their own.
    const two = repeatedThemes(issues, NOW, { minIssues: 2, windowHours: 72 }).map((t) => t.name);
    expect(two).toEqual(["medication records + syncing and saving", "devices"]);
    expect(DEFAULT_THEME_OPTIONS).toEqual({ minIssues: 3, windowHours: 48 });
    expect(() => repeatedThemes(issues, NOW, { minIssues: 1 })).toThrow(RangeError);
    expect(() => repeatedThemes(issues, NOW, { windowHours: 0 })).toThrow(RangeError);
  });

  it("orders themes by how many issues, then by name", () => {
    const issues = [
      raised("Wifi down in the east wing", 40),
      raised("No wifi signal in the garden room", 30),
      raised("Tablet lost wifi again", 20),
      raised("wifi dropped during handover", 10),
      raised("Handover screen froze", 9),
      raised("handover notes missing", 8),
      raised("Printer offline", 7),
      raised("Cannot print the MAR", 6),
      raised("printer out of toner", 5),
    ];
    expect(repeatedThemes(issues, NOW).map((t) => [t.name, t.issueIds.length])).toEqual([
      ["wifi and network", 4],
      ["handover", 3],
      ["printing", 3],
    ]);
  });

  it("gives the same themes whatever order the issues come in", () => {
    const issues = [
      raised("eMAR not syncing on the tablet", 30, "eMAR sync"),
      raised("MAR chart didn't sync after the round", 20, "eMAR sync"),
      raised("medication record not updating on the iPad", 2, "eMAR sync"),
      raised("agency staff can't log in", 14),
      raised("locked out of her account", 7, "Access"),
      raised("login fails for the bank carer", 1),
      raised("Key fob for the front door not working", 20),
      raised("Lost my key fob again", 10),
      raised("Key fobs don't open the medication room", 1),
      raised("Body map won't save", 5),
      raised("Tablet battery flat by 2pm", 5),
      raised("Ipad not charging at Ashby", 5),
    ];
    const expected = repeatedThemes(issues, NOW);
    expect(expected.length).toBeGreaterThan(2);
    for (let seed = 1; seed <= 20; seed++) {
      expect(repeatedThemes(shuffled(issues, seed), NOW)).toEqual(expected);
    }
  });

  it("gets through 5,000 issues in the window (a very bad go-live week)", () => {
    const problems = [
      "eMAR not syncing on the tablet",
      "cannot log in on the handset",
      "sensor mat not alerting",
      "fluid chart totals wrong",
      "rota shows the wrong visits",
      "key fob not opening the door",
      "printer not working",
      "body map photo will not upload",
    ];
    const places = ["Oak House", "Ashby Lodge", "Elm Court", "community team north", "Willow View"];
    const issues = Array.from({ length: 5_000 }, (_, k) =>
      raised(
        `${problems[k % problems.length]} at ${places[(k * 7) % places.length]}, reported by carer ${k}`,
        (k % 470) / 10,
        k % 11 === 0 ? "eMAR sync" : undefined,
      ),
    );
    const themes = repeatedThemes(issues, NOW);
    expect(themes.length).toBeGreaterThan(5);
    expect(themes.find((t) => t.source === "picked")?.name).toBe("eMAR sync");
    for (const theme of themes) {
      expect(theme.issueIds.length).toBeGreaterThanOrEqual(3);
      expect(new Set(theme.issueIds).size).toBe(theme.issueIds.length);
    }
  });
});

describe("a site's name is where a problem is, not what it is", () => {
  it("finds no theme in three unrelated issues that only name the same site", () => {
    const now = new Date("2026-11-27T08:00:00Z");
    const issues = [
      "Oak House: handover sheet missing the late shift",
      "Body map will not save at Oak House",
      "Oak House visitor book not on the tablet",
    ].map((description, i) => ({
      id: `GL-${i + 1}`,
      number: i + 1,
      description,
      raisedAt: new Date(now.getTime() - (i + 1) * 3_600_000).toISOString(),
    }));
    const names = repeatedThemes(issues, now, { ignore: ["Oak House", "Riverside"] }).map((t) => t.name);
    expect(names.join(" ")).not.toMatch(/oak/i);
  });
});
