import type { TeamsAdapter } from "@microsoft/teams-ai";
import { StatusCodes } from "botbuilder";
import { AuthenticationError, type BotFrameworkAuthentication } from "botframework-connector";

/** jsonwebtoken's own errors: a forged signature, a token not yet valid, an unsigned or malformed token. */
const TOKEN_ERRORS = new Set(["JsonWebTokenError", "NotBeforeError", "TokenExpiredError"]);

/**
 * botbuilder answers 401 only for its own AuthenticationError; a token whose signature does not match, that is
 * not valid yet, or that is unsigned fails inside jsonwebtoken and would be answered 500, which Teams (and
 * anyone probing) reads as "try again". Nothing is processed either way; this makes every bad token a 401.
 * A failure to fetch the signing keys stays a 500: that is ours, not the caller's.
 */
export function answerBadTokensWith401(adapter: TeamsAdapter): void {
  // The adapter's authentication is protected in botbuilder's typings; it is the one object every request uses.
  const auth = (adapter as unknown as { botFrameworkAuthentication: BotFrameworkAuthentication })
    .botFrameworkAuthentication;
  const authenticate = auth.authenticateRequest.bind(auth);
  auth.authenticateRequest = async (activity, authHeader) => {
    try {
      return await authenticate(activity, authHeader);
    } catch (error) {
      if (error instanceof Error && TOKEN_ERRORS.has(error.name))
        throw new AuthenticationError("Unauthorized.", StatusCodes.UNAUTHORIZED);
      throw error;
    }
  };
}
