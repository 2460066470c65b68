export const DAY_MS = 86_400_000;

/** Calendar days in UTC: deadlines are counted in whole 24-hour days from the order time. */
export function addDays(at: number, days: number): number {
  return at + days * DAY_MS;
}

export function daysBetween(from: number, to: number): number {
  return (to - from) / DAY_MS;
}
