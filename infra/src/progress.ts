// Progress of long steps (fetching, building, loading, waiting): a person watching a first run
// should always see what is happening and for how long, without the tools' own output.

export type Say = (msg: string) => void;

export function stderrSay(prefix: string): Say {
  return (msg) => process.stderr.write(`[${prefix}] ${msg}\n`);
}

/** 870 ms → "0.9s", 42 s → "42s", 135 s → "2m15s", 2 h → "2h00m". */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export interface StepLabel {
  /** Whose step it is, e.g. "jaeger". */
  name: string;
  /** Present participle for the heartbeat, e.g. "building". */
  doing: string;
  /** Past participle for the closing line, e.g. "built". */
  done: string;
  /** What is being done, for the opening line, e.g. "Jaeger v1.76.0 from the Go module proxy". */
  what: string;
  /** Where the tools' output goes. */
  logPath?: string;
}

export interface StepControl {
  /** Shown in heartbeats from now on, e.g. "compiling" or "12,000 of 50,000 units". */
  detail(text: string): void;
}

/**
 * Runs `fn` with an opening line, a heartbeat every `heartbeatMs` with the elapsed time, and a
 * closing line with the duration. The closing line is left to the caller's error on failure.
 */
export async function step<T>(
  say: Say,
  label: StepLabel,
  heartbeatMs: number,
  fn: (control: StepControl) => Promise<T>,
): Promise<T> {
  const t0 = Date.now();
  let detail = '';
  say(`${label.name}: ${label.doing} ${label.what}${label.logPath ? ` (output in ${label.logPath})` : ''}`);
  const timer = setInterval(() => {
    say(`${label.name}: still ${label.doing} (${formatDuration(Date.now() - t0)}${detail ? `, ${detail}` : ''}) ...`);
  }, heartbeatMs);
  // A heartbeat must never be the reason a process stays alive.
  timer.unref();
  try {
    const result = await fn({ detail: (text) => (detail = text) });
    say(`${label.name}: ${label.done} in ${formatDuration(Date.now() - t0)}`);
    return result;
  } finally {
    clearInterval(timer);
  }
}
