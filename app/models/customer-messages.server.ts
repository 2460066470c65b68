import type { Db, Prisma } from "../db.server";
import { insertJob } from "./jobs.server";

// Written with the decision's records and its send job, so a crash leaves both or neither; a row marked `sent` is
// never sent again (docs/decisions/0023-customer-email.md).
export type MessageStatus = "queued" | "sending" | "sent" | "failed" | "skipped";

export const MESSAGE_JOB = "customer_message";

export interface NewCustomerMessage {
  /** `<kind>:<subject>`: the same decision always makes the same key. */
  key: string;
  orderId: string;
  kind: string;
  facts: Record<string, unknown>;
}

export interface CustomerMessageRow {
  id: string;
  key: string;
  orderId: string;
  kind: string;
  facts: Record<string, unknown>;
  status: MessageStatus;
  attempts: number;
  messageId: string | null;
}

type Client = Pick<Prisma.TransactionClient, "customerMessage" | "job">;

/** A known key keeps its row; the job is deduplicated by the key. */
export async function queueCustomerMessages(
  client: Client,
  shop: string,
  messages: readonly NewCustomerMessage[],
): Promise<void> {
  for (const message of messages) {
    await client.customerMessage.upsert({
      where: { shop_key: { shop, key: message.key } },
      create: { ...message, shop, facts: JSON.stringify(message.facts), status: "queued" },
      update: {},
    });
    await insertJob(client as Prisma.TransactionClient, {
      shop,
      type: MESSAGE_JOB,
      payload: { key: message.key },
      dedupeKey: `${MESSAGE_JOB}:${message.key}`,
    });
  }
}

/** The attempt count is the guard; a row left `sending` by a process that died is taken again. */
export async function claimCustomerMessage(db: Db, shop: string, key: string): Promise<CustomerMessageRow | null> {
  const row = await db.customerMessage.findUnique({ where: { shop_key: { shop, key } } });
  if (!row || row.status === "sent" || row.status === "skipped") return null;
  const { count } = await db.customerMessage.updateMany({
    where: { id: row.id, shop, attempts: row.attempts, status: { in: ["queued", "sending", "failed"] } },
    data: { status: "sending", attempts: row.attempts + 1 },
  });
  if (count === 0) return null;
  return {
    id: row.id,
    key: row.key,
    orderId: row.orderId,
    kind: row.kind,
    facts: JSON.parse(row.facts) as Record<string, unknown>,
    status: "sending",
    attempts: row.attempts + 1,
    messageId: row.messageId,
  };
}

/** Fixes the Message-ID (and to whom, in which language) before the first byte goes to the SMTP server. */
export async function prepareCustomerMessage(
  db: Db,
  shop: string,
  id: string,
  data: { recipient: string; locale: string; messageId: string },
): Promise<void> {
  await db.customerMessage.updateMany({ where: { id, shop }, data });
}

export async function settleCustomerMessage(
  db: Db,
  shop: string,
  id: string,
  outcome: { status: "sent"; at: Date } | { status: "failed" | "skipped"; error: string },
): Promise<void> {
  const data =
    outcome.status === "sent"
      ? { status: "sent", sentAt: outcome.at, error: null }
      : { status: outcome.status, error: outcome.error.slice(0, 1000) };
  await db.customerMessage.updateMany({ where: { id, shop }, data });
}

export async function customerMessageByKey(db: Db, shop: string, key: string) {
  return db.customerMessage.findUnique({ where: { shop_key: { shop, key } } });
}

export async function customerMessagesOfOrder(db: Db, shop: string, orderId: string) {
  return db.customerMessage.findMany({
    where: { shop, orderId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { kind: true, status: true, attempts: true, createdAt: true, sentAt: true, error: true, locale: true },
  });
}
