// Data hooks over the API client. Requests are keyed by their URL: a new URL (or a reload) starts a
// new request and aborts the previous one; the last good data stays visible while the next loads, never next to
// an error.
import { useCallback, useEffect, useState } from 'react';
import { ApiError, apiGet, apiUrl, errorMessage, isAbort, type QueryValue } from './api';
import type { Page } from './api-types';

export interface ApiState<T> {
  data: T | undefined;
  error: string | undefined;
  /** The HTTP status of the error, when the server answered one (404: no such thing). */
  errorStatus: number | undefined;
  loading: boolean;
  reload: () => void;
}

interface Loaded<T> {
  key: string;
  data: T | undefined;
  error: string | undefined;
  errorStatus?: number | undefined;
}

/** GET `path` (null = don't load yet); refetches whenever the query changes. */
export function useApiGet<T>(path: string | null, query: Record<string, QueryValue>): ApiState<T> {
  const url = path === null ? null : apiUrl(path, query);
  const [generation, setGeneration] = useState(0);
  const key = url === null ? null : `${generation}:${url}`;
  const [loaded, setLoaded] = useState<Loaded<T>>({ key: '', data: undefined, error: undefined });

  useEffect(() => {
    if (path === null || key === null) return;
    const controller = new AbortController();
    apiGet<T>(path, query, controller.signal).then(
      (data) => setLoaded({ key, data, error: undefined }),
      (err: unknown) => {
        // Data of another request is not shown next to this one's error, as if it were its answer.
        if (!isAbort(err)) setLoaded({ key, data: undefined, error: errorMessage(err), errorStatus: err instanceof ApiError ? err.status : undefined });
      },
    );
    return () => controller.abort();
    // `key` captures path + query; the query object itself is new on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return {
    data: loaded.data,
    error: loaded.key === key ? loaded.error : undefined,
    errorStatus: loaded.key === key ? loaded.errorStatus : undefined,
    loading: key !== null && loaded.key !== key,
    reload,
  };
}

export interface PagedState<T> {
  items: T[];
  hasMore: boolean;
  error: string | undefined;
  /** First page of the current query is still on its way. */
  loading: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  reload: () => void;
}

interface PagedLoaded<T> {
  key: string;
  items: T[];
  nextCursor: string | null;
  error: string | undefined;
  loadingMore: boolean;
}

/**
 * Cursor-paged GET: first page on every query change, further pages appended by `loadMore`.
 * Changing `refreshKey` reloads from the first page too (e.g. after the data changed elsewhere).
 */
export function usePagedList<T>(
  path: string,
  query: Record<string, QueryValue>,
  refreshKey: string | number = '',
): PagedState<T> {
  const url = apiUrl(path, query);
  const [generation, setGeneration] = useState(0);
  const key = `${generation}:${refreshKey}:${url}`;
  const [state, setState] = useState<PagedLoaded<T>>({
    key: '',
    items: [],
    nextCursor: null,
    error: undefined,
    loadingMore: false,
  });

  useEffect(() => {
    const controller = new AbortController();
    apiGet<Page<T>>(path, query, controller.signal).then(
      (page) => setState({ key, items: page.items, nextCursor: page.nextCursor, error: undefined, loadingMore: false }),
      (err: unknown) => {
        if (!isAbort(err)) setState({ key, items: [], nextCursor: null, error: errorMessage(err), loadingMore: false });
      },
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const loadMore = useCallback(() => {
    if (state.key !== key || state.nextCursor === null || state.loadingMore) return;
    const cursor = state.nextCursor;
    setState((s) => ({ ...s, loadingMore: true }));
    apiGet<Page<T>>(path, { ...query, cursor }).then(
      (page) =>
        setState((s) =>
          s.key === key
            ? {
                ...s,
                items: [...s.items, ...page.items],
                nextCursor: page.nextCursor,
                error: undefined,
                loadingMore: false,
              }
            : s,
        ),
      (err: unknown) => setState((s) => (s.key === key ? { ...s, error: errorMessage(err), loadingMore: false } : s)),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, state.key, state.nextCursor, state.loadingMore]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const current = state.key === key;
  return {
    items: state.items,
    hasMore: current && state.nextCursor !== null,
    error: current ? state.error : undefined,
    loading: !current,
    loadingMore: state.loadingMore,
    loadMore,
    reload,
  };
}
