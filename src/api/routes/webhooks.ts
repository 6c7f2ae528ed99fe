import { workflowIds } from '../../contract/workflowIds';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  deliveryView,
  getWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  retryWebhookDelivery,
  rotateWebhookSecret,
  sendTestEvent,
  updateWebhookEndpoint,
} from '../../services/webhooks';
import { CURSORS, decodeCursor, pageBody } from '../cursor';
import type { HttpDeps } from '../deps';
import { unwrap } from '../problems';
import { adminRoute, type RouteDef } from '../route';
import {
  createdWebhookEndpointResponse,
  createWebhookEndpointBody,
  tenantParams,
  updateWebhookEndpointBody,
  webhookDeliveryListQuery,
  webhookDeliveryListResponse,
  webhookDeliveryParams,
  webhookEndpointListResponse,
  webhookEndpointParams,
  webhookEndpointResponse,
  webhookSecretResponse,
  webhookTestResponse,
} from '../schemas';
import { workflowUiUrl } from '../temporalUi';

const TAG = 'Outbound webhooks';

export const webhookRoutes: RouteDef[] = [
  adminRoute(
    {
      method: 'post', path: '/admin/tenants/{tenantId}/webhook-endpoints', operationId: 'createWebhookEndpoint', tag: TAG, secretAnswer: true,
      summary: "Create an endpoint that receives the tenant's audit events, signed (Standard Webhooks); its secret is shown once",
      params: tenantParams,
      body: createWebhookEndpointBody,
      responses: { 201: { description: 'The endpoint, with its signing secret (shown once)', schema: createdWebhookEndpointResponse } },
      problems: [422],
    },
    async ({ deps, tenant, body, admin }) => {
      const created = unwrap(await createWebhookEndpoint(deps, { tenantId: tenant.id, actor: admin.actor, ...body }));
      return { status: 201, body: { ...created.endpoint, secret: created.secret } };
    },
  ),
  adminRoute(
    {
      method: 'get', path: '/admin/tenants/{tenantId}/webhook-endpoints', operationId: 'listWebhookEndpoints', tag: TAG,
      summary: "The tenant's webhook endpoints, oldest first (never a secret)",
      params: tenantParams,
      responses: { 200: { description: 'The endpoints', schema: webhookEndpointListResponse } },
    },
    async ({ deps, tenant }) => ({ status: 200, body: { items: await listWebhookEndpoints(deps, tenant.id) } }),
  ),
  adminRoute(
    {
      method: 'get', path: '/admin/tenants/{tenantId}/webhook-endpoints/{endpointId}', operationId: 'getWebhookEndpoint', tag: TAG,
      summary: 'One webhook endpoint (never its secret)',
      params: webhookEndpointParams,
      responses: { 200: { description: 'The endpoint', schema: webhookEndpointResponse } },
    },
    async ({ deps, tenant, params }) => ({ status: 200, body: unwrap(await getWebhookEndpoint(deps, tenant.id, params.endpointId)).endpoint }),
  ),
  adminRoute(
    {
      method: 'patch', path: '/admin/tenants/{tenantId}/webhook-endpoints/{endpointId}', operationId: 'updateWebhookEndpoint', tag: TAG,
      summary: 'Change an endpoint’s URL, description, event types or enabled flag (enabling clears a disabled reason)',
      params: webhookEndpointParams,
      body: updateWebhookEndpointBody,
      responses: { 200: { description: 'The endpoint', schema: webhookEndpointResponse } },
      problems: [422],
    },
    async ({ deps, tenant, params, body, admin }) => ({
      status: 200,
      body: unwrap(await updateWebhookEndpoint(deps, { tenantId: tenant.id, id: params.endpointId, actor: admin.actor, ...body })).endpoint,
    }),
  ),
  adminRoute(
    {
      method: 'delete', path: '/admin/tenants/{tenantId}/webhook-endpoints/{endpointId}', operationId: 'deleteWebhookEndpoint', tag: TAG,
      summary: 'Delete an endpoint and its deliveries (pending ones are not sent)',
      params: webhookEndpointParams,
      responses: { 204: { description: 'Deleted' } },
    },
    async ({ deps, tenant, params, admin }) => {
      unwrap(await deleteWebhookEndpoint(deps, { tenantId: tenant.id, id: params.endpointId, actor: admin.actor }));
      return { status: 204 };
    },
  ),
  adminRoute(
    {
      method: 'post', path: '/admin/tenants/{tenantId}/webhook-endpoints/{endpointId}/rotate-secret', operationId: 'rotateWebhookSecret', tag: TAG, secretAnswer: true,
      summary: 'A new signing secret, shown once; the previous one also signs for 24 h (two signatures, space-separated)',
      params: webhookEndpointParams,
      responses: { 200: { description: 'The new secret', schema: webhookSecretResponse } },
    },
    async ({ deps, tenant, params, admin }) => {
      const r = unwrap(await rotateWebhookSecret(deps, { tenantId: tenant.id, id: params.endpointId, actor: admin.actor }));
      return { status: 200, body: { secret: r.secret, previousSecretExpiresAt: r.previousSecretExpiresAt } };
    },
  ),
  adminRoute(
    {
      method: 'post', path: '/admin/tenants/{tenantId}/webhook-endpoints/{endpointId}/test', operationId: 'sendWebhookTest', tag: TAG,
      summary: 'Send a webhook.test event to this endpoint (delivered and retried like any event)',
      params: webhookEndpointParams,
      responses: { 202: { description: 'Queued; follow it in the deliveries', schema: webhookTestResponse } },
    },
    async ({ deps, tenant, params, admin }) => {
      const r = unwrap(await sendTestEvent(deps, { tenantId: tenant.id, id: params.endpointId, actor: admin.actor }));
      return { status: 202, body: { deliveryId: r.deliveryId, eventId: r.eventId } };
    },
  ),
  adminRoute(
    {
      method: 'get', path: '/admin/tenants/{tenantId}/webhook-endpoints/{endpointId}/deliveries', operationId: 'listWebhookDeliveries', tag: TAG,
      summary: 'The endpoint’s deliveries, newest first: state, attempts, last status, next attempt',
      params: webhookEndpointParams,
      query: webhookDeliveryListQuery,
      responses: { 200: { description: 'One page of deliveries', schema: webhookDeliveryListResponse } },
    },
    async ({ deps, tenant, params, query }) => {
      const beforeSeq = decodeCursor(CURSORS.auditSeq, query.cursor)?.seq;
      const { page } = unwrap(await listWebhookDeliveries(deps, { tenantId: tenant.id, endpointId: params.endpointId, state: query.state, limit: query.limit, beforeSeq }));
      const items = page.items.map((d) => withUiUrl(deps, deliveryView(d, workflowIds.webhookDelivery)));
      return { status: 200, body: pageBody({ items, next: page.next }, (seq) => ({ seq })) };
    },
  ),
  adminRoute(
    {
      method: 'post', path: '/admin/tenants/{tenantId}/webhook-endpoints/{endpointId}/deliveries/{deliveryId}/retry', operationId: 'retryWebhookDelivery', tag: TAG,
      summary: 'Send a failed delivery again (a new workflow, the retry schedule from its start)',
      params: webhookDeliveryParams,
      responses: { 202: { description: 'Queued again' } },
      problems: [409],
    },
    async ({ deps, tenant, params }) => {
      unwrap(await retryWebhookDelivery(deps, { tenantId: tenant.id, endpointId: params.endpointId, deliveryId: params.deliveryId }));
      return { status: 202 };
    },
  ),
];

function withUiUrl<T extends { workflowId: string }>(deps: HttpDeps, v: T): T & { temporalUiUrl: string } {
  return { ...v, temporalUiUrl: workflowUiUrl(deps, v.workflowId) };
}
