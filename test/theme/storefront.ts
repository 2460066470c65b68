import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  Liquid,
  Tag,
  Value,
  type Context,
  type Emitter,
  type TagToken,
  type Template,
  type TopLevelToken,
} from "liquidjs";

/**
 * A small stand-in for Shopify's storefront renderer, enough to render the theme app extension
 * with a real Liquid engine: the Shopify filters the extension uses, implemented to Shopify's
 * documented behaviour, translations loaded from the extension's own locales/, and the
 * `schema` and `paginate` tags. Anything the extension uses that is not modelled here fails
 * loudly (strictFilters, explicit errors) instead of rendering something plausible.
 */
export const EXTENSION_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../extensions/backorder-badge",
);

export type Locale = "en" | "fr" | "de" | "es";

export interface StorefrontOptions {
  locale: Locale;
  /** The render clock: what `'now' | date` sees. */
  now: Date;
  /** The `?page=` a paginated template is rendered for. */
  page?: number;
}

type Translations = { [key: string]: string | Translations };

export function loadLocale(locale: Locale): Translations {
  const file = locale === "en" ? "en.default.json" : `${locale}.json`;
  return JSON.parse(readFileSync(path.join(EXTENSION_DIR, "locales", file), "utf8")) as Translations;
}

function lookup(tree: Translations, key: string): string | Translations | undefined {
  let node: string | Translations | undefined = tree;
  for (const part of key.split(".")) {
    if (node === undefined || typeof node === "string") return undefined;
    node = node[part];
  }
  return node;
}

type NamedArg = [string, unknown];
const isNamedArg = (arg: unknown): arg is NamedArg =>
  Array.isArray(arg) && arg.length === 2 && typeof arg[0] === "string";

/**
 * `t`: the current locale's string, falling back to the default locale, then Shopify's
 * "translation missing" text. With `count`, picks `zero` for 0 when present, otherwise the
 * CLDR plural category of the locale (`one`, `few`, ...), falling back to `other`.
 * `{{ name }}` placeholders are replaced by the filter's named arguments.
 */
function translate(locale: Locale) {
  const current = loadLocale(locale);
  const fallback = loadLocale("en");
  const plural = new Intl.PluralRules(locale);
  return (key: unknown, ...args: unknown[]): string => {
    const name = String(key);
    const vars = Object.fromEntries(args.filter(isNamedArg));
    let entry = lookup(current, name) ?? lookup(fallback, name);
    if (entry !== undefined && typeof entry !== "string" && "count" in vars) {
      const count = Number(vars.count);
      const category = count === 0 && entry.zero !== undefined ? "zero" : plural.select(count);
      entry = entry[category] ?? entry.other;
    }
    if (typeof entry !== "string") return `translation missing: ${locale}.${name}`;
    return entry.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, variable: string) =>
      variable in vars ? String(vars[variable]) : whole,
    );
  };
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** Shopify's locale-aware `date: format:` names, as its docs show them for English. */
const NAMED_FORMATS: Record<Locale, Record<string, string> | undefined> = {
  en: { abbreviated_date: "%b %d, %Y", basic: "%m/%d/%Y", date: "%B %d, %Y" },
  fr: undefined,
  de: undefined,
  es: undefined,
};

function strftime(date: Date, format: string): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return format.replace(/%(-?)([A-Za-z%])/g, (whole, noPad: string, directive: string) => {
    const day = date.getUTCDate();
    switch (directive) {
      case "Y":
        return String(date.getUTCFullYear());
      case "m":
        return noPad ? String(date.getUTCMonth() + 1) : pad(date.getUTCMonth() + 1);
      case "d":
        return noPad ? String(day) : pad(day);
      case "B":
        return MONTHS[date.getUTCMonth()] ?? "";
      case "b":
        return (MONTHS[date.getUTCMonth()] ?? "").slice(0, 3);
      case "%":
        return "%";
      default:
        throw new Error(`date filter: strftime directive ${whole} is not modelled by the test storefront`);
    }
  });
}

/**
 * `date`: Ruby strftime (the directives the extension uses) or `format: name` for Shopify's
 * locale-aware formats; `'now'`/`'today'` read the render clock. Dates without a time
 * (a `date` metafield) are calendar days, so everything is computed in UTC.
 */
function formatDate(locale: Locale, now: Date) {
  return (input: unknown, ...args: unknown[]): unknown => {
    if (input === null || input === undefined || input === "") return input;
    const date =
      input === "now" || input === "today"
        ? now
        : input instanceof Date
          ? input
          : new Date(/^\d{4}-\d{2}-\d{2}$/.test(String(input)) ? `${String(input)}T00:00:00Z` : String(input));
    if (Number.isNaN(date.getTime())) return input;
    const named = args.find(isNamedArg);
    if (named && named[0] === "format") {
      const pattern = NAMED_FORMATS[locale]?.[String(named[1])];
      if (!pattern) throw new Error(`date filter: format '${String(named[1])}' for ${locale} is not modelled`);
      return strftime(date, pattern);
    }
    if (typeof args[0] !== "string") throw new Error("date filter: a strftime format or format: is required");
    return strftime(date, args[0]);
  };
}

/** `escape`: Shopify's HTML escaping (Ruby CGI.escapeHTML). */
export function escapeHtml(input: unknown): string {
  if (input === null || input === undefined) return "";
  return String(input)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** `{% schema %}` is read by Shopify, never rendered. */
class SchemaTag extends Tag {
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    for (let next = remainTokens.shift(); ; next = remainTokens.shift()) {
      if (!next) throw new Error("{% schema %} is not closed");
      if ((next as TagToken).name === "endschema") break;
    }
  }
  render(): void {}
}

/**
 * `{% paginate a.b by n %}`: inside the block, `a.b` is the current page's slice and
 * `paginate` describes the page, as on Shopify.
 */
function paginateTag(page: number) {
  return class PaginateTag extends Tag {
    private templates: Template[] = [];
    private readonly path: string[];
    private readonly size: Value;

    constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
      super(token, remainTokens, liquid);
      const match = /^\s*([\w.]+)\s+by\s+(\S+)\s*$/.exec(token.args);
      if (!match?.[1] || !match[2]) throw new Error(`paginate: cannot read "${token.args}"`);
      this.path = match[1].split(".");
      this.size = new Value(match[2], liquid);
      const stream = liquid.parser
        .parseStream(remainTokens)
        .on("tag:endpaginate", () => stream.stop())
        .on("template", (template: Template) => this.templates.push(template))
        .on("end", () => {
          throw new Error("{% paginate %} is not closed");
        });
      stream.start();
    }

    *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
      const size = Number(yield this.size.value(ctx));
      const [root, ...props] = this.path;
      if (!root || props.length !== 1 || !props[0]) throw new Error("paginate: expected object.property");
      const owner = (yield ctx._get([root])) as Record<string, unknown> | undefined;
      const items = (owner?.[props[0]] ?? []) as unknown[];
      const pages = Math.max(1, Math.ceil(items.length / size));
      ctx.push({
        [root]: { ...owner, [props[0]]: items.slice((page - 1) * size, page * size) },
        paginate: { current_page: page, page_size: size, pages, items: items.length },
      });
      yield this.liquid.renderer.renderTemplates(this.templates, ctx, emitter);
      ctx.pop();
    }
  };
}

export function createStorefront({ locale, now, page = 1 }: StorefrontOptions): Liquid {
  const liquid = new Liquid({
    root: [path.join(EXTENSION_DIR, "blocks"), path.join(EXTENSION_DIR, "snippets")],
    partials: [path.join(EXTENSION_DIR, "snippets")],
    extname: ".liquid",
    strictFilters: true,
    cache: false,
  });
  liquid.registerFilter("t", translate(locale));
  liquid.registerFilter("date", formatDate(locale, now));
  liquid.registerFilter("escape", escapeHtml);
  liquid.registerTag("schema", SchemaTag);
  liquid.registerTag("paginate", paginateTag(page));
  return liquid;
}

/**
 * A block's settings as a merchant who never opened the theme editor has them: each setting's `default` from
 * the block's `{% schema %}` (settings without one are absent, as on Shopify).
 */
export function schemaDefaults(block: string): Record<string, unknown> {
  const source = readFileSync(path.join(EXTENSION_DIR, "blocks", `${block}.liquid`), "utf8");
  const json = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/.exec(source)?.[1];
  if (!json) throw new Error(`blocks/${block}.liquid has no {% schema %}`);
  const schema = JSON.parse(json) as { settings?: { id: string; default?: unknown }[] };
  return Object.fromEntries(
    (schema.settings ?? []).flatMap((s) => (s.default === undefined ? [] : [[s.id, s.default]])),
  );
}

/** Collapses the whitespace between tags, so assertions read the markup, not the indentation. */
export function tidy(html: string): string {
  return html.replace(/>\s+</g, "><").replace(/\s+/g, " ").trim();
}
