/**
 * The console's only way to the server: the public admin API through the typed
 * client generated from its OpenAPI document (clients/typescript), with the admin
 * key as a bearer token. Every failure becomes an ApiError with a sentence a
 * person can act on; nothing is swallowed.
 */
import { createResetflowClient, type ResetflowClient } from '@resetflow/client';
import { onceFetch } from './onceFetch';

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
    // the server says which part is down and whether the action may still be applied
    return new ApiError(503, code, `The service is busy or one of its parts is down. ${problem?.detail ?? 'Try again in a moment.'}`.replace(/\s+/g, ' '), [], retryAfter);
  }
  if (!problem?.detail) {
    return new ApiError(res.status, code, `The server answered with an error (HTTP ${res.status}). Nothing may have been changed; try again, and check the server's log if it persists.`);
  }
  return new ApiError(res.status, code, problem.detail, problem.errors ?? []);
}

/**
 * A typed client of the admin API (@resetflow/client: generated from /openapi.json), with the
 * key as a bearer token. Every failure is thrown as an ApiError (a refused key also signs out);
 * `ok()` then gives the call's data.
 */
export type ApiClient = ResetflowClient;

export function createApiClient(key: string | undefined, onUnauthenticated: Unauthenticated = () => undefined): ApiClient {
  const client = createResetflowClient({ baseUrl: '', key, cache: 'no-store', credentials: 'omit', fetch: onceFetch });
  client.use({
    async onResponse({ response }) {
      if (response.ok) return undefined;
      if (response.status === 401 && key) onUnauthenticated();
      throw await toError(response.clone());
    },
    onError() {
      return new ApiError(0, 'network', 'The server did not answer: it may be down or your connection lost. Nothing was changed; try again in a moment.');
    },
  });
  return client;
}

/** The data of a call made with an ApiClient (its failures are thrown as ApiError, so there is no error to look at). */
export async function ok<D>(call: Promise<{ data?: D; response: Response }>): Promise<D> {
  return (await call).data as D;
}

/** A console path with each dynamic part escaped: api`/tenants/${t}/users/${id}`. */
export function api(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  return strings.reduce((out, s, i) => out + s + (i < values.length ? encodeURIComponent(String(values[i])) : ''), '');
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return `Something went wrong in the console: ${err instanceof Error ? err.message : String(err)}`;
}
