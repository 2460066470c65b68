/**
 * Reads what the app's routes answer to `.data` requests (Remix single fetch): turbo-stream's flat encoding, in
 * which every value is an index into one array, objects are `{"_<key index>": <value index>}`, and negative
 * indexes are constants. Enough for plain loader and action data (objects, arrays, primitives, dates); deferred
 * values are not expected and refused.
 */
const CONSTANTS: Record<number, unknown> = { [-5]: null, [-7]: undefined, [-2]: NaN, [-4]: -0 };

export function decodeRouteData(text: string): unknown {
  const firstLine = text.split("\n")[0]!;
  const values = JSON.parse(firstLine) as unknown[];
  const seen = new Map<number, unknown>();
  const at = (index: number): unknown => {
    if (index < 0) {
      if (index === -6) return Infinity;
      if (index === -3) return -Infinity;
      return CONSTANTS[index];
    }
    if (seen.has(index)) return seen.get(index);
    const raw = values[index];
    if (raw === null || typeof raw !== "object") return raw;
    if (Array.isArray(raw)) {
      if (typeof raw[0] === "string") return special(raw as [string, ...unknown[]]);
      const list: unknown[] = [];
      seen.set(index, list);
      for (const item of raw as number[]) list.push(at(item));
      return list;
    }
    const object: Record<string, unknown> = {};
    seen.set(index, object);
    for (const [key, value] of Object.entries(raw as Record<string, number>)) {
      object[String(values[Number(key.slice(1))])] = at(value);
    }
    return object;
  };
  const special = ([type, value]: [string, ...unknown[]]): unknown => {
    if (type === "D") return new Date(value as number);
    throw new Error(`route data holds a turbo-stream value of type ${type}, which this reader does not know`);
  };
  return at(0);
}

/** A route's own data in a `.data` answer: the action's, or the loader's of `routeId`. */
export function routeData<T>(text: string, routeId?: string): T {
  const decoded = decodeRouteData(text) as Record<string, { data?: unknown; error?: unknown }>;
  const entry = routeId ? decoded[routeId] : (decoded as unknown as { data?: unknown });
  if (!entry || !("data" in entry)) throw new Error(`no data for ${routeId ?? "the action"} in ${text.slice(0, 300)}`);
  return entry.data as T;
}
