import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { READINESS_VERBS } from "../../adaptive-cards/readinessCards.js";
import { projectIdForChannel } from "../../governance/project.js";
import { type BotHarness, startBotHarness } from "../support/botHarness.js";
import { validateCard } from "../support/cardValidation.js";
import { TeamsChannel } from "../support/channel.js";
import { OTHER_TENANT_ID, PEOPLE } from "../support/fixtures.js";
import { cardText } from "../support/stubConnector.js";

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(async () => {
  await h?.close();
});

const { priya, tom, grace, dev } = PEOPLE; // project lead; operations lead; registered manager; quality lead

/** A project with two sites and a lead in each readiness role. */
async function projectWithLeads() {
  const channel = new TeamsChannel(h);
  await channel.say(priya, "setup Oak House & Riverside go-live");
  const setup = channel.lastCardWith("project.settings");
  const saved = await channel.press(priya, "project.settings", {
    ...channel.buttonData(setup, "project.settings"),
    sites: "Oak House, Riverside",
    timeZone: "Europe/London",
    digestTime: "08:00",
  });
  expect(saved.card).toBeDefined();
  await channel.say(priya, "role add registered manager @Grace Mensah site: Oak House", [grace]);
  await channel.say(priya, "role add registered manager @Grace Mensah site: Riverside", [grace]);
  await channel.say(priya, "role add quality lead @Dev Patel", [dev]);
  await channel.say(priya, "role add operations lead @Tom Okafor", [tom]);
  return channel;
}

describe("the readiness checklist and its gate, through Teams", () => {
  it("lets each lead record their part from the card until no blocker stands", async () => {
    const channel = await projectWithLeads();
    const projectId = projectIdForChannel(channel.where.channel.channelId);

    // The checklist as posted: every area, and blockers because nothing is recorded.
    const posted = await channel.say(tom, "readiness");
    expect(posted).toContain("Readiness checklist: Oak House & Riverside go-live");
    expect(posted).toContain("No training figures for Oak House.");
    expect(posted).toContain("Medication records have not been validated.");
    expect(posted).toContain("There is no go-live support plan.");
    expect(posted).toContain("proceed is not possible");
    const checklist = channel.lastCardWith(READINESS_VERBS.form);
    const open = (form: string) => channel.buttonData(checklist, READINESS_VERBS.form, { form });

    // The registered manager opens the training form; someone else is told who records it.
    const refusedForm = await channel.press(tom, READINESS_VERBS.form, open("training"));
    expect(refusedForm.message).toContain("Only the registered manager records this part");
    const form = await channel.press(grace, READINESS_VERBS.form, open("training"));
    expect(cardText(form.card)).toContain("Training and confidence");
    const trainingData = channel.buttonData(form.card ?? {}, READINESS_VERBS.training);

    // 47 of 50 carers trained at Oak House: below 95%, a blocker naming role, site and threshold.
    let result = await channel.press(grace, READINESS_VERBS.training, {
      ...trainingData,
      site: "oak house",
      staffRole: "Carers",
      staff: "50",
      completed: "47",
      confident: "40",
      gaps: "Night staff unsure about PRN medication recording",
    });
    expect(cardText(result.card)).toContain("Carers at Oak House: 94% trained, below the 95% threshold.");
    for (const [site, staffRole] of [
      ["Oak House", "Carers"],
      ["Riverside", "Carers"],
      ["Riverside", "Team leaders"],
    ]) {
      result = await channel.press(grace, READINESS_VERBS.training, {
        ...trainingData,
        site,
        staffRole,
        staff: "20",
        completed: "20",
        confident: "18",
        gaps: "",
      });
    }
    expect(cardText(result.card)).not.toContain("trained, below");

    // A form with impossible figures is refused, saying what to fix, and changes nothing (the refusal is logged).
    const before = (await h.runtime.log.readState(projectId))?.readiness.training;
    const wrong = await channel.press(grace, READINESS_VERBS.training, {
      ...trainingData,
      site: "Riverside",
      staffRole: "Nurses",
      staff: "10",
      completed: "12",
      confident: "8",
      gaps: "",
    });
    expect(wrong.message).toContain("more staff trained than there are");
    const missing = await channel.press(grace, READINESS_VERBS.training, {
      ...trainingData,
      site: "Riverside",
      staffRole: "Nurses",
      staff: "10",
      completed: "9",
      confident: "",
      gaps: "",
    });
    expect(missing.message).toContain("Staff confident is needed");
    expect((await h.runtime.log.readState(projectId))?.readiness.training).toEqual(before);

    // The quality lead's assurance log: a critical discrepancy blocks until it is resolved.
    const assurance = channel.buttonData(
      (await channel.press(dev, READINESS_VERBS.form, open("assurance"))).card ?? {},
      READINESS_VERBS.assurance,
    );
    for (const recordType of ["medication", "safeguarding", "care-plans", "risk-assessments"]) {
      result = await channel.press(dev, READINESS_VERBS.assurance, {
        ...assurance,
        recordType,
        sampleSize: "20",
        checked: "20",
        discrepancies: recordType === "medication" ? "3" : "0",
        critical: recordType === "medication" ? "1" : "0",
        signedOff: "true",
        note: "",
      });
    }
    expect(cardText(result.card)).toContain("1 critical discrepancy in medication records.");
    result = await channel.press(dev, READINESS_VERBS.assurance, {
      ...assurance,
      recordType: "medication",
      sampleSize: "20",
      checked: "20",
      discrepancies: "3",
      critical: "0",
      signedOff: "true",
      note: "MAR charts corrected and re-checked",
    });
    expect(cardText(result.card)).not.toContain("critical discrepancy");

    // The operations lead's support plan, with a lead for each site.
    const plan = channel.buttonData(
      (await channel.press(tom, READINESS_VERBS.form, open("plan"))).card ?? {},
      READINESS_VERBS.plan,
    );
    result = await channel.press(tom, READINESS_VERBS.plan, {
      ...plan,
      escalationRoutes: "Floor -> team leader -> registered manager -> on-call director",
      supplierContact: "CareSys go-live desk, 0800 000 000",
      onSiteCover: "Two super-users per shift for the first 5 days",
      "lead:0": "Grace Mensah",
      "lead:1": "Tom Okafor",
    });
    expect(cardText(result.card)).not.toContain("support plan has no");

    // The project lead confirms access; the gate clears.
    const item = channel.buttonData(
      (await channel.press(priya, READINESS_VERBS.form, open("item"))).card ?? {},
      READINESS_VERBS.item,
    );
    result = await channel.press(priya, READINESS_VERBS.item, {
      ...item,
      area: "access",
      rag: "green",
      owner: "IT lead",
      evidence: "All 143 staff logged in on test devices",
      note: "",
    });
    expect(cardText(result.card)).toContain("No blockers");
    expect(validateCard(result.card)).toEqual([]);

    // Everyone sees the updated checklist: the posted message was updated.
    expect(
      h.connector.sent.some((s) => s.method === "PUT" && cardText(s.activity).includes("No blockers")),
    ).toBe(true);
    // Every step is in the governance log, and the log is intact.
    expect(await h.runtime.log.verify(projectId)).toMatchObject({ ok: true });
  });

  it("refuses crafted readiness actions: wrong project, wrong role, another tenant — and changes nothing", async () => {
    const channel = await projectWithLeads();
    const projectId = projectIdForChannel(channel.where.channel.channelId);
    const figures = {
      site: "Oak House",
      staffRole: "Carers",
      staff: "10",
      completed: "10",
      confident: "10",
      gaps: "",
    };

    const wrongProject = await channel.press(grace, READINESS_VERBS.training, {
      projectId: "p-elsewhere",
      ...figures,
    });
    expect(wrongProject.message).toContain("belongs to another project's channel");
    const wrongRole = await channel.press(tom, READINESS_VERBS.training, { projectId, ...figures });
    expect(wrongRole.message).toContain("Only the registered manager can record training");
    const unknownForm = await channel.press(grace, READINESS_VERBS.form, { projectId, form: "payroll" });
    expect(unknownForm.message).toContain("not one I know");
    const unknownVerb = await channel.press(grace, "readiness.delete-everything", { projectId });
    expect(unknownVerb.message).toContain("not one I know");
    const refusals: string[] = [];
    for await (const e of h.runtime.log.entries(projectId)) {
      if (!("unreadable" in e))
        for (const x of e.events) if (x.kind === "access.refused") refusals.push(x.attempted);
    }
    expect(refusals).toEqual([
      READINESS_VERBS.training,
      READINESS_VERBS.training,
      "unknown card action readiness.delete-everything",
    ]);

    const foreign = await channel.press(
      grace,
      READINESS_VERBS.training,
      { projectId, ...figures },
      { tenantId: OTHER_TENANT_ID },
    );
    expect(foreign.message).toContain("another organisation's Microsoft 365 tenant");
    const kinds: string[] = [];
    for await (const e of h.runtime.log.entries(projectId))
      if (!("unreadable" in e)) kinds.push(...e.events.map((x) => x.kind));
    expect(kinds.at(-1)).toBe("access.refused");
    expect((await h.runtime.log.readState(projectId))?.readiness.training).toEqual([]);
  });
});
