import { HttpRequest, InvocationContext } from "@azure/functions";

/** An invocation as the Functions host gives one, keeping every line logged through it. */
export function invocation(invocationId = "test-invocation") {
  const logged: string[] = [];
  const context = new InvocationContext({
    functionName: "messages",
    invocationId,
    logHandler: (_level, ...args) => logged.push(args.map(String).join(" ")),
  });
  return { context, logged };
}

/** A POST to /api/messages as the Functions host hands it over: a body (an activity, or any text) and headers. */
export function messagesRequest(body: unknown, headers: Record<string, string> = {}) {
  return new HttpRequest({
    method: "POST",
    url: "http://127.0.0.1/api/messages",
    body: { string: typeof body === "string" ? body : JSON.stringify(body) },
    headers: { "content-type": "application/json", ...headers },
  });
}
