// Preloaded into the Agents Playground (node --require): it has no option for the address it listens on and
// would listen on every network interface, letting anyone on the network drive the unauthenticated local bot.
// This makes every server it starts listen on 127.0.0.1 only.
const net = require("node:net");

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  if (args.length === 0 || args[0] === undefined || args[0] === null || typeof args[0] === "function") {
    // listen(), listen(undefined, cb), listen(cb): a free port on every interface, made a free port on loopback.
    args.splice(0, args.length > 0 && typeof args[0] !== "function" ? 1 : 0, 0);
  }
  const [first, second] = args;
  if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first))) {
    if (typeof second === "string") args[1] = "127.0.0.1";
    else args.splice(1, 0, "127.0.0.1");
  } else if (first && typeof first === "object" && first.path === undefined) {
    args[0] = { ...first, host: "127.0.0.1" };
  }
  return listen.apply(this, args);
};
