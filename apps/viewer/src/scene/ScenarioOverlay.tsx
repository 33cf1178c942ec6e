/**
 * The scenario in the scene: the overlay tileset of its added and modified buildings (the baseline's hidden ids are
 * CityScene's `baselineShow`), the footprint being drawn (clicks on the ground add corners, double-click closes),
 * and the compare swipe: Cesium's split screen, with the baseline on the left and the scenario on the right.
 *
 * How the swipe works with one baseline tileset: the baseline (buildings the scenario keeps) is drawn on both sides;
 * the overlay is drawn only right of `scene.splitPosition`, and a second copy of the baseline tileset showing only
 * the buildings the scenario hides (demolished or changed) is drawn only on the left. Against another scenario, the
 * main baseline shows what neither hides, one copy on the left what only the right one hides, one on the right what
 * only the left one hides (swipeExpressions), and the other scenario's overlay is drawn on the left.
 *
 * Side by side (layout `split`): CompareSplitView, a second view over the left half with linked cameras.
 */
import {
  Cartesian3,
  Cesium3DTileColorBlendMode,
  Color,
  ColorGeometryInstanceAttribute,
  Expression,
  GeometryInstance,
  PerInstanceColorAppearance,
  PolygonGeometry,
  PolygonHierarchy,
  Primitive,
  ScreenSpaceEventHandler,
  ScreenSpaceEventType,
  ShadowMode,
  SplitDirection,
} from 'cesium';
import { type RefObject, useEffect, useMemo, useRef } from 'react';
import { Cesium3DTileset, Entity, PointGraphics, PolygonGraphics, PolylineGraphics, useCesium } from 'resium';
import { type FootprintJson, onlyHiddenExpression } from '../state/scenario';
import { swipeExpressions } from '../state/scenarioCompare';
import type { ViewState } from '../state/viewState';
import type { PlacetwinTestHooks } from '../testHooks';
import { compareLabels } from '../ui/ScenarioComparePanel';
import type { ScenarioTool } from '../ui/useScenarioTool';
import { CompareSplitPortal, type SplitViewStatus } from './CompareSplitView';
import { type FootprintDrag, FootprintEditor } from './FootprintEditor';
import { HeightHandle } from './HeightHandle';
import { buildingStyle } from './joinedStyle';
import { MoveFootprint } from './MoveFootprint';
import { groundAt } from './SunHoursLayers';
import { TurnHandle } from './TurnHandle';

const OUTLINE = Color.fromCssColorString('#4cc3ff');
const FILL = OUTLINE.withAlpha(0.25);
/**
 * The extruded preview (the block whose height is being set) is opaque: at a quarter alpha over the light basemap it
 * would change a pixel's luminance by only about 12 of 255 (estimated), too faint to read as a block.
 */
const BLOCK = Color.fromCssColorString('#1d70b8');
const PREVIEW_ID = 'scenario-new-building-preview';

export interface ScenarioOverlayProps {
  tool: ScenarioTool;
  view: ViewState;
  hooks: PlacetwinTestHooks;
}

export function ScenarioOverlay({ tool, view, hooks }: ScenarioOverlayProps) {
  const { cesiumWidget: viewer } = useCesium();
  const { mode, points, addPoint, finishDrawing, overlay, compare, split, setOverlayDrawn } = tool;
  const { layout, otherOverlay, previewHeightM } = tool;
  const swipe = compare && layout === 'swipe';
  const splitStatus = useRef<SplitViewStatus | null>(null);
  /** The other scenario's overlay tileset whose tiles have all loaded (swipe against another scenario). */
  const otherLoaded = useRef<string | null>(null);

  useEffect(() => {
    if (!viewer || mode !== 'drawing') return;
    const handler = new ScreenSpaceEventHandler(viewer.scene.canvas);
    handler.setInputAction((click: ScreenSpaceEventHandler.PositionedEvent) => {
      const p = groundAt(viewer, click.position.x, click.position.y);
      if (p) addPoint(p);
    }, ScreenSpaceEventType.LEFT_CLICK);
    handler.setInputAction(() => {
      finishDrawing();
    }, ScreenSpaceEventType.LEFT_DOUBLE_CLICK);
    viewer.scene.canvas.style.cursor = 'crosshair';
    return () => {
      handler.destroy();
      if (!viewer.isDestroyed()) viewer.scene.canvas.style.cursor = '';
    };
  }, [viewer, mode, addPoint, finishDrawing]);

  useEffect(() => {
    if (!viewer || viewer.isDestroyed()) return;
    viewer.scene.splitPosition = swipe ? split : 0.5;
    viewer.scene.requestRender();
  }, [viewer, swipe, split]);

  const style = useMemo(
    () => buildingStyle(view.colourBy, view.selected, null),
    [view.colourBy, view.selected],
  );
  // The baseline copies a swipe needs: left of the divider, and (against another scenario) right of it.
  const copies = useMemo(() => {
    if (!overlay) return { left: null, right: null };
    if (!otherOverlay) return { left: onlyHiddenExpression(overlay.show), right: null };
    const e = swipeExpressions(otherOverlay.show, overlay.show);
    return { left: e.leftOnly, right: e.rightOnly };
  }, [overlay, otherOverlay]);
  const copyStyle = (show: string | null) => {
    if (!show) return null;
    const s = buildingStyle(view.colourBy, view.selected, null);
    s.show = new Expression(show);
    return s;
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: copyStyle only reads these
  const hiddenStyle = useMemo(() => copyStyle(copies.left), [copies.left, view.colourBy, view.selected]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: copyStyle only reads these
  const rightStyle = useMemo(() => copyStyle(copies.right), [copies.right, view.colourBy, view.selected]);
  const otherStyle = useMemo(() => buildingStyle(view.colourBy, null, null), [view.colourBy]);

  // "Drawn" = the current overlay's tiles are loaded and a frame has been rendered with them.
  const tilesetUrl = overlay?.tilesetUrl ?? null;
  const drawnFor = useRef<string | null>(null);
  useEffect(() => {
    drawnFor.current = null;
    setOverlayDrawn(false);
    if (!viewer || tilesetUrl !== null) return;
    // Nothing to draw: done once the (restyled) baseline has rendered.
    const remove = viewer.scene.postRender.addEventListener(() => {
      remove();
      setOverlayDrawn(true);
    });
    viewer.scene.requestRender();
    return remove;
  }, [viewer, tilesetUrl, setOverlayDrawn]);
  const onOverlayLoaded = () => {
    if (!viewer || viewer.isDestroyed() || drawnFor.current === tilesetUrl) return;
    drawnFor.current = tilesetUrl;
    const url = tilesetUrl;
    const remove = viewer.scene.postRender.addEventListener(() => {
      remove();
      if (drawnFor.current === url) setOverlayDrawn(true);
    });
    viewer.scene.requestRender();
  };

  // The height the extruded preview was last drawn at (PreviewBlock sets it once its primitive has rendered).
  const previewDrawnM = useRef<number | null>(null);

  const moveDrag = useRef<{ from: [number, number]; to: [number, number] } | null>(null);
  const editDrag = useRef<FootprintDrag | null>(null);
  const turnDrag = useRef<number | null>(null);
  const toolRef = useRef(tool);
  toolRef.current = tool;
  useEffect(() => {
    hooks.scenario = () => {
      const t = toolRef.current;
      return {
        id: t.current?.id ?? null,
        version: t.current?.version ?? null,
        changes: t.changes.filter((c) => c.state === 'active').length,
        tilesetUrl: t.overlay?.tilesetUrl ?? null,
        hiddenBuildingIds: t.overlay ? [...t.overlay.hiddenBuildingIds] : [],
        overlayDrawn: t.overlayDrawn && !t.busy,
        mode: t.mode,
        points: t.points.map(([x, y]) => [x, y] as [number, number]),
        compare: t.compare,
        split: t.split,
        layout: t.layout,
        against: t.against,
        comparison: t.comparison
          ? { a: t.comparison.a.name, b: t.comparison.b.name, gfaDeltaM2: t.comparison.delta.gfaM2.total }
          : null,
        splitView: t.compare && t.layout === 'split' ? splitStatus.current : null,
        otherOverlayLoaded:
          t.otherOverlay !== null &&
          (t.otherOverlay.tilesetUrl === null || otherLoaded.current === t.otherOverlay.tilesetUrl),
        previewHeightM: t.previewHeightM,
        previewDrawnM: previewDrawnM.current,
        moving: t.moving ? { id: t.moving.id, drag: moveDrag.current } : null,
        editing: t.editing
          ? {
              id: t.editing.id,
              footprint: JSON.parse(JSON.stringify(t.editing.footprint)),
              drag: editDrag.current
                ? { kind: editDrag.current.kind, index: editDrag.current.ref.index }
                : null,
            }
          : null,
        turningDeg: turnDrag.current,
        message: t.message?.text ?? null,
      };
    };
    return () => {
      delete hooks.scenario;
    };
  }, [hooks]);

  const positions = useMemo(
    () => (points.length ? Cartesian3.fromDegreesArray(points.flat()) : []),
    [points],
  );
  const outline = useMemo(
    () => (mode === 'closed' && positions.length > 2 ? [...positions, positions[0]] : positions),
    [mode, positions],
  );

  return (
    <>
      {tilesetUrl && (
        <Cesium3DTileset
          key={tilesetUrl}
          url={tilesetUrl}
          style={style}
          shadows={ShadowMode.ENABLED}
          colorBlendMode={Cesium3DTileColorBlendMode.REPLACE}
          splitDirection={swipe ? SplitDirection.RIGHT : SplitDirection.NONE}
          onAllTilesLoad={onOverlayLoaded}
        />
      )}
      {swipe && overlay && hiddenStyle && (
        <Cesium3DTileset
          key={`baseline-left-${overlay.baselineTilesetUrl}`}
          url={overlay.baselineTilesetUrl}
          style={hiddenStyle}
          shadows={ShadowMode.ENABLED}
          colorBlendMode={Cesium3DTileColorBlendMode.REPLACE}
          splitDirection={SplitDirection.LEFT}
        />
      )}
      {swipe && overlay && rightStyle && (
        <Cesium3DTileset
          key={`baseline-right-${overlay.baselineTilesetUrl}`}
          url={overlay.baselineTilesetUrl}
          style={rightStyle}
          shadows={ShadowMode.ENABLED}
          colorBlendMode={Cesium3DTileColorBlendMode.REPLACE}
          splitDirection={SplitDirection.RIGHT}
        />
      )}
      {swipe && otherOverlay?.tilesetUrl && (
        <Cesium3DTileset
          key={`other-${otherOverlay.tilesetUrl}`}
          url={otherOverlay.tilesetUrl}
          style={otherStyle}
          shadows={ShadowMode.ENABLED}
          colorBlendMode={Cesium3DTileColorBlendMode.REPLACE}
          splitDirection={SplitDirection.LEFT}
          onAllTilesLoad={() => {
            otherLoaded.current = otherOverlay.tilesetUrl;
          }}
        />
      )}
      {compare && layout === 'split' && viewer && overlay && (
        <CompareSplitPortal
          main={viewer}
          baselineTilesetUrl={overlay.baselineTilesetUrl}
          other={otherOverlay}
          view={view}
          status={splitStatus}
          labels={compareLabels(tool)}
        />
      )}
      {points.length > 0 && (
        <Entity id={PREVIEW_ID} name="New building footprint">
          {outline.length > 1 && (
            <PolylineGraphics positions={outline} width={3} material={OUTLINE} clampToGround />
          )}
          {mode === 'closed' && positions.length > 2 && !previewHeightM && (
            <PolygonGraphics hierarchy={positions} material={FILL} />
          )}
        </Entity>
      )}
      {mode === 'closed' && previewHeightM !== null && previewHeightM > 0 && points.length > 2 && (
        <PreviewBlock points={points} heightM={previewHeightM} drawn={previewDrawnM} />
      )}
      {mode === 'closed' && previewHeightM !== null && previewHeightM > 0 && points.length > 2 && (
        <HeightHandle points={points} heightM={previewHeightM} onStoreys={tool.setDraggedStoreys} />
      )}
      {tool.moving && (
        <MoveFootprint
          key={tool.moving.id}
          footprint={tool.moving.footprint}
          onMoved={tool.finishMoving}
          onDrag={(d) => {
            moveDrag.current = d;
          }}
        />
      )}
      {tool.editing && (
        <FootprintEditor
          key={`edit-${tool.editing.id}`}
          footprint={tool.editing.footprint}
          onReshaped={tool.commitFootprint}
          onProblem={tool.showProblem}
          pending={tool.busy}
          onDrag={(d) => {
            editDrag.current = d;
          }}
        />
      )}
      {(tool.editing ?? tool.moving) && (
        <TurnHandle
          key={`turn-${(tool.editing ?? tool.moving)?.id}`}
          footprint={(tool.editing ?? tool.moving)?.footprint as FootprintJson}
          onTurned={tool.commitTurn}
          onTurn={(d) => {
            turnDrag.current = d;
          }}
        />
      )}
      {mode === 'drawing' &&
        positions.map((p, i) => (
          <Entity key={points[i].join(',')} position={p}>
            <PointGraphics pixelSize={8} color={OUTLINE} outlineColor={Color.BLACK} outlineWidth={1} />
          </Entity>
        ))}
    </>
  );
}

/**
 * The new building's block at the height being set, drawn as a Primitive built synchronously on the main thread
 * rather than as an entity. An entity's extruded polygon is built by Cesium's DataSourceDisplay in web workers and
 * drawn only when its batch is ready; in the headless browser test that never happened within a minute (the height
 * changed, the block was not drawn). Built here it is drawn in the next frame, and `ready` says when it has been.
 */
function PreviewBlock({
  points,
  heightM,
  drawn,
}: {
  points: readonly [number, number][];
  heightM: number;
  drawn: RefObject<number | null>;
}) {
  const { cesiumWidget: viewer } = useCesium();
  useEffect(() => {
    if (!viewer) return;
    const scene = viewer.scene;
    const primitive: Primitive = scene.primitives.add(
      new Primitive({
        geometryInstances: new GeometryInstance({
          geometry: new PolygonGeometry({
            polygonHierarchy: new PolygonHierarchy(Cartesian3.fromDegreesArray(points.flat())),
            height: 0,
            extrudedHeight: heightM,
            vertexFormat: PerInstanceColorAppearance.VERTEX_FORMAT,
          }),
          attributes: { color: ColorGeometryInstanceAttribute.fromColor(BLOCK) },
        }),
        appearance: new PerInstanceColorAppearance({ translucent: false, closed: true }),
        asynchronous: false,
      }),
    );
    const remove = scene.postRender.addEventListener(() => {
      if (!primitive.ready) return;
      remove();
      drawn.current = heightM;
    });
    scene.requestRender();
    return () => {
      remove();
      drawn.current = null;
      if (!viewer.isDestroyed()) scene.primitives.remove(primitive);
    };
  }, [viewer, points, heightM, drawn]);
  return null;
}
