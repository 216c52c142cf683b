import * as React from 'react';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  isLoading: boolean;
  reload: () => Promise<T | undefined>;
  setData: React.Dispatch<React.SetStateAction<T | undefined>>;
}

/**
 * Load data when `deps` change and keep the last good value while reloading, so lists do not
 * flash empty between pages. Late answers of superseded loads are ignored.
 */
export const useAsync = <T,>(load: () => Promise<T>, deps: React.DependencyList): AsyncState<T> => {
  const [data, setData] = React.useState<T | undefined>(undefined);
  const [error, setError] = React.useState<unknown>(null);
  const [isLoading, setLoading] = React.useState(true);
  const seq = React.useRef(0);
  const loadRef = React.useRef(load);
  loadRef.current = load;

  const reload = React.useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const value = await loadRef.current();
      if (mine === seq.current) {
        setData(value);
        setError(null);
      }
      return value;
    } catch (err) {
      if (mine === seq.current) setError(err);
      return undefined;
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, []);

  React.useEffect(() => {
    void reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  return { data, error, isLoading, reload, setData };
};
