import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, errorMessage, ok } from '../api/client';
import { PageHeading } from '../components/PageHeading';
import { useToasts } from '../components/Toasts';
import { LoadError, useLoad } from '../components/useLoad';
import { formatDateTime } from '../format';
import { navigate, useLocation } from '../router';
import { useSession } from '../session';

const LINE_CODES: Record<string, string> = {
  invalid_line: 'Not a valid line',
  unsupported_hash: 'Unsupported password hash',
  email_taken: 'Email already in use',
  duplicate_in_file: 'Email repeated in the file',
};

/**
 * User import (POST /admin/tenants/{t}/user-imports): upload an NDJSON file, watch the
 * import's progress, read its bad lines by number, cancel it; and how many users still
 * hold each kind of imported hash. The import id goes into the address (?import=…).
 */
export function ImportPage({ tenantId }: { tenantId: string }) {
  const { client } = useSession();
  const toasts = useToasts();
  const { query } = useLocation();
  const importId = query.get('import') ?? undefined;
  const [file, setFile] = useState<File>();
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<string>();
  const fileId = useId();

  const hashes = useLoad(() => ok(client.GET('/admin/tenants/{tenantId}/password-hashes', { params: { path: { tenantId } } })), [client, tenantId]);
  const progress = useLoad(
    async () => (importId ? ok(client.GET('/admin/tenants/{tenantId}/user-imports/{importId}', { params: { path: { tenantId, importId } } })) : undefined),
    [client, tenantId, importId],
  );
  const running = progress.data?.state === 'running';
  const reloadProgress = progress.reload;
  const reloadHashes = hashes.reload;

  // a running import is read again every second until it ends
  useEffect(() => {
    if (!running) return undefined;
    const t = setTimeout(() => void reloadProgress(), 1000);
    return () => clearTimeout(t);
  }, [running, progress.data, reloadProgress]);
  useEffect(() => {
    if (progress.data && !running) void reloadHashes();
  }, [progress.data, running, reloadHashes]);

  const upload = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) {
      setUploadError('Choose an NDJSON file: one user a line.');
      return;
    }
    setUploading(true);
    setUploadError(undefined);
    try {
      const started = await ok(client.POST('/admin/tenants/{tenantId}/user-imports', {
        params: { path: { tenantId } },
        // the file as it is: the API streams it into PostgreSQL
        body: file as unknown as string,
        bodySerializer: (b: unknown) => b as BodyInit,
        headers: { 'content-type': 'application/x-ndjson' },
      }));
      navigate(`${api`/tenants/${tenantId}/import`}?import=${encodeURIComponent(started.importId)}`, { replace: true });
      toasts.ok('Import started.');
    } catch (err) {
      setUploadError(errorMessage(err));
    } finally {
      setUploading(false);
    }
  };

  const cancel = async () => {
    if (!importId) return;
    try {
      await ok(client.DELETE('/admin/tenants/{tenantId}/user-imports/{importId}', { params: { path: { tenantId, importId } } }));
      toasts.ok('Import cancelled; the users already created stay.');
      await reloadProgress();
    } catch (err) {
      toasts.fail(errorMessage(err));
    }
  };

  const p = progress.data;
  return (
    <>
      <PageHeading>Import users</PageHeading>
      <section className="card">
        <h2>Upload</h2>
        <p>
          One JSON object a line: <code>{'{ "email", "displayName"?, "passwordHash"?, "privileged"?, "locale"?, "federatedIdentities"?, "externalId"? }'}</code>,
          up to 100 MiB. Password hashes from Kratos, Auth0 (bcrypt), Django (PBKDF2), Firebase (scrypt) and others are kept, and replaced by argon2id at each user’s first sign-in.
        </p>
        <form onSubmit={upload}>
          <label htmlFor={fileId}>NDJSON file</label>
          <input id={fileId} type="file" accept=".ndjson,.jsonl,application/x-ndjson" onChange={(e) => setFile(e.target.files?.[0])} />
          {uploadError ? <p className="notice bad" role="alert">{uploadError}</p> : null}
          <p><button type="submit" disabled={uploading || running}>{uploading ? 'Uploading…' : 'Import'}</button></p>
        </form>
      </section>

      {importId ? (
        <section className="card" aria-live="polite">
          <h2>Import {running ? 'running' : p?.state ?? ''}</h2>
          {progress.error ? <LoadError error={progress.error} retry={() => void reloadProgress()} /> : null}
          {p ? (
            <>
              <dl className="facts">
                <dt>Lines</dt><dd>{p.lines}</dd>
                <dt>Created</dt><dd>{p.created}</dd>
                <dt>Skipped</dt><dd>{p.skipped}</dd>
                <dt>Failed</dt><dd>{p.failed}</dd>
                <dt>Started</dt><dd>{formatDateTime(p.startedAt)}</dd>
                {p.finishedAt ? (<><dt>Finished</dt><dd>{formatDateTime(p.finishedAt)}</dd></>) : null}
              </dl>
              {running ? <p><button type="button" className="danger" onClick={() => void cancel()}>Cancel the rest</button></p> : null}
              {p.errors.length > 0 ? (
                <>
                <h3>Lines not imported{p.errors.length >= 1000 ? ' (the first 1,000)' : ''}</h3>
                <table className="data">
                  <caption className="visually-hidden">Lines not imported{p.errors.length >= 1000 ? ' (the first 1,000)' : ''}</caption>
                  <thead><tr><th scope="col">Line</th><th scope="col">Problem</th><th scope="col">Detail</th></tr></thead>
                  <tbody>
                    {p.errors.map((e) => (
                      <tr key={e.line}><td>{e.line}</td><td>{LINE_CODES[e.code] ?? e.code}</td><td>{e.detail}</td></tr>
                    ))}
                  </tbody>
                </table>
                </>
              ) : null}
            </>
          ) : null}
        </section>
      ) : null}

      <section className="card">
        <h2>Imported password hashes</h2>
        {hashes.error ? <LoadError error={hashes.error} retry={() => void reloadHashes()} /> : null}
        {hashes.data ? (
          hashes.data.items.length === 0 ? (
            <p>Every password user holds argon2id ({hashes.data.argon2idUsers}).</p>
          ) : (
            <>
            <p className="hint">Each imported hash is replaced by argon2id at its user’s first sign-in.</p>
            <table className="data">
              <caption className="visually-hidden">Users still holding an imported hash (each is replaced at the user’s first sign-in)</caption>
              <thead><tr><th scope="col">Kind</th><th scope="col">Users</th></tr></thead>
              <tbody>
                {hashes.data.items.map((i) => (<tr key={i.algorithm}><td>{i.algorithm}</td><td>{i.users}</td></tr>))}
                <tr><td>argon2id</td><td>{hashes.data.argon2idUsers}</td></tr>
              </tbody>
            </table>
            </>
          )
        ) : null}
      </section>
    </>
  );
}
