import type { LeverSet } from '@placetwin/carbon';
import { useEffect, useMemo, useState } from 'react';
import { carbonApi, energyApi } from '../api/energyApi';
import type { DemandTable } from '../api/energyTypes';
import type { DatasetInfo } from '../api/types';
import { type BuildingValues, carbonValues, energyStatusCounts, energyValues } from '../state/buildingValues';
import { COLOUR_SCHEMES } from '../state/colourSchemes';
import { formatNumber } from '../state/format';
import type { ColourBy } from '../state/viewState';
import { useDebouncedRequest } from './useDebouncedRequest';

export interface CarbonMapChoice {
  levers: LeverSet;
  /** Says which plan it is, under the legend. */
  planTitle: string;
  year: number;
}

export interface BuildingValuesState {
  values: BuildingValues | null;
  /** A line for under the legend: what the colours rest on, or that they are loading or failed. */
  note: string | null;
  loading: boolean;
  error: string | null;
}

/**
 * The figures the energy and carbon colour schemes join to the buildings: the energy layer's demand table of each
 * dataset (fetched once, kept), or every building's operational carbon for the Carbon panel's plan and year
 * (fetched again when they change). Nothing is fetched while a tile-only scheme is shown.
 */
export function useBuildingValues(
  colourBy: ColourBy,
  datasets: readonly DatasetInfo[],
  carbonMap: CarbonMapChoice,
): BuildingValuesState {
  const joins = COLOUR_SCHEMES[colourBy].joins;
  const names = useMemo(() => datasets.filter((d) => d.tilesetUrl).map((d) => d.name), [datasets]);

  const [demand, setDemand] = useState<Record<string, DemandTable>>({});
  const [demandState, setDemandState] = useState<{ loading: boolean; error: string | null }>({
    loading: false,
    error: null,
  });
  useEffect(() => {
    if (joins !== 'energy') return;
    const missing = names.filter((n) => !demand[n]);
    if (missing.length === 0) return;
    const abort = new AbortController();
    setDemandState({ loading: true, error: null });
    Promise.all(missing.map((n) => energyApi.demand(n, abort.signal))).then(
      (tables) => {
        setDemand((d) => ({ ...d, ...Object.fromEntries(tables.map((t, i) => [missing[i], t])) }));
        setDemandState({ loading: false, error: null });
      },
      (e: unknown) => {
        if (!abort.signal.aborted)
          setDemandState({ loading: false, error: e instanceof Error ? e.message : String(e) });
      },
    );
    return () => abort.abort();
  }, [joins, names, demand]);

  const carbonKey =
    joins === 'carbon' && names.length
      ? JSON.stringify({ names, levers: carbonMap.levers, year: carbonMap.year })
      : null;
  const carbon = useDebouncedRequest(carbonKey, (signal) =>
    Promise.all(
      names.map((n) => carbonApi.buildings(n, { levers: carbonMap.levers, year: carbonMap.year }, signal)),
    ),
  );

  return useMemo((): BuildingValuesState => {
    if (joins === 'energy') {
      const tables = names.flatMap((n) => (demand[n] ? [demand[n]] : []));
      const c = energyStatusCounts(tables);
      return {
        values: tables.length ? energyValues(tables) : null,
        note: tables.length
          ? `${formatNumber(c.estimated)} buildings estimated, ${formatNumber(c.measured)} measured, ${formatNumber(c.notModelled)} unheated (not modelled)${c.skipped ? `, ${formatNumber(c.skipped)} could not be modelled` : ''}. Benchmarks: CIBSE TM46:2008, Ofgem TDCV 2023.`
          : null,
        loading: demandState.loading,
        error: demandState.error,
      };
    }
    if (joins === 'carbon') {
      const tables = carbon.data ?? [];
      const n = tables.reduce((a, t) => a + t.ids.length, 0);
      return {
        values: tables.length ? carbonValues(tables) : null,
        note: tables.length
          ? `${tables[0].year}, ${carbonMap.planTitle}: ${formatNumber(n)} heated buildings, modelled from assumed energy per m² (DESNZ 2023 factors; grid path ${tables[0].gridPath.split(':')[0]}).`
          : null,
        loading: carbon.loading,
        error: carbon.error,
      };
    }
    return { values: null, note: null, loading: false, error: null };
  }, [joins, names, demand, demandState, carbon, carbonMap.planTitle]);
}
