import './cesiumBase';
import 'cesium/Build/Cesium/Widgets/widgets.css';
import './ui/app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createSceneProbe } from './scene/instrument';

/** `?mode=geojson` draws the buildings as GeoJSON extrusions instead of 3D Tiles: the benchmark's comparison. */
const mode = new URLSearchParams(window.location.search).get('mode') === 'geojson' ? 'geojson' : 'tiles';
const probe = createSceneProbe(mode);
window.__placetwin = probe.hooks;

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App mode={mode} probe={probe} />
  </StrictMode>,
);
