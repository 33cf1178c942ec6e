/**
 * Sensors on the globe: a point per sensor, coloured by its value (live, or at the clock's time when replaying)
 * against its thresholds, with the value beside it; click one for its chart. Primitives (PointPrimitiveCollection,
 * LabelCollection) update in place when a reading arrives: no entity, no rebuild.
 */
import {
  Cartesian2,
  Cartesian3,
  Color,
  HorizontalOrigin,
  type Label,
  LabelCollection,
  LabelStyle,
  type PointPrimitive,
  PointPrimitiveCollection,
  ScreenSpaceEventHandler,
  ScreenSpaceEventType,
  VerticalOrigin,
} from 'cesium';
import { useEffect, useRef, useState } from 'react';
import { useCesium } from 'resium';
import type { Loadable } from '../api/client';
import {
  classColour,
  classifySensor,
  formatSensorValue,
  type SensorClass,
  type SeriesPoints,
} from '../state/sensors';
import type { PlacetwinTestHooks, SensorsTestState } from '../testHooks';
import type { SensorTool } from '../ui/useSensors';

/** Points float a little above the ellipsoid (the scene's ground) so the globe does not hide them. */
const HEIGHT_M = 6;
const SIZE = 14;
const SELECTED_SIZE = 20;

interface SensorPickId {
  kind: 'sensor';
  sensorId: string;
}
const isSensorPickId = (x: unknown): x is SensorPickId =>
  typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'sensor';

const dataOf = (s: Loadable<SeriesPoints> | null) => (s?.status === 'loaded' ? s.data : null);

interface Drawn {
  point: PointPrimitive;
  label: Label;
  cls: SensorClass;
}

export interface SensorLayerProps {
  tool: SensorTool;
  hooks: PlacetwinTestHooks;
}

export function SensorLayer({ tool, hooks }: SensorLayerProps) {
  const { cesiumWidget: viewer } = useCesium();
  const { points, selected, select, enabled } = tool;
  const [collections, setCollections] = useState<{
    points: PointPrimitiveCollection;
    labels: LabelCollection;
  } | null>(null);
  const drawn = useRef(new Map<string, Drawn>());

  useEffect(() => {
    if (!viewer || !enabled) return;
    const c = { points: new PointPrimitiveCollection(), labels: new LabelCollection() };
    viewer.scene.primitives.add(c.points);
    viewer.scene.primitives.add(c.labels);
    setCollections(c);
    const map = drawn.current;
    return () => {
      map.clear();
      setCollections(null);
      if (viewer.isDestroyed()) return;
      viewer.scene.primitives.remove(c.points);
      viewer.scene.primitives.remove(c.labels);
    };
  }, [viewer, enabled]);

  // Add, move, recolour and remove points as the values change.
  useEffect(() => {
    if (!viewer || !collections) return;
    const map = drawn.current;
    const seen = new Set<string>();
    for (const p of points) {
      seen.add(p.sensorId);
      const cls = classifySensor(p);
      const colour = Color.fromCssColorString(classColour(cls));
      const stream = p.streams[0];
      const text = stream?.latest ? formatSensorValue(stream.latest.value, stream.unit) : '–';
      const position = Cartesian3.fromDegrees(p.lon, p.lat, HEIGHT_M);
      const size = p.sensorId === selected ? SELECTED_SIZE : SIZE;
      const d = map.get(p.sensorId);
      if (d) {
        d.point.position = position;
        d.point.color = colour;
        d.point.pixelSize = size;
        d.label.position = position;
        d.label.text = text;
        d.cls = cls;
      } else {
        const id: SensorPickId = { kind: 'sensor', sensorId: p.sensorId };
        map.set(p.sensorId, {
          cls,
          point: collections.points.add({
            position,
            color: colour,
            pixelSize: size,
            outlineColor: Color.fromCssColorString('#1b2733'),
            outlineWidth: 2,
            disableDepthTestDistance: Number.POSITIVE_INFINITY,
            id,
          }),
          label: collections.labels.add({
            position,
            text,
            font: '600 13px system-ui, sans-serif',
            fillColor: Color.WHITE,
            outlineColor: Color.fromCssColorString('#1b2733'),
            outlineWidth: 3,
            style: LabelStyle.FILL_AND_OUTLINE,
            horizontalOrigin: HorizontalOrigin.LEFT,
            verticalOrigin: VerticalOrigin.CENTER,
            pixelOffset: new Cartesian2(SELECTED_SIZE / 2 + 4, 0),
            disableDepthTestDistance: Number.POSITIVE_INFINITY,
            id,
          }),
        });
      }
    }
    for (const [sensorId, d] of map) {
      if (seen.has(sensorId)) continue;
      collections.points.remove(d.point);
      collections.labels.remove(d.label);
      map.delete(sensorId);
    }
    viewer.scene.requestRender();
  }, [viewer, collections, points, selected]);

  // Clicks on a sensor open its chart (buildings are SceneSync's).
  useEffect(() => {
    if (!viewer || !enabled) return;
    const handler = new ScreenSpaceEventHandler(viewer.scene.canvas);
    handler.setInputAction((click: ScreenSpaceEventHandler.PositionedEvent) => {
      const picked: unknown = viewer.scene.pick(click.position);
      const id = typeof picked === 'object' && picked !== null ? (picked as { id?: unknown }).id : undefined;
      if (isSensorPickId(id)) select(id.sensorId);
    }, ScreenSpaceEventType.LEFT_CLICK);
    return () => handler.destroy();
  }, [viewer, enabled, select]);

  // The test hook reads what is drawn (see testHooks.ts).
  const toolRef = useRef(tool);
  toolRef.current = tool;
  useEffect(() => {
    hooks.sensors = (): SensorsTestState => {
      const t = toolRef.current;
      const chart = t.chart;
      const series = dataOf(chart?.series ?? null);
      const compare = dataOf(chart?.compare ?? null);
      return {
        enabled: t.enabled,
        mode: t.mode,
        stream: t.stream,
        liveReadings: t.liveReadings,
        replayAt: t.replayAtMs === null ? null : new Date(t.replayAtMs).toISOString(),
        points: t.points.map((p) => {
          const d = drawn.current.get(p.sensorId);
          const latest = p.streams[0]?.latest ?? null;
          return {
            sensorId: p.sensorId,
            lon: p.lon,
            lat: p.lat,
            value: latest?.value ?? null,
            time: latest?.time ?? null,
            cls: d?.cls ?? null,
            colour: d ? d.point.color.toCssHexString() : null,
            drawn: d?.point.show === true,
          };
        }),
        alerts: t.alerts.status === 'loaded' ? t.alerts.data.length : 0,
        selected: t.selected,
        chart: chart
          ? {
              sensorId: chart.sensorId,
              range: chart.range,
              bucket: series?.bucket ?? null,
              points: series?.points.length ?? 0,
              compareId: chart.compareId,
              comparePoints: compare?.points.length ?? 0,
            }
          : null,
      };
    };
    return () => {
      delete hooks.sensors;
    };
  }, [hooks]);

  return null;
}
