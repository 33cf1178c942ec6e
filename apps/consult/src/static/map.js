// The site's maps (Leaflet, served by this server, over the server's own offline basemap tiles), loaded by
// consult.js only on pages that have one. Without JavaScript the pages work without them: the comment form has a
// list of places, the staff page a summary.
import * as L from '../leaflet/leaflet-src.esm.js';

L.Icon.Default.imagePath = new URL('../leaflet/images/', import.meta.url).href;

const json = (text) => (text ? JSON.parse(text) : null);
const toLatLngBounds = (b) => L.latLngBounds([b[1], b[0]], [b[3], b[2]]);

/** A Leaflet map over the basemap, framed on `focus`, kept within `bounds` ([w, s, e, n] in degrees). */
function baseMap(container, holder, label, words = PICKER_WORDS) {
  const bounds = toLatLngBounds(json(holder.dataset.bounds));
  const map = L.map(container, {
    maxBounds: bounds.pad(0.05),
    maxBoundsViscosity: 1,
    minZoom: 11,
    maxZoom: 20,
    // Leaflet's own attribution prefix links to its website (with a flag); the data's attribution is enough.
    attributionControl: false,
    zoomControl: false,
  });
  L.control.zoom({ zoomInTitle: words.zoomIn, zoomOutTitle: words.zoomOut }).addTo(map);
  L.control.attribution({ prefix: false }).addTo(map);
  L.tileLayer(holder.dataset.tiles, {
    maxZoom: 20,
    attribution: holder.dataset.attribution || '',
  }).addTo(map);
  const outline = json(holder.dataset.outline);
  if (outline) {
    L.geoJSON(outline, {
      interactive: false,
      style: { color: '#1d70b8', weight: 3, fill: true, fillOpacity: 0.08, dashArray: '6 4' },
    }).addTo(map);
  }
  map.fitBounds(toLatLngBounds(json(holder.dataset.focus)), { maxZoom: 17 });
  container.setAttribute('role', 'region');
  container.setAttribute('aria-label', label);
  return map;
}

function button(text, action) {
  const b = document.createElement('button');
  b.type = 'button';
  b.dataset.action = action;
  b.className = 'govuk-button govuk-button--secondary govuk-!-margin-bottom-2';
  b.textContent = text;
  return b;
}

/** The picker's words in English, for a page that does not give its own. */
const PICKER_WORDS = {
  help:
    'Click the map to put a pin on the place. With a keyboard: move the map with the arrow keys, then choose ' +
    '‘Put the pin in the middle of the map’. When the pin has focus, the arrow keys move it.',
  pinCentre: 'Put the pin in the middle of the map',
  pinRemove: 'Remove the pin',
  markedPlace: 'The place I marked on the map',
  label: 'Map for choosing the place your comment is about',
  pin: 'Your pin',
  pinMoved: 'Pin moved.',
  noPin: 'No place is pinned.',
  pinClicked: 'Pin put where you clicked.',
  pinCentred: 'Pin put in the middle of the map.',
  pinChosen: 'Pin put where you chose.',
  pinOn: 'Pin put on {place}.',
  position: 'Latitude {lat}, longitude {lon}.',
  zoomIn: 'Zoom in',
  zoomOut: 'Zoom out',
};

/**
 * The comment form's place picker: a click (or tap) on the map puts the pin there; with a keyboard, move the
 * map with the arrow keys and press "Put the pin in the middle of the map", then move the pin itself with the
 * arrow keys when it has focus. The pin fills in the hidden lon and lat fields; choosing a place from the list
 * moves the pin there.
 */
function mapPicker(holder) {
  // The words come from the page (data-messages, from the server's catalogue in the page's language).
  const words = { ...PICKER_WORDS, ...json(holder.dataset.messages) };
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => values[k] ?? '');
  const form = holder.closest('form');
  const select = document.getElementById(holder.dataset.select);
  const lonInput = document.getElementById(holder.dataset.lon);
  const latInput = document.getElementById(holder.dataset.lat);
  if (!form || !select || !lonInput || !latInput) return;

  const help = document.createElement('p');
  help.className = 'govuk-body-s';
  help.id = 'place-map-help';
  help.textContent = words.help;
  const container = document.createElement('div');
  container.className = 'app-map';
  container.setAttribute('aria-describedby', help.id);
  const buttons = document.createElement('div');
  buttons.className = 'govuk-button-group govuk-!-margin-top-2 govuk-!-margin-bottom-0';
  const centre = button(words.pinCentre, 'pin-centre');
  const remove = button(words.pinRemove, 'pin-remove');
  buttons.append(centre, remove);
  const status = document.createElement('p');
  status.className = 'govuk-body-s govuk-!-margin-bottom-0';
  status.id = 'place-map-status';
  status.setAttribute('aria-live', 'polite');
  holder.replaceChildren(help, container, buttons, status);

  // With the map, "the place marked on the map" is an answer of its own.
  const mapOption = document.createElement('option');
  mapOption.value = 'map';
  mapOption.textContent = words.markedPlace;
  select.append(mapOption);

  const map = baseMap(container, holder, words.label, words);
  let pin = null;

  const show = (latlng, why) => {
    lonInput.value = latlng.lng.toFixed(6);
    latInput.value = latlng.lat.toFixed(6);
    status.textContent = `${why} ${fill(words.position, { lat: latlng.lat.toFixed(5), lon: latlng.lng.toFixed(5) })}`;
  };
  const place = (latlng, why, fromList = false) => {
    if (!pin) {
      pin = L.marker(latlng, { draggable: true, keyboard: true, title: words.pin, alt: words.pin }).addTo(
        map,
      );
      pin.on('dragend', () => {
        select.value = 'map';
        show(pin.getLatLng(), words.pinMoved);
      });
      // Arrow keys move the pin (5 pixels; 25 with Shift) and not the map underneath.
      pin.getElement().addEventListener('keydown', (e) => {
        const step = e.shiftKey ? 25 : 5;
        const d = { ArrowUp: [0, -step], ArrowDown: [0, step], ArrowLeft: [-step, 0], ArrowRight: [step, 0] }[
          e.key
        ];
        if (!d) return;
        e.preventDefault();
        e.stopPropagation();
        const p = map.latLngToContainerPoint(pin.getLatLng()).add(L.point(d[0], d[1]));
        const next = map.containerPointToLatLng(p);
        pin.setLatLng(next);
        select.value = 'map';
        show(next, words.pinMoved);
      });
    } else pin.setLatLng(latlng);
    if (!fromList) select.value = 'map';
    show(latlng, why);
  };
  const clear = () => {
    if (pin) pin.remove();
    pin = null;
    lonInput.value = '';
    latInput.value = '';
    status.textContent = words.noPin;
  };

  map.on('click', (e) => place(e.latlng, words.pinClicked));
  centre.addEventListener('click', () => place(map.getCenter(), words.pinCentred));
  remove.addEventListener('click', () => {
    clear();
    select.value = '';
  });
  select.addEventListener('change', () => {
    const option = select.selectedOptions[0];
    if (option?.dataset.lon) {
      const latlng = L.latLng(Number(option.dataset.lat), Number(option.dataset.lon));
      place(latlng, fill(words.pinOn, { place: option.textContent }), true);
      map.panTo(latlng);
    } else if (select.value === '') clear();
  });

  // After a form with errors comes back, the pin is where it was.
  if (lonInput.value && latInput.value) {
    const latlng = L.latLng(Number(latInput.value), Number(lonInput.value));
    place(latlng, words.pinChosen, select.value !== '' && select.value !== 'map');
    if (select.value === '') select.value = 'map';
  } else if (select.selectedOptions[0]?.dataset.lon) {
    const o = select.selectedOptions[0];
    place(
      L.latLng(Number(o.dataset.lat), Number(o.dataset.lon)),
      fill(words.pinOn, { place: o.textContent }),
      true,
    );
  } else status.textContent = words.noPin;
}

const CATEGORY_COLOURS = { support: '#00703c', object: '#d4351c', question: '#1d70b8' };
const CATEGORY_WORDS = { support: 'Supports', object: 'Objects', question: 'Question' };

/** The staff map: every pinned comment (from the staff GeoJSON), coloured by category, text in a popup. */
async function commentMap(holder) {
  const container = document.createElement('div');
  container.className = 'app-map';
  holder.replaceChildren(container);
  const map = baseMap(container, holder, 'Map of comments pinned to a place');
  const res = await fetch(holder.dataset.comments, { credentials: 'same-origin' });
  if (!res.ok) return;
  const features = (await res.json()).features ?? [];
  for (const f of features) {
    const [lon, lat] = f.geometry.coordinates;
    const { category, status, text } = f.properties;
    const marker = L.circleMarker([lat, lon], {
      radius: 8,
      color: '#0b0c0c',
      weight: 1,
      fillColor: CATEGORY_COLOURS[category] ?? '#505a5f',
      fillOpacity: status === 'rejected' ? 0.3 : 0.9,
    }).addTo(map);
    // Text only (never HTML): what a resident wrote is shown as they wrote it, inert.
    const body = document.createElement('div');
    const head = document.createElement('strong');
    head.textContent = `${CATEGORY_WORDS[category] ?? category} (${status})`;
    const p = document.createElement('p');
    p.textContent = text;
    body.append(head, p);
    marker.bindPopup(body);
  }
  holder.dataset.loaded = String(features.length);
}

export function initMaps(root) {
  for (const holder of root.querySelectorAll('[data-module="app-map-picker"]')) mapPicker(holder);
  for (const holder of root.querySelectorAll('[data-module="app-comment-map"]')) void commentMap(holder);
}
