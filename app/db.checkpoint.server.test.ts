import { execFileSync } from "node:child_process";
import { copyFileSync, statSync } from "node:fs";
import path from "node:path";

import { afterEach, describe, expect, it, vi } from "vitest";

import { PrismaSQLite } from "~/db.sqlite.server";
import { PrismaClient } from "~/generated/prisma/client";

const clients: PrismaClient[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(clients.splice(0).map((client) => client.$disconnect()));
});

/** A client of its own on a fresh copy of the migrated base database. */
function freshClient(): { client: PrismaClient; file: string } {
  const file = path.resolve(".tmp", `checkpoint-${process.pid}-${Math.random().toString(36).slice(2)}.sqlite`);
  copyFileSync(path.resolve(".tmp", "test-base.sqlite"), file);
  const client = new PrismaClient({ adapter: new PrismaSQLite({ url: `file:${file}` }) });
  clients.push(client);
  return { client, file };
}

async function autocheckpoint(client: PrismaClient): Promise<number> {
  const [row] = await client.$queryRawUnsafe<{ wal_autocheckpoint: bigint | number }[]>("PRAGMA wal_autocheckpoint");
  return Number(row?.wal_autocheckpoint);
}

/** The checkpoint processes this test process started (their command line holds the pragma they run). */
function checkpointProcesses(): number[] {
  try {
    return execFileSync("pgrep", ["-P", String(process.pid), "-f", "wal_checkpoint"], { encoding: "utf8" })
      .trim()
      .split("\n")
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

async function writeRows(client: PrismaClient, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await client.webhookDelivery.create({
      data: {
        shop: "checkpoint.myshopify.com",
        webhookId: `wh-${i}`,
        topic: "orders/create",
        payload: "x".repeat(8_000),
      },
    });
  }
}

describe("WAL checkpoints off the event loop", () => {
  it("GIVEN a connection WHEN its checkpoint process runs THEN the connection stops checkpointing and the WAL still reaches the database file", async () => {
    const { client, file } = freshClient();
    await client.$connect();

    await vi.waitFor(async () => expect(await autocheckpoint(client)).toBe(0), { timeout: 10_000 });
    const before = statSync(file).size;
    await writeRows(client, 200);

    // Only the checkpoint process moves pages from the WAL into the database file now.
    await vi.waitFor(() => expect(statSync(file).size).toBeGreaterThan(before + 1_000_000), { timeout: 10_000 });
    expect(await client.webhookDelivery.count()).toBe(200);
  });

  it("GIVEN the checkpoint process dies WHEN the connection notices THEN it checkpoints by itself again and says so", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const { client } = freshClient();
    await client.$connect();
    await vi.waitFor(async () => expect(await autocheckpoint(client)).toBe(0), { timeout: 10_000 });
    const [pid] = checkpointProcesses();
    expect(pid).toBeGreaterThan(0);

    process.kill(pid!, "SIGKILL");

    await vi.waitFor(async () => expect(await autocheckpoint(client)).toBe(1000), { timeout: 10_000 });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("SQLite checkpoint process stopped by SIGKILL"));
  });

  it("GIVEN a connected client WHEN it disconnects THEN its checkpoint process ends", async () => {
    const { client } = freshClient();
    await client.$connect();
    await vi.waitFor(async () => expect(await autocheckpoint(client)).toBe(0), { timeout: 10_000 });
    const started = checkpointProcesses();

    clients.splice(clients.indexOf(client), 1);
    await client.$disconnect();

    await vi.waitFor(() => expect(checkpointProcesses().filter((pid) => started.includes(pid))).toEqual([]), {
      timeout: 10_000,
    });
  });
});
