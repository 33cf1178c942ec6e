import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { useArea } from './api/area';
import { useDatasets } from './api/client';
import { AreaBoundary } from './scene/AreaBoundary';
import { CityScene, type LayerProblem } from './scene/CityScene';
import { GridLayer } from './scene/GridLayer';
import type { SceneProbe } from './scene/instrument';
import { PlaybackQuality } from './scene/PlaybackQuality';
import { ScenarioOverlay } from './scene/ScenarioOverlay';
import { type CaptureScene, SceneCapture } from './scene/SceneCapture';
import { SensorLayer } from './scene/SensorLayer';
import { SunHoursLayers } from './scene/SunHoursLayers';
import { TransportLayers } from './scene/TransportLayers';
import { ViewBounds } from './scene/ViewBounds';
import { initialAppState, reduce } from './state/store';
import { sunReadout } from './state/sun';
import { decodeSunHoursParam, sunHoursFragment } from './state/sunHoursLink';
import { ukNoonOf } from './state/ukTime';
import {
  decodeViewState,
  encodeViewState,
  homeView,
  isDatasetVisible,
  unionBbox,
  type ViewState,
} from './state/viewState';
import { AnalysisDock } from './ui/AnalysisDock';
import { BuildingEnergy } from './ui/BuildingEnergy';
import { Credits } from './ui/Credits';
import { EnergyCarbonSection } from './ui/EnergyCarbonSection';
import { Header } from './ui/Header';
import { InfoPanel } from './ui/InfoPanel';
import { LayerPanel } from './ui/LayerPanel';
import { LegendNote } from './ui/LegendNote';
import { Presentation } from './ui/Presentation';
import { compareLabels } from './ui/ScenarioComparePanel';
import { ScenarioPanel } from './ui/ScenarioPanel';
import { SensorChartPanel } from './ui/SensorChartPanel';
import { SensorLayerToggle, SensorPanel } from './ui/SensorPanel';
import { StoryPanel } from './ui/StoryPanel';
import { SunHoursPanel } from './ui/SunHoursPanel';
import { SwipeDivider } from './ui/SwipeDivider';
import { TimePanel } from './ui/TimePanel';
import { TransportPanel } from './ui/TransportPanel';
import { UprnSearch } from './ui/UprnSearch';
import { useEnergyCarbon } from './ui/useEnergyCarbon';
import { useScenarioLink } from './ui/useScenarioLink';
import { useScenarioTool } from './ui/useScenarioTool';
import { useSensors } from './ui/useSensors';
import { useStoryTool } from './ui/useStoryTool';
import { sunHoursComparisonState, useSunHoursTool } from './ui/useSunHoursTool';
import { useTransport } from './ui/useTransport';
import { useStartView } from './useStartView';

/** The URL follows the view this long after it stops changing (camera drags change it many times a second). */
const URL_SETTLE_MS = 400;

const viewFromUrl = () => decodeViewState(window.location.hash, ukNoonOf(new Date()));

/** `extra`: more fragment parameters (`&sun=…`, the sun-hours request) after the view's. */
const shareLink = (view: ViewState, extra = ''): string =>
  `${window.location.origin}${window.location.pathname}${window.location.search}#${encodeViewState(view)}${extra}`;

export function App({ mode, probe }: { mode: 'tiles' | 'geojson'; probe: SceneProbe }) {
  const [state, dispatch] = useReducer(reduce, undefined, () => initialAppState(viewFromUrl()));
  const datasetsRequest = useDatasets();
  const datasets = useMemo(
    () => (datasetsRequest.status === 'loaded' ? datasetsRequest.data : []),
    [datasetsRequest],
  );
  const [pendingTiles, setPendingTiles] = useState<Record<string, number>>({});
  const [problems, setProblems] = useState<LayerProblem[]>([]);

  const extent = useMemo(() => unionBbox(datasets.flatMap((d) => (d.bbox ? [d.bbox] : []))), [datasets]);
  const goHome = useCallback(
    (fly: boolean) => {
      if (extent) dispatch({ type: 'flyTo', camera: homeView(extent), fly });
    },
    [extent],
  );

  const areaRequest = useArea();
  const area = areaRequest.status === 'loaded' ? areaRequest.data : null;
  const startSettled = useStartView(state.view.camera !== null, datasetsRequest, dispatch, areaRequest);

  const sunHours = useSunHoursTool();
  const scenarioDatasets = useMemo(() => datasets.filter((d) => d.tilesetUrl).map((d) => d.name), [datasets]);
  const scenario = useScenarioTool(scenarioDatasets);
  const [capture, setCapture] = useState<CaptureScene | null>(null);
  const onCaptureReady = useCallback((c: CaptureScene | null) => setCapture(() => c), []);
  const datasetNames = useMemo(() => datasets.map((d) => d.name), [datasets]);
  const story = useStoryTool({
    session: scenario.session,
    view: state.view,
    dispatch,
    datasets: datasetNames,
    scenario,
    capture,
    hooks: probe.hooks,
    ready: startSettled && datasetsRequest.status === 'loaded',
    sunHours,
  });
  const transport = useTransport(state.view.time, dispatch, state.view.transport);
  const sensors = useSensors(state.view.time, dispatch);
  useScenarioLink(scenario, state.view.scenario, dispatch);
  const energyCarbon = useEnergyCarbon(state.view, datasets, scenario.session);
  const extentCentre = useMemo(
    () => (extent ? { lon: (extent[0] + extent[2]) / 2, lat: (extent[1] + extent[3]) / 2 } : null),
    [extent],
  );
  const sun = useMemo(() => sunReadout(state.view, extentCentre), [state.view, extentCentre]);
  const sunRef = useRef(sun);
  sunRef.current = sun;
  const sunHoursRef = useRef(sunHours);
  sunHoursRef.current = sunHours;
  useEffect(() => {
    probe.provideSolar({
      sun: () => {
        const s = sunRef.current;
        return s
          ? {
              azimuthDeg: s.azimuthDeg,
              elevationDeg: s.elevationDeg,
              apparentElevationDeg: s.apparentElevationDeg,
              lon: s.lon,
              lat: s.lat,
            }
          : null;
      },
      area: () => ({
        points: sunHoursRef.current.points.map(([x, y]) => [x, y]),
        mode: sunHoursRef.current.mode,
      }),
      drawArea: (points) => sunHoursRef.current.setArea(points),
      sunHours: () => {
        const t = sunHoursRef.current;
        return {
          id: t.run.job?.id ?? null,
          status: t.run.status,
          progress: t.run.job?.progress ?? 0,
          overlayLoaded: t.overlayLoaded,
          sentence: t.run.job?.result?.sentence ?? null,
          comparison: sunHoursComparisonState(t),
        };
      },
    });
    return () => probe.provideSolar(null);
  }, [probe]);

  // The view → the URL (replaceState: moving around should not fill the back button's history).
  const sunHoursLink = useMemo(() => sunHoursFragment(sunHours.request), [sunHours.request]);
  useEffect(() => {
    const timer = setTimeout(() => {
      window.history.replaceState(null, '', shareLink(state.view, sunHoursLink));
    }, URL_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [state.view, sunHoursLink]);
  // A link with a sun-hours request reopens its result (once, on opening).
  const restoreSunHours = sunHours.restore;
  useEffect(() => {
    const body = decodeSunHoursParam(window.location.hash);
    if (body) restoreSunHours(body);
  }, [restoreSunHours]);

  // A URL edited by hand, or a link opened in this tab → the view.
  useEffect(() => {
    const onHashChange = () => dispatch({ type: 'replaceView', view: viewFromUrl() });
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  // The building layers the scene must finish before it counts as loaded (test hooks, benchmark).
  useEffect(() => {
    if (!startSettled) return;
    const drawable = datasets.filter((d) => (mode === 'tiles' ? d.tilesetUrl : d.bbox));
    probe.expectLayers(
      drawable.filter((d) => isDatasetVisible(state.view.layers, d.name)).map((d) => d.name),
    );
  }, [startSettled, datasets, mode, probe, state.view.layers]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && state.view.selected) dispatch({ type: 'select', id: null });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [state.view.selected]);

  const onLoadingChange = useCallback((layer: string, pending: number) => {
    setPendingTiles((p) => (p[layer] === pending ? p : { ...p, [layer]: pending }));
  }, []);
  const onProblem = useCallback((problem: LayerProblem) => {
    setProblems((list) =>
      list.some((p) => p.message === problem.message) ? list : [...list, problem].slice(-5),
    );
  }, []);
  const loadingTiles = Object.values(pendingTiles).reduce((a, b) => a + b, 0);

  return (
    <div className={story.presenting === null ? 'app' : 'app presenting'}>
      <Header
        datasets={datasets}
        onHome={() => goHome(true)}
        canGoHome={extent !== null}
        shareLink={() => shareLink(state.view, sunHoursLink)}
        mode={mode}
      >
        <UprnSearch dispatch={dispatch} />
      </Header>
      <aside className="side-panel" aria-label="Layers, colours and time">
        <LayerPanel
          datasets={datasets}
          view={state.view}
          dispatch={dispatch}
          legendNote={<LegendNote state={energyCarbon.buildingValues} />}
          extraLayers={<SensorLayerToggle tool={sensors} />}
        />
        <SensorPanel tool={sensors} />
        <EnergyCarbonSection view={state.view} dispatch={dispatch} />
        <TimePanel view={state.view} clock={state.clock} dispatch={dispatch} sun={sun} />
        <SunHoursPanel tool={sunHours} datasets={datasets} scenario={scenario.current} />
        <TransportPanel tool={transport} time={state.view.time} dispatch={dispatch} />
        <ScenarioPanel
          tool={scenario}
          datasets={scenarioDatasets}
          selected={state.view.selected}
          onDeselect={() => dispatch({ type: 'select', id: null })}
        />
        <StoryPanel tool={story} session={scenario.session} />
      </aside>
      <main className="scene" aria-label="3D view of the city">
        <CityScene
          state={state}
          dispatch={dispatch}
          datasets={datasets}
          extent={extent}
          mode={mode}
          probe={probe}
          onLoadingChange={onLoadingChange}
          onProblem={onProblem}
          picking={
            sunHours.mode !== 'drawing' &&
            scenario.mode !== 'drawing' &&
            !scenario.moving &&
            !scenario.editing
          }
          baselineShow={scenario.baselineShow}
          buildingValues={energyCarbon.buildingValues.values}
        >
          <AreaBoundary area={area} hooks={probe.hooks} />
          <SunHoursLayers tool={sunHours} />
          <TransportLayers tool={transport} hooks={probe.hooks} />
          <SensorLayer tool={sensors} hooks={probe.hooks} />
          <GridLayer grid={energyCarbon.portfolio.result.data?.grid ?? null} />
          <ViewBounds onReady={energyCarbon.setViewBounds} />
          <ScenarioOverlay tool={scenario} view={state.view} hooks={probe.hooks} />
          <SceneCapture onReady={onCaptureReady} />
          <PlaybackQuality
            active={story.presenting !== null}
            level={story.quality.level}
            pinned={story.quality.pinned}
            onLevel={story.setQualityLevel}
            shadows={state.view.shadows}
          />
        </CityScene>
        <Presentation tool={story} />
        <div className="scene-status" role="status" aria-live="polite">
          {datasetsRequest.status === 'loading' && <span className="pill">Loading datasets…</span>}
          {loadingTiles > 0 && <span className="pill">Loading buildings…</span>}
          {datasetsRequest.status === 'loaded' && datasets.length === 0 && (
            <span className="pill">No datasets yet: import one with `npx placetwin import`.</span>
          )}
        </div>
        {(datasetsRequest.status === 'failed' || problems.length > 0) && (
          <div className="scene-problems" role="alert">
            {datasetsRequest.status === 'failed' && (
              <p>Cannot read the dataset list from the Placetwin server: {datasetsRequest.message}</p>
            )}
            {problems.map((p) => (
              <p key={p.message}>
                {p.layer}: {p.message}
              </p>
            ))}
          </div>
        )}
        {state.view.selected && (
          <InfoPanel
            id={state.view.selected}
            scenarioId={scenario.current?.id ?? null}
            onClose={() => dispatch({ type: 'select', id: null })}
          >
            <BuildingEnergy
              id={state.view.selected}
              dispatch={dispatch}
              onAddToPortfolio={(id) => {
                energyCarbon.portfolio.add(id);
                energyCarbon.portfolio.setChoice('list');
              }}
              inPortfolio={energyCarbon.portfolio.ids.includes(state.view.selected)}
            />
          </InfoPanel>
        )}
        <SensorChartPanel tool={sensors} clockMs={Date.parse(state.view.time)} />
        {scenario.compare && scenario.layout === 'swipe' && (
          <SwipeDivider split={scenario.split} onChange={scenario.setSplit} {...compareLabels(scenario)} />
        )}
        <AnalysisDock ec={energyCarbon} view={state.view} dispatch={dispatch} scenario={scenario.current} />
        <Credits datasets={datasets} basemapShown={state.view.layers.basemap} />
      </main>
    </div>
  );
}
