/** How a payload differs from Shopify's sample in keys and value types (null matches anything). */
export function shapeDifferences(sample: unknown, actual: unknown, path = "$"): string[] {
  if (sample === null || actual === null) return [];
  if (Array.isArray(sample) || Array.isArray(actual)) {
    if (!Array.isArray(sample) || !Array.isArray(actual))
      return [
        `${path}: ${Array.isArray(sample) ? "array" : typeof sample} in the sample, ${Array.isArray(actual) ? "array" : typeof actual} here`,
      ];
    if (sample.length === 0 || actual.length === 0) return [];
    return actual.flatMap((item, i) => shapeDifferences(sample[0], item, `${path}[${i}]`));
  }
  if (typeof sample === "object" && typeof actual === "object") {
    const s = sample as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const missing = Object.keys(s)
      .filter((k) => !(k in a))
      .map((k) => `${path}.${k}: missing`);
    const extra = Object.keys(a)
      .filter((k) => !(k in s))
      .map((k) => `${path}.${k}: not in the sample`);
    return [
      ...missing,
      ...extra,
      ...Object.keys(s)
        .filter((k) => k in a)
        .flatMap((k) => shapeDifferences(s[k], a[k], `${path}.${k}`)),
    ];
  }
  return typeof sample === typeof actual ? [] : [`${path}: ${typeof sample} in the sample, ${typeof actual} here`];
}
