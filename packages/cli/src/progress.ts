import { SingleBar } from 'cli-progress';
import type { Progress } from './pipeline';

/** A progress bar on a terminal; a line every few seconds otherwise (CI logs). */
export function progressReporter(out: NodeJS.WriteStream): {
  update: (p: Progress) => void;
  stop: () => void;
} {
  let bar: SingleBar | null = null;
  let phase = '';
  let lastLine = 0;
  const stop = () => {
    bar?.stop();
    bar = null;
  };
  const update = (p: Progress) => {
    if (!out.isTTY) {
      const now = Date.now();
      if (p.phase !== phase || now - lastLine > 3000) {
        out.write(`${p.phase}: ${p.done}${p.total ? `/${p.total}` : ''} ${p.unit}\n`);
        lastLine = now;
        phase = p.phase;
      }
      return;
    }
    if (p.phase !== phase) {
      stop();
      phase = p.phase;
      bar = new SingleBar({
        format: `${p.phase.padEnd(5)} [{bar}] {value}${p.total ? '/{total}' : ''} ${p.unit}`,
        stream: out,
      });
      bar.start(p.total ?? 0, p.done);
    }
    if (p.total && bar?.getTotal() !== p.total) bar?.setTotal(p.total);
    bar?.update(p.done);
  };
  return { update, stop };
}
