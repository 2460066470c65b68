import type { z } from "zod";

import type { Pipeline } from "../pipeline.server";

export type WebhookTopicWork = (p: Pipeline, raw: string) => Promise<unknown>;

/** An invalid payload fails the job: it will not get better. */
export function payloadOf<T>(schema: z.ZodType<T>, type: string, payload: unknown): T {
  const result = schema.safeParse(payload);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`${type} job payload: ${issue.path.join(".") || "payload"} ${issue.message}`);
  }
  return result.data;
}
