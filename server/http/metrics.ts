// Counters and histograms in Prometheus text format (GET /metrics). Kept in memory per
// process: a scraper sums over processes.

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Labels = Record<string, string>;

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(
    ([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
  );
  return parts.length ? `{${parts.join(',')}}` : '';
}

class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    const entry = this.values.get(key);
    if (entry) entry.value += by;
    else this.values.set(key, { labels, value: by });
  }

  get(labels: Labels = {}): number {
    return this.values.get(labelText(labels))?.value ?? 0;
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const { labels, value } of this.values.values())
      lines.push(`${this.name}${labelText(labels)} ${value}`);
    return lines;
  }
}

class Histogram {
  private readonly series = new Map<
    string,
    { labels: Labels; counts: number[]; sum: number; count: number }
  >();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[] = DURATION_BUCKETS,
  ) {}

  observe(labels: Labels, value: number): void {
    const key = labelText(labels);
    let s = this.series.get(key);
    if (!s)
      this.series.set(key, (s = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    this.buckets.forEach((b, i) => {
      if (value <= b)
        (s as { counts: number[] }).counts[i] = ((s as { counts: number[] }).counts[i] ?? 0) + 1;
    });
    s.sum += value;
    s.count += 1;
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const { labels, counts, sum, count } of this.series.values()) {
      this.buckets.forEach((b, i) =>
        lines.push(
          `${this.name}_bucket${labelText({ ...labels, le: String(b) })} ${counts[i] ?? 0}`,
        ),
      );
      lines.push(`${this.name}_bucket${labelText({ ...labels, le: '+Inf' })} ${count}`);
      lines.push(`${this.name}_sum${labelText(labels)} ${sum}`);
      lines.push(`${this.name}_count${labelText(labels)} ${count}`);
    }
    return lines;
  }
}

export class ServerMetrics {
  readonly httpRequests = new Counter(
    'fieldbook_http_requests_total',
    'HTTP requests by route, method and status.',
  );
  readonly httpDuration = new Histogram(
    'fieldbook_http_request_duration_seconds',
    'HTTP request duration by route.',
  );
  readonly pushRequests = new Counter(
    'fieldbook_sync_push_requests_total',
    'Push requests that were applied.',
  );
  readonly pushMutations = new Counter(
    'fieldbook_sync_push_mutations_total',
    'Pushed mutations by result (accepted, refused, duplicate).',
  );
  readonly pushDuration = new Histogram(
    'fieldbook_sync_push_duration_seconds',
    'Time to apply one push batch.',
  );
  readonly pullRequests = new Counter('fieldbook_sync_pull_requests_total', 'Pull pages served.');
  readonly pullItems = new Counter('fieldbook_sync_pull_items_total', 'Items sent in pull pages.');
  readonly pullDuration = new Histogram(
    'fieldbook_sync_pull_duration_seconds',
    'Time to build one pull page.',
  );
  readonly resyncs = new Counter(
    'fieldbook_sync_resync_required_total',
    'Pulls answered with resync_required.',
  );
  readonly enrolments = new Counter('fieldbook_enrolments_total', 'Device enrolments by result.');
  readonly wipes = new Counter(
    'fieldbook_wipe_instructions_total',
    'Requests from revoked devices answered with a wipe.',
  );
  private readonly started = Date.now();

  render(): string {
    const lines = [
      ...this.httpRequests.render(),
      ...this.httpDuration.render(),
      ...this.pushRequests.render(),
      ...this.pushMutations.render(),
      ...this.pushDuration.render(),
      ...this.pullRequests.render(),
      ...this.pullItems.render(),
      ...this.pullDuration.render(),
      ...this.resyncs.render(),
      ...this.enrolments.render(),
      ...this.wipes.render(),
      '# HELP fieldbook_process_uptime_seconds Seconds since the server process started.',
      '# TYPE fieldbook_process_uptime_seconds gauge',
      `fieldbook_process_uptime_seconds ${(Date.now() - this.started) / 1000}`,
    ];
    return `${lines.join('\n')}\n`;
  }
}
