/**
 * Bounds on what a person can type. Table Storage holds at most 64 KiB per string property and a Teams message
 * must stay under 28 KB, so every free text is bounded here, once, and refused with the limit named.
 */
export const LIMITS = {
  /** A whole chat command, after the bot's mention is removed. */
  commandCharacters: 2_000,
  projectNameCharacters: 100,
  siteNameCharacters: 80,
  sitesPerProject: 30,
  personNameCharacters: 200,
  /** People given one role from the setup card in one go. */
  peoplePerRoleFromCard: 25,
  /** People given roles from the setup card in one save: one transaction holds at most 100 operations. */
  peopleFromSetupCard: 40,
  /** People @mentioned in one command (each is looked up in Teams). */
  mentionsPerCommand: 10,
} as const;
