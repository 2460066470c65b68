import type { Db } from "../db.server";

/** A shop's own SMTP server (model MailSettings); the password only ever sealed (app/services/messages/smtp.server.ts). */
export interface MailSettingsRow {
  host: string;
  port: number;
  secure: boolean;
  username: string | null;
  passwordSealed: string | null;
  fromAddress: string;
  updatedAt: Date;
}

export async function findMailSettings(db: Db, shop: string): Promise<MailSettingsRow | null> {
  return db.mailSettings.findUnique({
    where: { shop },
    select: {
      host: true,
      port: true,
      secure: true,
      username: true,
      passwordSealed: true,
      fromAddress: true,
      updatedAt: true,
    },
  });
}

export async function saveMailSettings(db: Db, shop: string, row: Omit<MailSettingsRow, "updatedAt">): Promise<void> {
  await db.mailSettings.upsert({ where: { shop }, create: { shop, ...row }, update: row });
}

export async function deleteMailSettings(db: Db, shop: string): Promise<void> {
  await db.mailSettings.deleteMany({ where: { shop } });
}
