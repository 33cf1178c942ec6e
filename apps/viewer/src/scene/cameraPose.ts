import { type Camera, Cartesian3, Math as CesiumMath } from 'cesium';
import type { CameraView } from '../state/viewState';

/** The camera's pose as the view state holds it. */
export function readCameraView(camera: Camera): CameraView {
  const c = camera.positionCartographic;
  return {
    lon: CesiumMath.toDegrees(c.longitude),
    lat: CesiumMath.toDegrees(c.latitude),
    heightM: c.height,
    headingDeg: CesiumMath.toDegrees(camera.heading),
    pitchDeg: CesiumMath.toDegrees(camera.pitch),
  };
}

/** Cesium's setView/flyTo options for a view-state pose. */
export function cameraDestination(view: CameraView): {
  destination: Cartesian3;
  orientation: { heading: number; pitch: number; roll: number };
} {
  return {
    destination: Cartesian3.fromDegrees(view.lon, view.lat, view.heightM),
    orientation: {
      heading: CesiumMath.toRadians(view.headingDeg),
      pitch: CesiumMath.toRadians(view.pitchDeg),
      roll: 0,
    },
  };
}
