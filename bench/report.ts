/**
 * What `npm run bench` prints: one table, the targets (issues 6 and 18), one JSON line per scenario; then the
 * sync scenarios' table (issue 16) and their JSON lines.
 */
import { percentile, type ScenarioResult } from './lib.js';

export interface Measurement extends ScenarioResult {
  server: string;
  /** The server's highest RSS sampled during the scenario. */
  peakRssMb: number;
  extra: Record<string, number>;
}

export interface RunFacts {
  cores: number;
  bcryptCompareMs: number;
  /** Compares per second measured with every core busy (bench/suite.ts bcryptCeilingPerSecond). */
  bcryptCeilingPerSecond: number;
  /** The API server's peak RSS over the whole run (VmHWM), seeding included. */
  apiPeakRssMb: number;
  /** How long each scenario ran, in words. */
  timing: string;
}

const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;

function baselineOf(results: readonly Measurement[], row: Measurement): Measurement | undefined {
  if (row.server === 'baseline') return undefined;
  return results.find((other) => other.server === 'baseline' && other.scenario === row.scenario);
}

export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => (column <= 1 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
}

interface Target {
  target: string;
  measured: number;
  limit: number;
  /** `min`: measured must be at least `limit`; `max`: at most. */
  kind: 'min' | 'max';
}

function targets(results: readonly Measurement[], facts: RunFacts): Target[] {
  const find = (scenario: string, server = 'api'): Measurement => {
    const row = results.find((result) => result.scenario === scenario && result.server === server);
    if (!row) throw new Error(`no ${scenario} result on ${server}`);
    return row;
  };
  const rpsRatio = (scenario: string): number => find(scenario).rps / find(scenario, 'baseline').rps;
  /** The API's rps of a scenario ÷ the API's own GET /habits rps, measured in turns with it. */
  const toRead = (scenario: string): number => find(scenario).rps / find('read-in-turns').rps;
  return [
    { target: 'read rps ÷ baseline read rps', measured: rpsRatio('read'), limit: 0.85, kind: 'min' },
    {
      target: `login rps (≥ 0.9 × ${facts.cores} cores ÷ ${facts.bcryptCompareMs.toFixed(1)} ms per compare)`,
      measured: find('login').rps,
      limit: (0.9 * facts.cores * 1000) / facts.bcryptCompareMs,
      kind: 'min',
    },
    { target: 'read p99 in a login storm ÷ read p99 alone', measured: find('storm').extra.p99_ratio!, limit: 1.5, kind: 'max' },
    {
      target: 'login rps in the storm ÷ the measured bcrypt ceiling',
      measured: find('storm').extra.login_rps! / facts.bcryptCeilingPerSecond,
      limit: 0.5,
      kind: 'min',
    },
    { target: 'refresh rps ÷ baseline refresh rps', measured: rpsRatio('refresh'), limit: 0.7, kind: 'min' },
    { target: 'API peak RSS over the whole run (MB)', measured: facts.apiPeakRssMb, limit: 150, kind: 'max' },
    { target: 'today rps ÷ read rps', measured: toRead('today'), limit: 0.5, kind: 'min' },
    { target: `stats rps (${find('stats').extra.days!} daily check-ins) ÷ read rps`, measured: toRead('stats'), limit: 0.3, kind: 'min' },
    { target: 'checkin rps ÷ read rps', measured: toRead('checkin'), limit: 0.5, kind: 'min' },
  ];
}

const met = ({ measured, limit, kind }: Target): boolean => (kind === 'min' ? measured >= limit : measured <= limit);

export function printReport(results: readonly Measurement[], facts: RunFacts): void {
  console.log('');
  printTable(
    ['scenario', 'server', 'conns', 'requests', 'rps', 'p50 ms', 'p99 ms', 'errors', 'non2xx', 'peak RSS MB', 'rps ÷ baseline'],
    results.map((row) => {
      const baseline = baselineOf(results, row);
      return [
        row.scenario,
        row.server,
        String(row.connections),
        String(row.requests),
        row.rps.toFixed(1),
        row.p50.toFixed(2),
        row.p99.toFixed(2),
        String(row.errors),
        String(row.non2xx),
        row.peakRssMb.toFixed(0),
        baseline ? (row.rps / baseline.rps).toFixed(2) : '',
      ];
    }),
  );
  console.log(facts.timing);
  console.log('');

  const list = targets(results, facts);
  const login = results.find((result) => result.scenario === 'login' && result.server === 'api');
  if (login) {
    console.log(
      `login rps ÷ measured ceiling (${facts.bcryptCeilingPerSecond.toFixed(1)} compares/s with every core hashing, ` +
        `nothing else running): ${(login.rps / facts.bcryptCeilingPerSecond).toFixed(2)}`,
    );
  }
  printTable(
    ['target', 'met', 'measured', 'limit'],
    list.map((target) => [
      target.target,
      met(target) ? 'yes' : 'NO',
      target.measured.toFixed(2),
      `${target.kind === 'min' ? '≥' : '≤'} ${target.limit.toFixed(2)}`,
    ]),
  );
  console.log('');

  for (const row of results) {
    const baseline = baselineOf(results, row);
    const extra = Object.fromEntries(Object.entries(row.extra).map(([key, value]) => [key, round(value)]));
    console.log(
      JSON.stringify({
        scenario: row.scenario,
        server: row.server,
        rps: round(row.rps, 1),
        p50_ms: round(row.p50),
        p99_ms: round(row.p99),
        errors: row.errors,
        non2xx: row.non2xx,
        peak_rss_mb: round(row.peakRssMb, 1),
        ...(baseline && { rps_vs_baseline: round(row.rps / baseline.rps) }),
        ...extra,
      }),
    );
  }
  console.log(
    JSON.stringify({
      targets: list.map((target) => ({ ...target, measured: round(target.measured), limit: round(target.limit), met: met(target) })),
    }),
  );
}

/** A sync scenario (bench/suite.ts): one user's GET /sync requests, one at a time, each timed. */
export interface SyncMeasurement {
  scenario: string;
  /** Days of history: each of the user's habits has a check-in on every one of them. */
  days: number;
  /** The items of the user's full sync. */
  items: number;
  /** Each timed GET /sync, in ms, the body read included. */
  latencies: number[];
  extra: Record<string, number>;
}

export function printSyncReport(rows: readonly SyncMeasurement[]): void {
  const summaries = rows.map((row) => {
    const sorted = [...row.latencies].sort((a, b) => a - b);
    return { ...row, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  });
  // The incremental sync should cost the same whatever the history: each row against the shortest.
  const incremental = summaries.filter((row) => row.scenario === 'sync-incremental').sort((a, b) => a.days - b.days);
  const shortest = incremental[0];
  for (const row of incremental.slice(1)) {
    row.extra = { ...row.extra, p50_vs_shortest: row.p50 / shortest!.p50, p99_vs_shortest: row.p99 / shortest!.p99 };
  }

  console.log('');
  printTable(
    ['scenario', 'history', 'items', 'requests', 'p50 ms', 'p99 ms'],
    summaries.map((row) => [
      row.scenario,
      `${row.days} days`,
      String(row.items),
      String(row.latencies.length),
      row.p50.toFixed(2),
      row.p99.toFixed(2),
    ]),
  );
  for (const row of summaries.filter((summary) => summary.scenario === 'sync-initial')) {
    const { pages, rounds, full_sync_p50_ms, full_sync_max_ms, first_page_p50_ms, last_page_p50_ms } = row.extra;
    console.log(
      `sync-initial (${row.days} days): a full sync is ${pages} pages; its total (the sum of its pages) ` +
        `p50 ${full_sync_p50_ms!.toFixed(1)} ms, max ${full_sync_max_ms!.toFixed(1)} ms over ${rounds} full sync${rounds === 1 ? '' : 's'}; ` +
        `page 1 p50 ${first_page_p50_ms!.toFixed(2)} ms, last page p50 ${last_page_p50_ms!.toFixed(2)} ms`,
    );
  }
  for (const row of incremental.slice(1)) {
    console.log(
      `sync-incremental, ${row.days} days ÷ ${shortest!.days} days of history: p50 ${row.extra.p50_vs_shortest!.toFixed(2)}, ` +
        `p99 ${row.extra.p99_vs_shortest!.toFixed(2)} (1.00: the same cost whatever the history)`,
    );
  }
  console.log('');
  for (const row of summaries) {
    const extra = Object.fromEntries(Object.entries(row.extra).map(([key, value]) => [key, round(value)]));
    console.log(
      JSON.stringify({
        scenario: row.scenario,
        days: row.days,
        items: row.items,
        requests: row.latencies.length,
        p50_ms: round(row.p50),
        p99_ms: round(row.p99),
        ...extra,
      }),
    );
  }
}
