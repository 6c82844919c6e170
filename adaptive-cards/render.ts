// The package index also exports a JSON-schema helper whose types point into adaptivecards' TypeScript sources;
// importing the template engine alone keeps those out of our type check.
import { Template } from "adaptivecards-templating/lib/template-engine.js";

/** An Adaptive Card as sent to Teams (version 1.5, the highest Teams renders). */
export type AdaptiveCard = Record<string, unknown> & { type: "AdaptiveCard"; version: string };

/**
 * Expands a template with data. Values are inserted as data, never re-expanded, so text a person typed
 * (even containing `${…}`) shows as typed.
 */
export function expand(template: object, data: object): AdaptiveCard {
  let prepared = prepared_.get(template);
  if (!prepared) {
    // Parsing a template costs milliseconds; filling a parsed one, a fraction of that. Templates are constants.
    prepared = new Template(template);
    prepared_.set(template, prepared);
  }
  const card = prepared.expand({ $root: data }) as AdaptiveCard;
  delete card.$schema;
  return card;
}

const prepared_ = new WeakMap<object, Template>();
