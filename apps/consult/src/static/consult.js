// The site's only script, loaded as a module (so old browsers without modules get the plain HTML, which works).
import { initAll } from '../govuk/govuk-frontend.min.js';

initAll();

// The 3D view inside the page is made only when someone opens it: the viewer is heavy, and many visitors never
// need it. Without JavaScript the details hold a link to the viewer instead.
for (const holder of document.querySelectorAll('[data-module="app-viewer-frame"]')) {
  const details = holder.closest('details');
  if (!details) continue;
  details.addEventListener('toggle', () => {
    if (!details.open || holder.querySelector('iframe')) return;
    const frame = document.createElement('iframe');
    frame.src = holder.dataset.src;
    frame.title = holder.dataset.title;
    frame.className = 'app-viewer-frame';
    frame.allow = 'fullscreen';
    holder.replaceChildren(frame);
  });
}

// Maps (the comment form's place picker, the staff map of comments): Leaflet is loaded only where there is one.
if (document.querySelector('[data-module="app-map-picker"], [data-module="app-comment-map"]')) {
  import('./map.js').then((m) => m.initMaps(document));
}
