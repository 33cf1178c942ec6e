/**
 * Chart images for a committee report: one or more chart canvases laid out side by side (or stacked) under a
 * title and a source line, on white, downloaded as a PNG. Everything stays in the page (no server round trip).
 */
export interface PngLayout {
  title: string;
  /** A line under the charts: data sources and the basis of the figures. */
  footnote: string;
  direction: 'row' | 'column';
}

const PAD = 16;
const TITLE_PX = 20;
const NOTE_PX = 12;

/** Draws the canvases onto one new canvas and returns it. */
export function composeCharts(canvases: HTMLCanvasElement[], layout: PngLayout): HTMLCanvasElement {
  const row = layout.direction === 'row';
  const width = row
    ? canvases.reduce((w, c) => w + c.width, 0) + PAD * (canvases.length + 1)
    : Math.max(...canvases.map((c) => c.width)) + 2 * PAD;
  const chartsHeight = row
    ? Math.max(...canvases.map((c) => c.height))
    : canvases.reduce((h, c) => h + c.height, 0) + PAD * (canvases.length - 1);
  const scale = window.devicePixelRatio || 1;
  const titleH = Math.round((TITLE_PX + 14) * scale);
  const noteH = Math.round((NOTE_PX + 12) * scale);
  const out = document.createElement('canvas');
  out.width = width;
  out.height = titleH + chartsHeight + noteH + 2 * PAD;
  const ctx = out.getContext('2d');
  if (!ctx) throw new Error('this browser cannot draw a 2D canvas');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = '#1d2733';
  ctx.textBaseline = 'top';
  ctx.font = `600 ${Math.round(TITLE_PX * scale)}px system-ui, sans-serif`;
  ctx.fillText(layout.title, PAD, PAD);
  let x = PAD;
  let y = PAD + titleH;
  for (const c of canvases) {
    ctx.drawImage(c, x, y);
    if (row) x += c.width + PAD;
    else y += c.height + PAD;
  }
  ctx.fillStyle = '#55616f';
  ctx.font = `${Math.round(NOTE_PX * scale)}px system-ui, sans-serif`;
  ctx.fillText(layout.footnote, PAD, PAD + titleH + chartsHeight + 8, width - 2 * PAD);
  return out;
}

/** Downloads the composed charts as `fileName` (a PNG). */
export function downloadChartsPng(canvases: HTMLCanvasElement[], layout: PngLayout, fileName: string): void {
  const url = composeCharts(canvases, layout).toDataURL('image/png');
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
}
