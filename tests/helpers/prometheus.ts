/**
 * A strict reader of Prometheus's text exposition format (0.0.4), for tests that scrape GET /metrics:
 * every sample must follow its family's `# HELP` and `# TYPE` lines, label values are unescaped, and
 * anything malformed throws.
 */

export interface Sample {
  /** The sample's own name: `<family>_bucket`, `_sum` and `_count` for a histogram. */
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  samples: Sample[];
}

const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE_LINE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`);
const LABEL = new RegExp(`^(${NAME})="((?:[^"\\\\]|\\\\.)*)"(,|$)`);

const unescape = (text: string) => text.replace(/\\(.)/g, (_all, char: string) => (char === 'n' ? '\n' : char));

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  // Any case, as Prometheus reads it (prom-client writes `Nan`).
  if (/^nan$/i.test(text)) return NaN;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`not a sample value: ${text}`);
  return value;
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const match = LABEL.exec(rest);
    if (!match) throw new Error(`malformed labels: {${text}}`);
    const [all, name, value] = match as unknown as [string, string, string];
    if (name in labels) throw new Error(`label ${name} twice: {${text}}`);
    labels[name] = unescape(value);
    rest = rest.slice(all.length);
  }
  return labels;
}

/** Which names a family's samples may have. */
function sampleNames(family: MetricFamily): string[] {
  if (family.type === 'histogram') return ['_bucket', '_sum', '_count'].map((suffix) => family.name + suffix);
  if (family.type === 'summary') return [family.name, `${family.name}_sum`, `${family.name}_count`];
  return [family.name];
}

export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  let current: MetricFamily | undefined;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const help = /^# HELP (\S+) (.*)$/.exec(line);
    if (help) {
      const [, name, docstring] = help as unknown as [string, string, string];
      if (families.has(name)) throw new Error(`family ${name} twice`);
      current = { name, help: unescape(docstring), type: 'untyped', samples: [] };
      families.set(name, current);
      continue;
    }
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) {
      const [, name, kind] = type as unknown as [string, string, string];
      if (current?.name !== name || current.samples.length > 0) throw new Error(`# TYPE ${name} not right after its # HELP`);
      if (!TYPES.has(kind)) throw new Error(`unknown type ${kind}`);
      current.type = kind as MetricFamily['type'];
      continue;
    }
    if (line.startsWith('#')) continue;
    const sample = SAMPLE_LINE.exec(line);
    if (!sample) throw new Error(`malformed line: ${line}`);
    const [, name, labels, value] = sample as unknown as [string, string, string | undefined, string];
    if (!current || !sampleNames(current).includes(name)) throw new Error(`sample ${name} outside its family: ${line}`);
    current.samples.push({ name, labels: parseLabels(labels ?? ''), value: parseValue(value) });
  }
  return families;
}

/** The value of the one sample named `name` whose labels include `labels`, or undefined when there is none. */
export function sampleValue(families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  const matching = [...families.values()]
    .flatMap((family) => family.samples)
    .filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
  if (matching.length > 1) throw new Error(`${matching.length} samples ${name} match ${JSON.stringify(labels)}`);
  return matching[0]?.value;
}
