import { receiveMailEvent, type MailEvent } from '../../services/mailEvents';
import { mailWebhookRoute, type RouteDef } from '../route';
import { postmarkWebhookBody, postmarkWebhookResponse } from '../schemas';

/** Postmark's record, as the service reads it: ids, times, the bounce type and its description. The address stays here. */
function mailEvent(body: ReturnType<typeof postmarkWebhookBody.parse>): MailEvent | undefined {
  const metadata = ('Metadata' in body && body.Metadata && typeof body.Metadata === 'object' ? body.Metadata : {}) as Record<string, unknown>;
  switch (body.RecordType) {
    case 'Delivery': {
      const b = body as Extract<typeof body, { RecordType: 'Delivery' }>;
      return { messageId: b.MessageID, kind: 'delivered', at: b.DeliveredAt, metadata };
    }
    case 'Bounce':
    case 'SpamComplaint': {
      const b = body as Extract<typeof body, { RecordType: 'Bounce' | 'SpamComplaint' }>;
      const complaint = b.RecordType === 'SpamComplaint' || b.Type === 'SpamComplaint';
      return { messageId: b.MessageID, kind: complaint ? 'complained' : 'bounced', at: b.BouncedAt, bounceType: b.Type, description: b.Description, metadata };
    }
    default:
      return undefined;
  }
}

export const postmarkWebhookRoutes: RouteDef[] = [
  mailWebhookRoute(
    {
      method: 'post', path: '/webhooks/postmark', operationId: 'receivePostmarkWebhook', tag: 'Mail provider',
      summary: "Postmark's Delivery, Bounce and SpamComplaint webhooks (HTTP Basic: POSTMARK_WEBHOOK_USER, POSTMARK_WEBHOOK_PASSWORD)",
      body: postmarkWebhookBody,
      responses: { 200: { description: 'Accepted (unknown messages and other record types are ignored)', schema: postmarkWebhookResponse } },
      problems: [503],
    },
    async ({ deps, body }) => {
      const event = mailEvent(body);
      if (!event) return { status: 200, body: { outcome: 'ignored' } };
      const { outcome } = await receiveMailEvent(deps, event);
      return { status: 200, body: { outcome } };
    },
  ),
];
