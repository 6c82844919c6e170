import { describe, expect, it } from "vitest";
import {
  assertSafeToListen,
  ConfigurationError,
  credentialsFrom,
  readEnvironment,
} from "../../functions/config.js";

describe("configuration, read once at start", () => {
  it("lists every problem at once, naming each setting", () => {
    try {
      readEnvironment({ MicrosoftAppId: "not-a-guid", BOT_PORT: "99999", LOG_LEVEL: "chatty" });
      expect.unreachable("should have thrown");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      const problems = (error as ConfigurationError).problems.join("\n");
      expect(problems).toContain("MicrosoftAppId");
      expect(problems).toContain("BOT_PORT");
      expect(problems).toContain("LOG_LEVEL");
    }
  });

  it("treats blank settings as unset and fills the local defaults", () => {
    const env = readEnvironment({ MicrosoftAppId: "", BOT_HOST: "" });
    expect(env).toMatchObject({
      BOT_HOST: "127.0.0.1",
      BOT_PORT: 3978,
      PLAYGROUND_PORT: 56150,
      DATA_DIR: ".data",
    });
    expect(credentialsFrom(env)).toBeUndefined();
  });

  it("asks for the tenant and the secret of a single-tenant bot", () => {
    const env = readEnvironment({ MicrosoftAppId: "11111111-2222-4333-8444-555555555555" });
    expect(() => credentialsFrom(env)).toThrow(/MicrosoftAppTenantId[\s\S]*MicrosoftAppPassword/);
  });

  it("allows unauthenticated mode on loopback only", () => {
    expect(() => assertSafeToListen("127.0.0.1", undefined)).not.toThrow();
    expect(() => assertSafeToListen("::1", undefined)).not.toThrow();
    expect(() => assertSafeToListen("0.0.0.0", undefined)).toThrow(/refusing to listen on 0\.0\.0\.0/);
    expect(() => assertSafeToListen("192.168.1.20", undefined)).toThrow(ConfigurationError);
    expect(() =>
      assertSafeToListen("0.0.0.0", {
        appId: "11111111-2222-4333-8444-555555555555",
        appType: "MultiTenant",
        password: "x",
      }),
    ).not.toThrow();
  });
});
