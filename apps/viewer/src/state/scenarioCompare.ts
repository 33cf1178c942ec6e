/**
 * Compare, the pure parts: what each side of a comparison is (the baseline or a scenario), the server's
 * `/api/scenarios/compare` answer checked at the edge, the indicator rows and the floor-area-by-use chart data, the
 * 3D Tiles show expressions for a swipe between two scenarios, and the scenario part of a share link.
 */
import {
  type IndicatorFigures,
  type IndicatorRow,
  type IndicatorsAnswer,
  indicatorRows,
  parseIndicators,
  USES,
} from './scenario';

export type { CompareLayout } from './scenarioLink';

/** The left side of a comparison: the baseline, or another scenario of the same dataset (by id). */
export type CompareAgainst = 'baseline' | number;

export interface ComparisonSide {
  scenarioId: number | null;
  name: string;
  indicators: IndicatorFigures;
}

/** `GET /api/scenarios/compare?a=…&b=…`, the parts the panel shows (b − a in `delta`). */
export interface ComparisonAnswer {
  studyArea: IndicatorsAnswer['studyArea'];
  a: ComparisonSide;
  b: ComparisonSide;
  delta: IndicatorFigures;
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

export function parseComparison(body: unknown): ComparisonAnswer {
  if (!isObj(body) || !isObj(body.a) || !isObj(body.b))
    throw new Error('the server did not answer with a comparison');
  // The indicator figures have the shape of the single-scenario answer: reuse its checks.
  const figures = parseIndicators({
    version: 0,
    studyArea: body.studyArea,
    baseline: body.a.indicators,
    scenario: body.b.indicators,
    delta: body.delta,
  });
  const side = (s: Record<string, unknown>, f: IndicatorFigures): ComparisonSide => ({
    scenarioId: typeof s.scenarioId === 'number' ? s.scenarioId : null,
    name: typeof s.name === 'string' ? s.name : 'baseline',
    indicators: f,
  });
  return {
    studyArea: figures.studyArea,
    a: side(body.a, figures.baseline),
    b: side(body.b, figures.scenario),
    delta: figures.delta,
  };
}

/** The compare query for the left side `against` and the open scenario `current`. */
export const compareUrl = (against: CompareAgainst, current: number): string =>
  `/api/scenarios/compare?a=${against}&b=${current}`;

/** The indicator rows of a comparison: a in the first column, b in the second, b − a as the change. */
export const comparisonRows = (c: ComparisonAnswer): IndicatorRow[] =>
  indicatorRows({
    version: 0,
    studyArea: c.studyArea,
    baseline: c.a.indicators,
    scenario: c.b.indicators,
    delta: c.delta,
  });

export interface FloorAreaBars {
  /** Use classes either side has floor area in, in the panel's order. */
  labels: string[];
  a: number[];
  b: number[];
}

/** Floor area by use for both sides (m²), for a grouped bar chart. */
export function floorAreaBars(a: IndicatorFigures, b: IndicatorFigures): FloorAreaBars {
  const labels = USES.filter((u) => (a.gfaM2.byUse[u] ?? 0) > 0 || (b.gfaM2.byUse[u] ?? 0) > 0);
  return {
    labels: [...labels],
    a: labels.map((u) => Math.round(a.gfaM2.byUse[u] ?? 0)),
    b: labels.map((u) => Math.round(b.gfaM2.byUse[u] ?? 0)),
  };
}

/**
 * The show expressions for a swipe between two scenarios over one baseline tileset. `showA` and `showB` are each
 * scenario's own (they hide the baseline buildings it demolishes or changes; `'true'` hides none):
 * - `both`: the main baseline, on both sides: the buildings neither scenario hides;
 * - `leftOnly`: a second baseline copy drawn left of the divider: hidden by b (right) but kept by a (left);
 * - `rightOnly`: a third copy drawn right of it: hidden by a but kept by b.
 * null where no building needs that copy.
 */
export function swipeExpressions(
  showA: string,
  showB: string,
): { both: string; leftOnly: string | null; rightOnly: string | null } {
  const none = (s: string) => s.trim() === 'true';
  const both = none(showA) ? showB : none(showB) ? showA : `(${showA}) && (${showB})`;
  return {
    both,
    leftOnly: none(showB) ? null : none(showA) ? `!(${showB})` : `(${showA}) && !(${showB})`,
    rightOnly: none(showA) ? null : none(showB) ? `!(${showA})` : `!(${showA}) && (${showB})`,
  };
}
