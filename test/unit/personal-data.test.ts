import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  firstFieldWithNhsNumber,
  holdsNhsNumber,
  isValidNhsNumber,
  NHS_NUMBER_REFUSAL,
} from "../../governance/personalData.js";
import { projectIdForChannel } from "../../governance/project.js";

/**
 * Domain rule: refuse text that holds an NHS number (10 digits, valid modulus-11 check digit, often written
 * 3-3-4) and ask the user to refer to the ECM record by its record id instead. Such text is never stored.
 */

/** The check digit for nine digits, straight from the NHS rule: weights 10..2, 11 − (sum mod 11), 11 → 0. */
function checkDigitOf(nine: readonly number[]): number {
  const sum = nine.reduce((total, d, i) => total + d * (10 - i), 0);
  const check = 11 - (sum % 11);
  return check === 11 ? 0 : check; // 10 means no valid NHS number starts with these nine digits
}

/** Known valid NHS numbers (check digits worked by hand from the rule). */
const VALID = ["9434765919", "4010232137", "4857773457", "1000000060"];
/** The same numbers with a wrong check digit. */
const WRONG_CHECK = ["9434765918", "4010232130", "4857773451", "1000000061"];

const NBSP = "\u00A0";
const EN_DASH = "\u2013";

/** The ways staff write an NHS number. */
const FORMATS: Record<string, (digits: string) => string> = {
  "10 digits in a row": (d) => d,
  "3-3-4 with spaces": (d) => `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`,
  "3-3-4 with two spaces": (d) => `${d.slice(0, 3)}  ${d.slice(3, 6)}  ${d.slice(6)}`,
  "3-3-4 with dashes": (d) => `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`,
  "3-3-4 with non-breaking spaces": (d) => `${d.slice(0, 3)}${NBSP}${d.slice(3, 6)}${NBSP}${d.slice(6)}`,
  "3-3-4 with en dashes": (d) => `${d.slice(0, 3)}${EN_DASH}${d.slice(3, 6)}${EN_DASH}${d.slice(6)}`,
  "3-3-4 with spaced dashes": (d) => `${d.slice(0, 3)} - ${d.slice(3, 6)} - ${d.slice(6)}`,
  "3-3-4 with a space then a dash": (d) => `${d.slice(0, 3)} ${d.slice(3, 6)}-${d.slice(6)}`,
};

/** Any gap between the 3-3-4 groups the rule covers. */
const GAPS = [
  " ",
  "  ",
  NBSP,
  "-",
  "\u2010",
  "\u2011",
  "\u2012",
  EN_DASH,
  "\u2014",
  "\u2015",
  " - ",
  " -",
  "- ",
];

const digit = fc.integer({ min: 0, max: 9 });
const nineDigits = fc.array(digit, { minLength: 9, maxLength: 9 });

/** Every valid NHS number: nine random digits and their check digit, skipping nine whose check is 10. */
const validNhsNumber = nineDigits
  .filter((nine) => checkDigitOf(nine) !== 10)
  .map((nine) => [...nine, checkDigitOf(nine)].join(""));

/** Ten digits whose last is not the check digit of the first nine. */
const invalidNhsNumber = fc
  .tuple(nineDigits, digit)
  .filter(([nine, last]) => checkDigitOf(nine) !== last)
  .map(([nine, last]) => [...nine, last].join(""));

/** The number as written: plain, or 3-3-4 with any gap in each place (so mixed gaps too). */
function writtenAs(number: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const gap = fc.constantFrom(...GAPS);
  return fc.oneof(
    number,
    fc
      .tuple(number, gap, gap)
      .map(([d, g1, g2]) => `${d.slice(0, 3)}${g1}${d.slice(3, 6)}${g2}${d.slice(6)}`),
  );
}

/** Text around a number, with something other than a digit right next to it. */
function inText(prefix: string, number: string, suffix: string): string {
  const before = /[0-9]$/.test(prefix) ? `${prefix} ` : prefix;
  const after = /^[0-9]/.test(suffix) ? ` ${suffix}` : suffix;
  return `${before}${number}${after}`;
}

/** Where a message's text may sit in a card submission or command payload, and the path that names it. */
const PLACEMENTS: ReadonlyArray<[string, (text: string) => unknown]> = [
  ["(root)", (text) => text],
  ["update", (text) => ({ update: text })],
  [
    "conditions.1.text",
    (text) => ({ project: "Oak House", conditions: [{ text: "Training done" }, { text }] }),
  ],
  ["1.note", (text) => ["Fine", { note: text }]],
  [
    "a.b.c.d.e.f.g.h.i.j",
    (text) => ({ a: { b: { c: { d: { e: { f: { g: { h: { i: { j: text } } } } } } } } } }),
  ],
];

const noDigits = fc.string({
  unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCXYZ .,;:!?()/'\"-–—#@+*&", NBSP, "\n"),
});

describe("NHS numbers (domain rule: 10 digits with a valid modulus-11 check digit)", () => {
  it("accepts known valid numbers", () => {
    for (const n of VALID) expect(isValidNhsNumber(n), n).toBe(true);
  });

  it("rejects the same numbers with a wrong check digit", () => {
    for (const n of WRONG_CHECK) expect(isValidNhsNumber(n), n).toBe(false);
  });

  it("never accepts a number whose check digit computes to 10, whatever its last digit", () => {
    expect(checkDigitOf([1, 2, 3, 4, 5, 6, 7, 8, 9])).toBe(10);
    for (let last = 0; last <= 9; last++) expect(isValidNhsNumber(`123456789${last}`)).toBe(false);
  });

  it("takes exactly 10 ASCII digits", () => {
    for (const s of ["", "943476591", "94347659190", "943 476 5919", "943476591x", "９４３４７６５９１９"]) {
      expect(isValidNhsNumber(s), s).toBe(false);
    }
  });

  it("agrees with the rule for every 10 digits", () => {
    fc.assert(
      fc.property(nineDigits, digit, (nine, last) => {
        const check = checkDigitOf(nine);
        expect(isValidNhsNumber([...nine, last].join(""))).toBe(check !== 10 && check === last);
      }),
      { numRuns: 500 },
    );
  });
});

describe("text that holds an NHS number is refused (never stored)", () => {
  for (const [format, write] of Object.entries(FORMATS)) {
    it(`refuses a valid number written as ${format}`, () => {
      for (const n of VALID) {
        expect(holdsNhsNumber(write(n)), write(n)).toBe(true);
        expect(holdsNhsNumber(`Visit for ${write(n)} moved to Friday.`), write(n)).toBe(true);
      }
    });

    it(`does not refuse a wrong check digit written as ${format}`, () => {
      for (const n of WRONG_CHECK)
        expect(holdsNhsNumber(`Visit for ${write(n)} moved.`), write(n)).toBe(false);
    });
  }

  it("refuses a valid number followed by another number ('943 476 5919 2 beds')", () => {
    expect(holdsNhsNumber("943 476 5919 2 beds")).toBe(true);
    expect(holdsNhsNumber("Room 12 943 476 5919")).toBe(true);
    expect(holdsNhsNumber("(943-476-5919)")).toBe(true);
    expect(holdsNhsNumber("no. 9434765919.")).toBe(true);
  });

  it("refuses a valid number after an invalid one in the same text", () => {
    expect(holdsNhsNumber("Not 943 476 5918 but 401 023 2137")).toBe(true);
  });

  it("does not refuse a number that is part of a longer digit run", () => {
    for (const s of ["09434765919", "94347659190", "1943 476 5919", "943 476 59190", "943 4761 5919"]) {
      expect(holdsNhsNumber(s), s).toBe(false);
    }
  });

  it("does not refuse dates, times, phone numbers, GL-42 style ids or GUIDs", () => {
    const ordinary = [
      "Go-live 2026-11-27 10:15",
      "27/11/2026 10:15",
      "2026-11-27T10:15:00.000Z",
      "Call 07700900123",
      "Call 07700 900123",
      "+44 7700 900123",
      "020 7946 0018",
      "0161 496 0000",
      "GL-42",
      "GL-1042 closed",
      "00000000-0000-0000-0000-000000000000",
      "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
      "ECM record 1234567",
      "123 456 7890", // check digit computes to 10: not an NHS number
    ];
    for (const s of ordinary) expect(holdsNhsNumber(s), s).toBe(false);
  });

  it("every valid number, in any format, inside any text, is refused and found in a payload", () => {
    fc.assert(
      fc.property(
        writtenAs(validNhsNumber),
        fc.string(),
        fc.string(),
        fc.constantFrom(...PLACEMENTS),
        (written, prefix, suffix, [path, place]) => {
          const text = inText(prefix, written, suffix);
          expect(holdsNhsNumber(text)).toBe(true);
          expect(firstFieldWithNhsNumber(place(text))).toBe(path);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("no 10 digits with a wrong check digit, in any format, inside text with no other digits, is refused", () => {
    fc.assert(
      fc.property(writtenAs(invalidNhsNumber), noDigits, noDigits, (written, prefix, suffix) => {
        const text = `${prefix}${written}${suffix}`;
        expect(holdsNhsNumber(text)).toBe(false);
        expect(firstFieldWithNhsNumber({ update: text })).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it("tells the user nothing was recorded and to use the ECM record id, without the number", () => {
    expect(NHS_NUMBER_REFUSAL).toMatch(/NHS number/);
    expect(NHS_NUMBER_REFUSAL).toMatch(/nothing was recorded/);
    expect(NHS_NUMBER_REFUSAL).toMatch(/ECM record id/);
    expect(NHS_NUMBER_REFUSAL).not.toMatch(/[0-9]/);
  });
});

describe("finding the field that holds an NHS number in a payload", () => {
  it("names the first field that holds one, and nothing when none does", () => {
    expect(firstFieldWithNhsNumber({ update: "Staff rota agreed", site: "Oak House" })).toBeUndefined();
    expect(firstFieldWithNhsNumber({ update: "Resident 943 476 5919 moved" })).toBe("update");
    expect(
      firstFieldWithNhsNumber({
        conditions: [{ text: "401-023-2137 needs a review" }],
        update: "943 476 5919",
      }),
    ).toBe("conditions.0.text");
    expect(firstFieldWithNhsNumber("943 476 5919")).toBe("(root)");
    expect(firstFieldWithNhsNumber([1, true, null, undefined, 9434765919])).toBeUndefined(); // not text
  });

  it("checks object keys too, and never puts the number in the path", () => {
    const path = firstFieldWithNhsNumber({ notes: { "943 476 5919": "moved" } });
    expect(path).toBe("notes.(key)");
    expect(path).not.toMatch(/[0-9]{3}/);
  });

  it("never returns the number itself", () => {
    fc.assert(
      fc.property(validNhsNumber, fc.constantFrom(...PLACEMENTS), (n, [, place]) => {
        const path = firstFieldWithNhsNumber(place(`About ${n}`)) ?? "";
        expect(path).not.toContain(n);
        expect(path).not.toMatch(/[0-9]{3}/);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses, as unreadable ('…'), a payload nested deeper than 10 levels", () => {
    let deep: unknown = "Staff rota agreed";
    for (let i = 0; i < 11; i++) deep = { next: deep };
    expect(firstFieldWithNhsNumber(deep)).toBe("…");
    let tenDeep: unknown = "Staff rota agreed";
    for (let i = 0; i < 10; i++) tenDeep = { next: tenDeep };
    expect(firstFieldWithNhsNumber(tenDeep)).toBeUndefined();
  });

  it("refuses, as unreadable ('…'), a payload with more than 2,000 strings or 10,000 values", () => {
    expect(firstFieldWithNhsNumber(Array.from({ length: 2_000 }, () => "fine"))).toBeUndefined();
    expect(firstFieldWithNhsNumber(Array.from({ length: 2_001 }, () => "fine"))).toBe("…");
    expect(firstFieldWithNhsNumber(new Array(1_000_000).fill(0))).toBe("…");
    expect(firstFieldWithNhsNumber(new Array(1e9))).toBe("…");
  });

  it("refuses, as unreadable ('…'), a cyclic or unreadable payload, quickly", () => {
    const cycle: unknown[] = [];
    for (let i = 0; i < 1_000; i++) cycle.push(cycle);
    const started = Date.now();
    expect(firstFieldWithNhsNumber(cycle)).toBe("…");
    expect(Date.now() - started).toBeLessThan(1_000);
    const throwing = {
      get update(): string {
        throw new Error("boom");
      },
    };
    expect(firstFieldWithNhsNumber(throwing)).toBe("…");
  });
});

describe("an NHS number split by any white space or full stops in a card's text", () => {
  it("is still refused across a line break, a tab, thin or narrow spaces, several spaces or full stops", () => {
    for (const text of [
      "Resident 943\n476\n5919 fell",
      "943\t476\t5919",
      "943\u2009476\u202f5919",
      "943   476    5919",
      "NHS 943.476.5919",
      "943 . 476 . 5919",
    ]) {
      expect(holdsNhsNumber(text), JSON.stringify(text)).toBe(true);
      expect(firstFieldWithNhsNumber({ updateText: text })).toBe("updateText");
    }
    expect(holdsNhsNumber("943.476.5910")).toBe(false);
    expect(holdsNhsNumber("Release 4.2.1 on 2026-11-27\n10:15")).toBe(false);
  });
});

describe("a project's own id on a card's buttons", () => {
  it("is never taken for an NHS number, while anything a person typed beside it still is", () => {
    // A channel whose project id (hex from a hash) holds ten digits in a row that pass the modulus-11 check.
    let channelId = "";
    for (let n = 0; n < 100_000 && !channelId; n++) {
      const candidate = `19:channel${n}@thread.tacv2`;
      if (holdsNhsNumber(projectIdForChannel(candidate))) channelId = candidate;
    }
    expect(channelId).not.toBe("");
    const projectId = projectIdForChannel(channelId);
    expect(firstFieldWithNhsNumber({ projectId, issueId: "GL-1", version: "12", updateText: "Fixed" })).toBe(
      undefined,
    );
    expect(firstFieldWithNhsNumber({ projectId, updateText: "Called about 943 476 5919" })).toBe(
      "updateText",
    );
    // Only the product's id form is passed over: a typed "projectId" field is read like any other.
    expect(firstFieldWithNhsNumber({ projectId: "9434765919" })).toBe("projectId");
  });
});
