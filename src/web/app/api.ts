// Thin fetch client for `/api/v1`. Every call carries the selected workspace as `?workspace=<id>`;
// failures surface as ApiError carrying the problem+json `detail`, ready for an error banner.

export const API_BASE = '/api/v1';

export type QueryValue = string | number | null | undefined;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors?: unknown,
  ) {
    super(detail || title);
    this.name = 'ApiError';
  }
}

interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: unknown;
}

export function apiUrl(path: string, query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
}

async function toApiError(res: Response): Promise<ApiError> {
  let problem: Problem = {};
  try {
    problem = (await res.json()) as Problem;
  } catch {
    // Not JSON (e.g. a proxy error page): fall back to the status line.
  }
  const title = problem.title ?? res.statusText ?? 'Request failed';
  const detail = problem.detail ?? `${title} (HTTP ${res.status})`;
  return new ApiError(res.status, title, detail, problem.errors);
}

async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'Network error', 'Cannot reach the Kept API. Is the server running?');
  }
  if (!res.ok) throw await toApiError(res);
  return (await res.json()) as T;
}

export function apiGet<T>(path: string, query: Record<string, QueryValue> = {}, signal?: AbortSignal): Promise<T> {
  return request<T>('GET', apiUrl(path, query), undefined, signal);
}

export function apiPost<T>(path: string, query: Record<string, QueryValue>, body: unknown): Promise<T> {
  return request<T>('POST', apiUrl(path, query), body);
}

export function apiPut<T>(path: string, query: Record<string, QueryValue>, body: unknown): Promise<T> {
  return request<T>('PUT', apiUrl(path, query), body);
}

export function apiDelete<T>(path: string, query: Record<string, QueryValue> = {}): Promise<T> {
  return request<T>('DELETE', apiUrl(path, query));
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.detail;
  if (err instanceof Error) return err.message;
  return String(err);
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}
