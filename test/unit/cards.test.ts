import { describe, expect, it } from "vitest";
import { helpCard, logVerifyCard, rolesCard, setupCard } from "../../adaptive-cards/cards.js";
import { readinessCard, readinessFormCard } from "../../adaptive-cards/readinessCards.js";
import { EMPTY_COMMAND_LOG } from "../../governance/commandLog.js";
import { COMMAND_HELP } from "../../governance/help.js";
import type { ProjectState } from "../../governance/project.js";
import {
  EMPTY_READINESS,
  HIGH_RISK_RECORD_TYPES,
  LEAD_ITEM_AREAS,
  readinessBlockers,
} from "../../governance/readiness.js";
import { ROLES } from "../../governance/roles.js";
import { EMPTY_STABILISATION } from "../../governance/stabilisation.js";
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
    decisions: [],
    conditions: [],
    commandLog: EMPTY_COMMAND_LOG,
    reviews: [],
    stabilisation: EMPTY_STABILISATION,
  };
}

/** Every readiness area filled with the longest text a person can type. */
function fullyRecordedReadiness(state: ProjectState): ProjectState {
  const long = (n: number) => "Evidence ".repeat(Math.ceil(n / 9)).slice(0, n);
  const updated = { by: "Person with a long display name", at: "2026-11-27T09:00:00.000Z" };
  return {
    ...state,
    readiness: {
      training: state.project.settings.sites.flatMap((site) =>
        ["Carers", "Nurses", "Team leaders", "Night staff"].map((staffRole) => ({
          site,
          staffRole,
          staff: 50,
          completed: 40,
          confident: 30,
          gaps: long(1_000),
          updated,
        })),
      ),
      assurance: HIGH_RISK_RECORD_TYPES.map((recordType) => ({
        recordType,
        sampleSize: 40,
        checked: 30,
        discrepancies: 5,
        critical: 1,
        signedOff: false,
        note: long(1_000),
        updated,
      })),
      supportPlan: {
        escalationRoutes: long(2_000),
        supplierContact: long(300),
        onSiteCover: long(1_000),
        responsibleLeads: state.project.settings.sites.map((site) => ({ site, lead: long(200) })),
        updated,
      },
      items: LEAD_ITEM_AREAS.map((area) => ({
        area,
        rag: "red" as const,
        owner: long(200),
        evidence: long(2_000),
        note: long(1_000),
        updated,
      })),
      thresholds: { trainingCompletionPercent: 95 },
    },
  };
}

describe("every card the bot can send", () => {
  const state = busyProject();
  const ready = fullyRecordedReadiness(state);
  const blockers = readinessBlockers(ready.project, ready.readiness);
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
    "readiness (every area filled with long text, many blockers)": readinessCard(ready, blockers),
    "readiness (with overdue conditions)": readinessCard(
      {
        ...ready,
        conditions: Array.from({ length: 25 }, (_, i) => ({
          id: `C${i + 1}`,
          decisionId: "D1",
          blockerId: `b${i}`,
          blockerReason: "A long blocker reason ".repeat(20),
          text: "A long condition text ".repeat(40),
          owner: {
            objectId: "cc000000-0000-4000-8000-000000000001",
            name: "Person with a long display name",
          },
          due: "2026-11-01",
          state: "open" as const,
        })),
      },
      blockers,
      { today: "2026-11-27", note: "Recorded." },
    ),
    "readiness (nothing recorded)": readinessCard(state, readinessBlockers(state.project, state.readiness)),
    ...Object.fromEntries(
      (["training", "assurance", "plan", "item", "thresholds"] as const).map((form) => [
        `readiness form: ${form}`,
        readinessFormCard(ready, form, 12),
      ]),
    ),
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

  it("warns on the checklist when go-live is near and the board has not decided", () => {
    const warned = JSON.stringify(readinessCard(state, [], { today: "2027-01-04" }));
    expect(warned).toContain("Go-live is in 7 days and the board has not decided");
    expect(JSON.stringify(readinessCard(state, [], { today: "2026-11-27" }))).not.toContain(
      "has not decided",
    );
  });

  it("shows text people typed as typed, never as a template expression", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text must survive templating
    expect(JSON.stringify(cards.roles)).toContain("${not a template}");
  });

  it("gives the setup card a people picker per role, returning Entra object ids", () => {
    const pickers = JSON.stringify(cards.setup).match(/graph\.microsoft\.com\/users/g) ?? [];
    expect(pickers).toHaveLength(ROLES.length - 1);
  });
});
