/**
 * Scheduled triggers for `npm start`: each manifest `scheduledTrigger` is run on its interval
 * (`fiveMinute`, `hour`, `day`, `week`, as Forge's scheduled trigger module documents them), or on one
 * shorter period for every trigger (`--schedule-every=30s`). As on Forge, the first run comes one
 * period after start-up, and a run of a trigger never overlaps the previous run of the same trigger.
 * Each run reports one line through `report`.
 */

export const SCHEDULE_INTERVALS_MS: Record<string, number> = {
  fiveMinute: 5 * 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
};

export interface ScheduledTriggerRef {
  key: string;
  functionKey: string;
  interval: string;
}

export interface SchedulerOptions {
  triggers: ScheduledTriggerRef[];
  run(moduleKey: string): Promise<unknown>;
  /** One line per run (started, how long, what the function answered or threw). */
  report(line: string): void;
  /** Every trigger's period instead of its manifest interval. */
  everyMs?: number;
}

export interface RunningSchedule {
  /** The period each trigger runs on, by module key. */
  periods: Record<string, number>;
  stop(): void;
}

/** The period of a manifest interval; an interval Forge does not know is refused. */
export function intervalMs(interval: string): number {
  const ms = SCHEDULE_INTERVALS_MS[interval];
  if (ms === undefined) {
    const known = Object.keys(SCHEDULE_INTERVALS_MS).join(', ');
    throw new Error(`scheduledTrigger interval '${interval}' is not one Forge knows (${known})`);
  }
  return ms;
}

function describe(result: unknown): string {
  if (result === undefined) return 'ok';
  const text = JSON.stringify(result);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

export function startSchedule(options: SchedulerOptions): RunningSchedule {
  const timers: NodeJS.Timeout[] = [];
  const periods: Record<string, number> = {};
  for (const trigger of options.triggers) {
    const period = options.everyMs ?? intervalMs(trigger.interval);
    periods[trigger.key] = period;
    let running = false;
    const tick = async () => {
      if (running) {
        options.report(`Scheduled trigger ${trigger.key}: skipped, the previous run is still going`);
        return;
      }
      running = true;
      const started = Date.now();
      try {
        const result = await options.run(trigger.key);
        options.report(`Scheduled trigger ${trigger.key} ran in ${Date.now() - started} ms: ${describe(result)}`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        options.report(`Scheduled trigger ${trigger.key} failed after ${Date.now() - started} ms: ${message}`);
      } finally {
        running = false;
      }
    };
    const timer = setInterval(() => void tick(), period);
    timer.unref?.();
    timers.push(timer);
  }
  return {
    periods,
    stop: () => {
      for (const timer of timers) clearInterval(timer);
    },
  };
}
