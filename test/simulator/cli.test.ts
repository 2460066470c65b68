import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const CLI = path.resolve("app/simulator/cli.ts");
const FIXTURES = path.resolve("test/fixtures/scenarios");
const fixture = (name: string) => path.join(FIXTURES, name);

/** Runs the real CLI in a child Node (the one running the tests, Node 22) with tsx as its loader. */
async function simulate(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", "tsx", CLI, ...args], {
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const scenarios = readdirSync(FIXTURES).filter((name) => name.endsWith(".json") && !name.endsWith(".expected.json"));

describe("simulate: shipped fixtures", () => {
  it("ships an expected output beside every scenario", () => {
    expect(scenarios.sort()).toEqual([
      "immediate-caps.json",
      "priority-threshold.json",
      "published-example.json",
      "seed.json",
    ]);
  });

  it.each(scenarios)("%s --all --json produces its expected JSON", async (name) => {
    const { code, stdout, stderr } = await simulate(fixture(name), "--all", "--json");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const expected: unknown = JSON.parse(readFileSync(fixture(name.replace(/\.json$/, ".expected.json")), "utf8"));
    expect(JSON.parse(stdout)).toEqual(expected);
  });

  it("the published example: shipped units per policy", async () => {
    const { stdout } = await simulate(fixture("published-example.json"), "--all", "--json");
    const results = JSON.parse(stdout) as { policy: string; lines: { shipped: number }[] }[];
    expect(Object.fromEntries(results.map((r) => [r.policy, r.lines.map((line) => line.shipped)]))).toEqual({
      fifo: [3, 3, 3, 0, 0, 0, 0],
      fair_share: [2, 2, 1, 1, 1, 1, 1],
      priority: [3, 3, 3, 0, 0, 0, 0],
      earliest_deadline: [3, 3, 3, 0, 0, 0, 0],
      smallest_first: [3, 1, 0, 1, 1, 2, 1],
      proportional: [2, 2, 2, 1, 1, 1, 0],
    });
  });

  it("--json alone replays the scenario's own policy; --policy overrides it", async () => {
    const own = JSON.parse((await simulate(fixture("seed.json"), "--json")).stdout) as { policy: string };
    expect(own.policy).toBe("fair_share");
    const fifo = JSON.parse((await simulate(fixture("seed.json"), "--policy", "fifo", "--json")).stdout) as {
      policy: string;
      lines: { shipped: number; reserved: number; backordered: number; lost: number; ordered: number }[];
    };
    expect(fifo.policy).toBe("fifo");
    for (const line of fifo.lines) {
      expect(line.shipped + line.reserved + line.backordered + line.lost).toBe(line.ordered);
    }
  });

  it("prints the comparison table for --all", async () => {
    const { code, stdout } = await simulate(fixture("published-example.json"), "--all");
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        "policy             fill rate  orders completed  customers served  mean wait (d)  p95 wait (d)  lost units  lost revenue  lost by reason",
        "-----------------  ---------  ----------------  ----------------  -------------  ------------  ----------  ------------  --------------",
        "fifo                   64.3%               3/7               3/7           0.28          0.29           0          0.00  -",
        "fair_share             64.3%               3/7               7/7           0.27          0.29           0          0.00  -",
        "priority               64.3%               3/7               3/7           0.28          0.29           0          0.00  -",
        "earliest_deadline      64.3%               3/7               3/7           0.28          0.29           0          0.00  -",
        "smallest_first         64.3%               5/7               6/7           0.27          0.29           0          0.00  -",
        "proportional           64.3%               2/7               6/7           0.27          0.29           0          0.00  -",
        "",
      ].join("\n"),
    );
  });

  it("prints the lines and the metrics of one policy", async () => {
    const { stdout } = await simulate(fixture("immediate-caps.json"));
    expect(stdout.split("\n").slice(0, 8)).toEqual([
      "order  sku        ordered  shipped  reserved  backordered  lost  lost reason",
      "-----  ---------  -------  -------  --------  -----------  ----  -----------",
      "2001   CHAIR            4        4         0            0     0",
      "2001   GIFT-CARD        1        1         0            0     0",
      "2002   TABLE            3        0         1            1     1  cap_reached",
      "2002   POSTER           2        0         2            0     0",
      "2003   CHAIR            3        0         0            0     3  cap_reached",
      "2004   CHAIR            1        0         0            0     1  cap_reached",
    ]);
    expect(stdout).toContain(
      "fifo        35.7%               1/4               1/4           4.00          4.00           5        806.00",
    );
  });
});

describe("simulate: bad input exits 2 with a clear message", () => {
  it.each([
    ["not-json.json", "not-json.json is not valid JSON: Unexpected end of JSON input\n"],
    ["missing-items.json", "  items: is required\n"],
    [
      "bad-policy.json",
      '  settings.allocationPolicy: Invalid option: expected one of "fifo"|"fair_share"|"priority"|"earliest_deadline"|"smallest_first"|"proportional"\n',
    ],
    [
      "deadline-without-consent.json",
      "  settings.deadlineDays: must be at most 30 unless consentRecorded is true (customers must agree to wait longer)\n",
    ],
    ["cap-too-large.json", "  settings.backorderCap: must be at most 1000000\n"],
    [
      "reminder-after-promise.json",
      "  settings.reminderDays: must be 0 (no reminder) or fewer than leadDays, so the reminder comes after the order\n",
    ],
    ["unknown-sku.json", '  events[1].lines[0].sku: unknown sku "B" (not in items)\n'],
    ["events-out-of-order.json", "  events[2].at: must not be earlier than the previous event's time\n"],
    ["bad-quantity.json", "  events[0].lines[0].quantity: must be at least 1\n"],
    ["unknown-event-type.json", "  events[0].type: must be one of order, allocate, restock, cancel, tick, consent\n"],
    ["cancel-unknown-order.json", '  events[0].orderId: order "9" is not placed by an earlier event\n'],
    ["bad-date.json", "  events[0].at: must be an ISO 8601 date-time such as 2026-11-02T09:00:00Z\n"],
    ["misspelt-setting.json", '  settings: Unrecognized key: "alocationPolicy"\n'],
    ["consent-before-event.json", "  events[1].until: must be later than the event's time\n"],
    [
      "missing-fields.json",
      "  items[0].sku: is required\n  items[0].price: is required\n  events[0].orderId: is required\n  events[1].at: is required\n",
    ],
    ["order-id-reused.json", '  events[1].id: order "1" was already placed with other lines\n'],
    [
      "wrong-types.json",
      [
        "  settings.leadDays: must be a whole number",
        "  settings.backorderCap: must be at least 0",
        "  items[0].available: must be a whole number (it may be negative)",
        "  items[0].price: must be a number",
        "  events: must be an array of events",
        "",
      ].join("\n"),
    ],
  ])("%s", async (name, message) => {
    const file = fixture(`malformed/${name}`);
    const { code, stdout, stderr } = await simulate(file);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      name === "not-json.json" ? `${FIXTURES}/malformed/${message}` : `invalid scenario ${file}:\n${message}`,
    );
  });

  it("covers every malformed fixture", () => {
    expect(readdirSync(fixture("malformed")).length).toBe(17);
  });

  it.each([
    [[], "missing the scenario file"],
    [
      ["seed.json", "--policy", "random"],
      "--policy must be one of fifo, fair_share, priority, earliest_deadline, smallest_first, proportional (got random)",
    ],
    [["seed.json", "--all", "--policy", "fifo"], "give either --policy NAME or --all, once"],
    [["seed.json", "--verbose"], "unknown option --verbose"],
  ])("arguments %j", async (args, message) => {
    const { code, stderr } = await simulate(...args.map((arg) => (arg.endsWith(".json") ? fixture(arg) : arg)));
    expect(code).toBe(2);
    expect(stderr).toBe(
      `${message}\nusage: simulate <scenario.json> [--policy fifo|fair_share|priority|earliest_deadline|smallest_first|proportional | --all] [--json]\n`,
    );
  });

  it("a missing file", async () => {
    expect(await simulate(fixture("nope.json"))).toEqual({
      code: 2,
      stdout: "",
      stderr: `cannot read ${fixture("nope.json")}: ENOENT\n`,
    });
  });
});
