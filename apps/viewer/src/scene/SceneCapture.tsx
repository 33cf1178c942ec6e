import { useEffect } from 'react';
import { useCesium } from 'resium';

/** Renders the scene once more and reads the frame as a JPEG data URL (for the committee report). */
export type CaptureScene = () => Promise<string>;

/**
 * Hands the app a way to take a picture of the scene. The WebGL drawing buffer is only readable in the frame that
 * drew it (Cesium does not preserve it), so the picture is read in `postRender`. Renders nothing.
 */
export function SceneCapture({ onReady }: { onReady: (capture: CaptureScene | null) => void }) {
  const { cesiumWidget: viewer } = useCesium();
  useEffect(() => {
    if (!viewer) return;
    onReady(
      () =>
        new Promise((resolve, reject) => {
          if (viewer.isDestroyed()) return reject(new Error('the scene is gone'));
          const { scene } = viewer;
          const remove = scene.postRender.addEventListener(() => {
            remove();
            try {
              resolve(scene.canvas.toDataURL('image/jpeg', 0.88));
            } catch (e) {
              reject(e);
            }
          });
          scene.requestRender();
        }),
    );
    return () => onReady(null);
  }, [viewer, onReady]);
  return null;
}
