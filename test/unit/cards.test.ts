import { describe, expect, it } from "vitest";
import { helpCard, logVerifyCard, rolesCard, setupCard } from "../../adaptive-cards/cards.js";
import { COMMAND_HELP } from "../../governance/help.js";
import type { ProjectState } from "../../governance/project.js";
import { EMPTY_READINESS } from "../../governance/readiness.js";
import { ROLES } from "../../governance/roles.js";
import { validateCard } from "../support/cardValidation.js";
import { newChannel } from "../support/fixtures.js";

/** A large project: every role held by several people, many sites, long names. */
function busyProject(): ProjectState {
  return {
    project: {
      id: "p-123",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a name that looks like a card template expression
      name: "Oak House and Riverside Home Care — ECM go-live (wave 1) ${not a template}",
      binding: newChannel(),
      phase: "preparing",
      settings: {
        goLiveDate: "2027-01-11",
        sites: Array.from({ length: 30 }, (_, i) => `Site ${i + 1} with a long name for testing`),
        timeZone: "Europe/London",
        digestTime: "08:00",
      },
      createdAt: "2026-11-27T09:00:00.000Z",
      createdBy: "aa000000-0000-4000-8000-000000000001",
    },
    roles: ROLES.flatMap((role) =>
      Array.from({ length: 6 }, (_, i) => ({
        role,
        person: {
          objectId: `cc000000-0000-4000-8000-00000000000${i}`,
          name: `Person ${i} with a long display name`,
        },
      })),
    ),
    readiness: EMPTY_READINESS,
  };
}

describe("every card the bot can send", () => {
  const state = busyProject();
  const cards = {
    "help (project lead)": helpCard({
      commands: COMMAND_HELP,
      projectName: state.project.name,
      roles: new Set(["project-lead"]),
    }),
    "help (no project, unknown command)": helpCard({
      commands: COMMAND_HELP.slice(0, 2),
      roles: new Set(),
      hint: "I don't know",
    }),
    roles: rolesCard(state),
    setup: setupCard(state, "Saved by Priya Shah.", 7),
    "log verify (intact)": logVerifyCard(
      state.project.name,
      { ok: true, length: 12, headHash: "a".repeat(64) },
      new Date(),
    ),
    "log verify (broken)": logVerifyCard(
      state.project.name,
      {
        ok: false,
        length: 12,
        headHash: "b".repeat(64),
        firstProblem: { kind: "missing", seq: 4, detail: "entry 4 is missing" },
      },
      new Date(),
    ),
  };
  for (const [name, card] of Object.entries(cards)) {
    it(`${name}: passes the 1.5 schema, the adaptivecards validator and the 28 KB limit`, () => {
      expect(validateCard(card)).toEqual([]);
    });
  }

  it("shows text people typed as typed, never as a template expression", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text must survive templating
    expect(JSON.stringify(cards.roles)).toContain("${not a template}");
  });

  it("gives the setup card a people picker per role, returning Entra object ids", () => {
    const pickers = JSON.stringify(cards.setup).match(/graph\.microsoft\.com\/users/g) ?? [];
    expect(pickers).toHaveLength(ROLES.length - 1);
  });
});
