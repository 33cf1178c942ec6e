/**
 * Chart configurations for the carbon panel: the baseline by sector as one stacked bar, and a plan's trajectory to
 * 2050 as stacked areas by sector with the targets' straight lines and, when a budget is entered, the cumulative
 * emissions against it on a second axis. Figures in ktCO2e so the axis reads in small numbers.
 */
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { CARBON_SECTORS, type CarbonBaseline, type CarbonResult } from '../../api/energyTypes';
import { SECTOR_COLOURS, SECTOR_LABELS } from '../../state/carbon';
import { formatNumber } from '../../state/format';
import { CHART_SOFT } from './chartSetup';

const kt = (t: number | null) => (t === null ? null : t / 1000);
const TARGET_COLOURS = ['#b2182b', '#2166ac', '#1b7837', '#762a83'];

export function baselineChart(b: CarbonBaseline): ChartConfiguration {
  const sectors = CARBON_SECTORS.flatMap((s) => {
    const value = b.sectors.find((x) => x.sector === s)?.tco2e.value ?? 0;
    return value > 0 ? [{ s, value }] : [];
  });
  return {
    type: 'bar',
    data: {
      labels: [String(b.year)],
      datasets: sectors.map(({ s, value }) => ({
        label: `${SECTOR_LABELS[s]} ${formatNumber(value / 1000, 1)} kt`,
        data: [kt(value)],
        backgroundColor: SECTOR_COLOURS[s],
        stack: 'sectors',
        barThickness: 22,
      })),
    },
    options: {
      indexAxis: 'y',
      layout: { padding: { right: 8 } },
      scales: {
        x: {
          stacked: true,
          min: 0,
          title: { display: true, text: 'ktCO2e/yr', color: CHART_SOFT, font: { size: 11 } },
        },
        y: { stacked: true },
      },
      plugins: {
        legend: { position: 'top', align: 'start' },
        tooltip: {
          callbacks: { label: (c) => `${c.dataset.label}: ${formatNumber(Number(c.parsed.x), 1)} ktCO2e/yr` },
        },
      },
    },
  } as ChartConfiguration;
}

/** The highest value either plan's chart needs, so side-by-side charts share a scale. */
export function trajectoryScaleMax(results: readonly CarbonResult[]): number {
  let max = 0;
  for (const r of results) {
    for (const v of r.total.values) max = Math.max(max, v ?? 0);
    for (const t of r.targets) for (const v of t.line?.values ?? []) max = Math.max(max, v ?? 0);
  }
  return Math.ceil((max / 1000) * 1.05);
}

export function trajectoryChart(r: CarbonResult, title: string, yMax: number): ChartConfiguration {
  const labels = r.years.map(String);
  const sectorSets: ChartDataset<'line'>[] = CARBON_SECTORS.filter((s) =>
    r.sectors[s].values.some((v) => (v ?? 0) > 0),
  ).map((s, i) => ({
    label: SECTOR_LABELS[s],
    data: r.sectors[s].values.map(kt),
    borderColor: SECTOR_COLOURS[s],
    backgroundColor: SECTOR_COLOURS[s],
    fill: i === 0 ? 'origin' : '-1',
    stack: 'sectors',
    borderWidth: 1,
    pointRadius: 0,
  })) as ChartDataset<'line'>[];
  const targetSets = r.targets
    .filter((t) => t.line)
    .map((t, i) => ({
      label: `Target: ${t.label}`,
      data: (t.line?.values ?? []).map(kt),
      borderColor: TARGET_COLOURS[i % TARGET_COLOURS.length],
      backgroundColor: TARGET_COLOURS[i % TARGET_COLOURS.length],
      borderDash: [6, 4],
      borderWidth: 2,
      pointRadius: 0,
      fill: false,
      stack: `target-${i}`,
      // Chart.js draws lower `order` later: the lines stay on top of the stacked areas.
      order: -1,
    })) as ChartDataset<'line'>[];
  const budget = r.budget;
  const budgetSets = budget
    ? ([
        {
          label: 'Cumulative emissions (right axis)',
          data: budget.cumulative.values.map(kt),
          borderColor: '#333333',
          backgroundColor: '#333333',
          borderWidth: 1.5,
          pointRadius: 0,
          fill: false,
          yAxisID: 'budget',
          stack: 'budget-used',
          order: -1,
        },
        {
          label: `Budget ${formatNumber(budget.budget.value / 1000, 0)} ktCO2e (right axis)`,
          data: r.years.map(() => budget.budget.value / 1000),
          borderColor: '#333333',
          backgroundColor: '#333333',
          borderDash: [2, 2],
          borderWidth: 1.5,
          pointRadius: 0,
          fill: false,
          yAxisID: 'budget',
          stack: 'budget-line',
          order: -1,
        },
      ] as ChartDataset<'line'>[])
    : [];
  return {
    type: 'line',
    data: { labels, datasets: [...sectorSets, ...targetSets, ...budgetSets] },
    options: {
      layout: { padding: { right: 4 } },
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { ticks: { maxRotation: 0, autoSkipPadding: 10 } },
        y: {
          stacked: true,
          min: 0,
          max: yMax,
          title: { display: true, text: 'ktCO2e/yr', color: CHART_SOFT, font: { size: 11 } },
        },
        ...(budget
          ? {
              budget: {
                position: 'right',
                min: 0,
                grid: { drawOnChartArea: false },
                title: { display: true, text: 'cumulative ktCO2e', color: CHART_SOFT, font: { size: 11 } },
              },
            }
          : {}),
      },
      plugins: {
        title: { display: true, text: title, align: 'start', font: { size: 13, weight: 600 } },
        legend: { position: 'bottom', labels: { font: { size: 11 } } },
        tooltip: {
          callbacks: {
            label: (c) =>
              `${c.dataset.label}: ${formatNumber(Number(c.parsed.y), 1)} ${c.dataset.yAxisID === 'budget' ? 'ktCO2e' : 'ktCO2e/yr'}`,
          },
        },
      },
    },
  } as ChartConfiguration;
}
