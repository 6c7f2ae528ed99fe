/**
 * The console's only way to the server: the public admin API over fetch, with
 * the admin key as a bearer token. Every failure becomes an ApiError with a
 * sentence a person can act on; nothing is swallowed.
 */

export interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: FieldProblem[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** the messages for one request field (e.g. "password" or "settings.passwordPolicy.minLength") */
  forField(field: string): string | undefined {
    const messages = this.errors.filter((e) => e.field === field).map((e) => e.message);
    return messages.length > 0 ? messages.join(' ') : undefined;
  }
}

export type Unauthenticated = () => void;

async function toError(res: Response): Promise<ApiError> {
  const retryAfter = Number(res.headers.get('retry-after')) || undefined;
  let problem: { code?: string; detail?: string; title?: string; errors?: FieldProblem[] } | undefined;
  try {
    problem = await res.json();
  } catch {
    problem = undefined;
  }
  const code = problem?.code ?? `http_${res.status}`;
  if (res.status === 429) {
    return new ApiError(429, code, `Too many attempts. Try again in ${retryAfter ?? 'a few'} seconds.`, [], retryAfter);
  }
  if (res.status === 503) {
    return new ApiError(503, code, `The service is busy or one of its parts is down, and nothing was changed. ${problem?.detail ?? ''} Try again in a moment.`.replace(/\s+/g, ' '), [], retryAfter);
  }
  if (!problem?.detail) {
    return new ApiError(res.status, code, `The server answered with an error (HTTP ${res.status}). Nothing may have been changed; try again, and check the server's log if it persists.`);
  }
  return new ApiError(res.status, code, problem.detail, problem.errors ?? []);
}

export class ApiClient {
  constructor(
    private readonly key: string | undefined,
    private readonly onUnauthenticated: Unauthenticated = () => undefined,
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.key) headers['authorization'] = `Bearer ${this.key}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(path, { method, headers, body: body === undefined ? null : JSON.stringify(body), cache: 'no-store', credentials: 'omit' });
    } catch {
      throw new ApiError(0, 'network', 'The server did not answer: it may be down or your connection lost. Nothing was changed; try again in a moment.');
    }
    if (res.status === 401 && this.key) {
      this.onUnauthenticated();
      throw await toError(res);
    }
    if (!res.ok) throw await toError(res);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /**
   * A file from the API (the audit CSV export), fetched with the key as a bearer token,
   * so the key never appears in a URL; the caller hands the Blob to the browser.
   */
  async download(path: string, accept: string): Promise<{ blob: Blob; filename: string | undefined }> {
    const headers: Record<string, string> = { accept };
    if (this.key) headers['authorization'] = `Bearer ${this.key}`;
    let res: Response;
    try {
      res = await fetch(path, { headers, cache: 'no-store', credentials: 'omit' });
    } catch {
      throw new ApiError(0, 'network', 'The server did not answer: it may be down or your connection lost. Try again in a moment.');
    }
    if (res.status === 401 && this.key) {
      this.onUnauthenticated();
      throw await toError(res);
    }
    if (!res.ok) throw await toError(res);
    const filename = res.headers.get('content-disposition')?.match(/filename="([^"]+)"/)?.[1];
    return { blob: await res.blob(), filename };
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }
  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }
  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }
  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }
  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }
}

/** A path with each dynamic part escaped: api`/admin/tenants/${t}/users/${id}`. */
export function api(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  return strings.reduce((out, s, i) => out + s + (i < values.length ? encodeURIComponent(String(values[i])) : ''), '');
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return `Something went wrong in the console: ${err instanceof Error ? err.message : String(err)}`;
}
