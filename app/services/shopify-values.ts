/** Shopify's values as the app stores them: ids without the GID prefix, money strings as integer cents. */

export { numericId } from "../domain";

export function cents(amount: string): number {
  return Math.round(Number.parseFloat(amount) * 100);
}

export function money(centsValue: number): string {
  return (centsValue / 100).toFixed(2);
}
