import { type AdaptiveCard, expand } from "./render.js";
import packTemplate from "./templates/evidence-pack.json" with { type: "json" };

/** The private card with an evidence pack's links (they expire), sent to the person who asked for it. */
export function evidencePackCard(view: {
  projectName: string;
  /** e.g. "9 Oct 2026 to 27 Nov 2026 (Europe/London)". */
  period: string;
  /** When the links stop working, in the person's words, e.g. "10:48 on 27 Nov 2026". */
  expires: string;
  files: string;
  entries: string;
  loggedAs: string;
  manifestSha256: string;
  zipUrl: string;
  reportUrl: string;
}): AdaptiveCard {
  return expand(packTemplate, view);
}
