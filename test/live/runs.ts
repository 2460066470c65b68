import { replay } from "../../app/domain";
import { toJson } from "../../app/simulator/format";
import { loadScenarioFile } from "../../app/simulator/load";
import type { AdminLogEntry } from "../shopify-local/control/routes";
import type { DeliveryLogEntry } from "../shopify-local/webhooks/deliverer";
import { BASE_DB } from "../setup/global-setup";
import type { EffectsState } from "./effects";
import { parseFaults } from "./faults";
import type { LiveResult } from "./outcome";
import { playScenario, SHOP, type PlayOptions } from "./play";

/** A replay:live run as the tests read it: the outcome, and Local Shopify's logs and state at the end. */
export interface LiveRun {
  result: LiveResult;
  adminLog: AdminLogEntry[];
  webhooks: DeliveryLogEntry[];
  state: EffectsState;
  appStarts: number;
  /** The app's DATABASE_URL during the run. */
  databaseUrl: string;
}

export function scenarioOf(file: string) {
  const loaded = loadScenarioFile(file);
  if (!loaded.ok) throw new Error(loaded.message);
  return loaded;
}

/** `simulate FILE --json`'s output, parsed (the CLI prints `toJson` of the scenario's own policy). */
export function simulated(file: string): unknown {
  const { scenario } = scenarioOf(file);
  return JSON.parse(JSON.stringify(toJson(replay(scenario, scenario.settings.allocationPolicy))));
}

/**
 * `replay:live FILE [--faults SPEC] [--crash N] [--database URL --workers N]` as the CLI plays it, with Local
 * Shopify's logs read at the end. On SQLite the run starts from the test run's migrated base file.
 */
export async function live(
  file: string,
  options: { faults?: string; crashes?: number } & Pick<PlayOptions, "database" | "workers" | "workerEntry"> = {},
): Promise<LiveRun> {
  const loaded = scenarioOf(file);
  const faults = options.faults ? parseFaults(options.faults) : null;
  let seen: Omit<LiveRun, "result"> | null = null;
  const result = await playScenario(loaded.scenario, {
    rawEvents: (loaded.raw as { events: { customerTags?: string[] }[] }).events,
    faults: faults?.stack,
    seed: faults?.seed,
    crashes: options.crashes ?? 0,
    baseDatabase: options.database ? undefined : BASE_DB,
    database: options.database,
    workers: options.workers,
    workerEntry: options.workerEntry,
    inspect: async (stack) => {
      const control = stack.shopify.control;
      const state = await control.state();
      seen = {
        adminLog: await control.adminLog({ shop: SHOP }),
        webhooks: await control.webhookLog({ shop: SHOP }),
        state: state.shops.find((shop) => shop.domain === SHOP) as unknown as EffectsState,
        appStarts: stack.appStarts(),
        databaseUrl: stack.app.databaseUrl,
      };
    },
  });
  return { result: JSON.parse(JSON.stringify(result)) as LiveResult, ...seen! };
}
