-- Up Migration

-- A tenant's own email templates (api.md, Languages and email templates): one per
-- template name and language, replacing the built-in one until removed. Mustache
-- sources, validated before they are stored.
CREATE TABLE email_templates (
  tenant_id   text NOT NULL REFERENCES tenants (id),
  name        text NOT NULL CHECK (name IN ('password_reset_link', 'temporary_password_set', 'password_changed')),
  locale      text NOT NULL CHECK (locale IN ('en', 'de', 'fr', 'es', 'pt-BR', 'ja')),
  subject     text NOT NULL,
  text_body   text NOT NULL,
  html_body   text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, name, locale)
);

-- Down Migration
DROP TABLE email_templates;
