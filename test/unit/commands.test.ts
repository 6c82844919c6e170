import { describe, expect, it } from "vitest";
import { normaliseText, parseCommand } from "../../bot/commands.js";

describe("reading what people type", () => {
  it("accepts commands with or without a leading /, in any case, with Teams markup removed", () => {
    expect(parseCommand("/Help")).toEqual({ kind: "help" });
    expect(parseCommand("LOG   VERIFY")).toEqual({ kind: "log.verify" });
    expect(parseCommand("<p>roles</p>")).toEqual({ kind: "roles" });
    expect(normaliseText("role add board <at>Tom Okafor</at>&nbsp;")).toBe("role add board @");
  });

  it("keeps the project name as typed", () => {
    expect(parseCommand("setup  Oak House — ECM go-live ")).toEqual({
      kind: "setup",
      name: "Oak House — ECM go-live",
    });
    expect(parseCommand("setup")).toEqual({ kind: "setup" });
    expect(parseCommand(`setup ${"x".repeat(101)}`)).toMatchObject({ kind: "invalid" });
  });

  it("reads roles and an optional site", () => {
    expect(parseCommand("role add registered manager <at>Grace</at> site: Oak House")).toEqual({
      kind: "role.add",
      role: "registered-manager",
      site: "Oak House",
    });
    expect(parseCommand("role remove board <at>Tom</at>")).toEqual({
      kind: "role.remove",
      role: "board-member",
    });
    expect(parseCommand("role add <at>Tom</at>")).toMatchObject({ kind: "invalid" });
    expect(parseCommand("role promote x")).toMatchObject({ kind: "invalid" });
  });

  it("reports the first word of an unknown command", () => {
    expect(parseCommand("deploy everything")).toEqual({ kind: "unknown", word: "deploy" });
  });

  it("reads raise as typed in Teams: markup, a slash, any case, odd spacing", () => {
    expect(parseCommand("/RAISE  System&nbsp;p2   CARE site:Oak House;  eMAR <b>not</b> loading")).toEqual({
      kind: "raise",
      request: {
        type: "system",
        priority: "P2",
        careImpacting: true,
        workaround: false,
        site: "Oak House",
        description: "eMAR not loading",
      },
    });
    expect(parseCommand("raise <at>Tom Okafor</at> cannot log in to the rota")).toMatchObject({
      kind: "raise",
      request: { type: "request", description: "@ cannot log in to the rota" },
    });
    expect(parseCommand("raise")).toMatchObject({ kind: "invalid" });
    expect(parseCommand("raise P7 tablets down")).toMatchObject({ kind: "invalid" });
  });

  it("reads issue and issues with their filters", () => {
    expect(parseCommand("issue GL-42")).toEqual({ kind: "issue.show", issueId: "GL-42" });
    expect(parseCommand("issue gl42")).toEqual({ kind: "issue.show", issueId: "GL-42" });
    expect(parseCommand("issue 7")).toEqual({ kind: "issue.show", issueId: "GL-7" });
    expect(parseCommand("issue")).toMatchObject({ kind: "invalid" });
    expect(parseCommand("issues")).toEqual({ kind: "issues.list", filter: { list: "open" } });
    expect(parseCommand("Issues MINE care p1 site: Riverside")).toEqual({
      kind: "issues.list",
      filter: { list: "open", mine: true, care: true, priority: "P1", site: "Riverside" },
    });
    expect(parseCommand("issues resolved")).toEqual({ kind: "issues.list", filter: { list: "resolved" } });
    expect(parseCommand("issues everything")).toMatchObject({ kind: "invalid" });
  });

  it("reads the stabilisation commands", () => {
    expect(parseCommand("audit")).toEqual({ kind: "audit" });
    expect(parseCommand("audit thresholds")).toEqual({ kind: "audit.thresholds" });
    expect(parseCommand("Audit threshold care-plan-access 97")).toEqual({
      kind: "audit.thresholds",
      change: { what: "care-plan-access", value: "97" },
    });
    expect(parseCommand("pulse")).toEqual({ kind: "pulse.open", anonymous: false });
    expect(parseCommand("pulse anonymous")).toEqual({ kind: "pulse.open", anonymous: true });
    expect(parseCommand("pulse results")).toEqual({ kind: "pulse.results" });
    expect(parseCommand("pulse everyone")).toMatchObject({ kind: "invalid" });
    expect(parseCommand("risk Night staff unsure of PRN recording")).toEqual({
      kind: "risk.add",
      text: "Night staff unsure of PRN recording",
    });
    expect(parseCommand("risk r3")).toEqual({ kind: "risk.show", riskId: "R3" });
    expect(parseCommand("risk ?")).toMatchObject({ kind: "invalid" });
    expect(parseCommand("risks")).toEqual({ kind: "risks" });
    expect(parseCommand("stabilisation")).toEqual({ kind: "stabilisation" });
  });
});
