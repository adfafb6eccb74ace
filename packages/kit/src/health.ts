/** A readiness check names a dependency and resolves when it answers. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string; ms: number }>;
}

/** Runs every check concurrently with a timeout, so one hung dependency cannot hang the probe. */
export async function runReadiness(checks: readonly ReadinessCheck[], timeoutMs = 2000): Promise<ReadinessReport> {
  const report: ReadinessReport = { ready: true, checks: {} };
  await Promise.all(
    checks.map(async (c) => {
      const t0 = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          c.check(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        report.checks[c.name] = { ok: true, ms: Math.round(performance.now() - t0) };
      } catch (err) {
        report.ready = false;
        report.checks[c.name] = { ok: false, error: (err as Error).message, ms: Math.round(performance.now() - t0) };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return report;
}
