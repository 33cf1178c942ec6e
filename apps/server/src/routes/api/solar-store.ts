/**
 * The sun-hours jobs and comparisons of one server, shared by `/api/solar/sun-hours` and the committee report (a
 * story slide that carries a sun-hours request prints its result): the same request is the same job, so a result
 * the planner computed in the viewer is printed from the cache at once.
 */
import { join } from 'node:path';
import { loadScenarioSunHoursJobs, loadSunHoursJob, planSunHours } from '@placetwin/cli';
import { type Db, ScenarioNotFoundError, type StorySunHours } from '@placetwin/db';
import { isDataError } from '@placetwin/geo';
import { HttpProblem } from '../../plugins/app/problems';
import { SunHoursComparisons } from './solar-compare';
import { SunHoursJobs, type SunHoursJobsOptions } from './solar-jobs';

/** A slide's sun-hours figures, as the report prints them (see `sunHoursLines`). */
export type ReportSunHours =
  | {
      status: 'done';
      areaName: string;
      date: string;
      cellSizeM: number;
      stepMinutes: number;
      /** Open ground assessed after (m²). */
      areaM2: number;
      /** Share (0–1) of the open ground with at least 2 hours, before the scenario (null: no scenario). */
      shareBefore: number | null;
      shareAfter: number;
      /** Sunlit area (≥ 2 h) after ÷ before; null without a scenario or when nothing was sunlit before. */
      ratio: number | null;
      /** The scenario compared with, or null (the baseline alone). */
      scenario: { id: number; name: string; version: number } | null;
      /** BRE 209's test on 21 March, null on other days. `meetsRatioTest` null: no scenario, or nothing sunlit before. */
      bre209: { meetsGuidance: boolean; meetsTwoHourTest: boolean; meetsRatioTest: boolean | null } | null;
      /** The API's own sentence for the result. */
      sentence: string;
    }
  | { status: 'pending' | 'failed'; areaName: string; date: string; detail: string };

export class SunHoursStore {
  readonly jobs: SunHoursJobs;
  readonly comparisons: SunHoursComparisons;

  constructor(dataDir: string, queue: Omit<SunHoursJobsOptions, 'dir'>) {
    this.jobs = new SunHoursJobs({ ...queue, dir: join(dataDir, 'sun-hours') });
    this.comparisons = new SunHoursComparisons(join(dataDir, 'sun-hours', 'compare'), this.jobs);
  }

  /**
   * The result of a slide's sun-hours request: found (cached) or computed, waiting up to `waitMs`. Never throws for
   * the request's own problems (a failed or unfinished analysis is said on the slide); a story's requests were
   * checked when the story was saved.
   */
  async forSlide(db: Db, request: StorySunHours, waitMs: number): Promise<ReportSunHours> {
    const name = { areaName: request.areaName, date: request.date };
    try {
      const plan = planSunHours(request);
      const until = Date.now() + waitMs;
      if (request.scenario !== undefined) {
        const pair = await loadScenarioSunHoursJobs(db, plan, request.scenario);
        const record = await this.comparisons.save(pair);
        await this.jobs.submit(pair.baseline);
        await this.jobs.submit(pair.after, pair.scenario.id);
        for (const id of [pair.baseline.id, pair.after.id]) await this.jobs.wait(id, until - Date.now());
        const view = await this.comparisons.view(record);
        if (view?.status === 'failed') return { status: 'failed', ...name, detail: view.error?.detail ?? '' };
        const r = view?.status === 'done' ? await this.comparisons.result(record) : null;
        if (!r) return { status: 'pending', ...name, detail: pendingDetail(view?.progress ?? 0) };
        const c = r.comparison;
        return {
          status: 'done',
          ...name,
          cellSizeM: plan.cellSizeM,
          stepMinutes: plan.stepMinutes,
          areaM2: c.areaM2After,
          shareBefore: c.shareBefore,
          shareAfter: c.shareAfter,
          ratio: c.ratio,
          scenario: { id: c.scenario.id, name: c.scenario.name, version: c.scenario.version },
          bre209: c.bre209 && {
            meetsGuidance: c.bre209.meetsGuidance,
            meetsTwoHourTest: c.bre209.meetsTwoHourTest,
            meetsRatioTest: c.bre209.meetsRatioTest,
          },
          sentence: c.sentence,
        };
      }
      const input = await loadSunHoursJob(db, plan);
      await this.jobs.submit(input);
      await this.jobs.wait(input.id, until - Date.now());
      const view = await this.jobs.get(input.id);
      if (view?.status === 'failed') return { status: 'failed', ...name, detail: view.error?.detail ?? '' };
      const r = view?.status === 'done' ? await this.jobs.result(input.id) : null;
      if (!r) return { status: 'pending', ...name, detail: pendingDetail(view?.progress ?? 0) };
      const s = r.report.summary;
      return {
        status: 'done',
        ...name,
        cellSizeM: plan.cellSizeM,
        stepMinutes: plan.stepMinutes,
        areaM2: s.areaM2,
        shareBefore: null,
        shareAfter: s.shareAtLeast2h,
        ratio: null,
        scenario: null,
        bre209: r.report.bre209 && {
          meetsGuidance: r.report.bre209.meetsGuidance,
          meetsTwoHourTest: r.report.bre209.meetsTwoHourTest,
          meetsRatioTest: null,
        },
        sentence: r.report.sentence,
      };
    } catch (e) {
      // Bad data (a scenario deleted since, an area the checks now refuse) or a full queue (503).
      if (isDataError(e) || e instanceof ScenarioNotFoundError || e instanceof HttpProblem)
        return { status: 'failed', ...name, detail: (e as Error).message };
      throw e;
    }
  }

  close(): Promise<void> {
    return this.jobs.close();
  }
}

const pendingDetail = (progress: number) =>
  `still being computed (${Math.round(progress * 100)}% done): make the report again in a minute`;
