/**
 * The viewer's state transitions, as a pure reducer. The serialisable `view` is what a link carries; the rest is
 * how the scene should be driven right now (a pending camera move, whether the clock is running).
 */
import type { ScenarioLink } from './scenarioLink';
import type { AnalysisPanel, CameraView, ColourBy, TransportView, ViewState } from './viewState';

export interface AppState {
  view: ViewState;
  /**
   * A camera move the scene must carry out. The camera also moves under the user's mouse: those moves update
   * `view.camera` without a request, so the scene is never told to go where it already is.
   */
  cameraRequest: { view: CameraView; fly: boolean; seq: number; durationS?: number } | null;
  /** Whether the scene clock runs, and how many scene seconds pass per real second. */
  clock: { playing: boolean; multiplier: number };
  /** Set when the time came from the running clock (so it is not pushed back into the clock). */
  timeFromClock: boolean;
}

export type Action =
  | { type: 'cameraMoved'; camera: CameraView }
  | { type: 'flyTo'; camera: CameraView; fly: boolean; durationS?: number }
  | { type: 'setTime'; time: string }
  | { type: 'clockTicked'; time: string }
  | { type: 'setPlaying'; playing: boolean }
  | { type: 'setMultiplier'; multiplier: number }
  | { type: 'setShadows'; shadows: boolean }
  | { type: 'setColourBy'; colourBy: ColourBy }
  | { type: 'setBasemap'; visible: boolean }
  | { type: 'setDatasetVisible'; dataset: string; visible: boolean }
  | { type: 'select'; id: string | null }
  | { type: 'openPanel'; panel: AnalysisPanel | null }
  | { type: 'setTransport'; transport: TransportView | null }
  | { type: 'setScenario'; scenario: ScenarioLink | undefined }
  | { type: 'replaceView'; view: ViewState };

export const CLOCK_MULTIPLIERS = [1, 60, 600, 3600] as const;

export function initialAppState(view: ViewState): AppState {
  return {
    view,
    cameraRequest: view.camera ? { view: view.camera, fly: false, seq: 1 } : null,
    clock: { playing: false, multiplier: 60 },
    timeFromClock: false,
  };
}

const withView = (s: AppState, view: Partial<ViewState>): AppState => ({
  ...s,
  view: { ...s.view, ...view },
});

export function reduce(s: AppState, a: Action): AppState {
  switch (a.type) {
    case 'cameraMoved':
      return withView(s, { camera: a.camera });
    case 'flyTo':
      return {
        ...withView(s, { camera: a.camera }),
        cameraRequest: {
          view: a.camera,
          fly: a.fly,
          seq: (s.cameraRequest?.seq ?? 0) + 1,
          ...(a.durationS === undefined ? {} : { durationS: a.durationS }),
        },
      };
    case 'setTime':
      return { ...withView(s, { time: a.time }), timeFromClock: false };
    case 'clockTicked':
      return { ...withView(s, { time: a.time }), timeFromClock: true };
    case 'setPlaying':
      return { ...s, clock: { ...s.clock, playing: a.playing } };
    case 'setMultiplier':
      return { ...s, clock: { ...s.clock, multiplier: a.multiplier } };
    case 'setShadows':
      return withView(s, { shadows: a.shadows });
    case 'setColourBy':
      return withView(s, { colourBy: a.colourBy });
    case 'setBasemap':
      return withView(s, { layers: { ...s.view.layers, basemap: a.visible } });
    case 'setDatasetVisible':
      return withView(s, {
        layers: { ...s.view.layers, buildings: { ...s.view.layers.buildings, [a.dataset]: a.visible } },
      });
    case 'select':
      return withView(s, { selected: a.id });
    case 'openPanel': {
      const { panel: _closed, ...rest } = s.view;
      return { ...s, view: a.panel ? { ...rest, panel: a.panel } : rest };
    }
    case 'setTransport': {
      const { transport: _gone, ...rest } = s.view;
      return { ...s, view: a.transport ? { ...rest, transport: a.transport } : rest };
    }
    case 'setScenario': {
      const { scenario: _closed, ...rest } = s.view;
      return { ...s, view: a.scenario ? { ...rest, scenario: a.scenario } : rest };
    }
    case 'replaceView':
      return {
        ...s,
        view: a.view,
        timeFromClock: false,
        cameraRequest: a.view.camera
          ? { view: a.view.camera, fly: false, seq: (s.cameraRequest?.seq ?? 0) + 1 }
          : s.cameraRequest,
      };
  }
}
