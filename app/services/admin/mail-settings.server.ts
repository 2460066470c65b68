import { z } from "zod";

import type { Db } from "../../db.server";
import { deleteMailSettings, findMailSettings, saveMailSettings } from "../../models/mail-settings.server";
import { sealPassword } from "../messages/smtp.server";

/** The password is write-only: the page learns whether one is saved, never what it is. */
export interface MailSettingsView {
  host: string;
  port: number;
  secure: boolean;
  username: string;
  hasPassword: boolean;
  fromAddress: string;
}

export type MailRoute = "shop" | "app" | "none";

export async function mailSettingsView(
  db: Db,
  shop: string,
  appDefault: boolean,
): Promise<{ smtp: MailSettingsView | null; route: MailRoute }> {
  const row = await findMailSettings(db, shop);
  const smtp = row
    ? {
        host: row.host,
        port: row.port,
        secure: row.secure,
        username: row.username ?? "",
        hasPassword: row.passwordSealed !== null,
        fromAddress: row.fromAddress,
      }
    : null;
  return { smtp, route: smtp ? "shop" : appDefault ? "app" : "none" };
}

const SmtpForm = z.object({
  host: z
    .string()
    .trim()
    .min(1, "Enter the SMTP server's host name")
    .max(253, "At most 253 characters")
    .regex(/^[A-Za-z0-9.-]+$/, "A host name such as smtp.example.com"),
  port: z.coerce
    .number({ error: "Enter a port number" })
    .int("Enter a whole number")
    .min(1, "At least 1")
    .max(65535, "At most 65535"),
  secure: z.boolean(),
  username: z.string().trim().max(320, "At most 320 characters"),
  password: z.string().max(1000, "At most 1000 characters"),
  fromAddress: z
    .string()
    .trim()
    .max(320, "At most 320 characters")
    .regex(/^([^<>]*<)?[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>?$/, "An e-mail address, or Name <address>"),
});

export type SmtpFormInput = z.input<typeof SmtpForm>;

export type MailSettingsResult = { ok: true } | { ok: false; fieldErrors: Record<string, string> };

/** Empty password keeps the saved one, as does a username unchanged. */
export async function saveShopSmtp(
  deps: { db: Db; secret: string },
  shop: string,
  input: SmtpFormInput,
): Promise<MailSettingsResult> {
  const parsed = SmtpForm.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[`smtp.${issue.path.join(".")}`] ??= issue.message;
    return { ok: false, fieldErrors };
  }
  const form = parsed.data;
  const saved = await findMailSettings(deps.db, shop);
  const passwordSealed = form.password
    ? sealPassword(deps.secret, form.password)
    : form.username
      ? (saved?.passwordSealed ?? null)
      : null;
  await saveMailSettings(deps.db, shop, {
    host: form.host,
    port: form.port,
    secure: form.secure,
    username: form.username || null,
    passwordSealed,
    fromAddress: form.fromAddress,
  });
  return { ok: true };
}

export async function removeShopSmtp(db: Db, shop: string): Promise<void> {
  await deleteMailSettings(db, shop);
}

export function isMailSettingsPost(input: unknown): input is { intent: "smtp_save" | "smtp_remove"; smtp?: unknown } {
  const intent = (input as { intent?: unknown } | null)?.intent;
  return intent === "smtp_save" || intent === "smtp_remove";
}

export async function runMailSettingsPost(
  deps: { db: Db; secret: string },
  shop: string,
  input: { intent: "smtp_save" | "smtp_remove"; smtp?: unknown },
): Promise<MailSettingsResult> {
  if (input.intent === "smtp_remove") {
    await removeShopSmtp(deps.db, shop);
    return { ok: true };
  }
  const form = input.smtp && typeof input.smtp === "object" ? (input.smtp as Record<string, unknown>) : {};
  return saveShopSmtp(deps, shop, {
    host: String(form.host ?? ""),
    port: String(form.port ?? ""),
    secure: form.secure === true,
    username: String(form.username ?? ""),
    password: String(form.password ?? ""),
    fromAddress: String(form.fromAddress ?? ""),
  });
}
