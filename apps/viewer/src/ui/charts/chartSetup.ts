/**
 * Chart.js, registered once with only what the panels draw (tree-shaken), and three small plugins of our own:
 * a white background (so an exported PNG is not transparent), shaded x ranges (the grid peak window) and a
 * cursor line (the twin's clock). Chart.js draws on a canvas and needs no eval or injected style sheet, so it
 * runs under the server's Content Security Policy unchanged.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartType,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  type Plugin,
  PointElement,
  Title,
  Tooltip,
} from 'chart.js';

export interface ShadingOptions {
  /** [from, to] in x-axis units (epoch ms on time charts). */
  ranges: [number, number][];
  colour: string;
  label?: string;
}

export interface CursorOptions {
  /** x-axis value of the cursor, or null for none. */
  x: number | null;
  label?: string;
}

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    placetwinShading?: ShadingOptions;
    placetwinCursor?: CursorOptions;
  }
}

export const CHART_INK = '#1d2733';
export const CHART_SOFT = '#55616f';
export const CHART_GRID = '#e6e9ee';

const background: Plugin = {
  id: 'placetwinBackground',
  beforeDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

const shading: Plugin = {
  id: 'placetwinShading',
  beforeDatasetsDraw(chart, _args, options: ShadingOptions) {
    if (!options?.ranges?.length) return;
    const { ctx, chartArea, scales } = chart;
    const x = scales.x;
    ctx.save();
    ctx.fillStyle = options.colour;
    for (const [from, to] of options.ranges) {
      const left = Math.max(chartArea.left, x.getPixelForValue(from));
      const right = Math.min(chartArea.right, x.getPixelForValue(to));
      if (right > left) ctx.fillRect(left, chartArea.top, right - left, chartArea.bottom - chartArea.top);
    }
    if (options.label) {
      const [from] = options.ranges[0];
      ctx.fillStyle = CHART_SOFT;
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      ctx.fillText(options.label, Math.max(chartArea.left, x.getPixelForValue(from)) + 3, chartArea.top + 2);
    }
    ctx.restore();
  },
};

const cursor: Plugin = {
  id: 'placetwinCursor',
  afterDatasetsDraw(chart, _args, options: CursorOptions) {
    if (options?.x === null || options?.x === undefined) return;
    const { ctx, chartArea, scales } = chart;
    const px = scales.x.getPixelForValue(options.x);
    if (px < chartArea.left || px > chartArea.right) return;
    ctx.save();
    ctx.strokeStyle = '#c2410c';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(px, chartArea.top);
    ctx.lineTo(px, chartArea.bottom);
    ctx.stroke();
    if (options.label) {
      ctx.fillStyle = '#c2410c';
      ctx.font = '600 11px system-ui, sans-serif';
      ctx.textBaseline = 'bottom';
      const w = ctx.measureText(options.label).width;
      const left = px + 4 + w > chartArea.right ? px - 4 - w : px + 4;
      ctx.fillText(options.label, left, chartArea.bottom - 2);
    }
    ctx.restore();
  },
};

Chart.register(
  LineController,
  LineElement,
  PointElement,
  BarController,
  BarElement,
  LinearScale,
  CategoryScale,
  Filler,
  Legend,
  Title,
  Tooltip,
  background,
  shading,
  cursor,
);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
Chart.defaults.font.size = 12;
Chart.defaults.color = CHART_INK;
Chart.defaults.borderColor = CHART_GRID;
// Software WebGL already keeps the CPU busy; the charts redraw in one step.
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.plugins.legend.labels.boxWidth = 14;
Chart.defaults.plugins.legend.labels.boxHeight = 8;

export { Chart };
