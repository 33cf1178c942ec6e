/**
 * Sun-hours comparisons (baseline against a scenario): a comparison names its two single results (jobs of
 * SunHoursJobs) and the scenario as it stood. The record is kept in memory and on disk
 * (`<dataDir>/sun-hours/compare/<id>.json`), so a comparison can be asked for after a restart; its figures are
 * worked out from the two stored grids when asked.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ScenarioRef,
  type ScenarioSunHoursJobs,
  type SunHoursComparisonReport,
  type SunHoursReport,
  sunHoursComparisonReport,
} from '@placetwin/cli';
import type { SunHoursGrid } from '@placetwin/solar';
import { LRUCache } from 'lru-cache';
import type { JobView, SunHoursJobs } from './solar-jobs';

export interface ComparisonRecord {
  id: string;
  scenario: ScenarioRef;
  baselineId: string;
  afterId: string;
  areaName: string;
  changed: ScenarioSunHoursJobs['changed'];
}

export interface ComparisonResult {
  comparison: SunHoursComparisonReport;
  before: { report: SunHoursReport; grid: SunHoursGrid };
  after: { report: SunHoursReport; grid: SunHoursGrid };
}

const ID = /^[0-9a-f]{32}$/;

export class SunHoursComparisons {
  private readonly records = new LRUCache<string, ComparisonRecord>({ max: 4096 });
  private readonly reports = new LRUCache<string, SunHoursComparisonReport>({ max: 256 });

  constructor(
    private readonly dir: string,
    private readonly jobs: SunHoursJobs,
  ) {}

  /** Remembers a comparison (memory, and disk when it can: a lost file only loses it after a restart). */
  async save(pair: ScenarioSunHoursJobs): Promise<ComparisonRecord> {
    const record: ComparisonRecord = {
      id: pair.id,
      scenario: pair.scenario,
      baselineId: pair.baseline.id,
      afterId: pair.after.id,
      areaName: pair.after.plan.areaName,
      changed: pair.changed,
    };
    if (this.records.has(pair.id)) return record;
    this.records.set(pair.id, record);
    try {
      await mkdir(this.dir, { recursive: true });
      const file = join(this.dir, `${pair.id}.json`);
      const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
      await writeFile(tmp, JSON.stringify(record));
      await rename(tmp, file);
    } catch {
      // Kept in memory.
    }
    return record;
  }

  async get(id: string): Promise<ComparisonRecord | null> {
    if (!ID.test(id)) return null;
    const hit = this.records.get(id);
    if (hit) return hit;
    try {
      const record = JSON.parse(await readFile(join(this.dir, `${id}.json`), 'utf8')) as ComparisonRecord;
      if (record.id !== id) return null;
      this.records.set(id, record);
      return record;
    } catch {
      return null;
    }
  }

  /** Both jobs as one: failed if either failed, done when both are, running while either runs. */
  async view(record: ComparisonRecord): Promise<JobView | null> {
    const [b, a] = await Promise.all([this.jobs.get(record.baselineId), this.jobs.get(record.afterId)]);
    if (!b || !a) return null;
    const status =
      b.status === 'failed' || a.status === 'failed'
        ? 'failed'
        : b.status === 'done' && a.status === 'done'
          ? 'done'
          : b.status === 'running' || a.status === 'running' || b.status === 'done'
            ? 'running'
            : 'queued';
    return {
      id: record.id,
      status,
      progress: (b.progress + a.progress) / 2,
      queuedAhead: Math.max(b.queuedAhead, a.queuedAhead),
      error: b.error ?? a.error,
    };
  }

  /** The comparison with both results, or null when either result is missing (not done, or lost). */
  async result(record: ComparisonRecord): Promise<ComparisonResult | null> {
    const [before, after] = await Promise.all([
      this.jobs.result(record.baselineId),
      this.jobs.result(record.afterId),
    ]);
    if (!before || !after) return null;
    let comparison = this.reports.get(record.id);
    if (!comparison) {
      comparison = sunHoursComparisonReport(record, record.areaName, before.grid, after.grid);
      this.reports.set(record.id, comparison);
    }
    return { comparison, before, after };
  }
}
