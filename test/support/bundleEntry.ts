/**
 * The entry point test/conversation/bundled-bot.test.ts bundles with the Function App's own esbuild options
 * (functionAppEsbuildOptions in functions/build/bundle.ts): the runtime's wiring and the local web server, which
 * functions/index.ts's handlers wrap, so a conversation can be run over HTTP through the bundled code, left-out
 * packages' stand-ins and all.
 */
export { listenForBot } from "../../functions/httpServer.js";
export { createRuntime } from "../../functions/runtime.js";
