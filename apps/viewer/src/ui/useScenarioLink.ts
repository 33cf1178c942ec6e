/**
 * The open scenario and compare in the share link: the scenario tool's state → `view.scenario` (so the URL and the
 * Share button carry it), and a link opened (or a fragment edited) → the tool opens that scenario and compare.
 */
import { type Dispatch, useEffect, useMemo, useRef } from 'react';
import { type ScenarioLink, sameScenarioLink } from '../state/scenarioLink';
import type { Action } from '../state/store';
import type { ScenarioTool } from './useScenarioTool';

/** The link for the tool's state (undefined: no scenario open). */
export function linkOfTool(t: Pick<ScenarioTool, 'current' | 'compare' | 'layout' | 'against'>) {
  if (!t.current) return undefined;
  const link: ScenarioLink = { id: t.current.id };
  if (t.compare) {
    link.compare = t.layout;
    if (t.against !== 'baseline') link.against = t.against;
  }
  return link;
}

export function useScenarioLink(
  tool: ScenarioTool,
  linked: ScenarioLink | undefined,
  dispatch: Dispatch<Action>,
): void {
  // What the view holds because this hook put it there; anything else came from a link.
  const written = useRef<ScenarioLink | undefined>(undefined);
  // A link being applied: the tool's state is not written back until it has caught up (opening is async).
  const pending = useRef<ScenarioLink | undefined>(undefined);
  const toolRef = useRef(tool);
  toolRef.current = tool;
  const ready = tool.session !== undefined;

  // A link → the tool (once the session is known: drafts need a signed-in planner).
  useEffect(() => {
    if (!ready || sameScenarioLink(linked, written.current)) return;
    const t = toolRef.current;
    pending.current = linked;
    if (!linked) {
      t.open(null);
      return;
    }
    if (t.current?.id !== linked.id) t.open(linked.id);
    t.setCompare(linked.compare !== undefined);
    if (linked.compare) t.setLayout(linked.compare);
    t.setAgainst(linked.against ?? 'baseline');
  }, [ready, linked]);

  // The tool → the link.
  const { current, compare, layout, against, busy, message } = tool;
  const now = useMemo(
    () => linkOfTool({ current, compare, layout, against }),
    [current, compare, layout, against],
  );
  useEffect(() => {
    if (!ready) return;
    if (pending.current) {
      // Still opening what the link asked for (or it failed: then the message says why and the tool's state wins).
      if (!sameScenarioLink(now, pending.current) && busy) return;
      if (!sameScenarioLink(now, pending.current) && !message && current?.id !== pending.current.id) return;
      pending.current = undefined;
    }
    if (sameScenarioLink(now, written.current) && sameScenarioLink(now, linked)) return;
    written.current = now;
    if (!sameScenarioLink(now, linked)) dispatch({ type: 'setScenario', scenario: now });
  }, [ready, now, busy, message, current, linked, dispatch]);
}
