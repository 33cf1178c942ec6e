import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, normalizePath, type Plugin } from 'vite';
import { viteStaticCopy } from 'vite-plugin-static-copy';

// Cesium loads its web workers, textures and widget CSS at run time from CESIUM_BASE_URL, so its prebuilt
// static folders ship beside the bundle (dist/cesium) instead of going through the bundler.
const cesiumBuild = normalizePath(
  join(dirname(createRequire(import.meta.url).resolve('cesium/package.json')), 'Build/Cesium'),
);
/** The Placetwin server the dev server forwards API, tile and basemap requests to (`npm start` listens here). */
const api = process.env.PLACETWIN_API_URL ?? 'http://127.0.0.1:8080';

/**
 * Cesium's bundled Knockout finds the global object with `this || (0, eval)("this")`. In an ES module `this` is
 * undefined, so it reaches the eval, which the server's Content Security Policy blocks (no 'unsafe-eval') and the
 * page dies at load. `globalThis` is what that expression means. The viewer uses no Knockout bindings (it renders a
 * CesiumWidget, not a Viewer), so Knockout's other use of `new Function`, for parsing bindings, never runs.
 */
function knockoutWithoutEval(): Plugin {
  const globalLookup = 'this||(0,eval)("this")';
  return {
    name: 'placetwin:knockout-without-eval',
    transform(code, id) {
      if (!/knockout-[\d.]+\.js$/.test(id)) return null;
      if (!code.includes(globalLookup)) {
        this.error(
          `${id}: Knockout no longer contains ${globalLookup}; check whether it still needs eval under CSP`,
        );
      }
      return { code: code.replace(globalLookup, 'globalThis'), map: null };
    },
  };
}

export default defineConfig({
  plugins: [
    react(),
    knockoutWithoutEval(),
    viteStaticCopy({
      targets: ['Workers', 'ThirdParty', 'Assets', 'Widgets'].map((folder) => ({
        src: `${cesiumBuild}/${folder}`,
        dest: 'cesium',
      })),
    }),
  ],
  build: {
    // Cesium alone is several MB of JavaScript; one large chunk is expected, not a mistake.
    chunkSizeWarningLimit: 8000,
    sourcemap: false,
  },
  server: {
    proxy: { '/api': api, '/tilesets': api, '/basemap': api },
  },
});
