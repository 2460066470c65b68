/**
 * The local shops keep Eastern time, like the shop in Shopify's samples: REST payloads carry local wall
 * time with its offset ("2021-12-31T19:00:00-05:00"), while GraphQL's DateTime is UTC to the second.
 */
export const SHOP_TIMEZONE = "America/New_York";

const offsetFormat = new Intl.DateTimeFormat("en-US", { timeZone: SHOP_TIMEZONE, timeZoneName: "longOffset" });
const abbreviationFormat = new Intl.DateTimeFormat("en-US", { timeZone: SHOP_TIMEZONE, timeZoneName: "short" });

/** The shop's UTC offset at `ms`, in minutes (-300 in winter, -240 in summer). */
export function offsetMinutes(ms: number): number {
  const name = offsetFormat.formatToParts(ms).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  return (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

function formatOffset(minutes: number, separator: string): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}${separator}${String(abs % 60).padStart(2, "0")}`;
}

/** REST form of an instant: the shop's wall time and offset, to the second. */
export function restTime(iso: string | null): string | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  const offset = offsetMinutes(ms);
  return new Date(ms + offset * 60_000).toISOString().slice(0, 19) + formatOffset(offset, ":");
}

export function zoneAt(ms: number) {
  const offset = offsetMinutes(ms);
  return {
    ianaTimezone: SHOP_TIMEZONE,
    abbreviation: abbreviationFormat.formatToParts(ms).find((p) => p.type === "timeZoneName")?.value ?? "",
    offset: formatOffset(offset, ""),
    offsetMinutes: offset,
    /** REST's `timezone`, e.g. "(GMT-05:00) Eastern Time (US & Canada)". */
    label: `(GMT${formatOffset(offset, ":")}) Eastern Time (US & Canada)`,
  };
}
