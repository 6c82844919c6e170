import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const shim = fileURLToPath(new URL("../../functions/loopbackOnly.cjs", import.meta.url));

/** Starts servers the ways the Playground's libraries may, with the shim preloaded, and reports their addresses. */
function addressesWithShim(): string[] {
  const script = `
    const net = require("node:net"); const http = require("node:http");
    const servers = [net.createServer().listen(0), http.createServer().listen(0, () => {}), net.createServer().listen({ port: 0 }), http.createServer().listen(0, "0.0.0.0"), net.createServer().listen(), net.createServer().listen(undefined, () => {}), net.createServer().listen(() => {})];
    setTimeout(() => { console.log(JSON.stringify(servers.map((s) => s.address().address))); servers.forEach((s) => s.close()); }, 200);`;
  return JSON.parse(execFileSync(process.execPath, ["--require", shim, "-e", script], { encoding: "utf8" }));
}

describe("the Playground's loopback-only preload", () => {
  it("makes every server listen on 127.0.0.1, however it was asked to listen", () => {
    expect(addressesWithShim()).toEqual(Array(7).fill("127.0.0.1"));
  });
});
