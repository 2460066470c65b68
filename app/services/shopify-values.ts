/** Shopify's values as the app stores them: ids without the GID prefix, money strings as integer cents. */

export function numericId(gid: string): string {
  const match = /\/(\d+)$/.exec(gid);
  if (!match?.[1]) throw new Error(`not a Shopify GID: ${gid}`);
  return match[1];
}

export function cents(amount: string): number {
  return Math.round(Number.parseFloat(amount) * 100);
}

export function money(centsValue: number): string {
  return (centsValue / 100).toFixed(2);
}
