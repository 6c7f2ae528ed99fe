import { getExternalWorkflowHandle } from '@temporalio/workflow';
import { temporaryPasswordReplacedSignal } from '../contract/adminPasswords';
import { resetSupersededSignal } from '../contract/resetEmail';

/** Tell the workflows of links that a newer link or a password change ended; a link whose workflow already finished is skipped. */
export async function notifySuperseded(refs: readonly { workflowId: string }[]): Promise<void> {
  await Promise.all(
    refs.map((r) => getExternalWorkflowHandle(r.workflowId).signal(resetSupersededSignal).catch(() => undefined)),
  );
}

/**
 * After a password write: the links it ended, and the temporary password it replaced
 * (its workflow stops waiting for the lapse). A workflow that already finished is skipped.
 */
export async function notifyPasswordWritten(written: { invalidated: readonly { workflowId: string }[]; endedTemporaryPassword?: string | undefined }): Promise<void> {
  const replaced = written.endedTemporaryPassword;
  await Promise.all([
    notifySuperseded(written.invalidated),
    replaced ? getExternalWorkflowHandle(replaced).signal(temporaryPasswordReplacedSignal).catch(() => undefined) : undefined,
  ]);
}
