import { readFileSync } from "node:fs";

import type { Scenario } from "../domain";
import { parseScenario } from "./scenario";

export type LoadedScenario = { ok: true; scenario: Scenario; raw: unknown } | { ok: false; message: string };

/** The failure is the message printed before exiting with code 2 (replay:live prints the same). */
export function loadScenarioFile(file: string): LoadedScenario {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return { ok: false, message: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `${file} is not valid JSON: ${(error as Error).message}` };
  }
  const parsed = parseScenario(raw);
  if (!parsed.ok)
    return { ok: false, message: `invalid scenario ${file}:\n${parsed.errors.map((e) => `  ${e}`).join("\n")}` };
  return { ok: true, scenario: parsed.scenario, raw };
}
