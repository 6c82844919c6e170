/**
 * Test-side validation for every Adaptive Card the bot sends to Teams.
 *
 * `validateCard(card)` returns an empty array for a valid card, otherwise one readable message per
 * problem, each starting with its source (`[schema]`, `[adaptivecards]` or `[teams]`) and a JSON
 * pointer into the card. Three independent checks run:
 *
 *  1. `[schema]` the public Adaptive Cards 1.5 JSON schema (draft-06) compiled with ajv 8. The schema
 *     file lives in `shared/schemas/` beside the repository (`<repo>/../shared/...`), so its path is
 *     computed from this module's URL, never from the working directory.
 *  2. `[adaptivecards]` the `adaptivecards` 3.0.6 object model: `AdaptiveCard.parse` with a 1.5
 *     serialization context, then `validateProperties()`.
 *  3. `[teams]` host rules the schema cannot express: top-level `version` present and <= 1.5, every
 *     `Action.Execute` has a non-empty `verb`, the serialized card is under 28 KB, and the Teams people
 *     picker extension (`choices.data`) is well formed.
 *
 * Teams people picker: Teams accepts `"choices.data": { "type": "Data.Query", "dataset": "..." }` on
 * `Input.ChoiceSet`. The 1.5 schema has `additionalProperties: false` there, and `adaptivecards` 3.0.6
 * only knows the property from version 1.6. So checks 1 and 2 run on a copy of the card from which
 * `choices.data` has been removed, but only where it is exactly a Data.Query with a string dataset;
 * anything else stays and still fails. Such a picker legitimately has no static `choices`, so the
 * library's "must have at least one choice" failure is suppressed for those elements only.
 *
 * No DOM shim is needed: `adaptivecards` 3.0.6 only reads `window` behind `typeof window` guards at
 * import, and parsing/validation never touch `document`/`window` (rendering does, and we never render).
 *
 * Import note: the package's `main` (lib/adaptivecards.js) is ES module syntax with extensionless
 * relative imports in a package without `"type": "module"`. It loads under vitest and tsx, which
 * transform it; plain `node` cannot import it. That is fine for a test helper.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as AC from "adaptivecards";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import ajvFormats from "ajv-formats";

/** Teams' safe limit for a message carrying a card: 28 KB of serialized JSON. */
export const TEAMS_MAX_CARD_BYTES = 28 * 1024;

/** Highest card version Teams renders reliably (and the schema we validate against). */
const MAX_MAJOR = 1;
const MAX_MINOR = 5;

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SCHEMA_PATH = path.resolve(REPO_ROOT, "../shared/schemas/adaptive-card-1.5.json");

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function pointer(segments: readonly (string | number)[]): string {
  if (segments.length === 0) return "/";
  return segments.map((s) => `/${String(s).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

function parsePointer(ptr: string): string[] {
  if (ptr === "" || ptr === "/") return [];
  return ptr
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function childOf(value: unknown, segment: string): unknown {
  if (Array.isArray(value)) return value[Number(segment)];
  if (isObject(value)) return value[segment];
  return undefined;
}

function typeOf(value: unknown): string | undefined {
  return isObject(value) && typeof value.type === "string" ? value.type : undefined;
}

function describe(ptr: string, node: unknown): string {
  const type = typeOf(node);
  return type ? `${ptr} (${type})` : ptr;
}

/**
 * Visit every object in the card with its path, skipping `data` payloads (free-form bot data on
 * actions and `choices.data`), so an `{ "type": ... }` inside action data is never mistaken for a card
 * element.
 */
function walkObjects(
  value: unknown,
  visit: (node: JsonObject, segments: (string | number)[]) => void,
  segments: (string | number)[] = [],
): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      walkObjects(item, visit, [...segments, i]);
    });
    return;
  }
  if (!isObject(value)) return;
  visit(value, segments);
  for (const [key, child] of Object.entries(value)) {
    if (key === "data" || key === "choices.data") continue;
    walkObjects(child, visit, [...segments, key]);
  }
}

// ---------------------------------------------------------------------------------------------------
// Teams people picker extension
// ---------------------------------------------------------------------------------------------------

function isTeamsDataQuery(value: unknown): boolean {
  return isObject(value) && value.type === "Data.Query" && typeof value.dataset === "string";
}

/**
 * Removes well-formed `choices.data` from every Input.ChoiceSet in `copy` (mutates it: pass a deep
 * copy). Returns the stripped nodes so the adaptivecards check can recognise them.
 */
function stripPeoplePickerData(copy: unknown): Set<JsonObject> {
  const stripped = new Set<JsonObject>();
  walkObjects(copy, (node) => {
    if (node.type === "Input.ChoiceSet" && isTeamsDataQuery(node["choices.data"])) {
      delete node["choices.data"];
      stripped.add(node);
    }
  });
  return stripped;
}

// ---------------------------------------------------------------------------------------------------
// Check 3: Teams host rules
// ---------------------------------------------------------------------------------------------------

function teamsChecks(card: JsonObject, serializedBytes: number): string[] {
  const problems: string[] = [];

  if (serializedBytes >= TEAMS_MAX_CARD_BYTES) {
    problems.push(
      `[teams] /: serialized card is ${serializedBytes} bytes; it must be under ${TEAMS_MAX_CARD_BYTES} bytes (28 KB), Teams' safe message size`,
    );
  }

  const version = card.version;
  if (version === undefined) {
    problems.push(`[teams] /version: top-level card has no "version"; Teams requires one ("1.5" or lower)`);
  } else {
    const match = typeof version === "string" ? /^(\d+)\.(\d+)$/.exec(version) : null;
    if (!match) {
      problems.push(`[teams] /version: ${JSON.stringify(version)} is not a version string like "1.5"`);
    } else {
      const major = Number(match[1]);
      const minor = Number(match[2]);
      if (major > MAX_MAJOR || (major === MAX_MAJOR && minor > MAX_MINOR)) {
        problems.push(`[teams] /version: card version "${version}" is too new; the maximum is "1.5"`);
      }
    }
  }

  walkObjects(card, (node, segments) => {
    const at = pointer(segments);
    if (node.type === "Action.Execute") {
      const verb = node.verb;
      if (typeof verb !== "string" || verb.trim() === "") {
        problems.push(
          `[teams] ${at} (Action.Execute): missing or empty "verb"; Teams does not send the adaptiveCard/action invoke without it`,
        );
      }
    }
    if (
      node.type === "Input.ChoiceSet" &&
      "choices.data" in node &&
      !isTeamsDataQuery(node["choices.data"])
    ) {
      problems.push(
        `[teams] ${at}/choices.data (Input.ChoiceSet): the Teams people picker extension must be exactly ` +
          `{ "type": "Data.Query", "dataset": <string> }, got ${JSON.stringify(node["choices.data"])}`,
      );
    }
  });

  return problems;
}

// ---------------------------------------------------------------------------------------------------
// Check 1: JSON schema (ajv)
// ---------------------------------------------------------------------------------------------------

interface SchemaValidator {
  validate: ValidateFunction;
  /** Schema sub-object -> name of the definition that contains it (for error attribution). */
  ownerOf: Map<object, string>;
  /** Definition name -> definitions it builds on (allOf bases, property types), excluding polymorphic children. */
  relevant: Map<string, Set<string>>;
}

let schemaValidator: SchemaValidator | undefined;

function getSchemaValidator(): SchemaValidator {
  if (schemaValidator) return schemaValidator;

  let schema: JsonObject;
  try {
    schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as JsonObject;
  } catch (error) {
    throw new Error(
      `cardValidation: cannot read the Adaptive Cards 1.5 schema at ${SCHEMA_PATH} (expected shared/ beside the repository): ${String(error)}`,
    );
  }

  const require = createRequire(import.meta.url);
  // verbose: errors carry `parentSchema`, which is how an error is attributed to an anyOf branch.
  const ajv = new Ajv({ strict: false, allErrors: true, verbose: true });
  ajv.addMetaSchema(require("ajv/dist/refs/json-schema-draft-06.json") as object);
  ajvFormats.default(ajv);
  // The schema uses draft-06 `id`; ajv 8 throws on it even with strict:false.
  ajv.removeKeyword("id");
  const validate = ajv.compile(schema);

  const definitions = (isObject(schema.definitions) ? schema.definitions : {}) as JsonObject;
  const ownerOf = new Map<object, string>();
  const directRefs = new Map<string, Set<string>>();
  for (const [name, definition] of Object.entries(definitions)) {
    const refs = new Set<string>();
    const visit = (value: unknown): void => {
      if (typeof value !== "object" || value === null) return;
      ownerOf.set(value, name);
      if (isObject(value) && typeof value.$ref === "string") {
        const target = value.$ref.replace(/^#\/definitions\//, "");
        // ImplementationsOf.* are polymorphic child slots: their errors belong to the (typed) child.
        if (!target.startsWith("ImplementationsOf.")) refs.add(target);
      }
      for (const child of Object.values(value)) visit(child);
    };
    visit(definition);
    directRefs.set(name, refs);
  }
  const relevant = new Map<string, Set<string>>();
  for (const name of directRefs.keys()) {
    const closure = new Set<string>([name]);
    const queue = [name];
    for (let current = queue.pop(); current !== undefined; current = queue.pop()) {
      for (const next of directRefs.get(current) ?? []) {
        if (!closure.has(next)) {
          closure.add(next);
          queue.push(next);
        }
      }
    }
    relevant.set(name, closure);
  }

  schemaValidator = { validate, ownerOf, relevant };
  return schemaValidator;
}

/** The deepest object on `ptr` (itself or an ancestor) that has a string `type`, with its pointer. */
function typedAncestor(root: unknown, ptr: string): { node: JsonObject; ptr: string } | undefined {
  const segments = parsePointer(ptr);
  let found: { node: JsonObject; ptr: string } | undefined;
  let current: unknown = root;
  for (let i = 0; ; i++) {
    if (typeOf(current) !== undefined)
      found = { node: current as JsonObject, ptr: pointer(segments.slice(0, i)) };
    const segment = segments[i];
    if (segment === undefined) break;
    current = childOf(current, segment);
    if (current === undefined) break;
  }
  return found;
}

function formatAjvError(root: unknown, error: ErrorObject): string {
  const at = error.instancePath || "/";
  const node = error.instancePath ? parsePointer(error.instancePath).reduce(childOf, root) : root;
  const where = describe(at, node);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties":
      return `[schema] ${where}: unknown property "${String(params.additionalProperty)}" (not allowed by the 1.5 schema)`;
    case "required":
      return `[schema] ${where}: missing required property "${String(params.missingProperty)}"`;
    case "enum":
      return `[schema] ${where}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "type":
      return `[schema] ${where}: must be of type ${String(params.type)}`;
    default:
      return `[schema] ${where}: ${error.message ?? error.keyword}`;
  }
}

function branchTypes(schema: unknown): string[] {
  const branches = isObject(schema) && Array.isArray(schema.anyOf) ? schema.anyOf : [];
  const types: string[] = [];
  for (const branch of branches) {
    const allOf = isObject(branch) && Array.isArray(branch.allOf) ? branch.allOf : [];
    for (const part of allOf) {
      if (isObject(part) && typeof part.$ref === "string")
        types.push(part.$ref.replace(/^#\/definitions\//, ""));
    }
  }
  return types;
}

/** `type` errors at one path from an anyOf (e.g. string | object) become one "string or object" error. */
function mergeTypeErrors(errors: ErrorObject[]): ErrorObject[] {
  const byPath = new Map<string, ErrorObject>();
  const result: ErrorObject[] = [];
  for (const error of errors) {
    if (error.keyword !== "type") {
      result.push(error);
      continue;
    }
    const existing = byPath.get(error.instancePath);
    if (existing) {
      const params = existing.params as { type: string };
      const extra = String((error.params as { type: unknown }).type);
      if (!params.type.split(" or ").includes(extra)) params.type = `${params.type} or ${extra}`;
      continue;
    }
    const copy = { ...error, params: { type: String((error.params as { type: unknown }).type) } };
    byPath.set(error.instancePath, copy);
    result.push(copy);
  }
  return result;
}

function schemaCheck(copy: unknown): string[] {
  const { validate, ownerOf, relevant } = getSchemaValidator();
  if (validate(copy)) return [];
  const errors = validate.errors ?? [];

  const slotMessages: string[] = [];
  // Slots whose value matched no branch: every other error at or below them is anyOf noise.
  const brokenSlots: string[] = [];
  const kept: ErrorObject[] = [];

  for (const error of errors) {
    const owner = error.parentSchema ? ownerOf.get(error.parentSchema) : undefined;

    // A polymorphic slot (body item, action, selectAction, inline ...) matched no branch.
    if (error.keyword === "anyOf" && owner?.startsWith("ImplementationsOf.")) {
      const node = parsePointer(error.instancePath).reduce(childOf, copy);
      const allowed = branchTypes(error.parentSchema);
      const at = error.instancePath || "/";
      const kind = owner.replace("ImplementationsOf.", "").toLowerCase();
      const a = /^[aeiou]/.test(kind) ? "an" : "a";
      if (!isObject(node)) {
        slotMessages.push(`[schema] ${at}: must be an object (${a} ${kind}: one of ${allowed.join(", ")})`);
      } else if (typeof node.type !== "string") {
        slotMessages.push(`[schema] ${at}: missing "type" (${a} ${kind}: one of ${allowed.join(", ")})`);
      } else if (!allowed.includes(node.type)) {
        slotMessages.push(
          `[schema] ${at}: unknown or misplaced ${kind} type "${node.type}" (allowed here: ${allowed.join(", ")})`,
        );
      } else {
        continue; // The branch for node.type failed; its own errors (kept below) say why.
      }
      brokenSlots.push(error.instancePath);
      continue;
    }

    // Keep an error only if it comes from the branch that matches the element's own type.
    const typed = typedAncestor(copy, error.instancePath);
    if (!owner || !typed) continue;
    if (!relevant.get(String(typed.node.type))?.has(owner)) continue;
    kept.push(error);
  }

  const within = (ptr: string, ancestor: string): boolean =>
    ptr === ancestor || ptr.startsWith(`${ancestor}/`);
  const relevantErrors = kept.filter((e) => !brokenSlots.some((slot) => within(e.instancePath, slot)));

  // Summary anyOf errors inside a definition (e.g. `data: string | object`) only when nothing more
  // specific was reported at or below the same path.
  const specific = relevantErrors.filter((e) => e.keyword !== "anyOf");
  const summaries = relevantErrors.filter(
    (e) => e.keyword === "anyOf" && !specific.some((s) => within(s.instancePath, e.instancePath)),
  );
  const rank = (e: ErrorObject): number => (e.keyword === "additionalProperties" ? 0 : 1);
  const depth = (e: ErrorObject): number => parsePointer(e.instancePath).length;
  // Enum-like properties are `anyOf [enum, case-insensitive pattern, null]`: the enum error says it all.
  const enumPaths = new Set(specific.filter((e) => e.keyword === "enum").map((e) => e.instancePath));
  const simplified = [...specific, ...summaries].filter(
    (e) => !(enumPaths.has(e.instancePath) && (e.keyword === "pattern" || e.keyword === "type")),
  );
  const ordered = mergeTypeErrors(simplified)
    .sort((a, b) => rank(a) - rank(b) || depth(b) - depth(a))
    .map((e) => formatAjvError(copy, e));

  const messages = unique([...slotMessages, ...ordered]);
  if (messages.length > 0) return messages;

  // Fallback (should be rare): the brief heuristic of additionalProperties plus the deepest
  // required/enum/type errors, and at least one message.
  const interesting = errors.filter((e) =>
    ["additionalProperties", "required", "enum", "type"].includes(e.keyword),
  );
  const maxDepth = Math.max(-1, ...interesting.map(depth));
  const fallback = interesting
    .filter((e) => e.keyword === "additionalProperties" || depth(e) === maxDepth)
    .map((e) => formatAjvError(copy, e));
  if (fallback.length > 0) return unique(fallback);
  const first = errors[0];
  return [
    first ? formatAjvError(copy, first) : "[schema] /: card does not match the Adaptive Cards 1.5 schema",
  ];
}

// ---------------------------------------------------------------------------------------------------
// Check 2: adaptivecards object model
// ---------------------------------------------------------------------------------------------------

/**
 * Events that are advice rather than problems: `Hint` and `Deprecated` are informational, and the two
 * `RequiredInputsShouldHave*` events are accessibility recommendations (the library words them
 * "should"; Teams renders such inputs). `ToJSON`-phase events cannot occur: we never serialize.
 */
const IGNORED_EVENTS = new Set<AC.ValidationEvent>([
  AC.ValidationEvent.Hint,
  AC.ValidationEvent.Deprecated,
  AC.ValidationEvent.RequiredInputsShouldHaveLabel,
  AC.ValidationEvent.RequiredInputsShouldHaveErrorMessage,
]);

/** The JSON object a parsed library object was built from (kept only with enableFullJsonRoundTrip). */
function rawJsonOf(source: AC.SerializableObject | undefined): unknown {
  return source ? (source as unknown as { _rawProperties?: unknown })._rawProperties : undefined;
}

function adaptiveCardsCheck(copy: JsonObject, peoplePickers: Set<JsonObject>): string[] {
  const paths = new Map<object, string>();
  walkObjects(copy, (node, segments) => {
    paths.set(node, pointer(segments));
  });
  // The library reports a missing type as type "undefined"; look for untyped objects in element or
  // action slots then.
  const untypedInSlots: string[] = [];
  walkObjects(copy, (node, segments) => {
    const last = segments.at(-1);
    const parentKey = typeof last === "number" ? segments.at(-2) : last;
    if (
      typeOf(node) === undefined &&
      ["body", "items", "actions", "selectAction", "fallback"].includes(String(parentKey))
    ) {
      untypedInSlots.push(pointer(segments));
    }
  });
  const pathsOfType = (type: string): string[] =>
    type === "undefined"
      ? untypedInSlots
      : [...paths.entries()].filter(([node]) => typeOf(node) === type).map(([, p]) => p);

  const card = new AC.AdaptiveCard();
  // Host max version 1.5: the version check in validateProperties() compares against maxVersion.
  card.maxVersion = AC.Versions.v1_5;
  const context = new AC.SerializationContext(AC.Versions.v1_5);

  // enableFullJsonRoundTrip makes every parsed object keep a reference to its source JSON, which is
  // how events are mapped back to a JSON path. Parsing is synchronous, so the global flip is safe.
  const previous = AC.GlobalSettings.enableFullJsonRoundTrip;
  AC.GlobalSettings.enableFullJsonRoundTrip = true;
  let events: AC.IValidationEvent[];
  try {
    card.parse(copy, context);
    events = [];
    for (let i = 0; i < context.eventCount; i++) events.push(context.getEventAt(i));
    events.push(...card.validateProperties().validationEvents);
  } finally {
    AC.GlobalSettings.enableFullJsonRoundTrip = previous;
  }

  const messages: string[] = [];
  for (const event of events) {
    if (event.phase === AC.ValidationPhase.ToJSON || IGNORED_EVENTS.has(event.event)) continue;
    const raw = rawJsonOf(event.source);
    if (
      event.event === AC.ValidationEvent.CollectionCantBeEmpty &&
      isObject(raw) &&
      peoplePickers.has(raw) &&
      !(Array.isArray(raw.choices) && raw.choices.length > 0)
    ) {
      continue; // Teams people picker: choices come from the Data.Query, not the card.
    }

    let where: string;
    const rawPath = isObject(raw) ? paths.get(raw) : undefined;
    if (rawPath !== undefined) {
      where = describe(rawPath, raw);
    } else if (
      event.event === AC.ValidationEvent.UnknownElementType ||
      event.event === AC.ValidationEvent.UnknownActionType ||
      event.event === AC.ValidationEvent.ElementTypeNotAllowed ||
      event.event === AC.ValidationEvent.ActionTypeNotAllowed
    ) {
      // These are logged without a source; find the offending objects by the quoted type name.
      const typeName = /"([^"]+)"/.exec(event.message)?.[1];
      const found = typeName ? pathsOfType(typeName) : [];
      where = found.length > 0 ? found.join(", ") : "/";
    } else {
      where = "/";
    }
    messages.push(`[adaptivecards] ${where}: ${event.message} [${AC.ValidationEvent[event.event]}]`);
  }
  return unique(messages);
}

// ---------------------------------------------------------------------------------------------------

function unique(messages: string[]): string[] {
  return [...new Set(messages)];
}

/**
 * Validates an Adaptive Card as the bot would send it to Teams. Returns `[]` when the card is valid,
 * otherwise readable messages, each naming its validator and a JSON pointer into the card.
 */
export function validateCard(card: unknown): string[] {
  let serialized: string | undefined;
  try {
    serialized = JSON.stringify(card);
  } catch (error) {
    return [`[teams] /: card cannot be serialized to JSON: ${String(error)}`];
  }
  if (serialized === undefined || !isObject(card)) {
    return [`[teams] /: card must be a JSON object, got ${Array.isArray(card) ? "an array" : typeof card}`];
  }

  // Validate exactly what goes on the wire (undefined properties dropped etc.), on a private copy.
  const wire = JSON.parse(serialized) as JsonObject;
  const copy = JSON.parse(serialized) as JsonObject;
  const peoplePickers = stripPeoplePickerData(copy);

  return [
    ...teamsChecks(wire, Buffer.byteLength(serialized, "utf8")),
    ...schemaCheck(copy),
    ...adaptiveCardsCheck(copy, peoplePickers),
  ];
}
