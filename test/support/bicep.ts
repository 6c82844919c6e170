import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type Parser from "tree-sitter";

/**
 * Reads `infra/*.bicep` through a syntax tree (tree-sitter-bicep), not regular expressions, so a comment or a
 * string that merely looks like a declaration is never taken for one. No Bicep compiler can be installed here;
 * this checks syntax and lets tests read what the templates declare.
 */

type SyntaxNode = Parser.SyntaxNode;

const require = createRequire(import.meta.url);
const TreeSitter = require("tree-sitter") as typeof Parser;
const bicepLanguage = require("tree-sitter-bicep") as Parser.Language;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const INFRA_DIR = join(ROOT, "infra");
export const MAIN_BICEP = join(INFRA_DIR, "azure.bicep");
export const PARAMETERS_FILE = join(INFRA_DIR, "azure.parameters.json");

let parser: Parser | undefined;

export function parseBicep(source: string): Parser.Tree {
  if (!parser) {
    parser = new TreeSitter();
    parser.setLanguage(bicepLanguage);
  }
  // The default buffer is too small for sources over 32 KiB.
  return parser.parse(source, null, { bufferSize: Math.max(32 * 1024, source.length * 2 + 1) });
}

const trees = new Map<string, SyntaxNode>();

function rootOf(file: string): SyntaxNode {
  let root = trees.get(file);
  if (!root) {
    root = parseBicep(readFileSync(file, "utf8")).rootNode;
    trees.set(file, root);
  }
  return root;
}

/** Every `.bicep` file under `infra/`, sorted. */
export function bicepFiles(dir: string = INFRA_DIR): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...bicepFiles(path));
    else if (name.endsWith(".bicep")) files.push(path);
  }
  return files;
}

export interface SyntaxProblem {
  kind: "ERROR" | "MISSING";
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** The offending text (for MISSING, the token the parser expected). */
  text: string;
}

/** The first ERROR or MISSING node in document order, or undefined when the source parses cleanly. */
export function firstSyntaxProblem(source: string): SyntaxProblem | undefined {
  const root = parseBicep(source).rootNode;
  if (!root.hasError) return undefined;
  const visit = (node: SyntaxNode): SyntaxProblem | undefined => {
    if (node.isError || node.isMissing) {
      return {
        kind: node.isMissing ? "MISSING" : "ERROR",
        line: node.startPosition.row + 1,
        column: node.startPosition.column + 1,
        text: node.isMissing ? node.type : node.text.slice(0, 60),
      };
    }
    for (const child of node.children) {
      const found = visit(child);
      if (found) return found;
    }
    return undefined;
  };
  return visit(root);
}

export function describeProblem(file: string, problem: SyntaxProblem | undefined): string {
  if (!problem) return `${file}: no syntax error`;
  const what =
    problem.kind === "MISSING" ? `missing ${problem.text}` : `unexpected ${JSON.stringify(problem.text)}`;
  return `${file}:${problem.line}:${problem.column}: ${what}`;
}

// ---------------------------------------------------------------------------------------------------------
// Reading the tree
// ---------------------------------------------------------------------------------------------------------

function meaningful(node: SyntaxNode): SyntaxNode[] {
  return node.namedChildren.filter((child) => child.type !== "comment");
}

/** The value of a string literal without interpolation (`'a\'b'` → `a'b`); undefined for anything else. */
export function stringValue(node: SyntaxNode | undefined): string | undefined {
  if (node?.type !== "string") return undefined;
  let value = "";
  for (const part of node.namedChildren) {
    if (part.type === "string_content") value += part.text;
    else if (part.type === "escape_sequence") value += unescapeSequence(part.text);
    else return undefined; // an interpolation: not a constant
  }
  return value;
}

function unescapeSequence(sequence: string): string {
  const escaped: Record<string, string> = { "\\n": "\n", "\\r": "\r", "\\t": "\t", "\\$": "$" };
  return escaped[sequence] ?? sequence.slice(1);
}

function propertyName(property: SyntaxNode): string | undefined {
  const key = meaningful(property)[0];
  if (!key) return undefined;
  return key.type === "string" ? stringValue(key) : key.text;
}

/** The properties of an object literal, by name (in order). */
export function objectProperties(object: SyntaxNode): Map<string, SyntaxNode> {
  const properties = new Map<string, SyntaxNode>();
  if (object.type !== "object") return properties;
  for (const property of meaningful(object)) {
    if (property.type !== "object_property") continue;
    const name = propertyName(property);
    const value = meaningful(property)[1];
    if (name !== undefined && value) properties.set(name, value);
  }
  return properties;
}

/** Follows a path of property names through nested object literals (`['properties', 'siteConfig']`). */
export function propertyAt(object: SyntaxNode | undefined, path: readonly string[]): SyntaxNode | undefined {
  let node = object;
  for (const name of path) {
    if (!node) return undefined;
    node = objectProperties(node).get(name);
  }
  return node;
}

/** The elements of an array literal (comments left out). */
export function arrayElements(array: SyntaxNode | undefined): SyntaxNode[] {
  return array?.type === "array" ? meaningful(array) : [];
}

/** The declarations of one kind at the top level of a file. */
function declarations(file: string, type: string): SyntaxNode[] {
  return meaningful(rootOf(file)).filter((node) => node.type === type);
}

function declaredName(declaration: SyntaxNode): string {
  const name = declaration.namedChildren.find((child) => child.type === "identifier");
  if (!name)
    throw new Error(`A ${declaration.type} without a name at line ${declaration.startPosition.row + 1}`);
  return name.text;
}

export interface BicepParam {
  name: string;
  /** The default value's source text; undefined when the parameter has none (it must then be given). */
  defaultText: string | undefined;
  defaultValue: SyntaxNode | undefined;
  /** Decorators by name (`secure`, `allowed`, `minLength`…) with their argument nodes. */
  decorators: Map<string, SyntaxNode[]>;
}

function decoratorsOf(declaration: SyntaxNode): Map<string, SyntaxNode[]> {
  const found = new Map<string, SyntaxNode[]>();
  let sibling = declaration.previousNamedSibling;
  while (sibling && sibling.type === "comment") sibling = sibling.previousNamedSibling;
  if (sibling?.type !== "decorators") return found;
  for (const decorator of sibling.namedChildren) {
    const call = decorator.namedChildren[0];
    if (call?.type !== "call_expression") continue;
    const fn = call.childForFieldName("function");
    const args = call.childForFieldName("arguments");
    if (fn) found.set(fn.text.replace(/^sys\./, ""), args ? meaningful(args) : []);
  }
  return found;
}

export function bicepParamDetails(file: string = MAIN_BICEP): BicepParam[] {
  return declarations(file, "parameter_declaration").map((declaration) => {
    const children = declaration.children;
    const equals = children.findIndex((child) => child.type === "=");
    const defaultValue = equals >= 0 ? children.slice(equals + 1).find((child) => child.isNamed) : undefined;
    return {
      name: declaredName(declaration),
      defaultText: defaultValue?.text,
      defaultValue,
      decorators: decoratorsOf(declaration),
    };
  });
}

/** The names of the file's `param`s, in order. */
export function bicepParams(file: string = MAIN_BICEP): string[] {
  return bicepParamDetails(file).map((param) => param.name);
}

/** The names of the file's `output`s, in order. */
export function bicepOutputs(file: string = MAIN_BICEP): string[] {
  return declarations(file, "output_declaration").map(declaredName);
}

export function bicepOutputValues(file: string = MAIN_BICEP): Map<string, SyntaxNode> {
  const outputs = new Map<string, SyntaxNode>();
  for (const declaration of declarations(file, "output_declaration")) {
    const children = declaration.children;
    const equals = children.findIndex((child) => child.type === "=");
    const value = children.slice(equals + 1).find((child) => child.isNamed);
    if (value) outputs.set(declaredName(declaration), value);
  }
  return outputs;
}

/** `var` declarations by name, to their value. */
export function bicepVariables(file: string = MAIN_BICEP): Map<string, SyntaxNode> {
  const variables = new Map<string, SyntaxNode>();
  for (const declaration of declarations(file, "variable_declaration")) {
    const value = meaningful(declaration)[1];
    if (value) variables.set(declaredName(declaration), value);
  }
  return variables;
}

/** An identifier naming a `var` stands for the variable's value; anything else is returned as it is. */
export function resolveVariable(
  node: SyntaxNode | undefined,
  file: string = MAIN_BICEP,
): SyntaxNode | undefined {
  if (node?.type !== "identifier") return node;
  return bicepVariables(file).get(node.text) ?? node;
}

export interface BicepResource {
  file: string;
  symbol: string;
  /** e.g. `Microsoft.Web/sites` (a nested resource's type as written, e.g. `blobServices`). */
  type: string;
  apiVersion: string;
  /** The resource body (for a conditional resource, the body after `if (…)`). */
  body: SyntaxNode;
  /** The `if (…)` condition's text, when the resource is conditional. */
  condition: string | undefined;
}

function resourcesUnder(file: string, scope: SyntaxNode): BicepResource[] {
  const found: BicepResource[] = [];
  for (const node of meaningful(scope)) {
    const declaration =
      node.type === "resource_declaration"
        ? node
        : node.type === "object_property"
          ? meaningful(node).find((child) => child.type === "resource_declaration")
          : undefined;
    if (!declaration) continue;
    const typeNode = declaration.namedChildren.find((child) => child.type === "string");
    const [type = "", apiVersion = ""] = (stringValue(typeNode) ?? "").split("@");
    const last = declaration.namedChildren[declaration.namedChildren.length - 1];
    let body: SyntaxNode | undefined = last;
    let condition: string | undefined;
    if (last?.type === "if_statement") {
      condition = last.namedChildren[0]?.text;
      body = last.namedChildren.find((child) => child.type === "object");
    }
    if (body?.type !== "object") continue; // loops are not used in infra/; nothing to read
    found.push({ file, symbol: declaredName(declaration), type, apiVersion, body, condition });
    found.push(...resourcesUnder(file, body));
  }
  return found;
}

/** Every resource declared in the given files (default: all of `infra/`). */
export function bicepResources(files: readonly string[] = bicepFiles()): BicepResource[] {
  return files.flatMap((file) => resourcesUnder(file, rootOf(file)));
}

export function resourcesOfType(type: string, files?: readonly string[]): BicepResource[] {
  return bicepResources(files).filter((resource) => resource.type.toLowerCase() === type.toLowerCase());
}

/** The one resource of a type; throws when there is none or more than one. */
export function onlyResourceOfType(type: string, files?: readonly string[]): BicepResource {
  const found = resourcesOfType(type, files);
  if (found.length !== 1) {
    throw new Error(`Expected exactly one ${type} in infra/, found ${found.length}`);
  }
  return found[0] as BicepResource;
}

/**
 * The Function App's `siteConfig.appSettings`: each entry's name to its value expression's source text
 * (a string literal keeps its quotes: `'managedidentity'`; a reference is as written:
 * `identity.properties.clientId`).
 */
export function functionAppSettings(): Map<string, string> {
  const site = onlyResourceOfType("Microsoft.Web/sites");
  const array = resolveVariable(
    propertyAt(site.body, ["properties", "siteConfig", "appSettings"]),
    site.file,
  );
  if (array?.type !== "array") {
    throw new Error("The Function App has no siteConfig.appSettings array literal");
  }
  const settings = new Map<string, string>();
  for (const entry of arrayElements(array)) {
    const properties = objectProperties(entry);
    const name = stringValue(properties.get("name"));
    const value = properties.get("value");
    if (name === undefined || !value) {
      throw new Error(`An app setting at line ${entry.startPosition.row + 1} is not { name: '…', value: … }`);
    }
    if (settings.has(name)) throw new Error(`The app setting ${name} is set twice`);
    settings.set(name, value.text);
  }
  return settings;
}

export interface RoleAssignment {
  symbol: string;
  /** The `scope:` expression's text (the symbol of the resource the role is granted on). */
  scope: string | undefined;
  /** The role definition's GUID, found in the expression or through a `var` object (`roleIds.x`). */
  roleDefinitionGuid: string | undefined;
  principalId: string | undefined;
  principalType: string | undefined;
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

function guidIn(node: SyntaxNode, file: string): string | undefined {
  const literal = stringValue(node);
  if (literal !== undefined) return GUID.exec(literal)?.[0];
  if (node.type === "member_expression") {
    // `roleIds.storageTableDataContributor` → the property of the `roleIds` variable's object literal
    const object = node.childForFieldName("object");
    const property = node.childForFieldName("property");
    const variable = resolveVariable(object ?? undefined, file);
    if (variable?.type === "object" && property) {
      const value = objectProperties(variable).get(property.text);
      return value ? guidIn(value, file) : undefined;
    }
    return undefined;
  }
  for (const child of meaningful(node)) {
    const found = guidIn(child, file);
    if (found) return found;
  }
  return undefined;
}

export function roleAssignments(): RoleAssignment[] {
  return resourcesOfType("Microsoft.Authorization/roleAssignments").map((resource) => {
    const roleDefinitionId = propertyAt(resource.body, ["properties", "roleDefinitionId"]);
    return {
      symbol: resource.symbol,
      scope: propertyAt(resource.body, ["scope"])?.text,
      roleDefinitionGuid: roleDefinitionId
        ? guidIn(roleDefinitionId, resource.file)?.toLowerCase()
        : undefined,
      principalId: propertyAt(resource.body, ["properties", "principalId"])?.text,
      principalType: stringValue(propertyAt(resource.body, ["properties", "principalType"])),
    };
  });
}

/** Every function call in the given files, by the called name (`listKeys`, `storage.listKeys`…). */
export function calledFunctions(files: readonly string[] = bicepFiles()): string[] {
  const names: string[] = [];
  const visit = (node: SyntaxNode): void => {
    if (node.type === "call_expression") {
      const fn = node.childForFieldName("function");
      if (fn) names.push(fn.text);
    }
    for (const child of node.namedChildren) visit(child);
  };
  for (const file of files) visit(rootOf(file));
  return names;
}

/** Every identifier and property name used in an expression (to see what it refers to). */
export function identifiersIn(node: SyntaxNode): string[] {
  const names: string[] = [];
  const visit = (current: SyntaxNode): void => {
    if (current.type === "identifier" || current.type === "property_identifier") names.push(current.text);
    for (const child of current.namedChildren) visit(child);
  };
  visit(node);
  return names;
}
