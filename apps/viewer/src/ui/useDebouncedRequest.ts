import { useEffect, useRef, useState } from 'react';

export interface RequestState<T> {
  /** The last answer received (kept while a newer request runs, so charts do not blink). */
  data: T | null;
  /** The key `data` answers; compare with the current key to know whether it is up to date. */
  dataKey: string | null;
  loading: boolean;
  error: string | null;
}

/**
 * Runs `run` whenever `key` changes (and `key` is not null), `delayMs` after the last change, cancelling the
 * request it replaces: sliders and typed numbers send one request when they settle, not one per step.
 */
export function useDebouncedRequest<T>(
  key: string | null,
  run: (signal: AbortSignal) => Promise<T>,
  delayMs = 400,
): RequestState<T> {
  const [state, setState] = useState<RequestState<T>>({
    data: null,
    dataKey: null,
    loading: false,
    error: null,
  });
  const runRef = useRef(run);
  runRef.current = run;
  useEffect(() => {
    if (key === null) {
      setState((s) => (s.loading ? { ...s, loading: false } : s));
      return;
    }
    const abort = new AbortController();
    setState((s) => ({ ...s, loading: true, error: null }));
    const timer = setTimeout(() => {
      runRef.current(abort.signal).then(
        (data) => setState({ data, dataKey: key, loading: false, error: null }),
        (e: unknown) => {
          if (abort.signal.aborted) return;
          setState((s) => ({ ...s, loading: false, error: e instanceof Error ? e.message : String(e) }));
        },
      );
    }, delayMs);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [key, delayMs]);
  return state;
}
