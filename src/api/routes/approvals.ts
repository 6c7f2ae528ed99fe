import { decide, listApprovals, readApproval, type ApprovalView } from '../../services/approvals';
import { CURSORS, decodeCursor, pageBody } from '../cursor';
import type { HttpDeps } from '../deps';
import { unwrap } from '../problems';
import { adminRoute, type RouteDef } from '../route';
import { approvalListQuery, approvalListResponse, approvalParams, approvalResponse, approveBody, rejectBody, tenantParams } from '../schemas';
import { workflowUiUrl } from '../temporalUi';
import type { z } from 'zod';

const approvalCursor = CURSORS.createdAtId;

/** An approval as api.md shows it: its state as of now, never the held password. */
function approvalBody(deps: HttpDeps, a: ApprovalView): z.input<typeof approvalResponse> {
  return {
    approvalId: a.id,
    userId: a.userId,
    action: a.action,
    state: a.effectiveState,
    requestedBy: a.requestedBy as z.input<typeof approvalResponse>['requestedBy'],
    ...(a.decidedBy ? { decidedBy: a.decidedBy as z.input<typeof approvalResponse>['requestedBy'] } : {}),
    requestedAt: a.requestedAt.toISOString(),
    ...(a.decidedAt ? { decidedAt: a.decidedAt.toISOString() } : {}),
    expiresAt: a.expiresAt.toISOString(),
    ...(a.reason ? { reason: a.reason } : {}),
    workflowId: a.workflowId,
    options: a.options,
    ...(a.appliedWorkflowId ? { appliedWorkflowId: a.appliedWorkflowId } : {}),
    ...(workflowUiUrl(deps, a.workflowId) ? { temporalUiUrl: workflowUiUrl(deps, a.workflowId) } : {}),
  };
}

export const approvalRoutes: RouteDef[] = [
  adminRoute(
    {
      method: 'get', path: '/admin/tenants/{tenantId}/approvals', operationId: 'listApprovals', tag: 'Approvals',
      summary: "The tenant's resets held for a second admin, newest first, by state (as of now) and user",
      params: tenantParams,
      query: approvalListQuery,
      responses: { 200: { description: 'A page of approvals', schema: approvalListResponse } },
    },
    async ({ deps, tenant, query }) => {
      const after = decodeCursor(approvalCursor, query.cursor);
      const page = await listApprovals(deps, { tenantId: tenant.id, userId: query.userId, state: query.state, limit: query.limit, after });
      return { status: 200, body: pageBody({ items: page.items.map((a) => approvalBody(deps, a)), next: page.next }) };
    },
  ),
  adminRoute(
    {
      method: 'get', path: '/admin/tenants/{tenantId}/approvals/{approvalId}', operationId: 'getApproval', tag: 'Approvals',
      summary: 'Read a held reset: who asked, for whom, what, and its decision',
      params: approvalParams,
      responses: { 200: { description: 'The approval', schema: approvalResponse } },
    },
    async ({ deps, tenant, params }) => ({ status: 200, body: approvalBody(deps, unwrap(await readApproval(deps, tenant.id, params.approvalId)).approval) }),
  ),
  adminRoute(
    {
      method: 'post', path: '/admin/tenants/{tenantId}/approvals/{approvalId}/approve', operationId: 'approveApproval', tag: 'Approvals',
      summary: 'Approve a held reset (another admin than the requester): the held action is applied, once',
      params: approvalParams,
      body: approveBody,
      responses: { 200: { description: 'The approval, approved; its action applied', schema: approvalResponse } },
      problems: [403, 409, 503],
    },
    async ({ deps, tenant, params, admin }) => {
      const { approval } = unwrap(await decide(deps, { tenantId: tenant.id, approvalId: params.approvalId, actor: admin.actor, decision: 'approved' }));
      return { status: 200, body: approvalBody(deps, approval) };
    },
  ),
  adminRoute(
    {
      method: 'post', path: '/admin/tenants/{tenantId}/approvals/{approvalId}/reject', operationId: 'rejectApproval', tag: 'Approvals',
      summary: 'Reject a held reset (another admin than the requester), with a reason: nothing is applied',
      params: approvalParams,
      body: rejectBody,
      responses: { 200: { description: 'The approval, rejected', schema: approvalResponse } },
      problems: [403, 409, 503],
    },
    async ({ deps, tenant, params, body, admin }) => {
      const { approval } = unwrap(await decide(deps, { tenantId: tenant.id, approvalId: params.approvalId, actor: admin.actor, decision: 'rejected', reason: body.reason }));
      return { status: 200, body: approvalBody(deps, approval) };
    },
  ),
];
