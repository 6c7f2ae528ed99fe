import { useEffect, useRef, useState } from 'react';
import { ok } from '../api/client';
import { useSession } from '../session';

/**
 * The emails of the users a list mentions (audit events and resets carry ids), read
 * once each and kept while the page lives; a user that cannot be read stays an id.
 */
export function useUserEmails(tenantId: string, ids: readonly (string | null | undefined)[]): Map<string, string> {
  const { client } = useSession();
  const known = useRef(new Map<string, string>());
  const asked = useRef(new Set<string>());
  const [, setVersion] = useState(0);
  const wanted = [...new Set(ids.filter((id): id is string => !!id))].filter((id) => !asked.current.has(id));
  const key = wanted.join(',');
  useEffect(() => {
    if (!key) return;
    const batch = key.split(',');
    batch.forEach((id) => asked.current.add(id));
    void Promise.all(
      batch.map((id) =>
        ok(client.GET('/admin/tenants/{tenantId}/users/{userId}', { params: { path: { tenantId, userId: id } } })).then((u) => known.current.set(id, u.email), () => undefined),
      ),
    ).then(() => setVersion((v) => v + 1));
  }, [client, tenantId, key]);
  return known.current;
}
