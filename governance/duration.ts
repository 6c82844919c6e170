/** A span of minutes the way a care manager says it: 45 → "45 min", 200 → "3 h 20 min", 3120 → "2 days 4 h". */
export function formatDuration(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return `${m} min`;
  if (m < 1440) {
    const rest = m % 60;
    return `${Math.floor(m / 60)} h${rest > 0 ? ` ${rest} min` : ""}`;
  }
  const days = Math.floor(m / 1440);
  const hours = Math.floor((m % 1440) / 60);
  return `${days} ${days === 1 ? "day" : "days"}${hours > 0 ? ` ${hours} h` : ""}`;
}
