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
});
