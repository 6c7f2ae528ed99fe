import net from 'node:net';
import { closableRetries, connectClient, loadTemporalTarget } from '../src/temporal/connection';

/**
 * Closing the API's Temporal client while a call is between two gRPC retries. The SDK's retry
 * interceptor used to fire its timer into the closed channel and throw "Channel has been shut
 * down" as an uncaught exception, failing whichever test file ran next (CI, 2026-12-04).
 */
async function deadAddress(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `127.0.0.1:${port}`;
}

test('a call retrying against an unreachable Temporal ends as its own failure when the client closes; nothing is thrown from a timer', async () => {
  const uncaught: unknown[] = [];
  const record = (e: unknown) => uncaught.push(e);
  process.on('uncaughtException', record);
  try {
    const retries = closableRetries();
    const client = await connectClient(loadTemporalTarget({ TEMPORAL_ADDRESS: await deadAddress() }), { lazy: true, retries });
    const call = client.workflowService.describeNamespace({ namespace: 'default' }).then(() => 'answered', (e: Error) => e.message);
    // the first attempt fails (nothing listens) and a retry waits on its timer: close now
    const retriesBefore = await new Promise<number>((resolve) => {
      const poll = setInterval(() => {
        if (retries.scheduled() > 0) {
          clearInterval(poll);
          resolve(retries.scheduled());
        }
      }, 5);
    });
    expect(retriesBefore).toBeGreaterThan(0);
    await client.connection.close();
    expect(await call).not.toBe('answered');
    // a retry timer the close did not wait out would have thrown by now
    await new Promise((resolve) => setImmediate(resolve));
    expect(uncaught).toEqual([]);
  } finally {
    process.off('uncaughtException', record);
  }
});
