import { useCallback, useEffect, useRef, useState } from 'react';
import type { Loadable } from '../api/client';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Runs a request into a Loadable, dropping answers to requests that were superseded. */
export function useRequest<T>(): [Loadable<T>, (run: ((signal: AbortSignal) => Promise<T>) | null) => void] {
  const [state, setState] = useState<Loadable<T>>({ status: 'idle' });
  const abort = useRef<AbortController | null>(null);
  const start = useCallback((run: ((signal: AbortSignal) => Promise<T>) | null) => {
    abort.current?.abort();
    abort.current = null;
    if (!run) {
      setState({ status: 'idle' });
      return;
    }
    const controller = new AbortController();
    abort.current = controller;
    setState({ status: 'loading' });
    run(controller.signal).then(
      (data) => !controller.signal.aborted && setState({ status: 'loaded', data }),
      (e: unknown) => !controller.signal.aborted && setState({ status: 'failed', message: message(e) }),
    );
  }, []);
  useEffect(() => () => abort.current?.abort(), []);
  return [state, start];
}
