import { getExternalWorkflowHandle } from '@temporalio/workflow';
import { resetSupersededSignal } from '../contract/resetEmail';

/** Tell the workflows of links that a newer link or a password change ended; a link whose workflow already finished is skipped. */
export async function notifySuperseded(refs: readonly { workflowId: string }[]): Promise<void> {
  await Promise.all(
    refs.map((r) => getExternalWorkflowHandle(r.workflowId).signal(resetSupersededSignal).catch(() => undefined)),
  );
}
