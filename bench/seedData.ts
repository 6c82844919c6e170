/**
 * The people and words the benches build their issues from, and a seeded random source, so every run seeds the
 * same realistic data.
 */
import type { Priority } from "../governance/commandLog.js";
import { PEOPLE } from "../test/support/fixtures.js";

export /** A small seeded generator (mulberry32), so every run seeds the same command log. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const person = (objectId: string, name: string) => ({ objectId, name });
const { priya, tom, grace, dev } = PEOPLE;
/** Who raises issues on the floor, who owns them, and who verifies closure. */
export const RAISERS = [
  person(tom.objectId, tom.name),
  person(grace.objectId, grace.name),
  person("bd000000-0000-4000-8000-000000000001", "Amira Hussain"),
  person("bd000000-0000-4000-8000-000000000002", "Kofi Asante"),
  person("bd000000-0000-4000-8000-000000000003", "Ellen Byrne"),
];
export const OWNERS = [person(dev.objectId, dev.name), person(tom.objectId, tom.name)];
export const VERIFIERS = [person(grace.objectId, grace.name), person(priya.objectId, priya.name)];

export const WHERE = [
  "in the lounge on the ground floor",
  "for residents on the first floor",
  "on two of the four night tablets",
  "since this morning's update",
  "for agency staff only",
];

export const EVIDENCE = [
  "Supplier fix deployed; re-tested with the team leader on three tablets, all entries saved and synced.",
  "Accounts re-provisioned and every night-shift member logged in during the handover check.",
  "Template corrected by the supplier; two completed assessments checked against the paper copy.",
];

export function pick<T>(list: readonly T[], r: () => number): T {
  return list[Math.floor(r() * list.length)] as T;
}

export function pickPriority(r: () => number): Priority {
  const x = r();
  return x < 0.03 ? "P1" : x < 0.15 ? "P2" : x < 0.6 ? "P3" : "P4";
}
