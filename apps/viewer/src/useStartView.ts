import { type Dispatch, useEffect, useState } from 'react';
import type { AreaInfo } from './api/area';
import type { Loadable } from './api/client';
import type { DatasetInfo } from './api/types';
import { buildingsGeoJsonUrl, footprintAnchor, toFeatureCollection } from './scene/geojsonFeatures';
import type { Action } from './state/store';
import { densestPoint, homeView, unionBbox, viewOfCircle } from './state/viewState';

/** Buildings sampled to find the densest place: enough to find a town, a few hundred kB at most. */
const START_SAMPLE = 400;
/** The first view shows a town centre and its surroundings. */
const START_RADIUS_M = 650;

/**
 * Places the camera when the link did not: at the council area's default camera (`placetwin area add --camera`, or
 * one over its district); for an area without one, over the densest part of the first dataset (its town centre: a county
 * seen whole is a map with dots), found from a sample of its buildings; failing that, on the datasets' extent.
 * Returns true once the start view is settled (at once when the link carries a camera; `linkHasCamera` is read on
 * first render only).
 */
export function useStartView(
  linkHasCamera: boolean,
  datasets: Loadable<DatasetInfo[]>,
  dispatch: Dispatch<Action>,
  area: Loadable<AreaInfo>,
) {
  const [settled, setSettled] = useState(linkHasCamera);
  useEffect(() => {
    if (settled || area.status === 'idle' || area.status === 'loading') return;
    if (area.status === 'loaded' && area.data.camera) {
      dispatch({ type: 'flyTo', camera: area.data.camera, fly: false });
      setSettled(true);
      return;
    }
    if (datasets.status === 'idle' || datasets.status === 'loading') return;
    const list = datasets.status === 'loaded' ? datasets.data : [];
    const extent = unionBbox(list.flatMap((d) => (d.bbox ? [d.bbox] : [])));
    const goHome = () => {
      if (extent) dispatch({ type: 'flyTo', camera: homeView(extent), fly: false });
      setSettled(true);
    };
    const first = list.find((d) => d.bbox && d.buildingCount > 0);
    if (!first?.bbox) {
      goHome();
      return;
    }
    const abort = new AbortController();
    fetch(buildingsGeoJsonUrl(first.name, first.bbox, START_SAMPLE), { signal: abort.signal })
      .then((res) => (res.ok ? res.json() : null))
      .then((body: unknown) => {
        const anchors = toFeatureCollection(body).features.flatMap((f) => footprintAnchor(f.geometry) ?? []);
        const centre = densestPoint(anchors);
        if (!centre) return goHome();
        dispatch({
          type: 'flyTo',
          camera: viewOfCircle(centre.lon, centre.lat, START_RADIUS_M, { pitchDeg: -35 }),
          fly: false,
        });
        setSettled(true);
      })
      .catch(() => {
        if (!abort.signal.aborted) goHome();
      });
    return () => abort.abort();
  }, [settled, datasets, dispatch, area]);
  return settled;
}
