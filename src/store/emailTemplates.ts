import type { Queryable } from '../db/pool';

/** A tenant's own template of one email in one language (migration 1700000000090). */
export interface StoredEmailTemplate {
  tenantId: string;
  name: string;
  locale: string;
  subject: string;
  textBody: string;
  htmlBody: string;
  updatedAt: Date;
}

interface Row {
  tenant_id: string;
  name: string;
  locale: string;
  subject: string;
  text_body: string;
  html_body: string;
  updated_at: Date;
}

function toTemplate(r: Row): StoredEmailTemplate {
  return { tenantId: r.tenant_id, name: r.name, locale: r.locale, subject: r.subject, textBody: r.text_body, htmlBody: r.html_body, updatedAt: r.updated_at };
}

export async function listEmailTemplates(q: Queryable, tenantId: string): Promise<StoredEmailTemplate[]> {
  const res = await q.query<Row>('SELECT * FROM email_templates WHERE tenant_id = $1 ORDER BY name, locale', [tenantId]);
  return res.rows.map(toTemplate);
}

export async function getEmailTemplate(q: Queryable, tenantId: string, name: string, locale: string): Promise<StoredEmailTemplate | undefined> {
  const res = await q.query<Row>('SELECT * FROM email_templates WHERE tenant_id = $1 AND name = $2 AND locale = $3', [tenantId, name, locale]);
  return res.rows[0] ? toTemplate(res.rows[0]) : undefined;
}

/** Set (insert or replace); returns the template as stored and the one it replaced, if any. */
export async function putEmailTemplate(
  q: Queryable,
  t: { tenantId: string; name: string; locale: string; subject: string; textBody: string; htmlBody: string; now: Date },
): Promise<{ template: StoredEmailTemplate; replaced: boolean }> {
  const res = await q.query<Row & { replaced: boolean }>(
    `INSERT INTO email_templates AS e (tenant_id, name, locale, subject, text_body, html_body, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (tenant_id, name, locale) DO UPDATE
       SET subject = EXCLUDED.subject, text_body = EXCLUDED.text_body, html_body = EXCLUDED.html_body, updated_at = EXCLUDED.updated_at
     RETURNING *, (xmax <> 0) AS replaced`,
    [t.tenantId, t.name, t.locale, t.subject, t.textBody, t.htmlBody, t.now],
  );
  const row = res.rows[0]!;
  return { template: toTemplate(row), replaced: row.replaced };
}

/** True when there was one to remove. */
export async function deleteEmailTemplate(q: Queryable, tenantId: string, name: string, locale: string): Promise<boolean> {
  const res = await q.query('DELETE FROM email_templates WHERE tenant_id = $1 AND name = $2 AND locale = $3', [tenantId, name, locale]);
  return (res.rowCount ?? 0) > 0;
}
