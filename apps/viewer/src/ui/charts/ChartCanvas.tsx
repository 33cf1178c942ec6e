import type { ChartConfiguration } from 'chart.js';
import { useEffect, useRef } from 'react';
import { Chart } from './chartSetup';

export interface ChartCanvasProps {
  config: ChartConfiguration;
  /** What the chart shows, in one sentence: the canvas's accessible name. Its data is in a table beside it. */
  label: string;
  className?: string;
  /** Called with the x value under a click (a time on time charts). */
  onPickX?: (x: number) => void;
  /** Receives the canvas while it is mounted (for PNG export). */
  canvasRef?: (canvas: HTMLCanvasElement | null) => void;
  testId?: string;
}

/** One Chart.js chart: created on mount, updated in place when its configuration changes. */
export function ChartCanvas({ config, label, className, onPickX, canvasRef, testId }: ChartCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);
  const pick = useRef(onPickX);
  pick.current = onPickX;

  useEffect(() => {
    const options = {
      ...config.options,
      onClick: (event: { x: number | null }, _e: unknown, c: Chart) => {
        if (event.x === null || !pick.current) return;
        const x = c.scales.x?.getValueForPixel(event.x);
        if (x !== undefined && Number.isFinite(x)) pick.current(x);
      },
    };
    if (!chart.current) {
      if (!canvas.current) return;
      chart.current = new Chart(canvas.current, { ...config, options } as ChartConfiguration);
    } else {
      chart.current.data = config.data;
      chart.current.options = options as Chart['options'];
      chart.current.update('none');
    }
  }, [config]);

  useEffect(
    () => () => {
      chart.current?.destroy();
      chart.current = null;
    },
    [],
  );

  return (
    <div className={`chart ${className ?? ''}`} data-testid={testId}>
      <canvas
        ref={(el) => {
          canvas.current = el;
          canvasRef?.(el);
        }}
        role="img"
        aria-label={label}
      />
    </div>
  );
}
