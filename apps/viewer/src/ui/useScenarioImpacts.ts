/**
 * Sun, energy and carbon of the scenarios compared (each answer holds its own baseline figures; with two, the
 * table sets the open one against the other), asked for only while the impacts
 * section is open (the sun-hours runs take seconds): energy and carbon are one request each, the sun-hours one
 * baseline-and-scenario job per scenario over one area (the red line, else the ground round the changes).
 */
import { useEffect, useState } from 'react';
import { carbonApi } from '../api/energyApi';
import { call } from '../api/scenarioApi';
import { requestSunHours } from '../api/sunHours';
import type { CompareAgainst } from '../state/scenarioCompare';
import { parseScenarioEnergy, type ScenarioImpact, sunHoursArea } from '../state/scenarioImpacts';
import { type LonLat, nextTwentyFirstOfMarch } from '../state/sunHours';

/** No lever set (only the grid decarbonises), so the figures are the development's alone. */
const LEVERS = 'baseline';
/** Cells and steps for the compare panel: coarser than the sun-hours tool's default, to answer in seconds. */
export const IMPACT_SUN = { cellSizeM: 2, stepMinutes: 10 } as const;

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

type Site = Parameters<typeof sunHoursArea>[0];

async function siteAndChanges(id: number, signal: AbortSignal): Promise<{ site: Site; changed: LonLat[][] }> {
  const [s, b] = await Promise.all([
    call('GET', `/api/scenarios/${id}`, { signal }) as Promise<{ site?: Site }>,
    call('GET', `/api/scenarios/${id}/buildings`, { signal }) as Promise<{
      features?: { geometry: { type: string; coordinates: unknown } }[];
    }>,
  ]);
  const changed: LonLat[][] = [];
  for (const f of b.features ?? []) {
    const g = f.geometry;
    if (g.type === 'Polygon') changed.push((g.coordinates as LonLat[][])[0]);
    if (g.type === 'MultiPolygon') for (const p of g.coordinates as LonLat[][][]) changed.push(p[0]);
  }
  return { site: s.site ?? null, changed };
}

export function useScenarioImpacts(
  open: boolean,
  dataset: string | null,
  against: CompareAgainst,
  current: { id: number; name: string; version: number } | null,
  otherName: string | null,
): ScenarioImpact[] {
  const sides = current
    ? against === 'baseline'
      ? [{ id: current.id, name: current.name }]
      : [
          { id: against, name: otherName ?? `Scenario ${against}` },
          { id: current.id, name: current.name },
        ]
    : [];
  const key = `${open}|${dataset}|${sides.map((s) => s.id).join(',')}|${current?.version}`;
  const [impacts, setImpacts] = useState<ScenarioImpact[]>([]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names everything the requests depend on
  useEffect(() => {
    const blank = (name: string): ScenarioImpact => ({
      name,
      sun: null,
      sunError: null,
      energy: null,
      energyError: null,
      carbon: null,
      carbonError: null,
    });
    setImpacts(sides.map((s) => blank(s.name)));
    if (!open || !dataset || sides.length === 0) return;
    const abort = new AbortController();
    const { signal } = abort;
    const update = (i: number, part: Partial<ScenarioImpact>): void => {
      if (!signal.aborted) setImpacts((xs) => xs.map((x, k) => (k === i ? { ...x, ...part } : x)));
    };
    sides.forEach((s, i) => {
      call('GET', `/api/scenarios/${s.id}/energy`, { signal })
        .then((e) => update(i, { energy: parseScenarioEnergy(e) }))
        .catch((e) => update(i, { energyError: errorText(e) }));
      carbonApi
        .scenario(s.id, LEVERS, signal)
        .then((c) => update(i, { carbon: c }))
        .catch((e) => update(i, { carbonError: errorText(e) }));
    });
    (async () => {
      const known = await Promise.all(sides.map((s) => siteAndChanges(s.id, signal)));
      const area = sunHoursArea(
        known.find((k) => k.site)?.site ?? null,
        known.flatMap((k) => k.changed),
      );
      if (!area) {
        for (const i of sides.keys())
          update(i, { sunError: 'No red line and no new or changed buildings to measure the sun round.' });
        return;
      }
      const date = nextTwentyFirstOfMarch(new Date().toISOString().slice(0, 10));
      // One after the other: each job is a worker's full attention, and the second reuses the baseline grid.
      for (const [i, s] of sides.entries()) {
        try {
          const job = await requestSunHours(
            { dataset, area, date, ...IMPACT_SUN, areaName: 'open ground', scenario: s.id },
            () => {},
            signal,
          );
          update(i, { sun: job.result });
        } catch (e) {
          update(i, { sunError: errorText(e) });
        }
      }
    })().catch((e) => {
      for (const i of sides.keys()) update(i, { sunError: errorText(e) });
    });
    return () => abort.abort();
  }, [key]);

  return impacts;
}
