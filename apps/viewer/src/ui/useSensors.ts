/**
 * The sensor layer's state: the registry's sensors and their values — live (latest readings, then every new
 * reading from the server-sent events stream) or replayed (each sensor's value at the twin's clock time) — the
 * alerts, a sparkline per sensor, and the chart of the sensor clicked (range, aggregation, a second sensor to
 * compare). The points are drawn by scene/SensorLayer.tsx.
 */
import { type Dispatch, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Loadable } from '../api/client';
import { fetchAlerts, fetchSensors, fetchSeries, fetchValuesAt, type SensorAlert } from '../api/sensorApi';
import {
  applyObservation,
  type LiveObservation,
  type SENSOR_CLASSES,
  SERIES_RANGES,
  type SensorPoint,
  type SeriesBucket,
  type SeriesPoints,
  type SeriesRangeKey,
  sensorsBbox,
  seriesEnd,
  withValuesAt,
} from '../state/sensors';
import type { Action } from '../state/store';
import { homeView } from '../state/viewState';

export type SensorMode = 'live' | 'replay';
/** How long the clock must rest before a replay request goes out (a running clock ticks many times a second). */
const REPLAY_SETTLE_MS = 250;
const SPARK_SPAN_MS = 7 * 86_400_000;
const SPARK_MAX_SENSORS = 40;

export interface SensorChartState {
  sensorId: string;
  range: SeriesRangeKey;
  bucket: SeriesBucket;
  compareId: string | null;
  series: Loadable<SeriesPoints>;
  compare: Loadable<SeriesPoints> | null;
  /** [from, to) of the chart, epoch ms. */
  window: [number, number] | null;
}

export interface SensorTool {
  enabled: boolean;
  setEnabled(on: boolean): void;
  mode: SensorMode;
  setMode(mode: SensorMode): void;
  registry: Loadable<SensorPoint[]>;
  /** The points as shown: live values, or the values at `replayAtMs`. */
  points: SensorPoint[];
  /** The instant the shown values are for when replaying (null live, or while they load). */
  replayAtMs: number | null;
  replayLoading: boolean;
  stream: 'off' | 'connecting' | 'open' | 'reconnecting';
  /** Live readings received since the layer was turned on. */
  liveReadings: number;
  alerts: Loadable<SensorAlert[]>;
  sparklines: Map<string, number[]>;
  areas: { area: string; bbox: [number, number, number, number]; count: number }[];
  goToArea(area: string): void;
  selected: string | null;
  select(id: string | null): void;
  chart: SensorChartState | null;
  setRange(range: SeriesRangeKey): void;
  setBucket(bucket: SeriesBucket): void;
  setCompare(id: string | null): void;
}

export type SensorLegend = typeof SENSOR_CLASSES;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function useSensors(time: string, dispatch: Dispatch<Action>): SensorTool {
  const [enabled, setEnabled] = useState(false);
  const [mode, setMode] = useState<SensorMode>('live');
  const [registry, setRegistry] = useState<Loadable<SensorPoint[]>>({ status: 'idle' });
  const [live, setLive] = useState<SensorPoint[]>([]);
  const [stream, setStream] = useState<SensorTool['stream']>('off');
  const [liveReadings, setLiveReadings] = useState(0);
  const [alerts, setAlerts] = useState<Loadable<SensorAlert[]>>({ status: 'idle' });
  const [replay, setReplay] = useState<{ atMs: number; points: SensorPoint[] } | null>(null);
  const [replayLoading, setReplayLoading] = useState(false);
  const [sparklines, setSparklines] = useState<Map<string, number[]>>(() => new Map());
  const [selected, setSelected] = useState<string | null>(null);
  const [range, setRange] = useState<SeriesRangeKey>('1w');
  const [bucket, setBucket] = useState<SeriesBucket>('auto');
  const [compareId, setCompare] = useState<string | null>(null);
  const [series, setSeries] = useState<Loadable<SeriesPoints>>({ status: 'idle' });
  const [compare, setCompareSeries] = useState<Loadable<SeriesPoints> | null>(null);

  // The registry with latest values (again after the stream reconnects: readings may have been missed).
  const loadRegistry = useCallback((signal: AbortSignal) => {
    setRegistry((r) => (r.status === 'loaded' ? r : { status: 'loading' }));
    fetchSensors(signal).then(
      (points) => {
        setRegistry({ status: 'loaded', data: points });
        setLive(points);
      },
      (e: unknown) => !signal.aborted && setRegistry({ status: 'failed', message: message(e) }),
    );
  }, []);
  const loadAlerts = useCallback((signal: AbortSignal) => {
    fetchAlerts(signal).then(
      (data) => setAlerts({ status: 'loaded', data }),
      (e: unknown) => !signal.aborted && setAlerts({ status: 'failed', message: message(e) }),
    );
  }, []);

  // The registry, the alerts, then live readings and alert changes as the server sends them.
  useEffect(() => {
    if (!enabled) {
      setStream('off');
      return;
    }
    const abort = new AbortController();
    loadRegistry(abort.signal);
    loadAlerts(abort.signal);
    setStream('connecting');
    const source = new EventSource('/api/sensors/stream');
    let opened = false;
    source.onopen = () => {
      setStream('open');
      if (opened) loadRegistry(abort.signal);
      opened = true;
    };
    source.onerror = () => setStream(source.readyState === EventSource.CLOSED ? 'off' : 'reconnecting');
    source.addEventListener('observation', (e) => {
      const o = JSON.parse((e as MessageEvent<string>).data) as LiveObservation;
      setLive((points) => applyObservation(points, o));
      setLiveReadings((n) => n + 1);
      setSparklines((m) => {
        const line = m.get(o.sensorId);
        if (!line) return m;
        const next = new Map(m);
        next.set(o.sensorId, [...line.slice(1), o.value]);
        return next;
      });
    });
    source.addEventListener('alert', () => loadAlerts(abort.signal));
    return () => {
      source.close();
      abort.abort();
    };
  }, [enabled, loadRegistry, loadAlerts]);

  // Sparklines: each sensor's last week, hourly, up to its latest reading (once per registry load).
  const registryPoints = registry.status === 'loaded' ? registry.data : null;
  useEffect(() => {
    if (!registryPoints) return;
    const abort = new AbortController();
    for (const p of registryPoints.slice(0, SPARK_MAX_SENSORS)) {
      const end = seriesEnd(p, null);
      const stream = p.streams[0];
      if (end === null || !stream) continue;
      fetchSeries(
        {
          sensorId: p.sensorId,
          property: stream.property,
          fromMs: end - SPARK_SPAN_MS,
          toMs: end,
          bucket: 'hour',
        },
        abort.signal,
      ).then(
        (s) =>
          setSparklines((m) =>
            new Map(m).set(
              p.sensorId,
              s.points.map((x) => x.y),
            ),
          ),
        () => undefined, // a sensor without a sparkline still shows its value
      );
    }
    return () => abort.abort();
  }, [registryPoints]);

  // Replay: the values at the clock's time, once the clock rests for a moment. A running clock moves on every
  // second: requests already out are not cancelled, and any answer newer than the one shown is shown.
  const timeMs = Date.parse(time);
  const replaySeq = useRef({ sent: 0, shown: 0 });
  useEffect(() => {
    if (!enabled || mode !== 'replay' || !registryPoints || !Number.isFinite(timeMs)) {
      setReplayLoading(false);
      return;
    }
    setReplayLoading(true);
    const timer = setTimeout(() => {
      const seq = ++replaySeq.current.sent;
      fetchValuesAt(timeMs, new AbortController().signal).then(
        (values) => {
          if (seq <= replaySeq.current.shown) return;
          replaySeq.current.shown = seq;
          setReplay({ atMs: timeMs, points: withValuesAt(registryPoints, values) });
          if (seq === replaySeq.current.sent) setReplayLoading(false);
        },
        () => seq === replaySeq.current.sent && setReplayLoading(false),
      );
    }, REPLAY_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [enabled, mode, registryPoints, timeMs]);

  const replayAtMs = mode === 'replay' && replay ? replay.atMs : null;
  const points = mode === 'replay' ? (replay?.points ?? []) : live;

  const areas = useMemo(() => {
    const by = new Map<string, SensorPoint[]>();
    for (const p of registryPoints ?? []) by.set(p.area, [...(by.get(p.area) ?? []), p]);
    return [...by].flatMap(([area, list]) => {
      const bbox = sensorsBbox(list);
      return bbox ? [{ area, bbox, count: list.length }] : [];
    });
  }, [registryPoints]);

  const goToArea = useCallback(
    (area: string) => {
      const a = areas.find((x) => x.area === area);
      if (a) dispatch({ type: 'flyTo', camera: homeView(a.bbox), fly: true });
    },
    [areas, dispatch],
  );

  // The chart of the selected sensor (and the one compared with it).
  const selectedPoint = registryPoints?.find((p) => p.sensorId === selected);
  const comparePoint = registryPoints?.find((p) => p.sensorId === compareId);
  // Live, the chart ends just after the latest reading shown: a new one moves the end and the chart follows.
  const end = seriesEnd(
    live.find((p) => p.sensorId === selected) ?? selectedPoint,
    mode === 'replay' ? timeMs : null,
  );
  const span = SERIES_RANGES.find((r) => r.key === range)?.ms ?? SERIES_RANGES[1].ms;
  const window = useMemo<[number, number] | null>(
    () => (end === null ? null : [end - span, end]),
    [end, span],
  );
  const windowKey = window ? `${window[0]}:${window[1]}` : null;
  const seriesKey = selectedPoint && windowKey ? `${selectedPoint.sensorId}|${windowKey}|${bucket}` : null;
  const compareKey = comparePoint && windowKey ? `${comparePoint.sensorId}|${windowKey}|${bucket}` : null;
  // What the series requests need, read when their key changes (the key stands for all of it).
  const request = useRef({ window, bucket, selectedPoint, comparePoint });
  request.current = { window, bucket, selectedPoint, comparePoint };

  useEffect(() => {
    const { window: w, bucket, selectedPoint } = request.current;
    if (!seriesKey || !selectedPoint || !w) {
      setSeries({ status: 'idle' });
      return;
    }
    const abort = new AbortController();
    setSeries((s) => (s.status === 'loaded' ? s : { status: 'loading' }));
    const timer = setTimeout(() => {
      fetchSeries(
        {
          sensorId: selectedPoint.sensorId,
          property: selectedPoint.streams[0]?.property,
          fromMs: w[0],
          toMs: w[1],
          bucket,
        },
        abort.signal,
      ).then(
        (data) => setSeries({ status: 'loaded', data }),
        (e: unknown) => !abort.signal.aborted && setSeries({ status: 'failed', message: message(e) }),
      );
    }, REPLAY_SETTLE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [seriesKey]);

  useEffect(() => {
    const { window: w, bucket, comparePoint } = request.current;
    if (!compareKey || !comparePoint || !w) {
      setCompareSeries(null);
      return;
    }
    const abort = new AbortController();
    setCompareSeries({ status: 'loading' });
    fetchSeries(
      {
        sensorId: comparePoint.sensorId,
        property: comparePoint.streams[0]?.property,
        fromMs: w[0],
        toMs: w[1],
        bucket,
      },
      abort.signal,
    ).then(
      (data) => setCompareSeries({ status: 'loaded', data }),
      (e: unknown) => !abort.signal.aborted && setCompareSeries({ status: 'failed', message: message(e) }),
    );
    return () => abort.abort();
  }, [compareKey]);

  const select = useCallback((id: string | null) => {
    setSelected(id);
    setCompare((c) => (c === id ? null : c));
  }, []);

  const chart: SensorChartState | null = selected
    ? { sensorId: selected, range, bucket, compareId, series, compare, window }
    : null;

  return {
    enabled,
    setEnabled: useCallback((on: boolean) => {
      setEnabled(on);
      if (!on) setSelected(null);
    }, []),
    mode,
    setMode,
    registry,
    points: enabled ? points : [],
    replayAtMs,
    replayLoading,
    stream,
    liveReadings,
    alerts,
    sparklines,
    areas,
    goToArea,
    selected,
    select,
    chart,
    setRange,
    setBucket,
    setCompare,
  };
}
