import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";

import nodemailer, { type Transporter } from "nodemailer";

import type { Db } from "../../db.server";
import { findMailSettings } from "../../models/mail-settings.server";

// A shop's password is sealed under a key derived from the app's secret for this use only, so the database alone
// does not give it away; it is never sent back to the admin.

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The same on every attempt, so a receiver can tell a repeat (docs/decisions/0023-customer-email.md). */
  messageId: string;
  language: string;
}

export interface Mailer {
  source: "shop" | "app";
  send(mail: OutgoingMail): Promise<{ response: string }>;
}

export type MailerFor = (shop: string) => Promise<Mailer | null>;

export interface AppSmtp {
  url: string | undefined;
  from: string | undefined;
}

const sealKey = (secret: string) => createHmac("sha256", secret).update("backorder-keeper/smtp-password/v1").digest();

export function sealPassword(secret: string, password: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", sealKey(secret), iv);
  const sealed = Buffer.concat([cipher.update(password, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), sealed]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

/** Throws when the app's secret changed since it was sealed: the merchant enters it again. */
export function openPassword(secret: string, sealed: string): string {
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || data === undefined) throw new Error("unreadable sealed SMTP password");
  const decipher = createDecipheriv("aes-256-gcm", sealKey(secret), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}

// Short enough that a dead server fails the attempt (and the job retries later) instead of holding the worker.
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

function mailer(source: Mailer["source"], transport: Transporter, from: string): Mailer {
  return {
    source,
    async send(mail) {
      const info = await transport.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: { "Content-Language": mail.language, "Auto-Submitted": "auto-generated" },
      });
      transport.close();
      return { response: String(info.response ?? "") };
    },
  };
}

export function mailerForShop(db: Db, secret: string, app: AppSmtp): MailerFor {
  return async (shop) => {
    const settings = await findMailSettings(db, shop);
    if (settings) {
      const auth = settings.username
        ? {
            user: settings.username,
            pass: settings.passwordSealed ? openPassword(secret, settings.passwordSealed) : "",
          }
        : undefined;
      const transport = nodemailer.createTransport({
        host: settings.host,
        port: settings.port,
        secure: settings.secure,
        ...(auth ? { auth } : {}),
        ...TIMEOUTS,
      });
      return mailer("shop", transport, settings.fromAddress);
    }
    if (app.url && app.from) return mailer("app", nodemailer.createTransport({ url: app.url, ...TIMEOUTS }), app.from);
    return null;
  };
}
