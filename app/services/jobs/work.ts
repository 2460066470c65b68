import type { z } from "zod";

import type { Pipeline } from "../pipeline.server";

/** What a webhook topic's job does with its delivery's raw payload; the outcome goes to the runner's log. */
export type WebhookTopicWork = (p: Pipeline, raw: string) => Promise<unknown>;

/** A job's payload as its schema reads it; an invalid payload fails the job (it will not get better). */
export function payloadOf<T>(schema: z.ZodType<T>, type: string, payload: unknown): T {
  const result = schema.safeParse(payload);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`${type} job payload: ${issue.path.join(".") || "payload"} ${issue.message}`);
  }
  return result.data;
}
