/**
 * The scenario part of a share link (the fragment; see viewState.ts): the open scenario, and whether and how it is
 * compared. No imports: viewState.ts depends on it.
 */

/** One view with a draggable divider, or two views side by side with linked cameras. */
export type CompareLayout = 'swipe' | 'split';
export const COMPARE_LAYOUTS: readonly CompareLayout[] = ['swipe', 'split'];

/** The scenario part of the view a link carries. */
export interface ScenarioLink {
  id: number;
  /** Absent: not comparing. */
  compare?: CompareLayout;
  /** The left side when comparing; absent: the baseline. */
  against?: number;
}

const ID = /^[1-9][0-9]{0,15}$/;

/** `scn=<id>` and, when comparing, `cmp=swipe|split` and `vs=<id>` (absent: against the baseline). */
export function encodeScenarioLink(link: ScenarioLink | undefined): [string, string][] {
  if (!link) return [];
  const out: [string, string][] = [['scn', String(link.id)]];
  if (link.compare) {
    out.push(['cmp', link.compare]);
    if (link.against !== undefined) out.push(['vs', String(link.against)]);
  }
  return out;
}

/** The link's scenario, forgiving: a malformed id drops the scenario, a malformed compare drops the compare. */
export function decodeScenarioLink(params: URLSearchParams): ScenarioLink | undefined {
  const id = params.get('scn');
  if (!id || !ID.test(id)) return undefined;
  const link: ScenarioLink = { id: Number(id) };
  const compare = COMPARE_LAYOUTS.find((l) => l === params.get('cmp'));
  if (compare) {
    link.compare = compare;
    const vs = params.get('vs');
    if (vs && ID.test(vs) && vs !== id) link.against = Number(vs);
  }
  return link;
}

export const sameScenarioLink = (x: ScenarioLink | undefined, y: ScenarioLink | undefined): boolean =>
  x?.id === y?.id && x?.compare === y?.compare && x?.against === y?.against;
