import type { Request } from 'express';
import type { Client } from '../services/sessions';

/** Who is asking: the address Express sees (TRUST_PROXY decides whose) and the user agent. */
export function clientOf(req: Request): Client {
  return { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null };
}
