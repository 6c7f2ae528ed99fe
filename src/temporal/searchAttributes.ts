import { temporal } from '@temporalio/proto';
import type { NativeConnection } from '@temporalio/worker';
import { SEARCH_ATTRIBUTE_NAMES } from '../contract/searchAttributes';

/**
 * Register the Keyword search attributes the workflows set (TenantId, UserId,
 * ResetPath, ResetId, ResetState) if the namespace lacks them. The dev server
 * gets them as start flags too; on Temporal Cloud, where the operator API is not
 * open to workers, register them once with `tcld` or the Cloud UI.
 */
export async function ensureSearchAttributes(
  connection: NativeConnection,
  namespace: string,
  warn: (msg: string) => void,
): Promise<void> {
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = SEARCH_ATTRIBUTE_NAMES.filter((name) => !customAttributes?.[name]);
    if (missing.length === 0) return;
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(
        missing.map((name) => [name, temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]),
      ),
    });
  } catch (err) {
    warn(`could not register search attributes ${SEARCH_ATTRIBUTE_NAMES.join(', ')} (${String(err)}); register them as Keyword in namespace ${namespace}`);
  }
}
