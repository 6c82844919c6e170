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

/** The Function App's settings in Azure, all fake: nothing is contacted while its entry point is imported. */
export const FAKE_AZURE_SETTINGS = {
  MicrosoftAppId: "11111111-2222-4333-8444-555555555555",
  MicrosoftAppType: "UserAssignedMSI",
  MicrosoftAppTenantId: "7a1c2f4e-0000-4000-8000-00000000c4e1",
  AZURE_CLIENT_ID: "11111111-2222-4333-8444-555555555555",
  STORAGE_TABLE_ENDPOINT: "https://example.table.core.windows.net/",
  STORAGE_BLOB_ENDPOINT: "https://example.blob.core.windows.net/",
  ANONYMITY_KEY: "a-key-of-at-least-thirty-two-characters-for-tests",
};
