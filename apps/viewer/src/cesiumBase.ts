/**
 * Cesium loads its workers, textures and widget assets from CESIUM_BASE_URL at run time; the build copies them to
 * `dist/cesium`. Imported first by main.tsx so the global exists before any Cesium code asks for it.
 */
declare global {
  interface Window {
    CESIUM_BASE_URL: string;
  }
}

window.CESIUM_BASE_URL = '/cesium/';

export {};
