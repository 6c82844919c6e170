/**
 * Cuts the texts people typed to fit one render of a card, and remembers whether any was cut, so the card can say
 * that the full text is in the governance log. Cards try smaller fits (a smaller `scale`) until under 28 KB.
 */
export class Cutter {
  shortened = false;
  constructor(private readonly scale = 1) {}

  /** `text` in at most `base × scale` characters (never fewer than `min`), ending in … when cut. */
  text(text: string, base: number, min = 20): string {
    const max = Math.max(min, Math.round(base * this.scale));
    const clean = text.trim();
    if (clean.length <= max) return clean;
    let kept = clean.slice(0, max - 1).trimEnd();
    // Never cut a character in two (a surrogate pair, e.g. an emoji).
    if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1);
    this.shortened = true;
    return `${kept}…`;
  }

  name(name: string): string {
    return this.text(name, 100, 40);
  }
}
